// Restore from Snapshot… in the cluster layer, against the simulator over real HTTPS: the round trip (snapshot
// ordinal 1, write more, restore → its pod runs on a PVC whose data marker is the snapshot's; the other ordinals'
// pods keep their UIDs), the plan (every pod and PVC, the old volume's fate), refusals (snapshot not ready,
// not the ordinal's PVC), a kill before every step followed by a resume from the journal file, and the PVC
// never deleted when the snapshot is gone by then (the StatefulSet comes back on the old data).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { Logger } from '../../client/src/cluster/log';
import { planSnapshots, takeSnapshots } from '../../client/src/cluster/snapshots';
import { RESTORE_STAGES, RestoreJournal, restorePreflight, runRestore, type RestoreStage, type RestoreTarget } from '../../client/src/cluster/workflows/restore';
import { startApiServer, statefulSet, type ApiServer } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { statefulSetReady } from './helpers';

const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const STS = resourceByKind('StatefulSet');
const VS = resourceByKind('VolumeSnapshot');

class Stop extends Error {}

describe('restore from snapshot', { timeout: 240_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  let dir: string;
  let journal: RestoreJournal;
  let n = 0;

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5, snapshotCrds: true, snapshotReadyDelayMs: 20 });
    conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: new Logger(() => {}) });
    dir = mkdtempSync(join(tmpdir(), 'sts-restore-journal-'));
    journal = new RestoreJournal(dir);
  });
  after(async () => {
    conn?.stop();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const podUids = (name: string) => Object.fromEntries(api.store.listRaw(POD, 'default').filter((p) => p.metadata.name.startsWith(`${name}-`)).map((p) => [p.metadata.name, p.metadata.uid]));

  /** A fresh StatefulSet with 3 ordinals, data written on ordinal 1, a ready snapshot of it, then more data. */
  async function fresh(): Promise<{ name: string; snapshot: string; target: RestoreTarget }> {
    const name = `db${++n}`;
    api.create(statefulSet({ name, replicas: 3, claims: [{ name: 'data', size: '1Gi' }] }));
    await statefulSetReady(api, name, 3);
    const pvc = `data-${name}-1`;
    api.snapshots.writeMarker('default', pvc, `${name}: rows as of the snapshot`);
    const [s] = await takeSnapshots(conn.http, planSnapshots('default', name, [{ pvc, template: 'data', ordinal: 1 }], undefined), { timeoutMs: 10_000 });
    assert.ok(s.ready, s.error);
    api.snapshots.writeMarker('default', pvc, `${name}: rows written after`);
    return { name, snapshot: s.name, target: { cluster: conn.server, context: conn.context, namespace: 'default', statefulSet: name, ordinal: 1, pvc, snapshot: s.name } };
  }

  test('round trip: ordinal 1 runs on a PVC holding the snapshot\'s data; ordinals 0 and 2 untouched', async () => {
    const { name, snapshot, target } = await fresh();
    const before = podUids(name);
    const oldPvc = api.store.peek(PVC, 'default', `data-${name}-1`)!.metadata.uid;
    const pf = await restorePreflight(conn.http, target);
    assert.ok(pf.ok, pf.plan);
    assert.match(pf.plan, new RegExp(`Delete pod ${name}-1`));
    assert.match(pf.plan, new RegExp(`${name}-0, ${name}-2 are not touched`));
    assert.match(pf.plan, /THE DATA ON IT NOW IS LOST/);
    assert.match(pf.oldVolume, /DELETED when the PVC goes \(reclaimPolicy Delete of StorageClass standard\)/);
    const progress: string[] = [];
    const r = await runRestore(conn.http, journal, pf.entry!, { onProgress: (t) => progress.push(t), waitTimeoutMs: 20_000 });
    assert.equal(api.snapshots.markerOf('default', `data-${name}-1`), `${name}: rows as of the snapshot`);
    assert.notEqual(r.pvcUid, oldPvc);
    const pvc = api.store.peek(PVC, 'default', `data-${name}-1`)!;
    assert.equal(pvc.spec.dataSource.name, snapshot);
    assert.equal(pvc.status.phase, 'Bound');
    const after = podUids(name);
    assert.equal(after[`${name}-0`], before[`${name}-0`]);
    assert.equal(after[`${name}-2`], before[`${name}-2`]);
    assert.notEqual(after[`${name}-1`], before[`${name}-1`]);
    assert.deepEqual(r.otherPodsRecreated, []);
    const pod = api.store.peek(POD, 'default', `${name}-1`)!;
    assert.equal(pod.status.phase, 'Running');
    assert.ok(pod.spec.volumes.some((v: any) => v.persistentVolumeClaim?.claimName === `data-${name}-1`));
    // the new StatefulSet owns all three pods
    const sts = api.store.peek(STS, 'default', name)!;
    for (const p of Object.keys(after)) assert.equal(api.store.peek(POD, 'default', p)!.metadata.ownerReferences[0].uid, sts.metadata.uid);
    // ordinals 0 and 2 keep their own data
    assert.equal(api.snapshots.markerOf('default', `data-${name}-0`), `volume:${api.store.peek(PVC, 'default', `data-${name}-0`)!.spec.volumeName}`);
    assert.equal(journal.list().length, 0);
    assert.ok(progress.some((t) => t.includes('deleting pod')));
  });

  test('with "snapshot the current data first": that snapshot holds the data written after, and is ready', async () => {
    const { name, target } = await fresh();
    const pf = await restorePreflight(conn.http, { ...target, snapshotCurrentFirst: true });
    assert.ok(pf.ok, pf.plan);
    assert.match(pf.plan, /^1\. Snapshot the data/m);
    const r = await runRestore(conn.http, journal, pf.entry!, { waitTimeoutMs: 20_000 });
    assert.ok(r.safetySnapshot);
    assert.equal(api.store.peek(VS, 'default', r.safetySnapshot!)!.status.readyToUse, true);
    assert.equal(api.snapshots.snapshotMarker('default', r.safetySnapshot!), `${name}: rows written after`);
    assert.equal(api.snapshots.markerOf('default', `data-${name}-1`), `${name}: rows as of the snapshot`);
  });

  test('refused: a snapshot that is not ready; a PVC that is not the ordinal\'s; nothing changes', async () => {
    const { name, target } = await fresh();
    api.snapshots.neverReady = true;
    try {
      const plan = planSnapshots('default', name, [{ pvc: `data-${name}-1`, template: 'data', ordinal: 1 }], undefined, new Date(Date.now() + 5000));
      await takeSnapshots(conn.http, plan, { timeoutMs: 200 });
      const rv = api.store.rv;
      const pf = await restorePreflight(conn.http, { ...target, snapshot: plan[0].name });
      assert.equal(pf.ok, false);
      assert.match(pf.refusals.join('\n'), /is not readyToUse: a PVC cannot be made from it yet/);
      const wrong = await restorePreflight(conn.http, { ...target, pvc: `data-${name}-2` });
      assert.match(wrong.refusals.join('\n'), new RegExp(`data-${name}-2 is not the PVC of ordinal 1`));
      assert.equal(api.store.rv, rv, 'preflight writes nothing');
    } finally {
      api.snapshots.neverReady = false;
    }
  });

  test('the snapshot is gone when the PVC would be deleted: the PVC is NOT deleted, the pod runs again on its old data', async () => {
    const { name, snapshot, target } = await fresh();
    const oldPvc = api.store.peek(PVC, 'default', `data-${name}-1`)!.metadata.uid;
    const pf = await restorePreflight(conn.http, target);
    assert.ok(pf.ok);
    await assert.rejects(
      runRestore(conn.http, journal, pf.entry!, {
        waitTimeoutMs: 20_000,
        beforeStep: async (s) => {
          if (s === 'delete-pvc') api.store.delete(VS, 'default', snapshot);
        },
      }),
      /stopped before its PVC was deleted: VolumeSnapshot .* is gone\. data-db\d+-1 was NOT deleted/,
    );
    assert.equal(api.store.peek(PVC, 'default', `data-${name}-1`)!.metadata.uid, oldPvc);
    assert.equal(api.snapshots.markerOf('default', `data-${name}-1`), `${name}: rows written after`);
    await statefulSetReady(api, name, 3);
    assert.equal(journal.list().length, 0);
  });

  for (const stage of RESTORE_STAGES.filter((s) => s !== 'done')) {
    test(`killed before "${stage}": the journal file has the step; a new run from it finishes the restore`, async () => {
      const { name, target } = await fresh();
      const before = podUids(name);
      const oldPvc = api.store.peek(PVC, 'default', `data-${name}-1`)!.metadata.uid;
      const pf = await restorePreflight(conn.http, { ...target, snapshotCurrentFirst: stage === 'snapshot-current' });
      assert.ok(pf.ok, pf.plan);
      await assert.rejects(
        runRestore(conn.http, journal, pf.entry!, {
          waitTimeoutMs: 20_000,
          beforeStep: (s: RestoreStage) => {
            if (s === stage) throw new Stop(`killed before ${s}`);
          },
        }),
        Stop,
      );
      const reopened = new RestoreJournal(dir);
      const pending = reopened.list().filter((e) => e.name === name);
      assert.equal(pending.length, 1);
      assert.equal(pending[0].stage, stage);
      // up to the PVC's deletion its data is intact
      if (RESTORE_STAGES.indexOf(stage) <= RESTORE_STAGES.indexOf('delete-pvc')) assert.equal(api.store.peek(PVC, 'default', `data-${name}-1`)?.metadata.uid, oldPvc);
      if (stage === 'create-sts') assert.equal(api.store.peek(STS, 'default', name), undefined, 'between the orphan delete and the create the StatefulSet is gone; pods 0 and 2 run on');
      const r = await runRestore(conn.http, reopened, reopened.load(conn.server, 'default', `data-${name}-1`)!, { waitTimeoutMs: 20_000 });
      assert.deepEqual(r.otherPodsRecreated, []);
      const after = podUids(name);
      assert.equal(after[`${name}-0`], before[`${name}-0`]);
      assert.equal(after[`${name}-2`], before[`${name}-2`]);
      assert.equal(api.snapshots.markerOf('default', `data-${name}-1`), `${name}: rows as of the snapshot`);
      assert.equal(reopened.list().filter((e) => e.name === name).length, 0);
    });
  }
});
