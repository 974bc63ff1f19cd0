// Incremental text sync over real LSP stdio: a sequence of incremental changes (several per notification,
// marker lines made and broken, multi-line deletes, CRLF, reversed ranges) ends with the same published
// findings as opening the final text fresh. The server keeps open documents as their YAML documents
// (server/src/lsp/documentStore.ts): this is the end-to-end check that what it holds is the client's text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';
import { statefulSetFile } from '../../bench/generate';
import { SERVICE, STS } from '../engine/helpers';

let client: TestClient;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  client = await startClient();
});

after(async () => {
  await client?.stop();
});

/** mulberry32: a fixed-seed stream of numbers in [0, n). */
function random(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/**
 * The last findings published for a document once all of it is read: a file just opened may first get
 * its first documents' own findings (a cold analysis in slices); the outline waits for the whole file.
 */
async function settled(uri: string, act: () => void, version: number): Promise<PublishDiagnosticsParams> {
  const seen: PublishDiagnosticsParams[] = [];
  void client.diagnostics(uri, (p) => (seen.push(p), false));
  act();
  await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  // (publishes are written before the answer to a request that waited for them)
  const last = seen.filter((p) => p.version === version).pop();
  assert.ok(last, `findings published for version ${version}`);
  return last;
}

const PIECES = ['---\n', '---', '\n---\n', '\n', '\r\n', 'x', ' ', ': ', '"', '  replicas: "3"\n', 'kind: Service\n', `---\n${SERVICE}`, `---\n${STS.replace(/web/g, 'extra')}`, '...\n', '-'];

for (const [name, start] of [
  ['LF', statefulSetFile(12)],
  ['CRLF', statefulSetFile(6).replace(/\n/g, '\r\n')],
] as const) {
  test(`incremental changes end with the findings of the final text opened fresh (${name})`, async () => {
    const rnd = random(name === 'LF' ? 2026120701 : 2026120702);
    const uri = `untitled:sync-${name}.yaml`;
    let ref = TextDocument.create(uri, 'yaml', 1, start);
    const opened = client.diagnostics(uri, (p) => p.version === 1 && p.diagnostics.length > 0);
    client.open(uri, start);
    await opened;
    let version = 1;
    for (let i = 0; i < 80; i++) {
      const changes: TextDocumentContentChangeEvent[] = [];
      for (let c = rnd(4) === 0 ? 2 + rnd(2) : 1; c > 0; c--) {
        const text = ref.getText();
        const from = rnd(5) === 0 ? Math.max(0, text.length - rnd(8)) : rnd(text.length + 1);
        const to = Math.min(text.length, from + (rnd(3) === 0 ? rnd(rnd(6) === 0 ? 3000 : 20) : 0));
        const piece = rnd(5) === 0 ? '' : PIECES[rnd(PIECES.length)];
        const [a, b] = [ref.positionAt(from), ref.positionAt(to)];
        const change = { range: rnd(6) === 0 ? { start: b, end: a } : { start: a, end: b }, text: piece };
        changes.push(change);
        ref = TextDocument.create(uri, 'yaml', version + 1, TextDocument.update(ref, [change], version + 1).getText());
      }
      version++;
      client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    }
    const last = await settled(uri, () => {}, version);
    // the same text opened fresh in another (untitled: not in the workspace index) document
    const fresh = `untitled:fresh-${name}.yaml`;
    const expected = await settled(fresh, () => client.open(fresh, ref.getText()), 1);
    assert.ok(expected.diagnostics.length > 0, 'the final text has findings');
    assert.deepEqual(last.diagnostics, expected.diagnostics);
    assert.notEqual(ref.getText(), start);
  });
}
