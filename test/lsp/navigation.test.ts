// The navigation features of the built language server over real stdio, on the fixture workspace
// test/fixtures/navigation (indexed by the server from disk): outline, folding and selection ranges,
// go to definition and references across files, label rename as one workspace edit (refused for a
// StatefulSet that is live in the cluster), and the rule documentation links of findings and hovers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { DocumentSymbol, FoldingRange, Hover, Location, SelectionRange, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';

const DIR = path.join(ROOT, 'test', 'fixtures', 'navigation');
const uriOf = (rel: string) => pathToFileURL(path.join(DIR, rel)).toString();
const APP = uriOf('app.yaml');
const SVC = uriOf('net/services.yaml');
const CFG = uriOf('config.yaml');
const text = (rel: string) => fs.readFileSync(path.join(DIR, rel), 'utf8');
let client: TestClient;

function at(rel: string, needle: string, n = 0, delta = 0): { line: number; character: number } {
  const t = text(rel);
  let i = -1;
  for (let k = 0; k <= n; k++) i = t.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  const lines = t.slice(0, i + delta).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
const where = (locs: Location[] | null) => (locs ?? []).map((l) => `${path.relative(DIR, new URL(l.uri).pathname)}:${l.range.start.line + 1}:${l.range.start.character}`);
const request = <T>(method: string, params: unknown) => client.connection.sendRequest(method, params) as Promise<T>;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  client = await startClient({ rootUri: pathToFileURL(DIR).toString() });
  const published = client.diagnostics(APP);
  client.open(APP, text('app.yaml'));
  await published;
  // the workspace index reads the folder in the background: wait until the Service in net/ is known
  for (let i = 0; i < 100; i++) {
    const d = await request<Location[]>('textDocument/definition', { textDocument: { uri: APP }, position: at('app.yaml', 'db-headless', 0, 1) });
    if (d?.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  await client?.stop();
});

test('documentSymbol: Kind name (namespace) per object, with containers, volumes and claim templates', async () => {
  const syms = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: APP } });
  assert.deepEqual(syms.map((s) => `${s.name} (${s.detail})`), ['StatefulSet db (data)', 'PodDisruptionBudget db-pdb (data)']);
  assert.deepEqual(syms[0].children!.map((c) => c.name), ['container postgres', 'volume config', 'volume backup', 'claim template data']);
  assert.deepEqual(syms[0].selectionRange.start, at('app.yaml', 'db', 0));
});

test('foldingRange and selectionRange follow the YAML structure', async () => {
  const folds = await request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: APP } });
  const lines = text('app.yaml').split('\n');
  const fold = (needle: string) => folds.find((f) => lines[f.startLine].includes(needle));
  // the containers: entry folds down to its last mount; the second document folds on its own
  assert.equal(fold('containers:')!.endLine, lines.findIndex((l) => l.includes('mountPath: /backup')));
  assert.equal(fold('volumeClaimTemplates:')!.endLine, lines.findIndex((l) => l.includes('storage: 10Gi')));
  assert.ok(folds.some((f) => lines[f.startLine] === '---' && f.endLine === lines.length - 2));
  const [sel] = await request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri: APP }, positions: [at('app.yaml', 'postgres:17', 0, 2)] });
  const img = at('app.yaml', 'postgres:17');
  assert.deepEqual(sel.range, { start: img, end: { line: img.line, character: img.character + 11 } });
  assert.deepEqual(sel.parent!.range.start, { line: img.line, character: img.character - 7 });
});

test('definition: serviceName → the Service in net/ (read from disk), claimName → the PVC, mount → claim template', async () => {
  const def = (rel: string, needle: string, n: number, delta: number) => request<Location[]>('textDocument/definition', { textDocument: { uri: APP }, position: at(rel, needle, n, delta) });
  assert.deepEqual(where(await def('app.yaml', 'db-headless', 0, 3)), ['net/services.yaml:4:8']);
  assert.deepEqual(where(await def('app.yaml', 'claimName: db-backup', 0, 13)), ['config.yaml:20:8']);
  assert.deepEqual(where(await def('app.yaml', 'name: db-secret', 0, 8)), ['config.yaml:12:8']);
  assert.deepEqual(where(await def('app.yaml', '- name: data', 0, 9)), ['app.yaml:65:12']);
  assert.deepEqual(where(await def('app.yaml', 'tier: storage', 0, 8)), ['app.yaml:18:14']);
});

