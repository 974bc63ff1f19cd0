// The server's message encoder (server/src/lsp/messageEncoder.ts): what it writes is the JSON of the
// message, whatever the message; the bytes of a finding are made once and reused while it is the same
// object, and a changed finding (a new object) is encoded anew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from 'vscode-languageserver/node';
import { encodeMessage, sameJson } from '../../server/src/lsp/messageEncoder';
import { analyzeText, FileAnalyzer, fileDiagnostics } from '../../server/src/engine/analyzer';
import { runsOf } from '../../server/src/engine/diagnostic';
import { STS } from '../engine/helpers';

const publish = (params: Record<string, unknown>): Message => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params }) as Message;

test('a publish of real findings is the JSON of the message (with and without a version, empty, unicode)', () => {
  const { diagnostics } = analyzeText(STS.replace('replicas: 3', 'replicas: "3"').replace('name: web', 'name: wéb—✓'));
  assert.ok(diagnostics.length > 3);
  for (const params of [
    { uri: 'file:///a.yaml', version: 7, diagnostics },
    { uri: 'file:///a.yaml', diagnostics },
    { uri: 'file:///a.yaml', version: undefined, diagnostics },
    { uri: 'file:///ä.yaml', version: 1, diagnostics: [] },
    { diagnostics },
  ]) {
    const msg = publish(params);
    const bytes = encodeMessage(msg);
    assert.equal(bytes.toString('utf8'), JSON.stringify(msg), JSON.stringify(params).slice(0, 80));
  }
});

test('other messages are encoded as JSON.stringify does', () => {
  for (const msg of [
    { jsonrpc: '2.0', id: 1, result: { contents: { kind: 'markdown', value: 'ö ✓ "quoted"' } } },
    { jsonrpc: '2.0', id: 2, result: null },
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x' } },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'u', diagnostics: 'not an array' } },
  ]) assert.equal(encodeMessage(msg as Message).toString('utf8'), JSON.stringify(msg));
});

test('the bytes of an unchanged finding are reused; a new finding object is encoded anew', () => {
  const d = { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } }, message: 'first', severity: 1 };
  const a = encodeMessage(publish({ uri: 'u', diagnostics: [d] })).toString();
  const e = { ...d, message: 'second' };
  const b = encodeMessage(publish({ uri: 'u', diagnostics: [d, e] })).toString();
  assert.equal(b, JSON.stringify(publish({ uri: 'u', diagnostics: [d, e] })));
  assert.ok(a.includes('first') && b.includes('second'));
  assert.ok(sameJson(d, { ...d }), 'equal JSON');
  assert.ok(!sameJson(d, e));
  assert.ok(sameJson(d, d));
});

test("a file's findings are encoded per document: equal to JSON.stringify before and after edits, and a reordered list falls back to per finding", () => {
  const doc = (i: number, replicas: string) => STS.replace(/web/g, `web-${i}`).replace('replicas: 3', `replicas: ${replicas}`);
  const texts = Array.from({ length: 6 }, (_, i) => doc(i, i % 2 ? '"3"' : '3'));
  const analyzer = new FileAnalyzer();
  const env = { workspace: () => [], live: () => undefined, version: () => 1 };
  const settings = {}; // the server's: the same object while the settings stay (findings are then reused)
  const encode = (diagnostics: unknown[]) => encodeMessage(publish({ uri: 'file:///f.yaml', version: 1, diagnostics }));
  let before: unknown[] | undefined;
  for (const [k, replicas] of [[-1, ''], [1, '4'], [4, '"5"'], [0, 'x: [']] as const) {
    if (k >= 0) texts[k] = doc(k, replicas);
    const list = fileDiagnostics(analyzer.analyze(texts.join('---\n')), { uri: 'file:///f.yaml', env, settings });
    const runs = runsOf(list);
    assert.ok(runs && runs.length === texts.length, 'assembled per document');
    if (before) assert.ok(runs.some((r) => (before as unknown[]).includes(r[0])), 'unchanged documents keep their findings');
    assert.equal(encode(list).toString('utf8'), JSON.stringify(publish({ uri: 'file:///f.yaml', version: 1, diagnostics: list })), `after editing document ${k}`);
    before = list;
    // the same findings in another order, or one more: not the runs any longer
    const reordered = [...list].reverse();
    assert.equal(runsOf(reordered), undefined);
    list.reverse();
    assert.equal(runsOf(list), undefined);
    assert.equal(encode(list).toString('utf8'), JSON.stringify(publish({ uri: 'file:///f.yaml', version: 1, diagnostics: list })));
    list.reverse();
    list.push(list[0]);
    assert.equal(runsOf(list), undefined);
    list.pop();
  }
});

test('a big file edited document by document, two files interleaved: each publish is the JSON of its message, also after its list was changed by hand', () => {
  const doc = (i: number, replicas: string) => STS.replace(/web/g, `web-${i}`).replace('replicas: 3', `replicas: ${replicas}`);
  const files = ['file:///a.yaml', 'file:///b.yaml'].map((uri, f) => ({ uri, texts: Array.from({ length: 40 }, (_, i) => doc(i, (i + f) % 3 ? '3' : '"3"')), analyzer: new FileAnalyzer() }));
  const env = { workspace: () => [], live: () => undefined, version: () => 1 };
  const settings = {};
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  // value edits (findings kept or changed), a document more or less, a broken one, a line more (every later finding moves)
  const edits = [(i: number) => doc(i, String(rnd(9))), (i: number) => doc(i, '"4"'), (i: number) => doc(i, 'x: ['), (i: number) => doc(i, '3\n  minReadySeconds: 5'), () => ''];
  let bodyBytes = 0;
  for (let step = 0; step < 60; step++) {
    const f = files[rnd(2)];
    const k = rnd(f.texts.length);
    const kind = rnd(edits.length);
    if (kind === 4 && f.texts.length > 30) f.texts.splice(k, 1);
    else if (kind === 4) f.texts.splice(k, 0, doc(100 + step, '2'));
    else f.texts[k] = edits[kind](k);
    const list = fileDiagnostics(f.analyzer.analyze(f.texts.filter(Boolean).join('---\n')), { uri: f.uri, env, settings });
    const msg = publish({ uri: f.uri, version: step, diagnostics: list });
    const bytes = encodeMessage(msg);
    assert.equal(bytes.toString('utf8'), JSON.stringify(msg), `step ${step}: document ${k} of ${f.uri}, edit ${kind}`);
    bodyBytes = Math.max(bodyBytes, bytes.length);
    if (step % 10 === 9) {
      // the caller changed the list after it was made: the encoder must not trust what it was made of
      list.splice(rnd(list.length), 1);
      const changed = publish({ uri: f.uri, version: step, diagnostics: list });
      assert.equal(encodeMessage(changed).toString('utf8'), JSON.stringify(changed), `step ${step}: a finding taken out by hand`);
      list.reverse();
      assert.equal(encodeMessage(changed).toString('utf8'), JSON.stringify(changed), `step ${step}: reversed by hand`);
    }
  }
  assert.ok(bodyBytes > 30_000, `big enough to matter (${bodyBytes} bytes)`);
});
