// Forced rollback end to end against the simulator: a crashlooping image halts the rollout; the plan
// names the pods on the bad revision; template back (after a dry run), exactly those pods deleted, every
// ordinal Ready on the old image, PVC UIDs unchanged; a resumed run deletes nothing more.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statefulSet, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { PATCH } from '../../client/src/cluster/http';
import * as ops from '../../client/src/cluster/operations';
import { defaultTarget, executeForcedRollback, forcedRollbackDryRun, forcedRollbackPlan } from '../../client/src/cluster/forcedRollback';
import { rolloutState, waitForRollout } from '../../client/src/cluster/trouble';
import { setup, until, type Setup } from './helpers';

const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const OLD = 'registry.k8s.io/nginx-slim:0.24';

describe('Forced Rollback', { timeout: 120_000 }, () => {
  let s: Setup;
  before(async () => {
    s = await setup({ scenario: 'empty', namespace: 'default', podTerminationMs: 200 });
    s.conn.model.stuckGraceMs = 0;
  });
  after(async () => {
    await s.close();
  });

  const setImage = (name: string, image: string) =>
    s.conn.http.request('PATCH', `/apis/apps/v1/namespaces/default/statefulsets/${name}`, {
      body: { spec: { template: { spec: { containers: [{ name, image }] } } } },
      contentType: PATCH.strategic,
    });

  test('stuck at the crashlooping pod → template back, exactly the bad pods deleted, all Ready, PVCs untouched', async () => {
    s.api.create(statefulSet({ name: 'web', replicas: 4, claims: [{ name: 'www', size: '1Gi' }] }));
    await until(s.conn.model, () => s.conn.model.view('default/web'), 'web seen');
    const ready = await waitForRollout(s.conn.model, 'default/web', { until: (r) => r.done && s.conn.model.view('default/web')!.ready === 4 });
    assert.equal(ready.kind, 'complete');
    const pvcUids = Object.fromEntries(s.api.store.listRaw(PVC, 'default').map((p) => [p.metadata.name, p.metadata.uid]));
    assert.equal(Object.keys(pvcUids).length, 4);
    await setImage('web', 'example.com/app:crashloop');
    const stuck = await waitForRollout(s.conn.model, 'default/web', { until: (r) => r.kind === 'stuck' && /CrashLoopBackOff/.test(r.reason ?? '') });
    assert.equal(stuck.kind, 'stuck');
    assert.equal(stuck.stuckAt, 'web-3');
    const podUids = Object.fromEntries(s.api.store.listRaw(POD, 'default').map((p) => [p.metadata.name, p.metadata.uid]));

    const v = s.conn.model.view('default/web')!;
    const sts = await ops.getStatefulSet(s.conn.http, 'default', 'web');
    const revs = await ops.listRevisions(s.conn.http, sts);
    const target = defaultTarget(sts, revs)!;
    assert.equal(target.metadata?.name, sts.status?.currentRevision, 'default: the last revision whose pods were all Ready');
    assert.deepEqual(ops.revisionImages(target), [OLD]);
    const plan = forcedRollbackPlan(v, sts, target);
    assert.deepEqual(plan.pods.map((p) => p.name), ['web-3']);
    assert.deepEqual(plan.keptClaims, ['www-web-3']);
    assert.match(plan.text, /these pods are deleted .*: web-3 \(revision web-\w+, CrashLoopBackOff\)/);
    assert.match(plan.text, /No PVC is deleted/);

    const mark = s.api.requests.length;
    await forcedRollbackDryRun(s.conn.http, plan);
    const deleted = await executeForcedRollback(s.conn.http, plan);
    assert.deepEqual(deleted, ['web-3']);
    const writes = s.api.requests.slice(mark).filter((r) => r.method !== 'GET');
    assert.deepEqual(
      writes.map((r) => `${r.method} ${r.path}${/dryRun/.test(r.query) ? ' (dry run)' : ''}`),
      ['PATCH /apis/apps/v1/namespaces/default/statefulsets/web (dry run)', 'PATCH /apis/apps/v1/namespaces/default/statefulsets/web', 'DELETE /api/v1/namespaces/default/pods/web-3'],
    );

    const done = await waitForRollout(s.conn.model, 'default/web', { until: (r) => r.done && s.conn.model.view('default/web')!.ready === 4 });
    assert.equal(done.kind, 'complete');
    const pods = s.api.store.listRaw(POD, 'default');
    assert.equal(pods.length, 4);
    for (const p of pods) {
      assert.equal(p.spec.containers[0].image, OLD, `${p.metadata.name} runs the old image`);
      assert.ok(p.status.conditions.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
    }
    for (const n of ['web-0', 'web-1', 'web-2']) assert.equal(s.api.store.peek(POD, 'default', n)!.metadata.uid, podUids[n], `${n} was not touched`);
    assert.notEqual(s.api.store.peek(POD, 'default', 'web-3')!.metadata.uid, podUids['web-3']);
    const after = Object.fromEntries(s.api.store.listRaw(PVC, 'default').map((p) => [p.metadata.name, p.metadata.uid]));
    assert.deepEqual(after, pvcUids, 'every PVC is the same object');
    assert.ok(!s.api.requests.some((r) => r.method === 'DELETE' && /persistentvolumeclaims/.test(r.path)), 'no PVC delete was ever sent');
  });

  test('resumed after the template was reverted by hand (kubectl rollout undo): only the broken pods go', async () => {
    s.api.create(statefulSet({ name: 'api', replicas: 3 }));
    await until(s.conn.model, () => s.conn.model.view('default/api'), 'api seen');
    await waitForRollout(s.conn.model, 'default/api', { until: (r) => r.done && s.conn.model.view('default/api')!.ready === 3 });
    await setImage('api', 'example.com/app:oomkill');
    await waitForRollout(s.conn.model, 'default/api', { until: (r) => r.kind === 'stuck' && /OOMKilled/.test(r.reason ?? '') });
    // the user reverts the template; the controller still waits for api-2
    const sts0 = await ops.getStatefulSet(s.conn.http, 'default', 'api');
    const revs0 = await ops.listRevisions(s.conn.http, sts0);
    await ops.rollbackApply(s.conn.http, ops.rollbackPlan(sts0, defaultTarget(sts0, revs0)!));
    await until(s.conn.model, () => s.conn.model.view('default/api')?.sts.status?.updateRevision === sts0.status?.currentRevision, 'reverted');
    const v = s.conn.model.view('default/api')!;
    assert.equal(rolloutState(v, Date.now(), 0).stuckAt, 'api-2', `still stuck after the revert: ${JSON.stringify(rolloutState(v, Date.now(), 0))} ${JSON.stringify(v.ordinals.map((o) => [o.podName, o.pod?.revision, o.pod?.ready]))} ${v.currentRevision} ${v.updateRevision}`);
    const sts = await ops.getStatefulSet(s.conn.http, 'default', 'api');
    const revs = await ops.listRevisions(s.conn.http, sts);
    const target = revs.find((r) => r.metadata?.name === sts.status?.updateRevision)!;
    const plan = forcedRollbackPlan(v, sts, target);
    assert.equal(plan.rollback, undefined, 'the template already matches');
    assert.match(plan.text, /already matches/);
    assert.deepEqual(plan.pods.map((p) => p.name), ['api-2']);
    assert.deepEqual(await executeForcedRollback(s.conn.http, plan), ['api-2']);
    const done = await waitForRollout(s.conn.model, 'default/api', { until: (r) => r.done && s.conn.model.view('default/api')!.ready === 3 });
    assert.equal(done.kind, 'complete');
  });
});
