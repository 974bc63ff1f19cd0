// Cross-file resolution through the built language server over real stdio: the object in the same
// file wins over a same-named one elsewhere, the message names the other file when it is used, and
// a file outside the workspace folders counts only while it is open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';
import { edit, PDB, SERVICE, STS } from '../engine/helpers';
import { WorkspaceIndex } from '../../server/src/lsp/workspaceIndex';

let client: TestClient;
let ws: string;
let outside: string;
const NOT_HEADLESS = edit(SERVICE, '  clusterIP: None\n', '');
const prod = (t: string) => t.replace(/  name: (web|web-pdb)\n/g, '  name: $1\n  namespace: prod\n');
const uriOf = (p: string) => pathToFileURL(p).toString();
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0);
  }
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-resolve-ws-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-resolve-out-'));
  fs.mkdirSync(path.join(ws, 'app'));
  fs.mkdirSync(path.join(ws, 'app', 'base'));
  fs.writeFileSync(path.join(ws, 'app', 'base', 'service.yaml'), SERVICE); // headless, in another file of the same application
  fs.writeFileSync(path.join(outside, 'service.yaml'), edit(prod(SERVICE), 'name: web', 'name: db'));
  client = await startClient({ rootUri: uriOf(ws) });
});

after(async () => {
  await client?.stop();
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

test('the non-headless Service in the same file is the one checked, not a headless one elsewhere', async () => {
  const uri = uriOf(path.join(ws, 'app', 'web.yaml'));
  const text = `${STS}---\n${PDB}---\n${NOT_HEADLESS}`;
  fs.writeFileSync(path.join(ws, 'app', 'web.yaml'), text);
  const got = client.diagnostics(uri, (p) => codes(p).includes('service-not-headless'));
  client.open(uri, text);
  const p = await got;
  const d = p.diagnostics.find((x) => x.code === 'service-not-headless')!;
  assert.match(d.message, /^Service "web" is not headless/);
  // without a Service in the file, the headless one in app/base/ is used: nothing to say (once the
  // background scan of the workspace has read it)
  const fixed = client.diagnostics(uri, (q) => q.version === 2 && !codes(q).some((c) => c.startsWith('service-')));
  client.change(uri, 2, `${STS}---\n${PDB}`);
  await fixed;
});

test('a file outside the workspace folders counts while it is open, and no longer once closed', async () => {
  const stsUri = uriOf(path.join(ws, 'app', 'db.yaml'));
  const outUri = uriOf(path.join(outside, 'service.yaml'));
  const text = prod(`${STS}---\n${PDB}`).replace('serviceName: web', 'serviceName: db');
  const first = client.diagnostics(stsUri);
  client.open(stsUri, text);
  assert.ok(codes(await first).includes('service-not-found'), 'the outside file is not read from disk');
  const found = client.diagnostics(stsUri, (p) => !codes(p).includes('service-not-found'));
  client.open(outUri, fs.readFileSync(path.join(outside, 'service.yaml'), 'utf8'));
  await found;
  const lost = client.diagnostics(stsUri, (p) => codes(p).includes('service-not-found'));
  client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: outUri } });
  const p = await lost;
  assert.match(p.diagnostics.find((d) => d.code === 'service-not-found')!.message, /serviceName "db"/);
});

test('the index: outside files only while open; inside files go back to their disk version when closed', async () => {
  const index = new WorkspaceIndex();
  await index.scan([ws]);
  const outUri = uriOf(path.join(outside, 'service.yaml'));
  await index.readFile(outUri);
  assert.deepEqual(index.objects('Service').map((o) => o.uri.slice(uriOf(ws).length)).sort(), ['/app/base/service.yaml', '/app/web.yaml'], 'the workspace files');
  assert.ok(!index.objects('Service').some((o) => o.uri === outUri), 'not read while closed');
  index.opened(outUri);
  index.setText(outUri, fs.readFileSync(path.join(outside, 'service.yaml'), 'utf8'));
  assert.ok(index.objects('Service').some((o) => o.uri === outUri && o.name === 'db'));
  await index.closed(outUri);
  assert.ok(!index.objects('Service').some((o) => o.uri === outUri), 'gone once closed');
  const inUri = uriOf(path.join(ws, 'app', 'base', 'service.yaml'));
  index.opened(inUri);
  index.setText(inUri, NOT_HEADLESS.replace('name: web', 'name: edited'));
  assert.ok(index.objects('Service').some((o) => o.uri === inUri && o.name === 'edited'));
  await index.closed(inUri);
  assert.ok(index.objects('Service').some((o) => o.uri === inUri && o.name === 'web'), 'back to the disk version');
});
