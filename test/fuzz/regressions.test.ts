// Inputs the fuzzer found that once broke the engine, kept as plain tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import { complete } from '../../server/src/engine/completion';
import { hover } from '../../server/src/engine/hover';
import { STS } from '../engine/helpers';

test('completion with the cursor past the last line answers instead of throwing (siblingKeys read past the end)', () => {
  const lines = STS.split('\n').length;
  for (const line of [lines, lines + 1, lines + 5, 1000]) {
    for (const character of [0, 2, 40]) {
      const items = complete(STS, { line, character });
      assert.ok(Array.isArray(items), `line ${line}:${character}`);
      assert.equal(hover(STS, { line, character }), undefined);
    }
  }
  // past the end of a file is at the top level of its last document: top-level keys not yet written
  const labels = complete('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n', { line: 9, character: 0 }).map((i) => i.label);
  assert.ok(labels.includes('spec'), labels.join(','));
  assert.ok(!labels.includes('metadata'), 'metadata is already there');
});

test('a collection as a mapping key: reported as a finding, no Node warning (it reached the CLI stderr and the editor log as an error)', () => {
  const warnings: string[] = [];
  const listen = (w: Error) => warnings.push(w.message);
  process.on('warning', listen);
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error) => warnings.push(String(w))) as typeof process.emitWarning;
  try {
    const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n  labels:\n    ? [a, b]\n    : c\n    { 1 }: x\nspec:\n  replicas: 1\n';
    const ds = analyzeText(text).diagnostics;
    assert.ok(ds.some((d) => d.code === 'invalid-type' && /not a plain string/.test(d.message)), JSON.stringify(ds.map((d) => d.code)));
  } finally {
    process.emitWarning = emit;
    process.off('warning', listen);
  }
  assert.deepEqual(warnings, []);
});
