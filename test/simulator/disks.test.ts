// The simulator's disks: the kubelet's stats/summary through the node proxy (shape, settable and growing
// usage, 403 for a user without nodes/proxy, 503 for a node that does not answer), the VolumeSnapshot CRDs
// present or absent, the snapshot controller (ready after a delay, never ready, errors, deletionPolicy) and
// restore: a PVC with a VolumeSnapshot dataSource is bound with the snapshot's data marker. Proved over
// HTTPS and with the real kubectl.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApiServer, statefulSet, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, cols, http, kubectl } from './testkit';

const PVC = resourceByKind('PersistentVolumeClaim');
const VS = resourceByKind('VolumeSnapshot');
const GIB = 2 ** 30;
const SNAP = '/apis/snapshot.storage.k8s.io/v1';

const summaryPath = '/api/v1/nodes/simulator-node/proxy/stats/summary';

function volumesOf(summary: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const p of summary.pods ?? []) for (const v of p.volume ?? []) out.set(v.pvcRef.name, v);
  return out;
}

describe('simulator: kubelet volume stats', { timeout: 60_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5 });
    api.create(statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '2Gi' }] }));
    await api.waitFor(() => api.store.listRaw(resourceByKind('Pod')).filter((p) => p.status?.phase === 'Running').length === 2);
  });
  after(() => api.stop());

  test('stats/summary lists each running pod\'s PVC volumes in the kubelet shape', async () => {
    const r = await http(api, 'GET', summaryPath);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.node.nodeName, 'simulator-node');
    const vols = volumesOf(r.body);
    assert.deepEqual([...vols.keys()].sort(), ['data-db-0', 'data-db-1']);
    const v = vols.get('data-db-0')!;
    assert.deepEqual(v.pvcRef, { name: 'data-db-0', namespace: 'default' });
    assert.equal(v.name, 'data');
    assert.equal(v.capacityBytes, 2 * GIB);
    assert.equal(v.usedBytes + v.availableBytes, v.capacityBytes);
    assert.ok(v.usedBytes > 0 && v.usedBytes < v.capacityBytes);
    assert.equal(v.inodesUsed + v.inodesFree, v.inodes);
    // the same claim reads the same when nobody changes it
    const again = volumesOf((await http(api, 'GET', summaryPath)).body).get('data-db-0')!;
    assert.equal(again.usedBytes, v.usedBytes);
  });

  test('usage set from a test (in-process and through the control endpoint) is what the kubelet reports', async () => {
    api.volumeStats.set('default', 'data-db-1', { usedBytes: 1_900_000_000, inodes: 1000, inodesUsed: 950 });
    let v = volumesOf((await http(api, 'GET', summaryPath)).body).get('data-db-1')!;
    assert.equal(v.usedBytes, 1_900_000_000);
    assert.equal(v.availableBytes, 2 * GIB - 1_900_000_000);
    assert.equal(v.inodesUsed, 950);
    assert.equal(v.inodes, 1000);
    const c = await http(api, 'POST', '/_simulator/stats/set', { body: { namespace: 'default', name: 'data-db-1', usedFraction: 0.5 } });
    assert.equal(c.status, 200, c.text);
    v = volumesOf((await http(api, 'GET', summaryPath)).body).get('data-db-1')!;
    assert.equal(v.usedBytes, GIB);
  });

  test('usage grows over time at the rate set, capped at the capacity', async () => {
    api.volumeStats.set('default', 'data-db-0', { usedBytes: GIB, growthBytesPerHour: 3.6e12 }); // 1 MB per ms
    const a = volumesOf((await http(api, 'GET', summaryPath)).body).get('data-db-0')!.usedBytes;
    await new Promise((r) => setTimeout(r, 60));
    const b = volumesOf((await http(api, 'GET', summaryPath)).body).get('data-db-0')!.usedBytes;
    assert.ok(b > a, `${b} > ${a}`);
    await new Promise((r) => setTimeout(r, 1200));
    const c = volumesOf((await http(api, 'GET', summaryPath)).body).get('data-db-0')!;
    assert.equal(c.usedBytes, 2 * GIB);
    assert.equal(c.availableBytes, 0);
    api.volumeStats.set('default', 'data-db-0', { usedFraction: 0.2, growthBytesPerHour: 0 });
  });

  test('a user without get nodes/proxy gets 403 with the API server\'s wording', async () => {
    const r = await http(api, 'GET', summaryPath, { token: api.tokens.restricted });
    assert.equal(r.status, 403);
    assert.equal(r.body.reason, 'Forbidden');
    assert.match(r.body.message, /cannot get resource "nodes\/proxy" in API group ""/);
  });

  test('a node whose kubelet does not answer gives 503; an unknown node 404', async () => {
    api.volumeStats.setNodeAnswering('simulator-node', false);
    const r = await http(api, 'GET', summaryPath);
    assert.equal(r.status, 503);
    assert.match(r.body.message, /error trying to reach service/);
    api.volumeStats.setNodeAnswering('simulator-node', true);
    assert.equal((await http(api, 'GET', summaryPath)).status, 200);
    assert.equal((await http(api, 'GET', '/api/v1/nodes/nope/proxy/stats/summary')).status, 404);
    // a NotReady node: the API server cannot reach its kubelet either
    api.kubelet.setNodeReady(false);
    try {
      assert.equal((await http(api, 'GET', summaryPath)).status, 503);
    } finally {
      api.kubelet.setNodeReady(true);
    }
  });

  test('kubectl get --raw reads the summary', { skip: !HAS_KUBECTL }, async () => {
    const r = await kubectl(api, ['get', '--raw', summaryPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(volumesOf(JSON.parse(r.stdout)).has('data-db-0'));
  });
});

