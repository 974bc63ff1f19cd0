// The cluster layer bundled by esbuild loads and works in plain Node (no vscode); the extension
// bundle keeps vscode external; kubeconfig loading (KUBECONFIG merged, ~/.kube/config, the path
// setting); Status messages and redaction.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { errorFromResponse, redact, registerSecret } from '../../client/src/cluster/errors';
import { kubeconfigFiles, loadKubeConfig, NoKubeconfigError } from '../../client/src/cluster/kubeconfig';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { startApiServer, type ApiServer } from '../../simulator/index';

const root = new URL('../..', import.meta.url).pathname;

describe('bundling', () => {
  let api: ApiServer;
  let dir: string;
  before(async () => {
    api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5 });
    dir = mkdtempSync(join(tmpdir(), 'sts-explorer-bundle-'));
  });
  after(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the cluster layer (with @kubernetes/client-node) bundles to CJS and runs in plain Node without vscode', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { ClusterConnection, renderTree, Logger } from ${JSON.stringify(join(root, 'client/src/cluster/index.ts'))};
const conn = new ClusterConnection({ source: { path: process.argv[2] }, namespace: '*', logger: new Logger() }).start();
const off = conn.model.onDidChange(() => {
  if (conn.model.connection().phase !== 'connected') return;
  off(); console.log(renderTree(conn.context, conn.server, conn.model)); conn.stop();
});
setTimeout(() => { console.error('timeout'); process.exit(2); }, 15000).unref();
`,
    );
    const out = join(dir, 'cluster.cjs');
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'silent', external: ['vscode'] });
    assert.doesNotMatch(readFileSync(out, 'utf8'), /require\("vscode"\)/);
    // async spawn: the simulator runs in this process and must keep serving
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [out, api.kubeconfigPath], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^    web — 3\/3 ready · OrderedReady$/m);
    assert.match(r.stdout, /data-queue-4 — 5Gi · Bound · retained after scale-down/);
  });

  test('the extension bundle keeps vscode external and contains the explorer', () => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const js = readFileSync(join(root, 'dist/client.js'), 'utf8');
    assert.match(js, /require\("vscode"\)/);
    assert.match(js, /statefulsetStudio\/liveObjects/);
    assert.match(js, /statefulsetStudio\.scale/);
  });
});

describe('kubeconfig', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sts-explorer-kc-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cfg = (ctx: string, current?: string, token = 'tok-' + ctx) =>
    `apiVersion: v1\nkind: Config\n${current ? `current-context: ${current}\n` : ''}clusters:\n- name: c-${ctx}\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: ${ctx}\n  context:\n    cluster: c-${ctx}\n    user: u-${ctx}\n    namespace: ns-${ctx}\nusers:\n- name: u-${ctx}\n  user:\n    token: ${token}\n`;

  test('KUBECONFIG with several files is merged; the first file sets the current context', () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, cfg('alpha', 'alpha'));
    writeFileSync(b, cfg('beta', 'beta'));
    const { kc, files } = loadKubeConfig({ env: { KUBECONFIG: [a, join(dir, 'missing'), b].join(delimiter) } });
    assert.deepEqual(files, [a, b]);
    assert.deepEqual(kc.getContexts().map((c) => c.name), ['alpha', 'beta']);
    assert.equal(kc.getCurrentContext(), 'alpha');
    const conn = new ClusterConnection({ kubeConfig: kc, context: 'beta' });
    assert.equal(conn.context, 'beta');
    assert.equal(conn.namespace, 'ns-beta', "the context's namespace by default");
    assert.deepEqual(conn.contexts, ['alpha', 'beta']);
  });

  test('the path setting overrides KUBECONFIG; default is ~/.kube/config; none → NoKubeconfigError', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), cfg('homectx', 'homectx'));
    assert.deepEqual(kubeconfigFiles({ env: {}, home }), [join(home, '.kube', 'config')]);
    assert.equal(loadKubeConfig({ env: { HOME: home }, home }).kc.getCurrentContext(), 'homectx');
    writeFileSync(join(dir, 's'), cfg('setting', 'setting'));
    assert.equal(loadKubeConfig({ path: join(dir, 's'), env: { KUBECONFIG: join(home, '.kube', 'config') } }).kc.getCurrentContext(), 'setting');
    assert.throws(() => loadKubeConfig({ env: {}, home: join(dir, 'nobody') }), NoKubeconfigError);
  });

  test('creating a connection makes no request (the explorer creates none at all when untrusted)', async () => {
    const api = await startApiServer({});
    try {
      const n = api.requests.length;
      const conn = new ClusterConnection({ source: { path: api.kubeconfigPath } });
      assert.equal(conn.context, 'simulator');
      assert.equal(api.requests.length, n);
    } finally {
      await api.stop();
    }
  });
});

describe('errors and redaction', () => {
  test('the message shown is the Status message', () => {
    const e = errorFromResponse(422, JSON.stringify({ kind: 'Status', code: 422, reason: 'Invalid', message: 'StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ... are forbidden' }), 'fallback');
    assert.equal(e.message, 'StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ... are forbidden');
    assert.equal(e.kind, 'invalid');
    assert.equal(errorFromResponse(502, '<html>bad gateway</html>', 'GET /x: HTTP 502').message, 'GET /x: HTTP 502');
  });

  test('redact removes registered secrets, bearer tokens and JWTs', () => {
    registerSecret('s3cr3t-value');
    assert.equal(redact('token s3cr3t-value here'), 'token *** here');
    assert.equal(redact('Authorization: Bearer abc.def'), 'Authorization: Bearer ***');
    assert.doesNotMatch(redact('id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'), /eyJ/);
    assert.equal(redact('"token":"xyz"'), '"token":"***"');
  });
});
