// Kustomize overlays in the editor, through the built language server over real stdio and the real
// kubectl: off until the client enables it (VS Code: a trusted workspace); then a file an overlay uses
// gets the overlay's rendered findings; a base used by two overlays gets each overlay's, each naming its
// overlay; an unsaved edit of kustomization.yaml re-renders after the typing pause and updates the other
// open files; a kubectl that cannot be found is one information on kustomization.yaml.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';
import { HAS_KUBECTL, KUBECTL, NO_KUBECTL } from '../simulator/testkit';

const skip = HAS_KUBECTL ? false : NO_KUBECTL;
let ws: string;
const clients: TestClient[] = [];
const uriOf = (p: string) => pathToFileURL(p).toString();
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

const BASE_STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  serviceName: cache
  replicas: 1
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
      - name: redis
        image: redis:7.2.5
`;

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-overlay-ws-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  write('base/kustomization.yaml', 'resources:\n- statefulset.yaml\n');
  write('base/statefulset.yaml', BASE_STS);
  write('overlays/a/kustomization.yaml', 'resources:\n- ../../base\nreplicas:\n- name: cache\n  count: 3\n');
  write('overlays/b/kustomization.yaml', 'resources:\n- ../../base\nnamePrefix: b-\nreplicas:\n- name: cache\n  count: 4\n');
});

after(async () => {
  for (const c of clients) await c.stop();
  fs.rmSync(ws, { recursive: true, force: true });
});

async function client(initializationOptions?: unknown): Promise<TestClient> {
  const c = await startClient({ rootUri: uriOf(ws), initializationOptions });
  clients.push(c);
  return c;
}

test('off until the client enables it; then kustomization.yaml shows the findings its replicas entry causes', { skip }, async () => {
  const c = await client();
  const uri = uriOf(path.join(ws, 'overlays/a/kustomization.yaml'));
  const first = c.diagnostics(uri);
  c.open(uri, fs.readFileSync(path.join(ws, 'overlays/a/kustomization.yaml'), 'utf8'));
  assert.deepEqual((await first).diagnostics, [], 'nothing rendered before the client enables overlays');
  const rendered = c.diagnostics(uri, (p) => codes(p).includes('missing-pod-disruption-budget'));
  c.connection.sendNotification('statefulsetStudio/kustomize', { enabled: true, path: KUBECTL });
  const d = (await rendered).diagnostics.find((x) => x.code === 'missing-pod-disruption-budget')!;
  assert.equal(d.range.start.line, 4, 'on `count: 3`');
  assert.match(d.message, /\[kustomize overlay overlays\/a: StatefulSet cache, set by replicas\]/);
});

test('a base used by two overlays gets each overlay\'s findings, each naming its overlay; an unsaved kustomization edit updates it', { skip }, async () => {
  const c = await client({ kustomize: { enabled: true, path: KUBECTL } });
  const baseUri = uriOf(path.join(ws, 'base/statefulset.yaml'));
  const both = c.diagnostics(baseUri, (p) => p.diagnostics.filter((d) => d.code === 'missing-pod-anti-affinity').length === 2);
  c.open(baseUri, BASE_STS);
  const anti = (await both).diagnostics.filter((d) => d.code === 'missing-pod-anti-affinity');
  assert.deepEqual(anti.map((d) => /overlay (overlays\/[ab])/.exec(d.message)?.[1]).sort(), ['overlays/a', 'overlays/b']);
  // the base alone (1 replica) has no such finding: these come from the overlays' replicas
  assert.ok(anti.every((d) => d.range.start.line === anti[0].range.start.line));
  // overlay a back to 1 replica, in the editor only (not saved): after the typing pause a's finding goes
  const kUri = uriOf(path.join(ws, 'overlays/a/kustomization.yaml'));
  const kText = fs.readFileSync(path.join(ws, 'overlays/a/kustomization.yaml'), 'utf8');
  c.open(kUri, kText);
  const onlyB = c.diagnostics(baseUri, (p) => {
    const a = p.diagnostics.filter((d) => d.code === 'missing-pod-anti-affinity');
    return a.length === 1 && /overlays\/b/.test(a[0].message);
  });
  c.change(kUri, 2, kText.replace('count: 3', 'count: 1'));
  await onlyB;
  assert.equal(fs.readFileSync(path.join(ws, 'overlays/a/kustomization.yaml'), 'utf8'), kText, 'the file on disk is untouched');
});

test('kubectl not found: one information on kustomization.yaml saying how to get it, and the server keeps working', async () => {
  const c = await client({ kustomize: { enabled: true, path: path.join(ws, 'no-such-kubectl') } });
  const uri = uriOf(path.join(ws, 'overlays/b/kustomization.yaml'));
  const got = c.diagnostics(uri, (p) => codes(p).includes('kustomize'));
  c.open(uri, fs.readFileSync(path.join(ws, 'overlays/b/kustomization.yaml'), 'utf8'));
  const d = (await got).diagnostics.find((x) => x.code === 'kustomize')!;
  assert.equal(d.severity, 3);
  assert.match(d.message, /not rendered: .*no-such-kubectl was not found.*statefulsetStudio\.kustomize\.path/);
  // plain checks still answer
  const stsUri = uriOf(path.join(ws, 'base/statefulset.yaml'));
  const plain = c.diagnostics(stsUri, (p) => codes(p).includes('container-memory-limit'));
  c.open(stsUri, BASE_STS);
  await plain;
});

test('live objects: a change the API server refuses on the live StatefulSet an overlay renders is flagged on the line that makes it', { skip }, async () => {
  const c = await client({ kustomize: { enabled: true, path: KUBECTL } });
  const uri = uriOf(path.join(ws, 'base/statefulset.yaml'));
  const first = c.diagnostics(uri, (p) => codes(p).includes('missing-pod-anti-affinity'));
  c.open(uri, BASE_STS);
  assert.ok(!codes(await first).includes('forbidden-update'));
  // the cluster runs overlay b's b-cache with another serviceName (immutable); the rendered serviceName is the base's
  const flagged = c.diagnostics(uri, (p) => codes(p).includes('forbidden-update'));
  const liveSts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'b-cache', namespace: 'default' }, spec: { serviceName: 'cache-v1', replicas: 4, selector: { matchLabels: { app: 'cache' } }, template: { metadata: { labels: { app: 'cache' } }, spec: { containers: [{ name: 'redis', image: 'redis:7.2.5' }] } } } };
  c.connection.sendNotification('statefulsetStudio/liveObjects', { objects: [liveSts] });
  const d = (await flagged).diagnostics.find((x) => x.code === 'forbidden-update')!;
  assert.equal(d.range.start.line, 5, 'on `serviceName: cache` of the base');
  assert.match(d.message, /serviceName is "cache" here but "cache-v1" in the live StatefulSet/);
  assert.match(d.message, /\[kustomize overlay overlays\/b: StatefulSet b-cache\]$/);
});

test('live objects that change faster than kubectl renders do not starve an overlay: the running render is not cancelled, the overlay is checked again after it', { skip: skip || (process.platform === 'win32' ? 'a /bin/sh wrapper' : false), timeout: 60_000 }, async () => {
  // a kubectl that takes 0.6 s (its sleep away from the pipes: a cancelled render's pipes close at once, as kubectl's
  // do); once the overlay is rendered, the explorer sends the live StatefulSets every 200 ms (a rollout: pods coming
  // and going) and the live one has another serviceName: the refused change must show while that goes on
  const slow = path.join(ws, 'slow-kubectl');
  fs.writeFileSync(slow, `#!/bin/sh\nsleep 0.6 </dev/null >/dev/null 2>&1\nexec '${KUBECTL.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
  try {
    const c = await client({ kustomize: { enabled: true, path: slow } });
    const uri = uriOf(path.join(ws, 'base/statefulset.yaml'));
    const first = c.diagnostics(uri, (p) => codes(p).includes('missing-pod-anti-affinity'));
    c.open(uri, BASE_STS);
    assert.ok(!codes(await first).includes('forbidden-update'));
    let streaming = true;
    let got: { p: PublishDiagnosticsParams; streaming: boolean } | undefined;
    const flagged = c.diagnostics(uri, (p) => codes(p).includes('forbidden-update')).then((p) => (got = { p, streaming }));
    const started = Date.now();
    for (let i = 0; !got && Date.now() - started < 15_000; i++) {
      const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'b-cache', namespace: 'default', uid: 'u-1', resourceVersion: String(100 + i) }, spec: { serviceName: 'cache-v1', replicas: 4, selector: { matchLabels: { app: 'cache' } }, template: { metadata: { labels: { app: 'cache' } }, spec: { containers: [{ name: 'redis', image: 'redis:7.2.5' }] } } }, status: { readyReplicas: i % 4 } };
      c.connection.sendNotification('statefulsetStudio/liveObjects', { objects: [sts] });
      await new Promise((r) => setTimeout(r, 200));
    }
    streaming = false;
    const r = await flagged;
    assert.ok(r.streaming, 'the overlay was checked against the live objects while they kept changing');
    assert.match(r.p.diagnostics.find((x) => x.code === 'forbidden-update')!.message, /\[kustomize overlay overlays\/b: StatefulSet b-cache\]$/);
  } finally {
    fs.rmSync(slow, { force: true });
  }
});
