// kube-score and kube-linter parity: test/fixtures/parity/ holds our own StatefulSet manifests modelled
// on their test cases (each names the case it follows). The header says which of our rules must flag
// it (`# expect:`) and which must not (`# expect-not:`); where we deliberately differ, the header says why.
// No file gets an error unless the error is expected (the API server would refuse it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/engine/analyzer';
import { allCheckIds } from '../../server/src/rules';

const dir = path.join(__dirname, '..', 'fixtures', 'parity');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const ids = (text: string, key: string) =>
  (new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1] ?? '').split(/\s+/).filter((x) => x && x !== '-');

test('the parity corpus covers kube-score and kube-linter cases, each naming the case it is modelled on', () => {
  assert.ok(files.filter((f) => f.startsWith('ks-')).length >= 30, 'kube-score cases');
  assert.ok(files.filter((f) => f.startsWith('kl-')).length >= 15, 'kube-linter cases');
  for (const f of files) assert.match(fs.readFileSync(path.join(dir, f), 'utf8'), /^# Modelled on: \S/m, f);
});

for (const f of files) {
  test(`parity ${f}`, () => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const expect = ids(text, 'expect');
    const expectNot = ids(text, 'expect-not');
    assert.ok(expect.length + expectNot.length > 0, 'the header says what to expect');
    for (const id of [...expect, ...expectNot]) assert.ok(allCheckIds().includes(id), `${id} is a rule id`);
    const diagnostics = analyzeText(text, { uri: path.join(dir, f) }).diagnostics;
    const found = new Set(diagnostics.map((d) => String(d.code)));
    for (const id of expect) assert.ok(found.has(id), `${id} flags it (found: ${[...found].join(', ')})`);
    for (const id of expectNot) {
      const d = diagnostics.find((x) => x.code === id);
      assert.equal(d, undefined, `${id} must not flag it: ${d?.message}`);
    }
    const errors = diagnostics.filter((d) => d.severity === 1 && !expect.includes(String(d.code)));
    assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`), [], 'no unexpected error');
  });
}
