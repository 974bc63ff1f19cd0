// "Snapshot Volumes first" as the first journaled step of Resize Storage… and Re-create…: the snapshots are
// taken and ready before any PVC is patched or the StatefulSet deleted; a kill before that step resumes from the
// journal; a snapshot that never becomes ready stops the workflow with nothing else changed. Against the
// simulator over real HTTPS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { Logger } from '../../client/src/cluster/log';
import { snapshotsFirstOffer } from '../../client/src/cluster/snapshotsFirst';
import { FileJournal, type Stage } from '../../client/src/cluster/workflows/journal';
import { preflight, runWorkflow } from '../../client/src/cluster/workflows/recreate';
import { headlessService, startApiServer, statefulSet, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { statefulSetReady, withClaimSize } from './helpers';

const PVC = resourceByKind('PersistentVolumeClaim');
const STS = resourceByKind('StatefulSet');
const VS = resourceByKind('VolumeSnapshot');

class Stop extends Error {}

describe('snapshots first (resize / re-create)', { timeout: 120_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  let dir: string;
  let journal: FileJournal;
  const log = new Logger(() => {});

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5, volumeResizeStepMs: 10, snapshotCrds: true, snapshotReadyDelayMs: 20 });
    conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: log });
    dir = mkdtempSync(join(tmpdir(), 'sts-snapfirst-'));
    journal = new FileJournal(dir);
  });
  after(async () => {
    conn?.stop();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function fresh(name: string): Promise<Obj> {
    const m = statefulSet({ name, replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    api.create(headlessService(name));
    api.create(structuredClone(m));
    await statefulSetReady(api, name, 2);
    return m;
  }

  async function planned(name: string, manifest: Obj, workflow: 'resize' | 'recreate' = 'resize') {
    const pf = await preflight(conn.http, { cluster: conn.server, context: conn.context, namespace: 'default', manifest, workflow });
    assert.ok(pf.ok, pf.refusals.join());
    const offer = await snapshotsFirstOffer(conn.http, log, 'default', name, pf.pvcs.map((p) => ({ pvc: p.name, template: p.template, ordinal: p.ordinal })));
    assert.ok(offer);
    assert.match(offer.text, new RegExp(`VolumeSnapshots of data-${name}-0, data-${name}-1 \\(class csi-hostpath-snapclass; deletionPolicy Delete\\)`));
    pf.entry!.snapshots = offer.planned;
    pf.entry!.stage = 'snapshots';
    return { pf, offer };
  }

  test('resize: the snapshots are ready before the first PVC patch; then the PVCs grow', async () => {
    const m = await fresh('r1');
    const { pf, offer } = await planned('r1', withClaimSize(m, '2Gi'));
    const start = api.requests.length;
    await runWorkflow(conn.http, journal, pf.entry!, { waitTimeoutMs: 20_000 });
    for (const s of offer.planned) assert.equal(api.store.peek(VS, 'default', s.name)!.status.readyToUse, true);
    const writes = api.requests.slice(start).filter((q) => q.method !== 'GET' && !q.path.includes('selfsubjectaccessreviews'));
    const firstPatch = writes.findIndex((q) => q.method === 'PATCH');
    assert.ok(writes.slice(0, firstPatch).filter((q) => q.method === 'POST' && q.path.endsWith('/volumesnapshots')).length === 2, JSON.stringify(writes.map((q) => `${q.method} ${q.path}`)));
    for (const n of ['data-r1-0', 'data-r1-1']) assert.equal(api.store.get(PVC, 'default', n).status.capacity.storage, '2Gi');
  });

  test('killed before the snapshots step: the journal has it; the resumed run takes them and finishes', async () => {
    const m = await fresh('r2');
    const { pf, offer } = await planned('r2', withClaimSize(m, '3Gi'));
    await assert.rejects(
      runWorkflow(conn.http, journal, pf.entry!, {
        beforeStep: (s: Stage) => {
          if (s === 'snapshots') throw new Stop('killed');
        },
      }),
      Stop,
    );
    const reopened = new FileJournal(dir);
    const e = reopened.load(conn.server, 'default', 'r2')!;
    assert.equal(e.stage, 'snapshots');
    assert.equal(e.snapshots!.length, 2);
    await runWorkflow(conn.http, reopened, e, { waitTimeoutMs: 20_000 });
    for (const s of offer.planned) assert.equal(api.store.peek(VS, 'default', s.name)!.status.readyToUse, true);
    assert.equal(api.store.get(PVC, 'default', 'data-r2-0').status.capacity.storage, '3Gi');
  });

  test('a snapshot that never becomes ready: the workflow stops at that step, nothing else changed', async () => {
    const m = await fresh('r3');
    const uid = api.store.peek(STS, 'default', 'r3')!.metadata.uid;
    const { pf } = await planned('r3', { ...structuredClone(m), spec: { ...structuredClone(m.spec), serviceName: 'r3-other' } }, 'recreate');
    api.snapshots.neverReady = true;
    try {
      await assert.rejects(runWorkflow(conn.http, journal, pf.entry!, { waitTimeoutMs: 300 }), /Snapshots first: .*not readyToUse after .*Nothing else was changed/);
    } finally {
      api.snapshots.neverReady = false;
    }
    assert.equal(api.store.peek(STS, 'default', 'r3')!.metadata.uid, uid, 'the StatefulSet was not deleted');
    assert.equal(journal.load(conn.server, 'default', 'r3')!.stage, 'snapshots');
    journal.remove(conn.server, 'default', 'r3');
  });
});
