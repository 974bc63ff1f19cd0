// A mis-indented key: the YAML syntax error points at the key that is out of line (the parser puts it at column 1,
// in the line's indentation), in the engine, over LSP and in statefulset-lint (issue 24).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/engine/analyzer';
import { outOfLine } from '../../server/src/engine/kubectlYaml';
import { STS } from './helpers';
import { ensureBuilt, linter } from '../cli/bin';
import { startClient, type TestClient } from '../lsp/lspClient';

const syntax = (text: string) => analyzeText(text).diagnostics.filter((d) => d.code === 'yaml-syntax');
/** STS with `  template:` written with `spaces` spaces in front. */
const shifted = (spaces: number) => STS.replace('\n  template:', `\n${' '.repeat(spaces)}template:`);
const TEMPLATE_LINE = STS.split('\n').findIndex((l) => l === '  template:');

test('a key indented one space too far: the error is on the key (line 11, column 4), not on column 1', () => {
  const [d, more] = syntax(shifted(3));
  assert.ok(d, 'no yaml-syntax finding');
  assert.equal(more, undefined, 'only the first syntax error');
  assert.deepEqual(d.range, { start: { line: TEMPLATE_LINE, character: 3 }, end: { line: TEMPLATE_LINE, character: 11 } });
  assert.match(d.message, /All mapping items must start at the same column/);
});

test('a key indented too little or too far (1, 5 spaces): the range covers the key where it stands', () => {
  for (const n of [1, 5]) {
    const [d] = syntax(shifted(n));
    assert.ok(d, `${n} spaces: no yaml-syntax finding`);
    assert.deepEqual(d.range.start, { line: TEMPLATE_LINE, character: n }, `${n} spaces`);
    assert.equal(d.range.end.character, n + 'template'.length, `${n} spaces`);
  }
});

test('a sequence item out of line: the error covers the key on the line the parser names, not its indentation', () => {
  const text = STS.replace('        image: nginx:1.27', '         image: nginx:1.27').replace('      - name: nginx', '       - name: nginx');
  for (const d of syntax(text)) {
    const line = text.split('\n')[d.range.start.line];
    assert.notEqual(line[d.range.start.character], ' ', `points into the indentation: ${JSON.stringify(line)} at ${d.range.start.character}`);
  }
});

test('outOfLine: only offsets inside a non-blank line\'s leading spaces move', () => {
  const text = 'a:\n   b: 1\n  "c d": 2\n    - e\n\n  \nf: [\n';
  assert.deepEqual(outOfLine(text, 3), { from: 6, to: 7 }); // `b` (the key, not `b: 1`)
  assert.deepEqual(outOfLine(text, 12), { from: 13, to: 18 }); // a quoted key
  assert.deepEqual(outOfLine(text, 23), { from: 26, to: 29 }); // `- e`: no key, the first token
  assert.equal(outOfLine(text, 6), undefined); // already on the key
  assert.equal(outOfLine(text, 0), undefined); // no indentation
  assert.equal(outOfLine(text, 30), undefined); // an empty line
  assert.equal(outOfLine(text, 31), undefined); // a blank line
});

let dir: string;
let client: TestClient | undefined;
before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-indent-'));
  fs.writeFileSync(path.join(dir, 'web.yaml'), shifted(3));
});
after(async () => {
  await client?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('statefulset-lint puts the indentation error on the misplaced key: web.yaml:11:4', () => {
  const r = linter(() => dir)('web.yaml');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, new RegExp(`^web\\.yaml:${TEMPLATE_LINE + 1}:4: error \\[yaml-syntax\\] YAML syntax error: All mapping items must start at the same column`, 'm'));
  assert.doesNotMatch(r.out, /:\d+:1: error \[yaml-syntax\]/);
});

test('over LSP the editor gets the same range on the key', async () => {
  client = await startClient();
  const uri = 'untitled:indent.yaml';
  const published = client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'yaml-syntax'));
  client.open(uri, shifted(3));
  const d = (await published).diagnostics.find((x) => x.code === 'yaml-syntax')!;
  assert.deepEqual(d.range, { start: { line: TEMPLATE_LINE, character: 3 }, end: { line: TEMPLATE_LINE, character: 11 } });
});
