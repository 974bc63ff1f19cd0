// The simulator held to upstream: one scenario per behaviour of kubernetes/kubernetes'
// test/e2e/apps/statefulset.go that the simulator claims, named after the upstream test it follows
// (our own scenarios, written from the upstream tests and stateful_set_control.go, not copied).
// Everything goes through the API over HTTPS as a client would; a pod's readiness is switched through
// pods/status, as the kubelet reports a failing or passing readiness probe (upstream breaks and
// restores an HTTP probe). Behaviours the simulator does not support are listed in docs/testing.md.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isPodReady } from '../../../simulator/controller';
import { startApiServer, statefulSet, type ApiServer, type Obj } from '../../../simulator/index';
import { resourceByKind } from '../../../simulator/resources';
import { http } from '../testkit';

const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const STS_PATH = '/apis/apps/v1/namespaces/default/statefulsets';
const POD_PATH = '/api/v1/namespaces/default/pods';

let api: ApiServer;

before(async () => {
  api = await startApiServer({ podReadyDelayMs: 5 });
});
after(async () => {
  await api?.stop();
});

async function ok(method: string, path: string, body?: unknown, contentType?: string): Promise<Obj> {
  const r = await http(api, method, path, { body, contentType });
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

const create = (o: Obj) => ok('POST', STS_PATH, o);
const getSts = (name: string) => ok('GET', `${STS_PATH}/${name}`);
const patchSts = (name: string, patch: Obj) => ok('PATCH', `${STS_PATH}/${name}`, patch, 'application/merge-patch+json');
// a strategic merge patch, as kubectl set image sends: the container is merged by name
const setImage = (name: string, image: string) =>
  ok('PATCH', `${STS_PATH}/${name}`, { spec: { template: { spec: { containers: [{ name, image }] } } } }, 'application/strategic-merge-patch+json');
const deletePod = (name: string) => ok('DELETE', `${POD_PATH}/${name}`);

/** The set's pods by name (not those being deleted unless asked). */
function pods(set: string, withTerminating = false): Obj[] {
  return api.store
    .listRaw(POD, 'default')
    .filter((p) => p.metadata.name.startsWith(`${set}-`) && /^\d+$/.test(p.metadata.name.slice(set.length + 1)))
    .filter((p) => withTerminating || !p.metadata.deletionTimestamp)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

const names = (set: string) => pods(set, true).map((p) => p.metadata.name);
const revisionOf = (pod: string) => api.store.peek(POD, 'default', pod)?.metadata.labels['controller-revision-hash'];

/** What the kubelet reports when a readiness probe starts failing or passing again, through pods/status. */
async function setReady(pod: string, ready: boolean, ifPresent = false): Promise<void> {
  if (ifPresent && !api.store.peek(POD, 'default', pod)) return; // already removed by a scale-down
  const cur = await ok('GET', `${POD_PATH}/${pod}`);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  cur.status.conditions = cur.status.conditions.map((c: Obj) =>
    c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'True' : 'False', lastTransitionTime: now } : c,
  );
  cur.status.containerStatuses = (cur.status.containerStatuses ?? []).map((c: Obj) => ({ ...c, ready }));
  await ok('PUT', `${POD_PATH}/${pod}/status`, cur);
}

function waitSts(name: string, check: (s: Obj) => boolean, what: string): Promise<Obj> {
  return api.waitFor(() => {
    const s = api.store.peek(resourceByKind('StatefulSet'), 'default', name);
    return s && check(s) ? s : false;
  }, 20_000).catch((e) => {
    throw new Error(`${what}: ${(e as Error).message}; status ${JSON.stringify(api.store.peek(resourceByKind('StatefulSet'), 'default', name)?.status)}, pods ${names(name).join(' ')}`);
  });
}

/** Running and Ready, `n` pods, status agreeing (upstream WaitForRunningAndReady + WaitForStatusReadyReplicas). */
const runningAndReady = (name: string, n: number) =>
  waitSts(name, (s) => pods(name).length === n && pods(name).every(isPodReady) && (s.status?.readyReplicas ?? 0) === n && s.status?.observedGeneration === s.metadata.generation, `${n} ready`);

/** Pod events in order: "ADDED x-0", "READY x-0", "DELETED x-2". */
function record(set: string): { log: string[]; stop: () => void } {
  const log: string[] = [];
  const ready = new Set<string>();
  const stop = api.store.subscribe((ev) => {
    if (ev.key !== 'pods' || !ev.object.metadata.name.startsWith(`${set}-`)) return;
    const n = ev.object.metadata.name;
    if (ev.type === 'ADDED') log.push(`ADDED ${n}`);
    else if (ev.type === 'DELETED') {
      log.push(`DELETED ${n}`);
      ready.delete(n);
    } else if (isPodReady(ev.object) && !ready.has(n)) {
      ready.add(n);
      log.push(`READY ${n}`);
    } else if (!isPodReady(ev.object)) ready.delete(n);
  });
  return { log, stop };
}

describe('StatefulSet [upstream test/e2e/apps/statefulset.go] against the simulator', { timeout: 120_000 }, () => {
  test('Scaling should happen in predictable order and halt if any stateful pod is unhealthy', async () => {
    await create(statefulSet({ name: 'order', replicas: 1 }));
    await runningAndReady('order', 1);
    await setReady('order-0', false);
    await waitSts('order', (s) => !s.status?.readyReplicas, 'ready 0');
    await patchSts('order', { spec: { replicas: 3 } });
    await api.settle();
    assert.deepEqual(names('order'), ['order-0'], 'no successor while order-0 is unhealthy');
    const rec = record('order');
    await setReady('order-0', true);
    await runningAndReady('order', 3);
    assert.deepEqual(rec.log, ['READY order-0', 'ADDED order-1', 'READY order-1', 'ADDED order-2', 'READY order-2'], 'created in order, each after its predecessor is Ready');
    rec.log.length = 0;

    // scale down halts while pods are unhealthy
    for (const p of ['order-0', 'order-1', 'order-2']) await setReady(p, false);
    await waitSts('order', (s) => !s.status?.readyReplicas, 'ready 0');
    await patchSts('order', { spec: { replicas: 0 } });
    await api.settle();
    assert.deepEqual(names('order'), ['order-0', 'order-1', 'order-2'], 'scale-down halts on unhealthy pods');
    // as the probes pass again the pods go, highest ordinal first (the first unhealthy pod may go while unhealthy)
    for (const p of ['order-0', 'order-1', 'order-2']) await setReady(p, true, true);
    await waitSts('order', () => names('order').length === 0, 'scaled to 0');
    rec.stop();
    assert.deepEqual(rec.log.filter((l) => l.startsWith('DELETED')), ['DELETED order-2', 'DELETED order-1', 'DELETED order-0'], 'removed in reverse order');
  });

  test('Burst scaling should run to completion even with unhealthy pods', async () => {
    await create(statefulSet({ name: 'burst', replicas: 1, podManagementPolicy: 'Parallel' }));
    await runningAndReady('burst', 1);
    await setReady('burst-0', false);
    await patchSts('burst', { spec: { replicas: 3 } });
    await waitSts('burst', () => names('burst').length === 3, '3 pods although burst-0 is unhealthy');
    await runningAndReady('burst', 2).catch(() => undefined);
    await api.settle();
    for (const p of ['burst-1', 'burst-2']) await setReady(p, false);
    await patchSts('burst', { spec: { replicas: 0 } });
    await waitSts('burst', (s) => names('burst').length === 0 && s.status?.replicas === 0, 'scaled to 0 with every pod unhealthy');
  });

  test('should perform rolling updates and roll backs of template modifications', async () => {
    await create(statefulSet({ name: 'roll', replicas: 3 }));
    let s = await runningAndReady('roll', 3);
    const first = s.status.currentRevision;
    assert.equal(s.status.updateRevision, first);
    for (const p of pods('roll')) assert.equal(p.metadata.labels['controller-revision-hash'], first);

    // an unhealthy pod holds the update (OrderedReady): nothing is replaced until it is Ready
    await setReady('roll-1', false);
    await setImage('roll', 'registry.k8s.io/nginx-slim:0.27');
    s = await waitSts('roll', (x) => x.status?.updateRevision !== first, 'a new update revision');
    const second = s.status.updateRevision;
    await api.settle();
    assert.deepEqual(pods('roll').map((p) => p.metadata.labels['controller-revision-hash']), [first, first, first], 'held while roll-1 is unhealthy');

    const rec = record('roll');
    await setReady('roll-1', true);
    s = await waitSts('roll', (x) => x.status?.currentRevision === second && x.status?.updatedReplicas === 3 && x.status?.readyReplicas === 3, 'rolled to the new revision');
    rec.stop();
    assert.deepEqual(rec.log.filter((l) => !l.startsWith('READY roll-1') || rec.log.indexOf(l) > 0).filter((l) => l.startsWith('DELETED') || l.startsWith('ADDED')), [
      'DELETED roll-2', 'ADDED roll-2', 'DELETED roll-1', 'ADDED roll-1', 'DELETED roll-0', 'ADDED roll-0',
    ], 'reverse ordinal order, one at a time');
    for (const p of pods('roll')) assert.equal(p.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.27');
    assert.equal(s.status.currentReplicas, 3);

    // rolling back to the first template reuses the first revision (no new one)
    await setImage('roll', 'registry.k8s.io/nginx-slim:0.24');
    s = await waitSts('roll', (x) => x.status?.currentRevision === first && x.status?.updateRevision === first && x.status?.updatedReplicas === 3 && x.status?.readyReplicas === 3, 'rolled back');
    for (const p of pods('roll')) assert.equal(p.metadata.labels['controller-revision-hash'], first);
    for (const p of pods('roll')) assert.equal(p.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
  });

  test('Burst (Parallel) rolling update goes on past an unhealthy pod [stateful_set_control.go, no monotonic wait]', async () => {
    await create(statefulSet({ name: 'burstroll', replicas: 3, podManagementPolicy: 'Parallel' }));
    const s = await runningAndReady('burstroll', 3);
    const first = s.status.currentRevision;
    await setReady('burstroll-0', false);
    await setImage('burstroll', 'registry.k8s.io/nginx-slim:0.27');
    // the unhealthy burstroll-0 does not hold the update: every pod reaches the new revision (burstroll-0 replaced too)
    const done = await waitSts('burstroll', (x) => x.status?.updateRevision !== first && pods('burstroll').length === 3 && pods('burstroll').every((p) => p.metadata.labels['controller-revision-hash'] === x.status.updateRevision), 'all updated');
    await runningAndReady('burstroll', 3);
    assert.notEqual(done.status.updateRevision, first);
  });

  test('should perform canary updates and phased rolling updates of template modifications', async () => {
    await create(statefulSet({ name: 'canary', replicas: 3, partition: 3 }));
    let s = await runningAndReady('canary', 3);
    const current = s.status.currentRevision;
    assert.equal(s.status.updateRevision, current);
    await setImage('canary', 'registry.k8s.io/nginx-slim:0.27');
    s = await waitSts('canary', (x) => x.status?.updateRevision !== current, 'a new revision');
    const update = s.status.updateRevision;
    assert.equal(s.status.currentRevision, current, 'current revision stays during the update');
    await api.settle();
    assert.deepEqual(pods('canary').map((p) => p.metadata.labels['controller-revision-hash']), [current, current, current], 'partition 3 > replicas: no pod updated');

    // canary: partition 2 updates only the highest ordinal
    await patchSts('canary', { spec: { updateStrategy: { rollingUpdate: { partition: 2 } } } });
    await waitSts('canary', () => pods('canary').length === 3 && revisionOf('canary-2') === update && pods('canary').every(isPodReady), 'canary-2 updated');
    await api.settle();
    assert.deepEqual([revisionOf('canary-0'), revisionOf('canary-1')], [current, current]);

    // pods below the partition that are deleted come back at the current revision
    await deletePod('canary-0');
    await deletePod('canary-1');
    await waitSts('canary', (x) => x.status?.readyReplicas === 3 && pods('canary').length === 3 && pods('canary').every(isPodReady), 'restored');
    assert.deepEqual(pods('canary').map((p) => p.metadata.labels['controller-revision-hash']), [current, current, update], 'restored without violating the partition');

    // phased: 1, then 0
    await patchSts('canary', { spec: { updateStrategy: { rollingUpdate: { partition: 1 } } } });
    await waitSts('canary', () => revisionOf('canary-1') === update && pods('canary').every(isPodReady) && pods('canary').length === 3, 'canary-1 updated');
    await api.settle();
    assert.equal(revisionOf('canary-0'), current);
    await patchSts('canary', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    s = await waitSts('canary', (x) => x.status?.currentRevision === update && x.status?.updatedReplicas === 3 && x.status?.readyReplicas === 3, 'all updated');
    assert.deepEqual(pods('canary').map((p) => p.metadata.labels['controller-revision-hash']), [update, update, update]);
  });

  test('should implement legacy replacement when the update strategy is OnDelete', async () => {
    await create(statefulSet({ name: 'ondelete', replicas: 3, updateStrategy: 'OnDelete' }));
    let s = await runningAndReady('ondelete', 3);
    const current = s.status.currentRevision;
    // restoring deleted pods at the current revision
    for (const p of ['ondelete-0', 'ondelete-1', 'ondelete-2']) await deletePod(p);
    await runningAndReady('ondelete', 3);
    for (const p of pods('ondelete')) assert.equal(p.metadata.labels['controller-revision-hash'], current);
    await setImage('ondelete', 'registry.k8s.io/nginx-slim:0.27');
    s = await waitSts('ondelete', (x) => x.status?.updateRevision !== current, 'a new revision');
    const update = s.status.updateRevision;
    await api.settle();
    for (const p of pods('ondelete')) assert.equal(p.metadata.labels['controller-revision-hash'], current, `${p.metadata.name} not replaced by the controller`);
    for (const p of ['ondelete-0', 'ondelete-1', 'ondelete-2']) await deletePod(p);
    await waitSts('ondelete', () => pods('ondelete').length === 3 && pods('ondelete').every((p) => isPodReady(p) && p.metadata.labels['controller-revision-hash'] === update), 'recreated at the update revision');
    for (const p of pods('ondelete')) assert.equal(p.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.27');
  });

  test('should adopt matching orphans and release non-matching pods', async () => {
    const s0 = await create(statefulSet({ name: 'adopt', replicas: 1 }));
    await runningAndReady('adopt', 1);
    const controllerOf = (p: Obj | undefined) => (p?.metadata.ownerReferences ?? []).find((r: Obj) => r.controller);
    const ref = controllerOf(api.store.get(POD, 'default', 'adopt-0'));
    assert.deepEqual([ref.kind, ref.name, ref.uid], ['StatefulSet', 'adopt', s0.metadata.uid], 'created with a ControllerRef');
    const uid = api.store.get(POD, 'default', 'adopt-0').metadata.uid;

    // orphaned → re-adopted
    let pod = await ok('GET', `${POD_PATH}/adopt-0`);
    delete pod.metadata.ownerReferences;
    await ok('PUT', `${POD_PATH}/adopt-0`, pod);
    await api.waitFor(() => controllerOf(api.store.peek(POD, 'default', 'adopt-0'))?.uid === s0.metadata.uid, 10_000);

    // labels removed → released (and no second pod of that name can be made while it holds the name)
    pod = await ok('GET', `${POD_PATH}/adopt-0`);
    const labels = pod.metadata.labels;
    pod.metadata.labels = {};
    await ok('PUT', `${POD_PATH}/adopt-0`, pod);
    await api.waitFor(() => {
      const p = api.store.peek(POD, 'default', 'adopt-0');
      return p && !controllerOf(p);
    }, 10_000);
    assert.equal(api.store.get(POD, 'default', 'adopt-0').metadata.uid, uid, 'the same pod, released, not deleted');

    // labels back → adopted again
    pod = await ok('GET', `${POD_PATH}/adopt-0`);
    pod.metadata.labels = labels;
    await ok('PUT', `${POD_PATH}/adopt-0`, pod);
    await api.waitFor(() => controllerOf(api.store.peek(POD, 'default', 'adopt-0'))?.uid === s0.metadata.uid, 10_000);
    await runningAndReady('adopt', 1);
    assert.equal(api.store.get(POD, 'default', 'adopt-0').metadata.uid, uid);
  });

  test("should not deadlock when a pod's predecessor fails", async () => {
    await create(statefulSet({ name: 'deadlock', replicas: 2 }));
    await runningAndReady('deadlock', 2);
    await setReady('deadlock-1', false);
    const uid0 = api.store.get(POD, 'default', 'deadlock-0').metadata.uid;
    await deletePod('deadlock-0');
    // the healthy predecessor is recreated although its successor is unhealthy
    await api.waitFor(() => {
      const p = api.store.peek(POD, 'default', 'deadlock-0');
      return p && p.metadata.uid !== uid0 && isPodReady(p);
    }, 10_000);
    assert.ok(!isPodReady(api.store.get(POD, 'default', 'deadlock-1')));
    await setReady('deadlock-1', true);
    await runningAndReady('deadlock', 2);
  });

  test('should provide basic identity', async () => {
    await ok('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ident' }, spec: { clusterIP: 'None', selector: { app: 'ident' }, ports: [{ port: 80 }] } });
    await create(statefulSet({ name: 'ident', replicas: 3, claims: [{ name: 'datadir', size: '1Gi' }] }));
    await runningAndReady('ident', 3);
    const claimUid = (o: number) => api.store.get(PVC, 'default', `datadir-ident-${o}`).metadata.uid;
    const before = [0, 1, 2].map(claimUid);
    const identity = () =>
      pods('ident').map((p) => [p.metadata.name, p.spec.hostname, p.spec.subdomain, p.spec.volumes.find((v: Obj) => v.name === 'datadir')?.persistentVolumeClaim?.claimName]);
    const expected = [0, 1, 2].map((o) => [`ident-${o}`, `ident-${o}`, 'ident', `datadir-ident-${o}`]);
    assert.deepEqual(identity(), expected, 'stable hostname, the service as subdomain, its own claim');
    // restart (upstream e2estatefulset.Restart: scale to 0, then back)
    await patchSts('ident', { spec: { replicas: 0 } });
    await waitSts('ident', (s) => names('ident').length === 0 && s.status?.replicas === 0, 'scaled to 0');
    await patchSts('ident', { spec: { replicas: 3 } });
    await runningAndReady('ident', 3);
    assert.deepEqual(identity(), expected, 'the same identity after the restart');
    assert.deepEqual([0, 1, 2].map(claimUid), before, 'the same claims (the data) after the restart');
  });

  test('AvailableReplicas should get updated accordingly when MinReadySeconds is enabled', async () => {
    await create({ ...statefulSet({ name: 'minready', replicas: 1 }), spec: { ...statefulSet({ name: 'minready', replicas: 1 }).spec, minReadySeconds: 1 } });
    const s = await runningAndReady('minready', 1);
    assert.ok((s.status.availableReplicas ?? 0) <= 1);
    await waitSts('minready', (x) => x.status?.availableReplicas === 1, 'available after minReadySeconds');
    await patchSts('minready', { spec: { minReadySeconds: 3600 } });
    await waitSts('minready', (x) => (x.status?.availableReplicas ?? 0) === 0 && x.status?.readyReplicas === 1, 'not available for an hour');
    await patchSts('minready', { spec: { minReadySeconds: 0 } });
    await waitSts('minready', (x) => x.status?.availableReplicas === 1, 'available again');
  });

  test('OrderedReady with minReadySeconds: a pod is created only once its predecessor is available [stateful_set_control.go processReplica]', async () => {
    const readySince = new Map<string, number>();
    let predecessorAvailable: boolean | undefined;
    const stop = api.store.subscribe((ev) => {
      if (ev.key !== 'pods' || !ev.object.metadata.name.startsWith('avail-')) return;
      if (ev.type === 'ADDED' && ev.object.metadata.name === 'avail-1') {
        const p0 = api.store.peek(POD, 'default', 'avail-0');
        const since = Date.parse(p0?.status?.conditions?.find((c: Obj) => c.type === 'Ready')?.lastTransitionTime ?? '');
        predecessorAvailable = isPodReady(p0) && since + 1000 <= Date.now();
      }
      if (isPodReady(ev.object) && !readySince.has(ev.object.metadata.name)) readySince.set(ev.object.metadata.name, Date.now());
    });
    const o = statefulSet({ name: 'avail', replicas: 2 });
    o.spec.minReadySeconds = 1;
    await create(o);
    await waitSts('avail', (x) => x.status?.availableReplicas === 2, 'both available');
    stop();
    assert.equal(predecessorAvailable, true, 'avail-1 was created after avail-0 had been Ready for minReadySeconds');
  });

  test('maxUnavailable is dropped while the MaxUnavailableStatefulSet gate is off (v1.32 default): updates go one pod at a time', async () => {
    const o = statefulSet({ name: 'maxun', replicas: 3 });
    o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } };
    const created = await create(o);
    assert.deepEqual(created.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, 'the field is dropped on create');
    await runningAndReady('maxun', 3);
    const patched = await patchSts('maxun', { spec: { updateStrategy: { rollingUpdate: { maxUnavailable: '50%' } } } });
    assert.equal(patched.spec.updateStrategy.rollingUpdate.maxUnavailable, undefined, 'and on update');
    let most = 0;
    const stop = api.store.subscribe((ev) => {
      if (ev.key !== 'pods' || !ev.object.metadata.name.startsWith('maxun-')) return;
      const down = 3 - pods('maxun').filter((p) => isPodReady(p)).length;
      most = Math.max(most, down);
    });
    await setImage('maxun', 'registry.k8s.io/nginx-slim:0.27');
    await waitSts('maxun', (x) => x.status?.updatedReplicas === 3 && x.status?.readyReplicas === 3 && x.status?.currentRevision === x.status?.updateRevision, 'updated');
    stop();
    assert.equal(most, 1, 'never more than one pod down');
  });

  test('PersistentVolumeClaim retention: should delete PVCs with a WhenDeleted policy', async () => {
    await create(statefulSet({ name: 'whendel', replicas: 2, claims: [{ name: 'data', size: '1Gi' }], whenDeleted: 'Delete' }));
    await runningAndReady('whendel', 2);
    const claims = () => api.store.listRaw(PVC, 'default').filter((c) => c.metadata.name.startsWith('data-whendel-')).map((c) => c.metadata.name).sort();
    assert.deepEqual(claims(), ['data-whendel-0', 'data-whendel-1']);
    await ok('DELETE', `${STS_PATH}/whendel`);
    await api.waitFor(() => claims().length === 0 && names('whendel').length === 0, 10_000);
  });

  test('PersistentVolumeClaim retention: should delete PVCs with a OnScaledown policy', async () => {
    await create(statefulSet({ name: 'whenscale', replicas: 3, claims: [{ name: 'data', size: '1Gi' }], whenScaled: 'Delete' }));
    await runningAndReady('whenscale', 3);
    const claims = () => api.store.listRaw(PVC, 'default').filter((c) => c.metadata.name.startsWith('data-whenscale-')).map((c) => c.metadata.name).sort();
    await patchSts('whenscale', { spec: { replicas: 1 } });
    await api.waitFor(() => claims().length === 1 && names('whenscale').length === 1, 10_000);
    assert.deepEqual(claims(), ['data-whenscale-0'], 'the remaining replica keeps its claim');
  });

  test('PersistentVolumeClaim retention: should not delete PVC with OnScaledown policy if another controller owns the PVC', async () => {
    await create(statefulSet({ name: 'owned', replicas: 2, claims: [{ name: 'data', size: '1Gi' }], whenScaled: 'Delete' }));
    await runningAndReady('owned', 2);
    const claim = await ok('GET', '/api/v1/namespaces/default/persistentvolumeclaims/data-owned-1');
    claim.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'other-owner', uid: '00000000-0000-0000-0000-00000000beef', controller: true }];
    await ok('PUT', '/api/v1/namespaces/default/persistentvolumeclaims/data-owned-1', claim);
    await patchSts('owned', { spec: { replicas: 1 } });
    await api.waitFor(() => names('owned').length === 1, 10_000);
    await api.settle();
    const after = api.store.peek(PVC, 'default', 'data-owned-1');
    assert.ok(after && !after.metadata.deletionTimestamp, 'the claim another controller owns is kept');
    assert.deepEqual(after.metadata.ownerReferences.map((r: Obj) => r.name), ['other-owner'], 'and its owner references are left alone');
  });

  test('should have a working scale subresource', async () => {
    await create(statefulSet({ name: 'scaled', replicas: 1, labels: { app: 'scaled', tier: 'db' } }));
    await runningAndReady('scaled', 1);
    await api.settle(); // the controller's status writes are done: the Scale's resourceVersion stays current
    const scale = await ok('GET', `${STS_PATH}/scaled/scale`);
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.spec.replicas, 1);
    assert.equal(scale.status.replicas, 1);
    assert.equal(scale.status.selector, 'app=scaled,tier=db');
    scale.spec.replicas = 2;
    const put = await ok('PUT', `${STS_PATH}/scaled/scale`, scale);
    assert.equal(put.spec.replicas, 2);
    assert.equal((await getSts('scaled')).spec.replicas, 2);
    await runningAndReady('scaled', 2);
    const patched = await ok('PATCH', `${STS_PATH}/scaled/scale`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    assert.equal(patched.spec.replicas, 3);
    await runningAndReady('scaled', 3);
    assert.equal((await ok('GET', `${STS_PATH}/scaled/scale`)).status.replicas, 3);
    await api.settle();
    const stale = await http(api, 'PUT', `${STS_PATH}/scaled/scale`, { body: { ...scale, spec: { replicas: 1 } } });
    assert.equal(stale.status, 409, 'a Scale read before other writes is stale, as for the StatefulSet itself');
    const fresh = await ok('GET', `${STS_PATH}/scaled/scale`);
    const bad = await http(api, 'PUT', `${STS_PATH}/scaled/scale`, { body: { ...fresh, spec: { replicas: -1 } } });
    assert.equal(bad.status, 422, bad.text);
  });

  test('should validate Statefulset Status endpoints', async () => {
    await create(statefulSet({ name: 'status', replicas: 1 }));
    await runningAndReady('status', 1);
    const got = await ok('GET', `${STS_PATH}/status/status`);
    assert.equal(got.kind, 'StatefulSet');
    assert.equal(got.status.readyReplicas, 1);
    // a condition written through /status stays (the controller rewrites status only when its counts change),
    // and spec or labels sent to /status are ignored
    const condition = { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
    const patched = await ok('PATCH', `${STS_PATH}/status/status`, { metadata: { labels: { sneaky: 'yes' } }, spec: { replicas: 5 }, status: { conditions: [condition] } }, 'application/merge-patch+json');
    assert.deepEqual(patched.status.conditions, [condition]);
    assert.equal(patched.spec.replicas, 1);
    assert.equal(patched.metadata.labels.sneaky, undefined);
    await api.settle();
    assert.deepEqual((await getSts('status')).status.conditions, [condition], 'the controller does not wipe it');
    const again = await ok('GET', `${STS_PATH}/status/status`);
    assert.deepEqual(again.status.conditions, [condition]);
  });

  test('a failed pod is deleted and created again [stateful_set_control.go: RecreatingFailedPod; upstream "Should recreate evicted statefulset"]', async () => {
    await create(statefulSet({ name: 'evicted', replicas: 1 }));
    await runningAndReady('evicted', 1);
    const uid = api.store.get(POD, 'default', 'evicted-0').metadata.uid;
    const pod = await ok('GET', `${POD_PATH}/evicted-0`);
    pod.status.phase = 'Failed';
    pod.status.reason = 'Evicted';
    await ok('PUT', `${POD_PATH}/evicted-0/status`, pod);
    await api.waitFor(() => {
      const p = api.store.peek(POD, 'default', 'evicted-0');
      return p && p.metadata.uid !== uid && isPodReady(p);
    }, 10_000);
    const events = api.store.listRaw(resourceByKind('Event'), 'default').filter((e) => e.reason === 'RecreatingFailedPod').map((e) => e.message);
    assert.ok(events.some((m) => m.includes('evicted-0')), events.join('\n'));
  });
});
