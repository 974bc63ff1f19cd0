// The server's message encoder (server/src/lsp/messageEncoder.ts): what it writes is the JSON of the
// message, whatever the message; the bytes of a finding are made once and reused while it is the same
// object, and a changed finding (a new object) is encoded anew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from 'vscode-languageserver/node';
import { encodeMessage, sameJson } from '../../server/src/lsp/messageEncoder';
import { analyzeText } from '../../server/src/engine/analyzer';
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
