// The StatefulSet controller simulation: ordering, ordinals, labels, PVCs and retention,
// ControllerRevisions, rolling updates with partition, OnDelete, status.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { canonicalJson } from '../../simulator/admission';
import { isPodReady } from '../../simulator/controller';
import { startApiServer, statefulSet, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const REV = resourceByKind('ControllerRevision');
const EVENT = resourceByKind('Event');

/** Records pod events in order: "ADDED web-0", "READY web-0", "DELETED web-2". */
function recordPods(api: ApiServer, prefix: string): { log: string[]; stop: () => void } {
  const log: string[] = [];
  const ready = new Set<string>();
  const stop = api.store.subscribe((ev) => {
    if (ev.key !== 'pods' || !ev.object.metadata.name.startsWith(prefix)) return;
    const n = ev.object.metadata.name;
    if (ev.type === 'ADDED') log.push(`ADDED ${n}`);
    if (ev.type === 'DELETED') {
      log.push(`DELETED ${n}`);
      ready.delete(n);
    }
    if (ev.type === 'MODIFIED' && isPodReady(ev.object) && !ready.has(n)) {
      ready.add(n);
      log.push(`READY ${n}`);
    }
  });
  return { log, stop };
}

function sts(api: ApiServer, name: string, ns = 'default'): Obj {
  return api.store.get(STS, ns, name);
}

function update(api: ApiServer, name: string, change: (s: Obj) => void): Obj {
  const s = sts(api, name);
  change(s);
  delete s.metadata.resourceVersion;
  return api.store.update(STS, s);
}

function settled(api: ApiServer, name: string, check: (s: Obj) => boolean = () => true): Promise<Obj> {
  return api.waitFor(() => {
    const s = api.store.peek(STS, 'default', name);
    if (!s) return false;
    const st = s.status ?? {};
    const want = s.spec.replicas;
    const done =
      st.observedGeneration === s.metadata.generation &&
      (st.readyReplicas ?? 0) === want &&
      st.replicas === want &&
      (s.spec.updateStrategy.type === 'OnDelete' || s.spec.updateStrategy.rollingUpdate.partition > 0 || st.currentRevision === st.updateRevision);
    return done && check(s) ? s : false;
  }, 15_000);
}

function podNames(api: ApiServer, prefix: string): string[] {
  return api.store
    .listRaw(POD, 'default')
    .map((p) => p.metadata.name)
    .filter((n) => n.startsWith(`${prefix}-`));
}

function claimNames(api: ApiServer, suffix: string): string[] {
  return api.store
    .listRaw(PVC, 'default')
    .map((p) => p.metadata.name)
    .filter((n) => n.includes(`-${suffix}-`));
}

describe('StatefulSet controller simulation', { timeout: 60_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5 });
  });
  after(async () => {
    await api.stop();
  });

  test('OrderedReady: pods by ordinal, each after the previous one is Ready; identity labels, hostname, PVCs', async () => {
    const rec = recordPods(api, 'web-');
    api.create(statefulSet({ name: 'web', replicas: 3, claims: [{ name: 'www', size: '1Gi' }] }));
    const s = await settled(api, 'web');
    rec.stop();
    assert.deepEqual(rec.log, ['ADDED web-0', 'READY web-0', 'ADDED web-1', 'READY web-1', 'ADDED web-2', 'READY web-2']);
    const p1 = api.store.get(POD, 'default', 'web-1');
    assert.equal(p1.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.equal(p1.metadata.labels['apps.kubernetes.io/pod-index'], '1');
    assert.equal(p1.metadata.labels['controller-revision-hash'], s.status.updateRevision);
    assert.equal(p1.metadata.labels.app, 'web');
    assert.equal(p1.spec.hostname, 'web-1');
    assert.equal(p1.spec.subdomain, 'web');
    assert.deepEqual(p1.metadata.ownerReferences.map((r: Obj) => [r.kind, r.name, r.uid, r.controller]), [['StatefulSet', 'web', s.metadata.uid, true]]);
    assert.deepEqual(p1.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
    const pvc = api.store.get(PVC, 'default', 'www-web-1');
    assert.equal(pvc.status.phase, 'Bound');
    assert.equal(pvc.status.capacity.storage, '1Gi');
    assert.equal(pvc.spec.storageClassName, 'standard');
    assert.equal(pvc.metadata.ownerReferences, undefined, 'whenDeleted: Retain → no owner');
    assert.deepEqual(
      {
        replicas: s.status.replicas,
        readyReplicas: s.status.readyReplicas,
        currentReplicas: s.status.currentReplicas,
        updatedReplicas: s.status.updatedReplicas,
        availableReplicas: s.status.availableReplicas,
        observedGeneration: s.status.observedGeneration,
      },
      { replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 },
    );
    assert.equal(s.status.currentRevision, s.status.updateRevision);
    const events = api.store.listRaw(EVENT, 'default').filter((e) => e.involvedObject.name === 'web').map((e) => e.message);
    assert.ok(events.includes('create Pod web-0 in StatefulSet web successful'));
    assert.ok(events.includes('create Claim www-web-0 Pod web-0 in StatefulSet web success'));
  });

  test('Parallel: every pod is created before any is Ready', async () => {
    const rec = recordPods(api, 'par-');
    api.create(statefulSet({ name: 'par', replicas: 3, podManagementPolicy: 'Parallel' }));
    await settled(api, 'par');
    rec.stop();
    assert.deepEqual(rec.log.slice(0, 3).sort(), ['ADDED par-0', 'ADDED par-1', 'ADDED par-2']);
  });

  test('ordinals.start names pods from the start ordinal', async () => {
    api.create(statefulSet({ name: 'ord', replicas: 2, ordinalsStart: 5, claims: [{ name: 'd', size: '1Gi' }] }));
    await settled(api, 'ord');
    assert.deepEqual(podNames(api, 'ord'), ['ord-5', 'ord-6']);
    assert.equal(api.store.get(POD, 'default', 'ord-6').metadata.labels['apps.kubernetes.io/pod-index'], '6');
    assert.deepEqual(claimNames(api, 'ord').sort(), ['d-ord-5', 'd-ord-6']);
  });

  test('scale down removes the highest ordinal first and keeps PVCs (whenScaled: Retain); scale up reuses them', async () => {
    const before = api.store.get(PVC, 'default', 'www-web-2').metadata.uid;
    const rec = recordPods(api, 'web-');
    update(api, 'web', (s) => (s.spec.replicas = 1));
    await settled(api, 'web');
    assert.deepEqual(rec.log, ['DELETED web-2', 'DELETED web-1']);
    assert.deepEqual(claimNames(api, 'web').sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
    update(api, 'web', (s) => (s.spec.replicas = 3));
    await settled(api, 'web');
    rec.stop();
    assert.equal(api.store.get(PVC, 'default', 'www-web-2').metadata.uid, before, 'same claim back');
  });

  test('whenScaled: Delete removes the PVCs of removed ordinals; whenDeleted: Delete removes them with the set', async () => {
    api.create(statefulSet({ name: 'eph', replicas: 3, claims: [{ name: 'd', size: '1Gi' }], whenScaled: 'Delete', whenDeleted: 'Delete' }));
    const s = await settled(api, 'eph');
    assert.ok(api.store.get(PVC, 'default', 'd-eph-0').metadata.ownerReferences.some((r: Obj) => r.uid === s.metadata.uid));
    update(api, 'eph', (x) => (x.spec.replicas = 1));
    await settled(api, 'eph');
    assert.deepEqual(claimNames(api, 'eph'), ['d-eph-0']);
    api.store.delete(STS, 'default', 'eph');
    assert.deepEqual(claimNames(api, 'eph'), []);
    assert.deepEqual(podNames(api, 'eph'), []);
    assert.equal(api.store.listRaw(REV, 'default').filter((r) => r.metadata.name.startsWith('eph-')).length, 0, 'revisions collected');
  });

  test('deleting a StatefulSet with whenDeleted: Retain keeps its PVCs', async () => {
    api.create(statefulSet({ name: 'keep', replicas: 2, claims: [{ name: 'd', size: '1Gi' }] }));
    await settled(api, 'keep');
    api.store.delete(STS, 'default', 'keep');
    assert.deepEqual(podNames(api, 'keep'), []);
    assert.deepEqual(claimNames(api, 'keep').sort(), ['d-keep-0', 'd-keep-1']);
  });

  test('a deleted pod comes back with the same name and its old PVC', async () => {
    const claimUid = api.store.get(PVC, 'default', 'www-web-1').metadata.uid;
    const oldUid = api.store.get(POD, 'default', 'web-1').metadata.uid;
    api.store.delete(POD, 'default', 'web-1');
    const p = await api.waitFor(() => {
      const x = api.store.peek(POD, 'default', 'web-1');
      return x && x.metadata.uid !== oldUid && isPodReady(x) ? x : false;
    });
    assert.deepEqual(p.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
    assert.equal(api.store.get(PVC, 'default', 'www-web-1').metadata.uid, claimUid);
  });

  test('ControllerRevisions: canonical data, owner, numbers; rollback reuses the earlier revision with a new number', async () => {
    const s0 = sts(api, 'web');
    const revs = () => api.store.listRaw(REV, 'default').filter((r) => r.metadata.ownerReferences[0].uid === s0.metadata.uid).sort((a, b) => a.revision - b.revision);
    assert.equal(revs().length, 1);
    const r1 = revs()[0];
    assert.equal(r1.revision, 1);
    assert.equal(r1.metadata.name, s0.status.currentRevision);
    assert.equal(r1.metadata.labels.app, 'web');
    assert.deepEqual(r1.metadata.ownerReferences[0], { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: s0.metadata.uid, controller: true, blockOwnerDeletion: true });
    const expected = canonicalJson({ spec: { template: { ...s0.spec.template, $patch: 'replace' } } });
    assert.equal(JSON.stringify(r1.data), expected, 'data is the canonical (sorted-key) JSON of the template patch');
    assert.equal(r1.data.spec.template.metadata.creationTimestamp, null);

    const rec = recordPods(api, 'web-');
    update(api, 'web', (s) => (s.spec.template.spec.containers[0].image = 'nginx:1.27'));
    const s1 = await settled(api, 'web', (s) => s.status.updatedReplicas === 3);
    rec.stop();
    assert.deepEqual(
      rec.log.filter((l) => l.startsWith('DELETED')),
      ['DELETED web-2', 'DELETED web-1', 'DELETED web-0'],
      'rolling update in reverse ordinal order',
    );
    assert.deepEqual(revs().map((r) => r.revision), [1, 2]);
    assert.equal(s1.status.currentRevision, revs()[1].metadata.name);
    assert.equal(s1.metadata.generation, 4);
    assert.equal(s1.status.observedGeneration, 4);
    for (const n of podNames(api, 'web')) assert.equal(api.store.get(POD, 'default', n).spec.containers[0].image, 'nginx:1.27');

    // roll back: the template equals revision 1 again → that revision is reused as number 3
    update(api, 'web', (s) => (s.spec.template = structuredClone(r1.data.spec.template)) && delete s.spec.template.$patch);
    const s2 = await settled(api, 'web', (s) => s.status.updateRevision === r1.metadata.name && s.status.updatedReplicas === 3);
    assert.deepEqual(revs().map((r) => [r.metadata.name, r.revision]), [
      [s1.status.currentRevision, 2],
      [r1.metadata.name, 3],
    ]);
    assert.equal(s2.status.currentRevision, r1.metadata.name);
  });

  test('partition: only ordinals >= partition are updated; lowering it finishes the rollout', async () => {
    api.create(statefulSet({ name: 'part', replicas: 4, partition: 2 }));
    const s0 = await settled(api, 'part');
    const oldRev = s0.status.currentRevision;
    update(api, 'part', (s) => (s.spec.template.spec.containers[0].image = 'nginx:2'));
    const s1 = await settled(api, 'part', (s) => s.status.updatedReplicas === 2);
    assert.equal(s1.status.currentRevision, oldRev);
    assert.notEqual(s1.status.updateRevision, oldRev);
    assert.equal(s1.status.currentReplicas, 2);
    const rev = (n: string) => api.store.get(POD, 'default', n).metadata.labels['controller-revision-hash'];
    assert.deepEqual(['part-0', 'part-1', 'part-2', 'part-3'].map(rev), [oldRev, oldRev, s1.status.updateRevision, s1.status.updateRevision]);
    // a deleted pod below the partition comes back at the current (old) revision
    api.store.delete(POD, 'default', 'part-0');
    await api.waitFor(() => isPodReady(api.store.peek(POD, 'default', 'part-0')));
    assert.equal(rev('part-0'), oldRev);
    update(api, 'part', (s) => (s.spec.updateStrategy.rollingUpdate.partition = 0));
    const s2 = await settled(api, 'part', (s) => s.status.currentRevision === s.status.updateRevision);
    assert.equal(s2.status.updatedReplicas, 4);
    assert.equal(s2.status.currentReplicas, 4);
  });

  test('OnDelete: a new template waits until pods are deleted by hand', async () => {
    api.create(statefulSet({ name: 'ond', replicas: 2, updateStrategy: 'OnDelete' }));
    const s0 = await settled(api, 'ond');
    update(api, 'ond', (s) => (s.spec.template.spec.containers[0].image = 'nginx:3'));
    const s1 = await api.waitFor(() => {
      const s = sts(api, 'ond');
      return s.status.observedGeneration === 2 ? s : false;
    });
    await api.settle();
    assert.notEqual(s1.status.updateRevision, s0.status.currentRevision);
    assert.equal(api.store.get(POD, 'default', 'ond-1').spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
    assert.equal(sts(api, 'ond').status.updatedReplicas, undefined);
    api.store.delete(POD, 'default', 'ond-1');
    await api.waitFor(() => isPodReady(api.store.peek(POD, 'default', 'ond-1')));
    assert.equal(api.store.get(POD, 'default', 'ond-1').spec.containers[0].image, 'nginx:3');
    const s2 = await api.waitFor(() => (sts(api, 'ond').status.updatedReplicas === 1 ? sts(api, 'ond') : false));
    assert.equal(s2.status.currentReplicas, 1);
  });

  test('a StatefulSet with a long name (55 characters) is accepted but no pod can be created', async () => {
    const name = `a${'b'.repeat(54)}`; // 55 characters: name-hash is always over 63
    api.create(statefulSet({ name, replicas: 1 }));
    const ev = await api.waitFor(() => api.store.listRaw(EVENT, 'default').find((e) => e.involvedObject.name === name && e.reason === 'FailedCreate'));
    assert.match(ev.message, /must be no more than 63 characters/);
    assert.equal(ev.type, 'Warning');
    assert.deepEqual(podNames(api, name), []);
  });
});

describe('graceful pod termination (podTerminationMs)', { timeout: 30_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 2, podTerminationMs: 20, recordEvents: false });
  });
  after(async () => {
    await api.stop();
  });

  test('scale-down: each pod is Terminating, then gone, before the next one is touched; a replacement waits for the old pod to go', async () => {
    api.create(statefulSet({ name: 'gr', replicas: 3 }));
    await settled(api, 'gr');
    const log: string[] = [];
    const unsub = api.store.subscribe((ev) => {
      if (ev.key !== 'pods') return;
      const n = ev.object.metadata.name;
      if (ev.type === 'MODIFIED' && ev.object.metadata.deletionTimestamp && !ev.prev?.metadata.deletionTimestamp) log.push(`TERMINATING ${n}`);
      if (ev.type === 'DELETED') log.push(`DELETED ${n}`);
      if (ev.type === 'ADDED') log.push(`ADDED ${n}`);
    });
    update(api, 'gr', (s) => (s.spec.replicas = 1));
    await settled(api, 'gr');
    assert.deepEqual(log, ['TERMINATING gr-2', 'DELETED gr-2', 'TERMINATING gr-1', 'DELETED gr-1']);
    log.length = 0;
    const r = api.store.delete(POD, 'default', 'gr-0');
    assert.ok(r.metadata.deletionTimestamp, 'delete answers with the Terminating pod');
    assert.ok(api.store.peek(POD, 'default', 'gr-0'), 'still there while terminating');
    await api.waitFor(() => isPodReady(api.store.peek(POD, 'default', 'gr-0')) && log.includes('ADDED gr-0'));
    unsub();
    assert.deepEqual(log, ['TERMINATING gr-0', 'DELETED gr-0', 'ADDED gr-0']);
  });

  test('whenScaled: Delete removes a claim only once its pod is gone', async () => {
    api.create(statefulSet({ name: 'gd', replicas: 2, claims: [{ name: 'd', size: '1Gi' }], whenScaled: 'Delete' }));
    await settled(api, 'gd');
    let claimWhileTerminating: boolean | undefined;
    const unsub = api.store.subscribe((ev) => {
      if (ev.key === 'pods' && ev.type === 'MODIFIED' && ev.object.metadata.name === 'gd-1' && ev.object.metadata.deletionTimestamp)
        claimWhileTerminating = !!api.store.peek(PVC, 'default', 'd-gd-1');
    });
    update(api, 'gd', (s) => (s.spec.replicas = 1));
    await api.waitFor(() => !api.store.peek(PVC, 'default', 'd-gd-1'));
    unsub();
    assert.equal(claimWhileTerminating, true);
    assert.equal(api.store.peek(POD, 'default', 'gd-1'), undefined);
    assert.ok(api.store.peek(PVC, 'default', 'd-gd-0'));
  });
});