test('references: from a Service (open) → the StatefulSet that names it; from a ConfigMap → both uses', async () => {
  client.open(SVC, text('net/services.yaml'));
  client.open(CFG, text('config.yaml'));
  const refs = (uri: string, rel: string, needle: string, n = 0) => request<Location[]>('textDocument/references', { textDocument: { uri }, position: at(rel, needle, n, 1), context: { includeDeclaration: false } });
  assert.deepEqual(where(await refs(SVC, 'net/services.yaml', 'db-headless')), ['app.yaml:8:15']);
  assert.deepEqual(where(await refs(SVC, 'net/services.yaml', 'db-read')), ['app.yaml:5:8']);
  assert.deepEqual(where(await refs(CFG, 'config.yaml', 'db-config')), ['app.yaml:42:18', 'app.yaml:59:16']);
});

test('rename: one WorkspaceEdit over the StatefulSet, its anti-affinity, the Services and the PDB', async () => {
  const pos = at('app.yaml', 'app: db', 1, 6); // in the template labels
  const prep = await request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: APP }, position: pos });
  assert.equal(prep.placeholder, 'db');
  const edit = await request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: APP }, position: pos, newName: 'pg' });
  const lines = Object.entries(edit.changes!).flatMap(([u, es]) => es.map((e) => `${path.relative(DIR, new URL(u).pathname)}:${e.range.start.line + 1}→${e.newText}`));
  assert.deepEqual(lines.sort(), ['app.yaml:12→pg', 'app.yaml:17→pg', 'app.yaml:27→pg', 'app.yaml:36→pg', 'app.yaml:81→pg', 'net/services.yaml:21→pg', 'net/services.yaml:9→pg'].sort());
  // nothing on a line that is not a label
  assert.equal(await request('textDocument/prepareRename', { textDocument: { uri: APP }, position: at('app.yaml', 'image: postgres', 0, 9) }), null);
});

test('every finding links to its rule section; a hover over a finding links too', async () => {
  const uri = 'file:///tmp/nav-findings.yaml';
  const got = client.diagnostics(uri);
  client.open(uri, text('app.yaml').replace('replicas: 3', 'replicas: "3"'));
  const diags = (await got).diagnostics;
  assert.ok(diags.length > 0);
  for (const d of diags) assert.equal(d.codeDescription?.href, `https://github.com/statefulset-studio/statefulset-studio/blob/main/docs/rules.md#${d.code}`);
  const bad = diags.find((d) => d.code === 'invalid-type')!;
  const h = await request<Hover>('textDocument/hover', { textDocument: { uri }, position: bad.range.start });
  const value = (h.contents as { value: string }).value;
  assert.match(value, /Replicas is the desired number/i); // the field's own documentation stays first
  assert.ok(value.includes(`[\`invalid-type\`](https://github.com/statefulset-studio/statefulset-studio/blob/main/docs/rules.md#invalid-type)`), value);
});

test('a StatefulSet live in the connected cluster: prepareRename refuses, its selector is immutable', async () => {
  client.connection.sendNotification('statefulsetStudio/liveObjects', { objects: [{ kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' }, spec: {} }] });
  const pos = at('app.yaml', 'app: db', 0, 6);
  let message = '';
  for (let i = 0; i < 50 && !message; i++) {
    try {
      await request('textDocument/prepareRename', { textDocument: { uri: APP }, position: pos });
      await new Promise((r) => setTimeout(r, 20));
    } catch (e) {
      message = (e as Error).message;
    }
  }
  assert.match(message, /StatefulSet data\/db exists in the connected cluster and its spec\.selector is immutable/);
  // the server is still alive and answers
  assert.ok((await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: APP } })).length === 2);
});
