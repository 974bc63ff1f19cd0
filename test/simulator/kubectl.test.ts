// Proof against the real kubectl binary: each call has its own kubeconfig and cache dir, and each
// test asserts on kubectl's output and on the simulator's resulting state.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isPodReady } from '../../simulator/controller';
import { startApiServer, statefulSet, headlessService, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { cols, HAS_KUBECTL, kubectl, kubectlStream, NO_KUBECTL } from './testkit';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l.trim());
}

describe('real kubectl against the simulator', { timeout: 120_000, skip: HAS_KUBECTL ? false : NO_KUBECTL }, () => {
  let api: ApiServer;
  const k = (...args: string[]) => kubectl(api, args);
  const web = (): Obj => api.store.get(STS, 'default', 'web');
  const settled = (check: (s: Obj) => boolean = () => true) =>
    api.waitFor(() => {
      const s = api.store.peek(STS, 'default', 'web')!;
      const st = s.status ?? {};
      return st.observedGeneration === s.metadata.generation &&
        st.replicas === s.spec.replicas &&
        (st.readyReplicas ?? 0) === s.spec.replicas &&
        st.currentRevision === st.updateRevision &&
        check(s)
        ? s
        : false;
    }, 20_000);

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5 });
    api.create(headlessService('web'));
    api.create(statefulSet({ name: 'web', replicas: 3, claims: [{ name: 'www', size: '1Gi' }] }));
    await settled();
  });
  after(async () => {
    await api.stop();
  });

  test('kubectl get sts,pods,pvc prints the real columns', async () => {
    const r = await k('get', 'sts,pods,pvc');
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.deepEqual(cols(out[0]), ['NAME', 'READY', 'AGE']);
    assert.deepEqual(cols(out[1]).slice(0, 2), ['statefulset.apps/web', '3/3']);
    const podHeader = out.findIndex((l) => l.startsWith('NAME') && l.includes('STATUS') && l.includes('RESTARTS'));
    assert.deepEqual(cols(out[podHeader]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(
      out.slice(podHeader + 1, podHeader + 4).map((l) => cols(l).slice(0, 4)),
      [0, 1, 2].map((i) => [`pod/web-${i}`, '1/1', 'Running', '0']),
    );
    const pvcHeader = out.findIndex((l) => l.includes('CAPACITY'));
    assert.deepEqual(cols(out[pvcHeader]), ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS', 'MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    const row = cols(out[pvcHeader + 1]);
    assert.deepEqual([row[0], row[1], row[3], row[4], row[5], row[6]], ['persistentvolumeclaim/www-web-0', 'Bound', '1Gi', 'RWO', 'standard', '<unset>']);
    assert.match(row[2], /^pvc-[0-9a-f-]{36}$/);
    // it asked for Tables and got them
    assert.ok(api.requests.some((q) => q.path === '/api/v1/namespaces/default/pods' && /as=Table/.test(q.accept ?? '') && q.status === 200));

    const wide = await k('get', 'sts', 'web', '-o', 'wide');
    assert.deepEqual(cols(lines(wide.stdout)[0]), ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
    assert.deepEqual(cols(lines(wide.stdout)[1]).slice(3), ['web', 'registry.k8s.io/nginx-slim:0.24']);
    const json = await k('get', 'sts', 'web', '-o', 'json');
    assert.equal(JSON.parse(json.stdout).status.readyReplicas, 3);
  });

  test('kubectl get pods -w sees the scale; kubectl scale: pods and PVCs follow in order', async () => {
    const w = kubectlStream(api, ['get', 'pods', '-w', '-l', 'app=web']);
    try {
      await w.until((l) => l.some((x) => x.startsWith('web-2')));
      const order: string[] = [];
      const unsub = api.store.subscribe((ev) => {
        if (ev.key === 'pods' && ev.type === 'ADDED') order.push(`ADDED ${ev.object.metadata.name}`);
        if (ev.key === 'pods' && ev.type === 'MODIFIED' && isPodReady(ev.object) && !order.includes(`READY ${ev.object.metadata.name}`))
          order.push(`READY ${ev.object.metadata.name}`);
        if (ev.key === 'persistentvolumeclaims' && ev.type === 'ADDED') order.push(`CLAIM ${ev.object.metadata.name}`);
      });
      const r = await k('scale', 'sts', 'web', '--replicas=5');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'statefulset.apps/web scaled');
      await settled((s) => s.spec.replicas === 5);
      unsub();
      assert.deepEqual(order, ['CLAIM www-web-3', 'ADDED web-3', 'READY web-3', 'CLAIM www-web-4', 'ADDED web-4', 'READY web-4']);
      // kubectl sent what the notes say: a merge patch on the scale subresource
      assert.ok(api.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/statefulsets/web/scale') && q.contentType === 'application/merge-patch+json'));
      await w.until((l) => l.some((x) => /^web-4\s+1\/1\s+Running/.test(x)));
      assert.ok(w.lines.some((x) => /^web-3\s+0\/1\s+(Pending|ContainerCreating)/.test(x)), w.lines.join('\n'));
      assert.equal(w.lines.filter((x) => x.startsWith('NAME')).length, 1, 'one header');
    } finally {
      await w.stop();
    }
    const pvc = await k('get', 'pvc', '-o', 'name');
    assert.deepEqual(lines(pvc.stdout), [0, 1, 2, 3, 4].map((i) => `persistentvolumeclaim/www-web-${i}`));
  });

  test('kubectl rollout status waits for a rolling update to finish', async () => {
    api.controller.podReadyDelayMs = 40;
    try {
      const set = await k('set', 'image', 'sts/web', 'web=nginx:1.27');
      assert.equal(set.code, 0, set.stderr);
      assert.equal(set.stdout.trim(), 'statefulset.apps/web image updated');
      const r = await k('rollout', 'status', 'sts/web', '--timeout=60s');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(lines(r.stdout).at(-1), 'partitioned roll out complete: 5 new pods have been updated...');
      // when kubectl says so, it is true
      const s = web();
      assert.equal(s.status.updatedReplicas, 5);
      assert.equal(s.status.readyReplicas, 5);
      for (let i = 0; i < 5; i++) assert.equal(api.store.get(POD, 'default', `web-${i}`).spec.containers[0].image, 'nginx:1.27');
    } finally {
      api.controller.podReadyDelayMs = 5;
    }
    await settled();
  });

  test('kubectl rollout history lists revisions; --revision shows the template', async () => {
    const r = await k('rollout', 'history', 'sts/web');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).map((l) => cols(l)), [['statefulset.apps/web'], ['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>']]);
    const r1 = await k('rollout', 'history', 'sts/web', '--revision=1');
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /statefulset\.apps\/web with revision #1/);
    assert.match(r1.stdout, /Image:\s+registry\.k8s\.io\/nginx-slim:0\.24/);
    const r2 = await k('rollout', 'history', 'sts/web', '--revision=2');
    assert.match(r2.stdout, /Image:\s+nginx:1\.27/);
  });

  test('kubectl rollout undo: previous revision, "already matches" skip, --to-revision', async () => {
    const u = await k('rollout', 'undo', 'sts/web');
    assert.equal(u.code, 0, u.stderr);
    assert.equal(u.stdout.trim(), 'statefulset.apps/web rolled back');
    assert.ok(api.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/statefulsets/web') && q.contentType === 'application/strategic-merge-patch+json'));
    const s = await settled((x) => x.spec.template.spec.containers[0].image === 'registry.k8s.io/nginx-slim:0.24' && x.status.updatedReplicas === 5);
    const h = await k('rollout', 'history', 'sts/web');
    assert.deepEqual(lines(h.stdout).slice(2).map((l) => cols(l)[0]), ['2', '3'], 'revision 1 came back as 3');
    const skip = await k('rollout', 'undo', 'sts/web', '--to-revision=3');
    assert.equal(skip.code, 0, skip.stderr);
    assert.equal(skip.stdout.trim(), 'statefulset.apps/web skipped rollback (current template already matches revision 3)');
    assert.equal(web().metadata.generation, s.metadata.generation, 'nothing written');
    const to2 = await k('rollout', 'undo', 'sts/web', '--to-revision=2');
    assert.equal(to2.code, 0, to2.stderr);
    await settled((x) => x.spec.template.spec.containers[0].image === 'nginx:1.27' && x.status.updatedReplicas === 5);
    const h2 = await k('rollout', 'history', 'sts/web');
    assert.deepEqual(lines(h2.stdout).slice(2).map((l) => cols(l)[0]), ['3', '4']);
  });

  test('kubectl delete pod: recreated with the same name and the same PVC', async () => {
    const claimUid = api.store.get(PVC, 'default', 'www-web-1').metadata.uid;
    const podUid = api.store.get(POD, 'default', 'web-1').metadata.uid;
    const d = await k('delete', 'pod', 'web-1');
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout.trim(), 'pod "web-1" deleted');
    const w = await k('wait', '--for=condition=Ready', 'pod/web-1', '--timeout=30s');
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.stdout.trim(), 'pod/web-1 condition met');
    const uid = await k('get', 'pod', 'web-1', '-o', 'jsonpath={.metadata.uid} {.spec.volumes[0].persistentVolumeClaim.claimName}');
    const [newUid, claim] = uid.stdout.split(' ');
    assert.notEqual(newUid, podUid);
    assert.equal(claim, 'www-web-1');
    const c = await k('get', 'pvc', 'www-web-1', '-o', 'jsonpath={.metadata.uid}');
    assert.equal(c.stdout, claimUid);
  });

  test('a forbidden StatefulSet update: kubectl prints the API server message', async () => {
    const r = await k('patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"serviceName":"other"}}');
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr.trim(),
      `The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
    );
    assert.equal(web().spec.serviceName, 'web');
  });

  test('the restricted user gets Forbidden', async () => {
    const ctx = api.contexts.restricted;
    const pvc = await k('--context', ctx, 'get', 'pvc');
    assert.notEqual(pvc.code, 0);
    assert.equal(
      pvc.stderr.trim(),
      'Error from server (Forbidden): persistentvolumeclaims is forbidden: User "restricted" cannot list resource "persistentvolumeclaims" in API group "" in the namespace "default"',
    );
    const scale = await k('--context', ctx, 'scale', 'sts', 'web', '--replicas=1');
    assert.notEqual(scale.code, 0);
    assert.match(scale.stderr, /Error from server \(Forbidden\): statefulsets\.apps "web" is forbidden: User "restricted" cannot patch resource "statefulsets\/scale" in API group "apps" in the namespace "default"/);
    assert.equal(web().spec.replicas, 5);
    const sts = await k('--context', ctx, 'get', 'sts');
    assert.equal(sts.code, 0, 'other reads are allowed');
  });

  test('kubectl create -f, describe, delete with whenDeleted: Retain keeps the claims', async () => {
    const file = join(api.dir, 'db.json');
    writeFileSync(file, JSON.stringify(statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '2Gi' }] })));
    const c = await k('create', '-f', file, '--validate=false');
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout.trim(), 'statefulset.apps/db created');
    await api.waitFor(() => (api.store.peek(STS, 'default', 'db')?.status?.readyReplicas === 2 ? true : false), 20_000);
    const d = await k('describe', 'sts', 'db');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
    assert.match(d.stdout, /SuccessfulCreate\s+.*create Pod db-1 in StatefulSet db successful/);
    const del = await k('delete', 'sts', 'db');
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout.trim(), 'statefulset.apps "db" deleted');
    const left = await k('get', 'pods,pvc', '-o', 'name', '-l', 'app=db');
    assert.deepEqual(lines(left.stdout), ['persistentvolumeclaim/data-db-0', 'persistentvolumeclaim/data-db-1']);
  });
  test('kubectl apply creates, then configures with a strategic-merge patch (server-side field validation advertised)', async () => {
    const file = join(api.dir, 'cache.json');
    const manifest = statefulSet({ name: 'cache', replicas: 1, image: 'redis:7.0' });
    writeFileSync(file, JSON.stringify(manifest));
    const a = await k('apply', '-f', file);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout.trim(), 'statefulset.apps/cache created');
    manifest.spec.replicas = 2;
    manifest.spec.template.spec.containers[0].image = 'redis:7.2';
    writeFileSync(file, JSON.stringify(manifest));
    const b = await k('apply', '-f', file);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.trim(), 'statefulset.apps/cache configured');
    const s = api.store.get(STS, 'default', 'cache');
    assert.equal(s.spec.replicas, 2);
    assert.equal(s.spec.template.spec.containers[0].image, 'redis:7.2');
    assert.ok(s.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.ok(api.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/statefulsets/cache') && /fieldValidation=Strict/.test(q.query)));
  });
  test('kubectl rollout history shows the change-cause annotation copied to new revisions', async () => {
    const a = await k('annotate', 'sts', 'web', 'kubernetes.io/change-cause=bump to 1.27.1');
    assert.equal(a.code, 0, a.stderr);
    const set = await k('set', 'image', 'sts/web', 'web=nginx:1.27.1');
    assert.equal(set.code, 0, set.stderr);
    await settled((s) => s.status.updatedReplicas === s.spec.replicas && s.spec.template.spec.containers[0].image === 'nginx:1.27.1');
    const h = await k('rollout', 'history', 'sts/web');
    const rows = lines(h.stdout).slice(2).map((l) => l.trim().split(/\s{2,}/));
    assert.deepEqual(rows.at(-1)!.slice(1), ['bump to 1.27.1']);
    assert.ok(rows.slice(0, -1).every((r) => r[1] === '<none>'), h.stdout);
  });
  test('kubectl logs reads the simulated pods/log subresource', async () => {
    const r = await k('logs', 'web-0', '--tail=1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ready to serve requests\n');
    const all = await k('logs', 'sts/web');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^starting web \(image .+\) in pod web-\d, ordinal \d\n/);
  });
});
