// Resize Storage… and Re-create Keeping Pods and Data… end to end against the simulator over real
// HTTPS: preflight refusals (StorageClass, shrink, not Bound, RBAC by SelfSubjectAccessReview,
// selector), the full runs (same pod and PVC UIDs, nothing restarted), and interruption at every
// step — a stop between steps and API failures (500, a dropped connection, a write whose answer is
// lost) — followed by a resume from the journal file that reaches the same end state.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { Logger } from '../../client/src/cluster/log';
import { FileJournal, STAGES, type JournalEntry, type Stage } from '../../client/src/cluster/workflows/journal';
import { podsToRoll, preflight, restartPodsOneByOne, runWorkflow, type WorkflowTarget } from '../../client/src/cluster/workflows/recreate';
import { startApiServer, statefulSet, headlessService, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { statefulSetReady, withClaimSize } from './helpers';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');

class Stop extends Error {}

describe('storage resize and re-create workflows', { timeout: 240_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  let dir: string;
  let journal: FileJournal;
  const target = (manifest: Obj, workflow: 'resize' | 'recreate' = 'resize', c = conn): WorkflowTarget => ({
    cluster: c.server,
    context: c.context,
    namespace: 'default',
    manifest,
    workflow,
  });
  const ready = (name: string, n: number) => statefulSetReady(api, name, n);
  const uids = (name: string) => ({
    pods: api.store.listRaw(POD, 'default').filter((p) => p.metadata.name.startsWith(`${name}-`)).map((p) => `${p.metadata.name}:${p.metadata.uid}`),
    pvcs: api.store.listRaw(PVC, 'default').filter((p) => p.metadata.name.endsWith(`-${name}-0`) || new RegExp(`-${name}-\\d+$`).test(p.metadata.name)).map((p) => `${p.metadata.name}:${p.metadata.uid}`),
  });
  async function fresh(name: string, replicas = 2, size = '1Gi', storageClass?: string): Promise<Obj> {
    const m = statefulSet({ name, replicas, claims: [{ name: 'data', size }] });
    if (storageClass) m.spec.volumeClaimTemplates[0].spec.storageClassName = storageClass;
    api.create(headlessService(name));
    api.create(structuredClone(m));
    await ready(name, replicas);
    return m;
  }
  const grown = withClaimSize;

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5, volumeResizeStepMs: 10 });
    conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: new Logger(() => {}) });
    dir = mkdtempSync(join(tmpdir(), 'sts-journal-'));
    journal = new FileJournal(dir);
    api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fixed' }, provisioner: 'simulator.statefulset-studio.dev/hostpath', allowVolumeExpansion: false });
  });
  after(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('resize end to end: every PVC grown, same pod and PVC UIDs, no pod restarted, journal gone', async () => {
    const m = await fresh('web', 3);
    // a PVC retained from an earlier scale-down is listed separately and grown too
    api.store.update(STS, { ...api.store.get(STS, 'default', 'web'), spec: { ...api.store.get(STS, 'default', 'web').spec, replicas: 2 } });
    await ready('web', 2);
    const beforeIds = uids('web');
    m.spec.replicas = 2; // the file says 2 as well
    const pf = await preflight(conn.http, target(grown(m, '5Gi')));
    assert.deepEqual(pf.refusals, []);
    assert.deepEqual(
      pf.pvcs.map((p) => [p.name, p.retained, p.to]),
      [
        ['data-web-0', false, '5Gi'],
        ['data-web-1', false, '5Gi'],
        ['data-web-2', true, '5Gi'],
      ],
    );
    assert.match(pf.plan, /Retained PVCs beyond replicas/);
    assert.match(pf.plan, /data-web-0 \(ordinal 0\): 1Gi → 5Gi \[standard, Bound\]/);
    assert.match(pf.plan, /No step deletes a pod or a PVC/);
    const start = api.requests.length;
    const r = await runWorkflow(conn.http, journal, pf.entry!);
    assert.deepEqual(r.recreatedPods, []);
    assert.deepEqual(r.restartedPods, []);
    assert.equal(r.samePvcs, true);
    assert.deepEqual(r.fileSystemResizePending, []);
    for (const n of ['data-web-0', 'data-web-1', 'data-web-2']) assert.equal(api.store.get(PVC, 'default', n).status.capacity.storage, '5Gi', n);
    assert.deepEqual(uids('web'), beforeIds);
    const sts = api.store.get(STS, 'default', 'web');
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '5Gi');
    assert.equal(sts.status.currentRevision, sts.status.updateRevision);
    assert.deepEqual(readdirSync(dir), [], 'the journal is removed when done');
    // nothing but the planned writes: PVC patches, one orphan delete, one apply
    const writes = api.requests.slice(start).filter((q) => !['GET'].includes(q.method));
    assert.deepEqual(
      writes.map((q) => `${q.method} ${q.path.replace(/.*\/(persistentvolumeclaims|statefulsets)\//, '$1/')}`),
      ['PATCH persistentvolumeclaims/data-web-0', 'PATCH persistentvolumeclaims/data-web-1', 'PATCH persistentvolumeclaims/data-web-2', 'DELETE statefulsets/web', 'PATCH statefulsets/web'],
    );
    assert.ok(!api.requests.slice(start).some((q) => q.method === 'DELETE' && /\/(pods|persistentvolumeclaims)\//.test(q.path)), 'no pod or PVC deleted');
  });

  test('preflight refusals: class without allowVolumeExpansion, shrink, other immutable changes, not found; nothing is changed', async () => {
    const m = await fresh('fixed', 1, '1Gi', 'fixed');
    const rv = api.store.rv;
    const noExp = await preflight(conn.http, target(grown(m, '2Gi')));
    assert.equal(noExp.ok, false);
    assert.deepEqual(noExp.refusals, ['data-fixed-0: StorageClass "fixed" does not set allowVolumeExpansion: true, so the API server refuses to grow its PVCs.']);
    const shrink = await preflight(conn.http, target(grown(m, '500Mi')));
    assert.match(shrink.refusals.join('\n'), /PVCs cannot shrink: data 1Gi → 500Mi/);
    const other = structuredClone(grown(m, '2Gi'));
    other.spec.serviceName = 'elsewhere';
    const mixed = await preflight(conn.http, target(other));
    assert.match(mixed.refusals.join('\n'), /changes more than claim storage \(spec.serviceName: fixed → elsewhere\): use Re-create Keeping Pods and Data/);
    const none = await preflight(conn.http, target(m));
    assert.deepEqual(none.refusals, ['Nothing immutable changes between the file and the cluster: use Apply.']);
    const absent = await preflight(conn.http, target(statefulSet({ name: 'nope', replicas: 1 })));
    assert.deepEqual(absent.refusals, ['StatefulSet default/nope is not in the cluster: Apply creates it.']);
    assert.equal(api.store.rv, rv, 'preflight writes nothing');
  });

  test('preflight: RBAC forbids a step → refused up front (SelfSubjectAccessReview), before any change', async () => {
    const restricted = new ClusterConnection({ source: { path: api.kubeconfigPath }, context: api.contexts.restricted, logger: new Logger(() => {}) });
    const m = structuredClone(api.store.get(STS, 'default', 'web'));
    const pf = await preflight(restricted.http, target(grown({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: m.spec }, '9Gi'), 'resize', restricted));
    assert.equal(pf.ok, false);
    assert.deepEqual(pf.refusals, ['Your account may not: list persistentvolumeclaims in namespace default (SelfSubjectAccessReview). Nothing was changed.']);
    assert.ok(api.requests.filter((q) => q.path.includes('selfsubjectaccessreviews')).length >= 5);
  });

  test('a PVC not Bound is refused', async () => {
    const m = await fresh('pend', 1);
    const c = api.store.get(PVC, 'default', 'data-pend-0');
    c.status.phase = 'Pending';
    api.store.update(PVC, c);
    const pf = await preflight(conn.http, target(grown(m, '2Gi')));
    assert.deepEqual(pf.refusals, ['data-pend-0 is Pending, not Bound: only bound claims can be expanded.']);
  });

  for (const stage of STAGES.filter((s) => s !== 'done')) {
    test(`stopped before "${stage}" (VS Code gone): the journal says so; a new run from the journal file finishes with the same pods and PVCs`, async () => {
      const name = `cut-${stage}`;
      const m = await fresh(name, 2);
      const ids = uids(name);
      const pf = await preflight(conn.http, target(grown(m, '3Gi')));
      assert.ok(pf.ok, pf.refusals.join());
      await assert.rejects(
        runWorkflow(conn.http, journal, pf.entry!, {
          beforeStep: (s: Stage) => {
            if (s === stage) throw new Stop(`stopped before ${s}`);
          },
        }),
        Stop,
      );
      // a fresh journal object (as after a restart of VS Code) finds the entry
      const reopened = new FileJournal(dir);
      const pending = reopened.list().filter((e) => e.name === name);
      assert.equal(pending.length, 1);
      assert.equal(pending[0].stage, stage);
      if (stage === 'create') assert.equal(api.store.peek(STS, 'default', name), undefined, 'between orphan delete and create the StatefulSet is gone, pods stay');
      assert.equal(uids(name).pods.length, 2);
      const r = await runWorkflow(conn.http, reopened, reopened.load(conn.server, 'default', name)!);
      assert.deepEqual(r.recreatedPods, []);
      assert.deepEqual(uids(name), ids);
      for (const n of [`data-${name}-0`, `data-${name}-1`]) assert.equal(api.store.get(PVC, 'default', n).status.capacity.storage, '3Gi');
      assert.equal(reopened.load(conn.server, 'default', name), undefined);
    });
  }

  const faults: Array<{ what: string; verb: string; path: string; code: number; mode?: 'status' | 'drop' | 'after' }> = [
    { what: '500 on the PVC patch', verb: 'patch', path: '/persistentvolumeclaims/', code: 500 },
    { what: 'a dropped connection on a PVC read', verb: 'get', path: '/persistentvolumeclaims/', code: 0, mode: 'drop' },
    { what: '500 on the orphan delete', verb: 'delete', path: '/statefulsets/', code: 500 },
    { what: 'the orphan delete done but its answer lost', verb: 'delete', path: '/statefulsets/', code: 0, mode: 'after' },
    { what: '409 on the create', verb: 'patch', path: '/statefulsets/', code: 409 },
    { what: 'the create done but its answer lost', verb: 'patch', path: '/statefulsets/', code: 0, mode: 'after' },
    { what: '503 while verifying', verb: 'list', path: '/pods', code: 503 },
  ];
  for (const [i, f] of faults.entries()) {
    test(`API failure: ${f.what} → the run stops, the journal keeps the step; resuming reaches the same end state`, async () => {
      const name = `fault-${i}`;
      const m = await fresh(name, 2);
      const ids = uids(name);
      const pf = await preflight(conn.http, target(grown(m, '2Gi')));
      assert.ok(pf.ok);
      api.faults.failNext(1, f.code, { verb: f.verb, pathIncludes: f.path, mode: f.mode });
      await assert.rejects(runWorkflow(conn.http, journal, pf.entry!));
      const e: JournalEntry = journal.load(conn.server, 'default', name)!;
      assert.ok(e && e.stage !== 'done');
      assert.ok(e.lastError);
      api.faults.reset();
      const r = await runWorkflow(conn.http, journal, e);
      assert.deepEqual(r.recreatedPods, []);
      assert.deepEqual(uids(name), ids);
      assert.equal(api.store.get(STS, 'default', name).spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi');
      for (const n of [`data-${name}-0`, `data-${name}-1`]) assert.equal(api.store.get(PVC, 'default', n).status.capacity.storage, '2Gi');
    });
  }

  test('re-create: serviceName change is said before acting (hostname/subdomain), pods kept; a removed claim template keeps its PVCs', async () => {
    const m = await fresh('svc', 2);
    const ids = uids('svc');
    const changed = structuredClone(m);
    changed.spec.serviceName = 'svc-headless';
    delete changed.spec.volumeClaimTemplates;
    changed.spec.template.spec.containers[0].volumeMounts = [];
    const pf = await preflight(conn.http, target(changed, 'recreate'));
    assert.ok(pf.ok, pf.refusals.join());
    assert.match(pf.plan, /serviceName svc → svc-headless: existing pods keep their hostname\/subdomain/);
    assert.match(pf.plan, /Claim template data is removed: its PVCs are KEPT, orphaned \(not mounted by new pods, not deleted\): data-svc-0, data-svc-1/);
    const r = await runWorkflow(conn.http, journal, pf.entry!);
    assert.equal(api.store.get(STS, 'default', 'svc').spec.serviceName, 'svc-headless');
    assert.deepEqual(uids('svc').pvcs, ids.pvcs, 'PVCs kept');
    // the pod template changed (no volume mounts): the controller rolls the pods; none was deleted by the workflow
    assert.ok(r.samePvcs);
  });

  test('re-create, then the optional roll: serviceName reaches each pod once it is recreated, highest ordinal first, PVCs kept', async () => {
    const m = await fresh('roll', 3);
    const ids = uids('roll');
    const changed = structuredClone(m);
    changed.spec.serviceName = 'roll-dns';
    const pf = await preflight(conn.http, target(changed, 'recreate'));
    assert.ok(pf.ok, pf.refusals.join());
    const r = await runWorkflow(conn.http, journal, pf.entry!);
    assert.ok(r.samePods && r.samePvcs, 'the re-create itself adopts the pods as they are');
    const subdomains = () => api.store.listRaw(POD, 'default').filter((p) => p.metadata.name.startsWith('roll-')).map((p) => p.spec.subdomain);
    assert.deepEqual(subdomains(), ['roll', 'roll', 'roll'], 'adopted pods keep the old subdomain');
    const pods = podsToRoll(pf.entry!);
    assert.deepEqual(pods, ['roll-2', 'roll-1', 'roll-0']);
    const order: string[] = [];
    await restartPodsOneByOne(conn.http, 'default', pods, { onProgress: (m) => order.push(m) });
    assert.deepEqual(order.filter((m) => m.startsWith('restarting')), ['restarting roll-2', 'restarting roll-1', 'restarting roll-0']);
    const after = uids('roll');
    assert.deepEqual(after.pvcs, ids.pvcs, 'PVCs kept (same UIDs)');
    for (const p of after.pods) assert.ok(!ids.pods.includes(p), `${p} was recreated`);
    assert.deepEqual(subdomains(), ['roll-dns', 'roll-dns', 'roll-dns'], 'every pod now lives under the new Service');
    await ready('roll', 3);
  });

  test('re-create: a selector that no longer matches the pods is refused (they would stay orphaned)', async () => {
    const m = await fresh('sel', 1);
    const changed = structuredClone(m);
    changed.spec.selector = { matchLabels: { app: 'sel', tier: 'db' } };
    changed.spec.template.metadata.labels = { app: 'sel', tier: 'db' };
    const pf = await preflight(conn.http, target(changed, 'recreate'));
    assert.equal(pf.ok, false);
    assert.deepEqual(pf.refusals, ['The new selector does not match sel-0: the new StatefulSet would not adopt them and they would stay orphaned. Relabel those pods first (or keep the selector).']);
  });
});
