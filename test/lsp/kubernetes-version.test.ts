// The target Kubernetes version over real LSP stdio: the setting (initializationOptions and
// didChangeConfiguration), the connected cluster's version notification, and what they change in
// diagnostics, completion and hover.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CompletionItem, CompletionList, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';
import { edit, STS } from '../engine/helpers';

let client: TestClient;
const TEXT = edit(STS, '  replicas: 3\n', '  replicas: 3\n  ordinals:\n    start: 1\n');
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  client = await startClient({ initializationOptions: { kubernetesVersion: '1.25' } });
});

after(async () => {
  await client?.stop();
});

function configure(kubernetesVersion: string | undefined): void {
  client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: kubernetesVersion === undefined ? {} : { kubernetesVersion } } });
}

test('initializationOptions.kubernetesVersion 1.25: ordinals is an error', async () => {
  const uri = 'untitled:k8sver-1';
  const got = client.diagnostics(uri);
  client.open(uri, TEXT);
  const p = await got;
  const d = p.diagnostics.find((x) => x.code === 'field-not-in-version');
  assert.ok(d, codes(p).join(','));
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range.start, { line: 7, character: 2 });
});

test('the setting changes over didChangeConfiguration: 1.26 warns that the gate is off, empty means the newest', async () => {
  const uri = 'untitled:k8sver-1';
  let got = client.diagnostics(uri, (p) => !codes(p).includes('field-not-in-version'));
  configure('1.26');
  let p = await got;
  assert.match(p.diagnostics.find((d) => d.code === 'feature-gate-off')?.message ?? '', /StatefulSetStartOrdinal, which is alpha and off by default in Kubernetes 1\.26/);
  got = client.diagnostics(uri, (x) => !codes(x).includes('feature-gate-off'));
  configure('');
  p = await got;
  assert.ok(!codes(p).includes('field-not-in-version'));
});

test('with no setting, the cluster version the client sends is the target; the setting wins over it', async () => {
  const uri = 'untitled:k8sver-1';
  let got = client.diagnostics(uri, (p) => codes(p).includes('field-not-in-version'));
  client.connection.sendNotification('statefulsetStudio/clusterVersion', { gitVersion: 'v1.25.16' });
  await got;
  got = client.diagnostics(uri, (p) => !codes(p).includes('field-not-in-version'));
  configure('1.30');
  await got;
  // no setting: the cluster's version again (a refresh that finds what was published last publishes nothing,
  // so each step waits for its own change)
  got = client.diagnostics(uri, (p) => codes(p).includes('field-not-in-version'));
  configure(undefined);
  await got;
  // disconnected (no version) and no setting: back to the newest bundled
  got = client.diagnostics(uri, (p) => !codes(p).includes('field-not-in-version'));
  client.connection.sendNotification('statefulsetStudio/clusterVersion', { gitVersion: null });
  await got;
});

test('completion and hover follow the target version', async () => {
  const uri = 'untitled:k8sver-2';
  const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\nspec:\n  \n  ordinals:\n    start: 1\n';
  const opened = client.diagnostics(uri);
  client.open(uri, text);
  await opened;
  const labels = async () => {
    const r = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 2 } })) as CompletionItem[] | CompletionList;
    return (Array.isArray(r) ? r : r.items).map((i) => i.label);
  };
  const hoverText = async () => ((await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 4 } })) as Hover).contents as { value: string };
  assert.ok((await labels()).includes('minReadySeconds'));
  assert.match((await hoverText()).value, /Since Kubernetes 1\.26\./);
  const got = client.diagnostics(uri, (p) => codes(p).includes('field-not-in-version'));
  configure('1.25');
  await got;
  assert.match((await hoverText()).value, /Not in Kubernetes 1\.25/);
  const after125 = await labels();
  assert.ok(after125.includes('minReadySeconds') && !after125.includes('ordinals'));
  configure(undefined);
});

test('a malformed setting is ignored: the server keeps running on the default', async () => {
  const uri = 'untitled:k8sver-1';
  const got = client.diagnostics(uri, (p) => !codes(p).includes('field-not-in-version'));
  configure('latest');
  await got;
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(!client.proc.killed && client.proc.exitCode === null, 'the server keeps running');
});