describe('simulated failures (by image name)', { timeout: 30_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 2, recordEvents: false });
  });
  after(async () => {
    await api.stop();
  });

  test('a crashlooping image stalls a rolling update at the highest ordinal; fixing the image finishes it', async () => {
    api.create(statefulSet({ name: 'cr', replicas: 3 }));
    await settled(api, 'cr');
    update(api, 'cr', (s) => (s.spec.template.spec.containers[0].image = 'example.com/app:crashloop'));
    const stuck = await api.waitFor(() => {
      const p = api.store.peek(POD, 'default', 'cr-2');
      return p?.spec.containers[0].image === 'example.com/app:crashloop' && p.status.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : false;
    });
    assert.equal(stuck.status.phase, 'Running');
    assert.equal(isPodReady(stuck), false);
    await api.settle();
    const s = sts(api, 'cr');
    assert.equal(s.status.updatedReplicas, 1);
    assert.equal(s.status.readyReplicas, 2);
    assert.equal(api.store.get(POD, 'default', 'cr-1').spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24', 'the rollout waits');
    update(api, 'cr', (x) => (x.spec.template.spec.containers[0].image = 'example.com/app:1.1'));
    // the broken pod is not Ready: the real controller replaces it only when it is deleted (or it recovers)
    api.store.delete(POD, 'default', 'cr-2');
    await settled(api, 'cr', (x) => x.status.updatedReplicas === 3);
  });

  test('an image that cannot be pulled leaves the pod Pending in ImagePullBackOff', async () => {
    api.create(statefulSet({ name: 'pl', replicas: 1, image: 'example.com/doesnotexist:1' }));
    const p = await api.waitFor(() => {
      const x = api.store.peek(POD, 'default', 'pl-0');
      return x?.status.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' ? x : false;
    });
    assert.equal(p.status.phase, 'Pending');
  });
});
