// Proof with the real kubectl: server-side apply (managedFields, 409 conflicts, force), server dry
// run, kubectl diff, PVC expansion gated by the StorageClass, orphan delete and adoption; plus the
// fault modes the workflow tests rely on.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startApiServer, statefulSet, headlessService, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, http, kubectl } from './testkit';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const REV = resourceByKind('ControllerRevision');

describe('server-side apply, dry run, diff, expansion, orphan delete — through kubectl', { timeout: 180_000, skip: HAS_KUBECTL ? false : 'kubectl is not installed' }, () => {
  let api: ApiServer;
  const k = (...args: string[]) => kubectl(api, args);
  const file = (name: string, obj: Obj): string => {
    const p = join(api.dir, name);
    writeFileSync(p, JSON.stringify(obj));
    return p;
  };
  const ready = (name: string, n: number) =>
    api.waitFor(() => {
      const s = api.store.peek(STS, 'default', name);
      return s && s.status?.readyReplicas === n && s.status.observedGeneration === s.metadata.generation ? s : false;
    }, 20_000);

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5, volumeResizeStepMs: 20 });
    api.create(headlessService('web'));
  });
  after(async () => {
    await api.stop();
  });

  test('kubectl apply --server-side creates and updates; managedFields name the manager; a conflict names field and manager; --force-conflicts takes it', async () => {
    const sts = statefulSet({ name: 'web', replicas: 2, claims: [{ name: 'www', size: '1Gi' }] });
    const f = file('web.json', sts);
    const a = await k('apply', '--server-side', '-f', f);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout.trim(), 'statefulset.apps/web serverside-applied');
    await ready('web', 2);
    const mf: Obj[] = api.store.get(STS, 'default', 'web').metadata.managedFields;
    const mine = mf.find((e) => e.manager === 'kubectl' && e.operation === 'Apply')!;
    assert.ok(mine, JSON.stringify(mf));
    assert.deepEqual(mine.fieldsV1['f:spec']['f:replicas'], {});
    assert.ok(mine.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['f:image']);

    // someone else changes replicas with an Update: they own it now
    const sc = await k('scale', 'sts', 'web', '--replicas=3');
    assert.equal(sc.code, 0, sc.stderr);
    const c = await k('apply', '--server-side', '-f', f);
    assert.notEqual(c.code, 0);
    assert.match(c.stderr, /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/);
    // the raw Status has causes with field and manager
    const raw = await http(api, 'PATCH', '/apis/apps/v1/namespaces/default/statefulsets/web?fieldManager=statefulset-studio', {
      body: JSON.stringify(sts),
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(raw.status, 409);
    assert.equal(raw.body.reason, 'Conflict');
    assert.deepEqual(
      raw.body.details.causes.map((x: Obj) => [x.reason, x.field]),
      [['FieldManagerConflict', '.spec.replicas']],
    );
    assert.match(raw.body.details.causes[0].message, /^conflict with "kubectl" with subresource "scale" using apps\/v1$/);
    assert.equal(api.store.get(STS, 'default', 'web').spec.replicas, 3);

    const forced = await k('apply', '--server-side', '--force-conflicts', '-f', f);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(api.store.get(STS, 'default', 'web').spec.replicas, 2);
    await ready('web', 2);
  });

  test('server-side apply removes a field the manager stopped applying; a no-op apply writes nothing', async () => {
    const cfg = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'extra', labels: { a: '1', b: '2' } }, spec: { ports: [{ port: 80 }], selector: { app: 'x' } } };
    const p = (body: Obj) =>
      http(api, 'PATCH', '/api/v1/namespaces/default/services/extra?fieldManager=m1', { body: JSON.stringify(body), contentType: 'application/apply-patch+yaml' });
    assert.equal((await p(cfg)).status, 201);
    const r1 = api.store.get(resourceByKind('Service'), 'default', 'extra').metadata.resourceVersion;
    assert.equal((await p(cfg)).status, 200);
    assert.equal(api.store.get(resourceByKind('Service'), 'default', 'extra').metadata.resourceVersion, r1);
    const smaller = structuredClone(cfg);
    delete (smaller.metadata.labels as Obj).b;
    const r = await p(smaller);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.metadata.labels, { a: '1' });
    const noManager = await http(api, 'PATCH', '/api/v1/namespaces/default/services/extra', { body: JSON.stringify(cfg), contentType: 'application/apply-patch+yaml' });
    assert.equal(noManager.status, 422);
    assert.match(noManager.body.message, /fieldManager: Required value: is required for apply patch/);
  });

  test('dryRun=All: kubectl apply --dry-run=server (client- and server-side) and delete --dry-run=server change nothing', async () => {
    const before = api.store.rv;
    const changed = statefulSet({ name: 'web', replicas: 2, image: 'nginx:1.27', claims: [{ name: 'www', size: '1Gi' }] });
    const f = file('web-dry.json', changed);
    const a = await k('apply', '--dry-run=server', '-f', f);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout.trim(), 'statefulset.apps/web configured (server dry run)');
    const b = await k('apply', '--server-side', '--dry-run=server', '-f', f, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, 'nginx:1.27');
    const d = await k('delete', 'sts', 'web', '--dry-run=server');
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout.trim(), 'statefulset.apps "web" deleted (server dry run)');
    const n = await k('apply', '--dry-run=server', '-f', file('new.json', statefulSet({ name: 'newone', replicas: 1 })));
    assert.equal(n.code, 0, n.stderr);
    assert.equal(n.stdout.trim(), 'statefulset.apps/newone created (server dry run)');
    // an invalid object is refused by the dry run with the server's causes
    const bad = statefulSet({ name: 'web', replicas: 2, claims: [{ name: 'www', size: '1Gi' }] });
    bad.spec.serviceName = 'other';
    const v = await k('apply', '--server-side', '--dry-run=server', '--force-conflicts', '-f', file('bad.json', bad));
    assert.notEqual(v.code, 0);
    assert.match(v.stderr, /spec: Forbidden: updates to statefulset spec for fields other than/);
    assert.ok(api.store.peek(STS, 'default', 'web'));
    assert.equal(api.store.peek(STS, 'default', 'newone'), undefined);
    assert.equal(api.store.get(STS, 'default', 'web').spec.template.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
    assert.ok(api.requests.filter((q) => /dryRun=All/.test(q.query)).length >= 4);
    // nothing was written by any of these (the controller writes nothing either: the set is settled)
    assert.equal(api.store.rv, before);
  });

  test('kubectl diff: the changed line, exit 1; identical → exit 0', async () => {
    const same = await k('diff', '--server-side', '--force-conflicts', '-f', join(api.dir, 'web.json'));
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const d = await k('diff', '-f', join(api.dir, 'web-dry.json'));
    assert.equal(d.code, 1, d.stderr);
    assert.match(d.stdout, /^-\s+(- )?image: registry\.k8s\.io\/nginx-slim:0\.24$/m);
    assert.match(d.stdout, /^\+\s+(- )?image: nginx:1\.27$/m);
    assert.doesNotMatch(d.stdout, /annotations: \{\}/);
    assert.doesNotMatch(d.stdout, /managedFields/);
  });

  test('kubectl patch pvc: growth shows Resizing then the new status.capacity; shrink and a class without allowVolumeExpansion are refused with the real text', async () => {
    const seen: string[] = [];
    const unsub = api.store.subscribe((ev) => {
      if (ev.key === 'persistentvolumeclaims' && ev.object.metadata.name === 'www-web-0')
        for (const c of ev.object.status?.conditions ?? []) if (!seen.includes(c.type)) seen.push(c.type);
    });
    const p = await k('patch', 'pvc', 'www-web-0', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}');
    assert.equal(p.code, 0, p.stderr);
    assert.equal(p.stdout.trim(), 'persistentvolumeclaim/www-web-0 patched');
    await api.waitFor(() => api.store.peek(PVC, 'default', 'www-web-0')?.status?.capacity?.storage === '2Gi', 10_000);
    unsub();
    assert.deepEqual(seen, ['Resizing']);
    const got = await k('get', 'pvc', 'www-web-0', '-o', 'jsonpath={.status.capacity.storage}');
    assert.equal(got.stdout, '2Gi');

    const shrink = await k('patch', 'pvc', 'www-web-0', '-p', '{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}');
    assert.notEqual(shrink.code, 0);
    assert.equal(shrink.stderr.trim(), 'The PersistentVolumeClaim "www-web-0" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');

    api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fixed' }, provisioner: 'simulator.statefulset-studio.dev/hostpath', allowVolumeExpansion: false });
    api.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'fixed-claim', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fixed', resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Bound', capacity: { storage: '1Gi' } },
    });
    const refused = await k('patch', 'pvc', 'fixed-claim', '-p', '{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}');
    assert.notEqual(refused.code, 0);
    assert.equal(
      refused.stderr.trim(),
      'Error from server (Forbidden): persistentvolumeclaims "fixed-claim" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
  });

  test('offline expansion: FileSystemResizePending until the pod restarts, then the capacity', async () => {
    api.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'offline' },
      provisioner: 'simulator.statefulset-studio.dev/hostpath',
      allowVolumeExpansion: true,
      parameters: { 'simulator.statefulset-studio.dev/online-expansion': 'false' },
    });
    const db = statefulSet({ name: 'db', replicas: 1, claims: [{ name: 'data', size: '1Gi' }] });
    db.spec.volumeClaimTemplates[0].spec.storageClassName = 'offline';
    api.create(db);
    await ready('db', 1);
    const p = await k('patch', 'pvc', 'data-db-0', '-p', '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}');
    assert.equal(p.code, 0, p.stderr);
    const pending = await api.waitFor(() => {
      const c = api.store.peek(PVC, 'default', 'data-db-0');
      return (c?.status?.conditions ?? []).some((x: Obj) => x.type === 'FileSystemResizePending') ? c : false;
    });
    assert.equal(pending.status.capacity.storage, '1Gi');
    assert.equal(pending.status.allocatedResources.storage, '3Gi');
    const del = await k('delete', 'pod', 'db-0');
    assert.equal(del.code, 0, del.stderr);
    await api.waitFor(() => api.store.peek(PVC, 'default', 'data-db-0')?.status?.capacity?.storage === '3Gi');
    assert.equal(api.store.get(PVC, 'default', 'data-db-0').status.conditions, undefined);
  });

  test('kubectl delete --cascade=orphan keeps pods, PVCs and revisions without the owner; a new StatefulSet adopts them without restarting a pod', async () => {
    await ready('web', 2);
    const uids = () => ({
      pods: api.store.listRaw(POD, 'default').filter((p) => p.metadata.name.startsWith('web-')).map((p) => `${p.metadata.name}:${p.metadata.uid}`),
      pvcs: api.store.listRaw(PVC, 'default').filter((p) => p.metadata.name.startsWith('www-web-')).map((p) => `${p.metadata.name}:${p.metadata.uid}`),
    });
    const before = uids();
    assert.equal(before.pods.length, 2);
    const oldUid = api.store.get(STS, 'default', 'web').metadata.uid;
    const d = await k('delete', 'sts', 'web', '--cascade=orphan');
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout.trim(), 'statefulset.apps "web" deleted');
    for (const p of api.store.listRaw(POD, 'default').filter((x) => x.metadata.name.startsWith('web-'))) assert.equal(p.metadata.ownerReferences, undefined, p.metadata.name);
    const revs = api.store.listRaw(REV, 'default').filter((r) => r.metadata.name.startsWith('web-'));
    assert.ok(revs.length >= 1);
    for (const r of revs) assert.equal(r.metadata.ownerReferences, undefined);
    assert.deepEqual(uids(), before);

    // re-create with a larger claim template (the resize procedure's last step)
    const bigger = statefulSet({ name: 'web', replicas: 2, claims: [{ name: 'www', size: '2Gi' }] });
    const a = await k('apply', '--server-side', '-f', file('web-2gi.json', bigger));
    assert.equal(a.code, 0, a.stderr);
    const sts = await ready('web', 2);
    assert.notEqual(sts.metadata.uid, oldUid);
    assert.deepEqual(uids(), before, 'same pods and PVCs');
    for (const p of api.store.listRaw(POD, 'default').filter((x) => x.metadata.name.startsWith('web-'))) {
      assert.equal(p.metadata.ownerReferences[0].uid, sts.metadata.uid);
      assert.equal(p.status.containerStatuses[0].restartCount, 0);
    }
    assert.equal(sts.status.currentRevision, sts.status.updateRevision);
    assert.ok(revs.some((r) => r.metadata.name === sts.status.currentRevision), 'the adopted revision is current');
  });

  test('SelfSubjectAccessReview answers per user (JSON; kubectl auth can-i sends protobuf, which the simulator does not decode)', async () => {
    const review = (token: string, verb: string, resource: string) =>
      http(api, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        token,
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'default', verb, resource } } },
      });
    const yes = await review(api.tokens.admin, 'patch', 'persistentvolumeclaims');
    assert.equal(yes.status, 201);
    assert.equal(yes.body.status.allowed, true);
    const no = await review(api.tokens.restricted, 'list', 'persistentvolumeclaims');
    assert.equal(no.body.status.allowed, false);
    assert.equal((await review(api.tokens.restricted, 'delete', 'statefulsets')).body.status.allowed, true);
  });

  test('fault modes: "after" performs the write and cuts the answer; "drop" cuts before; 500 answers a Status', async () => {
    const body = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cut' }, spec: { ports: [{ port: 80 }] } };
    api.faults.failNext(1, 0, { verb: 'create', pathIncludes: '/services', mode: 'after' });
    await assert.rejects(http(api, 'POST', '/api/v1/namespaces/default/services', { body }));
    assert.ok(api.store.peek(resourceByKind('Service'), 'default', 'cut'), 'the write happened');
    api.faults.failNext(1, 0, { verb: 'delete', mode: 'drop' });
    await assert.rejects(http(api, 'DELETE', '/api/v1/namespaces/default/services/cut'));
    assert.ok(api.store.peek(resourceByKind('Service'), 'default', 'cut'), 'the delete did not happen');
    api.faults.failNext(1, 500, { verb: 'delete' });
    const r = await http(api, 'DELETE', '/api/v1/namespaces/default/services/cut');
    assert.equal(r.status, 500);
    assert.equal(r.body.kind, 'Status');
  });
});