describe('simulator: VolumeSnapshots', { timeout: 60_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5, snapshotReadyDelayMs: 30 });
    api.create(statefulSet({ name: 'db', replicas: 3, claims: [{ name: 'data', size: '1Gi' }] }));
    await api.waitFor(() => api.store.listRaw(PVC).filter((p) => p.status?.phase === 'Bound').length === 3);
  });
  after(() => api.stop());

  test('absent CRDs: 404 and not in discovery; installed: served and discovered', async () => {
    assert.equal(api.snapshots.installed, false);
    assert.equal((await http(api, 'GET', `${SNAP}/namespaces/default/volumesnapshots`)).status, 404);
    assert.equal((await http(api, 'GET', SNAP)).status, 404);
    const groups = (await http(api, 'GET', '/apis')).body.groups.map((g: Obj) => g.name);
    assert.ok(!groups.includes('snapshot.storage.k8s.io'));
    const agg = await http(api, 'GET', '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    assert.ok(!agg.body.items.some((i: Obj) => i.metadata.name === 'snapshot.storage.k8s.io'));

    assert.equal((await http(api, 'POST', '/_simulator/snapshots/crds', { body: { installed: true } })).status, 200);
    assert.ok((await http(api, 'GET', '/apis')).body.groups.some((g: Obj) => g.name === 'snapshot.storage.k8s.io'));
    const rl = await http(api, 'GET', SNAP);
    assert.deepEqual(rl.body.resources.filter((r: Obj) => !r.name.includes('/')).map((r: Obj) => r.name).sort(), ['volumesnapshotclasses', 'volumesnapshotcontents', 'volumesnapshots']);
    const classes = await http(api, 'GET', `${SNAP}/volumesnapshotclasses`);
    assert.equal(classes.body.items[0].metadata.name, 'csi-hostpath-snapclass');
    assert.equal(classes.body.items[0].deletionPolicy, 'Delete');
  });

  test('a snapshot becomes readyToUse after a delay, with a content, restoreSize and the data of that moment', async () => {
    api.snapshots.writeMarker('default', 'data-db-1', 'rows-v1');
    const r = await http(api, 'POST', `${SNAP}/namespaces/default/volumesnapshots`, {
      body: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'snap-1' }, spec: { source: { persistentVolumeClaimName: 'data-db-1' } } },
    });
    assert.equal(r.status, 201, r.text);
    assert.notEqual(r.body.status?.readyToUse, true);
    api.snapshots.writeMarker('default', 'data-db-1', 'rows-v2'); // written after the snapshot was cut
    const ready = await api.waitFor(() => {
      const s = api.store.peek(VS, 'default', 'snap-1');
      return s?.status?.readyToUse === true ? s : false;
    });
    assert.equal(ready.status.restoreSize, '1Gi');
    assert.equal(ready.spec.volumeSnapshotClassName, 'csi-hostpath-snapclass'); // the default class
    const content = await http(api, 'GET', `${SNAP}/volumesnapshotcontents/${ready.status.boundVolumeSnapshotContentName}`);
    assert.equal(content.status, 200);
    assert.equal(content.body.spec.deletionPolicy, 'Delete');
    assert.equal(api.snapshots.snapshotMarker('default', 'snap-1'), 'rows-v1');
    assert.equal(api.snapshots.markerOf('default', 'data-db-1'), 'rows-v2');
  });

  test('a PVC made from the snapshot is bound and holds the snapshot\'s data; a smaller one stays Pending', async () => {
    const mk = (name: string, size: string) =>
      http(api, 'POST', '/api/v1/namespaces/default/persistentvolumeclaims', {
        body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: size } }, dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-1' } } },
      });
    assert.equal((await mk('restored', '1Gi')).status, 201);
    const bound = await api.waitFor(() => {
      const p = api.store.peek(PVC, 'default', 'restored');
      return p?.status?.phase === 'Bound' ? p : false;
    });
    assert.ok(bound.spec.volumeName);
    assert.equal(api.snapshots.markerOf('default', 'restored'), 'rows-v1');
    const m = await http(api, 'POST', '/_simulator/volumes/marker', { body: { namespace: 'default', name: 'restored' } });
    assert.equal(m.body.marker, 'rows-v1');
    assert.equal((await mk('too-small', '500Mi')).status, 201);
    await api.waitFor(() => api.store.listRaw(resourceByKind('Event'), 'default').some((e) => e.involvedObject?.name === 'too-small' && e.reason === 'ProvisioningFailed' && /less than the size/.test(e.message)));
    assert.equal(api.store.peek(PVC, 'default', 'too-small')!.status.phase, 'Pending');
  });

  test('never ready (a stuck driver) and errors (no such PVC, no such class)', async () => {
    api.snapshots.neverReady = true;
    try {
      await http(api, 'POST', `${SNAP}/namespaces/default/volumesnapshots`, { body: { metadata: { name: 'stuck' }, spec: { source: { persistentVolumeClaimName: 'data-db-0' } } } });
      await api.waitFor(() => api.store.peek(VS, 'default', 'stuck')?.status?.boundVolumeSnapshotContentName);
      await new Promise((r) => setTimeout(r, 250));
      assert.equal(api.store.peek(VS, 'default', 'stuck')!.status.readyToUse, false);
    } finally {
      api.snapshots.neverReady = false;
    }
    await api.waitFor(() => api.store.peek(VS, 'default', 'stuck')?.status?.readyToUse === true);
    await http(api, 'POST', `${SNAP}/namespaces/default/volumesnapshots`, { body: { metadata: { name: 'orphan' }, spec: { source: { persistentVolumeClaimName: 'no-such-pvc' } } } });
    const err = await api.waitFor(() => api.store.peek(VS, 'default', 'orphan')?.status?.error);
    assert.match(err.message, /cannot get claim/);
    await http(api, 'POST', `${SNAP}/namespaces/default/volumesnapshots`, { body: { metadata: { name: 'noclass' }, spec: { volumeSnapshotClassName: 'gold', source: { persistentVolumeClaimName: 'data-db-0' } } } });
    assert.match((await api.waitFor(() => api.store.peek(VS, 'default', 'noclass')?.status?.error)).message, /"gold" not found/);
  });

  test('deletionPolicy: Delete removes the content with the snapshot, Retain keeps it', async () => {
    const first = api.store.peek(VS, 'default', 'snap-1')!.status.boundVolumeSnapshotContentName;
    assert.equal((await http(api, 'DELETE', `${SNAP}/namespaces/default/volumesnapshots/snap-1`)).status, 200);
    assert.equal((await http(api, 'GET', `${SNAP}/volumesnapshotcontents/${first}`)).status, 404);
    await http(api, 'POST', `${SNAP}/volumesnapshotclasses`, { body: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'keep' }, driver: 'hostpath.csi.simulator.statefulset-studio.dev', deletionPolicy: 'Retain' } });
    await http(api, 'POST', `${SNAP}/namespaces/default/volumesnapshots`, { body: { metadata: { name: 'kept' }, spec: { volumeSnapshotClassName: 'keep', source: { persistentVolumeClaimName: 'data-db-2' } } } });
    const s = await api.waitFor(() => {
      const x = api.store.peek(VS, 'default', 'kept');
      return x?.status?.readyToUse ? x : false;
    });
    await http(api, 'DELETE', `${SNAP}/namespaces/default/volumesnapshots/kept`);
    const c = await http(api, 'GET', `${SNAP}/volumesnapshotcontents/${s.status.boundVolumeSnapshotContentName}`);
    assert.equal(c.status, 200);
    assert.equal(c.body.spec.deletionPolicy, 'Retain');
  });

  test('kubectl get volumesnapshots prints the snapshotter\'s columns', { skip: !HAS_KUBECTL }, async () => {
    await http(api, 'POST', `${SNAP}/namespaces/default/volumesnapshots`, { body: { metadata: { name: 'for-kubectl' }, spec: { source: { persistentVolumeClaimName: 'data-db-0' } } } });
    await api.waitFor(() => api.store.peek(VS, 'default', 'for-kubectl')?.status?.readyToUse === true);
    const r = await kubectl(api, ['get', 'volumesnapshots', '-n', 'default']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(cols(lines[0]).slice(0, 6), ['NAME', 'READYTOUSE', 'SOURCEPVC', 'SOURCESNAPSHOTCONTENT', 'RESTORESIZE', 'SNAPSHOTCLASS']);
    const row = lines.map(cols).find((c) => c[0] === 'for-kubectl')!;
    assert.equal(row[1], 'true');
    assert.equal(row[2], 'data-db-0');
    const vsc = await kubectl(api, ['get', 'vsclass']);
    assert.equal(vsc.code, 0, vsc.stderr);
    assert.match(vsc.stdout, /csi-hostpath-snapclass\s+hostpath\.csi\.simulator\.statefulset-studio\.dev\s+Delete/);
  });
});
