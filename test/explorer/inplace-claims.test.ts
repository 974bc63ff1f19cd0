// KEP-4650 (in-place claim template updates) against the simulator over real HTTPS: with the feature
// gate off (the default, like a real cluster) the dry-run probe says no and the API server still refuses
// a claim template change; with it on (startApiServer option and the control endpoint) the probe says
// yes, and a plain server-side apply changes the template in place — same StatefulSet, pod and PVC UIDs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { serverApply } from '../../client/src/cluster/fileApply';
import { Logger } from '../../client/src/cluster/log';
import { immutableChanges } from '../../client/src/cluster/workflows/immutable';
import { inPlaceKnown, inPlaceMessage, onlyClaimTemplateChanges, probeInPlaceClaimTemplates } from '../../client/src/cluster/workflows/inPlace';
import { startApiServer, statefulSet, headlessService, type ApiServer, type Obj } from '../../simulator/index';
import { parseCli, startFromCli } from '../../simulator/cli';
import { resourceByKind } from '../../simulator/resources';
import { statefulSetReady, withClaimSize } from './helpers';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');

describe('in-place claim template updates (KEP-4650 gate)', { timeout: 120_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  const ready = (name: string, n: number) => statefulSetReady(api, name, n);
  const uids = (name: string) => ({
    sts: api.store.peek(STS, 'default', name)?.metadata.uid,
    pods: api.store.listRaw(POD, 'default').filter((p) => p.metadata.name.startsWith(`${name}-`)).map((p) => `${p.metadata.name}:${p.metadata.uid}:${p.metadata.creationTimestamp}`).sort(),
    pvcs: api.store.listRaw(PVC, 'default').filter((p) => new RegExp(`-${name}-\\d+$`).test(p.metadata.name)).map((p) => `${p.metadata.name}:${p.metadata.uid}:${p.spec.resources.requests.storage}`).sort(),
  });
  async function fresh(name: string): Promise<Obj> {
    const m = statefulSet({ name, replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    api.create(headlessService(name));
    api.create(structuredClone(m));
    await ready(name, 2);
    return m;
  }
  const grown = withClaimSize;

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5 });
    conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: new Logger(() => {}) });
  });
  after(async () => {
    await api.stop();
  });

  test('gate off (default): the probe says no and an apply of a claim template change is still refused', async () => {
    const m = await fresh('off');
    const live = api.store.get(STS, 'default', 'off');
    const file = grown(m, '5Gi');
    assert.equal(await probeInPlaceClaimTemplates(conn.http, conn.server, live, file, 'default'), false);
    assert.equal(inPlaceKnown(conn.server), false);
    await assert.rejects(serverApply(conn.http, file, 'default', { force: true }), /updates to statefulset spec for fields other than/);
    // nothing to ask when the file changes nothing in the claim templates
    assert.equal(await probeInPlaceClaimTemplates(conn.http, conn.server, live, m, 'default'), undefined);
    assert.equal(api.store.get(STS, 'default', 'off').spec.volumeClaimTemplates[0].spec.resources.requests.storage, '1Gi');
  });

  test('gate on: the probe says yes (serviceName changes are left out of it), Apply changes the template in place', async () => {
    // the simulator's control endpoint, over HTTPS with the admin token (what the CLI's child process offers)
    const features = (on: boolean) => conn.http.request('POST', '/_simulator/features', { body: { inPlaceClaimTemplates: on } });
    const gates = await features(true);
    assert.equal(gates.inPlaceClaimTemplates, true);
    try {
      const m = await fresh('on');
      const before = uids('on');
      const live = api.store.get(STS, 'default', 'on');
      const file = grown(m, '5Gi');
      const ch = immutableChanges(live, file);
      assert.equal(ch.kind, 'resize');
      assert.ok(onlyClaimTemplateChanges(ch));
      assert.match(inPlaceMessage('on', ch), /allowVolumeExpansion/);
      // a file that also changes serviceName: the probe still isolates the claim templates
      const mixed = structuredClone(file);
      mixed.spec.serviceName = 'other';
      assert.equal(await probeInPlaceClaimTemplates(conn.http, conn.server, live, mixed, 'default'), true);
      assert.equal(onlyClaimTemplateChanges(immutableChanges(live, mixed)), false);
      // the dry run stored nothing
      assert.equal(api.store.get(STS, 'default', 'on').spec.volumeClaimTemplates[0].spec.resources.requests.storage, '1Gi');
      assert.equal(await probeInPlaceClaimTemplates(conn.http, conn.server, live, file, 'default'), true);
      assert.equal(inPlaceKnown(conn.server), true);
      await serverApply(conn.http, file, 'default');
      const after = api.store.get(STS, 'default', 'on');
      assert.equal(after.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '5Gi');
      await ready('on', 2);
      // same StatefulSet, same pods (not recreated), same PVCs (existing claims keep their size)
      assert.deepEqual(uids('on'), before);
      // serviceName stays immutable under the gate
      await assert.rejects(serverApply(conn.http, mixed, 'default', { force: true }), /updates to statefulset spec for fields other than/);
    } finally {
      assert.equal((await features(false)).inPlaceClaimTemplates, false);
    }
  });

  test('the CLI flag --in-place-claim-templates (startApiServer option featureGates) turns the gate on from the start', async () => {
    const o = parseCli(['--in-place-claim-templates']);
    assert.equal(o.inPlaceClaimTemplates, true);
    assert.equal(parseCli([]).inPlaceClaimTemplates, false);
    const gated = await startFromCli(o, () => {});
    try {
      const c = new ClusterConnection({ source: { path: gated.kubeconfigPath }, logger: new Logger(() => {}) });
      const m = statefulSet({ name: 'db', replicas: 1, claims: [{ name: 'data', size: '1Gi' }] });
      gated.create(structuredClone(m));
      assert.equal(await probeInPlaceClaimTemplates(c.http, c.server, gated.store.get(STS, 'default', 'db'), grown(m, '2Gi'), 'default'), true);
    } finally {
      await gated.stop();
    }
  });
});
