// Bad input never crashes or hangs the engine, and broken YAML gets a clear diagnostic.
// (Timeouts here only catch hangs; speed is measured by `npm run bench`, not asserted.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import { complete } from '../../server/src/engine/completion';
import { hover } from '../../server/src/engine/hover';
import { STS } from './helpers';

const HANG = { timeout: 60_000 };

function everything(text: string) {
  const { diagnostics } = analyzeText(text);
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  complete(text, { line: mid, character: Math.min(3, lines[mid]?.length ?? 0) });
  hover(text, { line: mid, character: 1 });
  return diagnostics;
}

test('binary junk in a StatefulSet file: a clear YAML error, no crash', HANG, () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const junk = Array.from({ length: 20000 }, () => String.fromCharCode(Math.floor(rnd() * 256))).join('');
  const ds = everything(`apiVersion: apps/v1\nkind: StatefulSet\n${junk}`);
  assert.ok(ds.length > 0 && ds.length <= 200, `bounded list of findings (${ds.length})`);
  assert.ok(ds.some((d) => d.code === 'yaml-syntax'));
});

test('a 5 MB file of StatefulSets is analysed document by document', HANG, () => {
  const docs: string[] = [];
  let size = 0;
  while (size < 5 * 1024 * 1024) {
    const d = STS.replace(/web/g, `web${docs.length}`);
    docs.push(d);
    size += d.length + 4;
  }
  const ds = everything(docs.join('---\n'));
  assert.deepEqual(ds.filter((d) => d.severity === 1), []);
});

test('one 10 MB document: not parsed as you type, said once, completion still answers', HANG, () => {
  const big = `${STS}  # ${'x'.repeat(100)}\n`.repeat(1) + `metadata2:\n${'  k: v\n'.repeat(1_500_000)}`;
  const ds = analyzeText(big).diagnostics;
  assert.deepEqual(ds.map((d) => d.code), ['too-large']);
  const items = complete(big, { line: 5, character: 2 });
  assert.ok(items.some((i) => i.label === 'podManagementPolicy'));
});

test('10,000-level nesting: no stack overflow, a diagnostic or a bounded result', HANG, () => {
  const deep = `apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template: ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
  const ds = everything(deep);
  assert.ok(ds.length >= 1);
  let block = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n';
  for (let i = 0; i < 10000; i++) block += `${' '.repeat(2 * (i + 1))}k${i}:\n`;
  everything(block);
});

test('an alias bomb costs nothing: aliases are not expanded', HANG, () => {
  let bomb = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n  annotations:\n    a0: &a0 "lol"\n';
  for (let i = 1; i < 30; i++) bomb += `    a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
  const ds = everything(bomb);
  assert.ok(Array.isArray(ds));
});

test('tabs, empty documents, a scalar document and a list document', HANG, () => {
  const tabs = everything('apiVersion: apps/v1\nkind: StatefulSet\nspec:\n\treplicas: 3\n');
  assert.ok(tabs.some((d) => d.code === 'yaml-syntax' && /tab/i.test(d.message)), 'tab indentation is explained');
  assert.deepEqual(everything(''), []);
  assert.deepEqual(everything('---\n---\n# only a comment\n---\n'), []);
  assert.deepEqual(everything('just a string\n'), []);
  assert.deepEqual(everything('- a\n- b\n'), []);
  // an empty document next to a StatefulSet is fine
  assert.deepEqual(everything(`---\n${STS}---\n`).filter((d) => d.severity === 1), []);
});
