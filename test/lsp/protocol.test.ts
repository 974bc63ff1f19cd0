// The built language server over real stdio: didOpen → publishDiagnostics, completion, hover,
// quick fixes, incremental edits, settings, live objects, and the workspace index.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { CodeAction, CompletionList, CompletionItem, Hover } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';
import { STS } from '../engine/helpers';

let client: TestClient;
let ws: string;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0);
  }
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-ws-'));
  fs.writeFileSync(path.join(ws, 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: indexed\nspec:\n  clusterIP: None\n  selector:\n    app: web\n');
  client = await startClient({ rootUri: pathToFileURL(ws).toString() });
});

after(async () => {
  await client?.stop();
  if (ws) fs.rmSync(ws, { recursive: true, force: true });
});

test('didOpen → publishDiagnostics with LSP diagnostics at the right place', async () => {
  const uri = 'file:///tmp/protocol-a.yaml';
  const got = client.diagnostics(uri);
  client.open(uri, STS.replace('replicas: 3', 'replicas: "3"'));
  const p = await got;
  const d = p.diagnostics.find((x) => x.code === 'invalid-type')!;
  assert.equal(d.source, 'statefulset-studio');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 15 } });
  assert.equal(p.version, 1);
});

test('an edit re-publishes: fixing the value clears the error', async () => {
  const uri = 'file:///tmp/protocol-a.yaml';
  const got = client.diagnostics(uri, (p) => p.version === 2);
  client.change(uri, 2, STS);
  const p = await got;
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 1), []);
});

test('completion at spec: offers podManagementPolicy and volumeClaimTemplates; values offer OrderedReady/Parallel', async () => {
  const uri = 'untitled:Untitled-1';
  const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\nspec:\n  \n  podManagementPolicy: \n';
  client.open(uri, text);
  const keys = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 2 } })) as CompletionItem[] | CompletionList;
  const labels = (Array.isArray(keys) ? keys : keys.items).map((i) => i.label);
  assert.ok(labels.includes('podManagementPolicy') === false, 'already present below');
  assert.ok(labels.includes('volumeClaimTemplates') && labels.includes('serviceName'));
  const values = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 23 } })) as CompletionItem[];
  assert.deepEqual(values.map((i) => i.label), ['OrderedReady', 'Parallel']);
});

test('hover returns the official description as markdown', async () => {
  const uri = 'file:///tmp/protocol-a.yaml';
  const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } })) as Hover;
  const value = (h.contents as { kind: string; value: string }).value;
  assert.equal((h.contents as { kind: string }).kind, 'markdown');
  assert.match(value, /serviceName is the name of the service that governs this StatefulSet/);
});

test('quick fix: did-you-mean rename comes back as a workspace edit', async () => {
  const uri = 'file:///tmp/protocol-b.yaml';
  const got = client.diagnostics(uri);
  client.open(uri, STS.replace('replicas: 3', 'replcas: 3'));
  const d = (await got).diagnostics.find((x) => x.code === 'unknown-field')!;
  const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const fix = actions.find((a) => a.title === 'Rename to "replicas"')!;
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.deepEqual(fix.edit!.changes![uri], [{ range: d.range, newText: 'replicas' }]);
});

test('settings from the client change severities', async () => {
  const uri = 'file:///tmp/protocol-c.yaml';
  let got = client.diagnostics(uri);
  client.open(uri, STS.replace('replicas: 3', 'replicas: "3"'));
  assert.equal((await got).diagnostics.find((d) => d.code === 'invalid-type')?.severity, 1);
  got = client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'invalid-type' && d.severity === 2));
  client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: { rules: { 'invalid-type': 'warning' } } } });
  await got;
  got = client.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'invalid-type'));
  client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: { rules: { 'invalid-type': 'off' } } } });
  await got;
  client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: {} } });
});

test('other YAML files get an empty diagnostics list', async () => {
  const uri = 'file:///tmp/protocol-d.yaml';
  const got = client.diagnostics(uri);
  client.open(uri, 'name: CI\non: [push\n');
  assert.deepEqual((await got).diagnostics, []);
});

test('a broken file never takes the server down', async () => {
  const uri = 'file:///tmp/protocol-e.yaml';
  const got = client.diagnostics(uri);
  client.open(uri, `apiVersion: apps/v1\nkind: StatefulSet\nspec: ${'['.repeat(5000)}\n\t- ::: &a *b\n${'\u0000\u0001'.repeat(100)}`);
  const p = await got;
  assert.ok(p.diagnostics.length > 0);
  // hover still answers from indentation alone
  const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 1 } })) as Hover;
  assert.match((h.contents as { value: string }).value, /^\*\*spec\*\* · `StatefulSetSpec`/);
  assert.equal(client.proc.exitCode, null, 'still running');
});

test('quick fix over LSP: make the template labels agree with the selector, and the error clears', async () => {
  const uri = 'file:///tmp/protocol-f.yaml';
  const text = STS.replace('      labels:\n        app: web', '      labels:\n        app: webserver');
  let got = client.diagnostics(uri);
  client.open(uri, text);
  const d = (await got).diagnostics.find((x) => x.code === 'selector-template-mismatch')!;
  assert.ok(d, 'mismatch flagged');
  const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  assert.ok(actions.length >= 2, JSON.stringify(actions.map((a) => a.title)));
  const fix = actions.find((a) => a.isPreferred) ?? actions[0];
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), fix.edit!.changes![uri]);
  got = client.diagnostics(uri, (p) => p.version === 2);
  client.change(uri, 2, fixed);
  assert.equal((await got).diagnostics.find((x) => x.code === 'selector-template-mismatch'), undefined);
});
