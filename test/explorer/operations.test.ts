// Scale (plan text, whenScaled Delete), rollback (kubectl's patch, dry run, already-matches),
// canary steps, delete keeping data, history, restart, pod DNS names — against the simulator.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as ops from '../../client/src/cluster/operations';
import { KubeError } from '../../client/src/cluster/errors';
import { setup, until, type Setup } from './helpers';
import { statefulSet } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';

describe('scale', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
  });
  after(async () => {
    await s?.close();
  });

  test('input validation', () => {
    assert.equal(ops.validateReplicas('3'), undefined);
    assert.equal(ops.validateReplicas(' 0 '), undefined);
    assert.match(ops.validateReplicas('-1')!, /whole number/);
    assert.match(ops.validateReplicas('2.5')!, /whole number/);
    assert.match(ops.validateReplicas('abc')!, /whole number/);
  });

  test('scale-down plan names the pods going, highest ordinal first, and keeps PVCs (whenScaled Retain)', () => {
    const plan = ops.scalePlan(s.conn.model.view('databases/postgres')!, 1);
    assert.equal(plan.direction, 'down');
    assert.deepEqual(plan.removed.map((r) => r.podName), ['postgres-2', 'postgres-1']);
    assert.equal(plan.deletesData, false);
    const lines = plan.text.split('\n');
    assert.equal(lines[0], 'Scale databases/postgres down from 3 to 1. These pods will be deleted, highest ordinal first:');
    assert.equal(lines[1], '• postgres-2: data-postgres-2 (10Gi) kept, wal-postgres-2 (2Gi) kept');
    assert.equal(lines[2], '• postgres-1: data-postgres-1 (10Gi) kept, wal-postgres-1 (2Gi) kept');
    assert.match(plan.text, /whenScaled is Retain: the PVCs are kept/);
  });

  test('scale to 0 is flagged for explicit confirmation; scale up lists new pods', () => {
    const web = s.conn.model.view('default/web')!;
    const zero = ops.scalePlan(web, 0);
    assert.equal(zero.toZero, true);
    assert.match(zero.text, /Scaling to 0 stops every pod/);
    const up = ops.scalePlan(web, 4);
    assert.equal(up.direction, 'up');
    assert.deepEqual(up.added, ['web-3']);
    assert.equal(ops.scalePlan(web, 3).direction, 'none');
  });

  test('whenScaled: Delete → the plan says DELETED and scaling down really deletes those PVCs', async () => {
    s.api.create(statefulSet({ name: 'ephemeral', replicas: 3, claims: [{ name: 'scratch', size: '4Gi' }], whenScaled: 'Delete' }));
    const v = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/ephemeral');
      return x && x.ready === 3 && x.ordinals.every((o) => o.pvcs[0].phase === 'Bound') && x;
    }, 'ephemeral ready');
    const plan = ops.scalePlan(v, 1);
    assert.equal(plan.deletesData, true);
    assert.match(plan.text, /^• ephemeral-2: scratch-ephemeral-2 \(4Gi\) DELETED$/m);
    assert.match(plan.text, /^• ephemeral-1: scratch-ephemeral-1 \(4Gi\) DELETED$/m);
    assert.match(plan.text, /whenScaled is Delete: the PVCs above are DELETED/);
    await ops.scale(s.conn.http, 'default', 'ephemeral', 1);
    await ops.waitForScale(s.conn.model, 'default/ephemeral', 1);
    const gone = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/ephemeral')!;
      return x.orphans.length === 0 && x.ordinals.length === 1 && !s.conn.model.reflectors.pvcs.store.has('default/scratch-ephemeral-2') && x;
    }, 'PVCs of removed ordinals deleted');
    assert.deepEqual(gone.ordinals.map((o) => o.pvcs[0].name), ['scratch-ephemeral-0']);
  });

  test('scale uses the scale subresource with a merge patch; waiting is cancellable', async () => {
    const n = s.api.requests.length;
    await ops.scale(s.conn.http, 'default', 'web', 2);
    const req = s.api.requests.slice(n).find((r) => r.method === 'PATCH')!;
    assert.equal(req.path, '/apis/apps/v1/namespaces/default/statefulsets/web/scale');
    assert.equal(req.contentType, 'application/merge-patch+json');
    const ac = new AbortController();
    const waiting = ops.waitForScale(s.conn.model, 'default/web', 99, ac.signal);
    ac.abort();
    await assert.rejects(waiting, (e: KubeError) => e.reason === 'Cancelled');
    await ops.waitForScale(s.conn.model, 'default/web', 2);
    const q = s.conn.model.view('default/web')!;
    assert.deepEqual(q.orphans.map((p) => p.name), ['www-web-2']);
  });
});

describe('rollback, history, canary, restart', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
  });
  after(async () => {
    await s?.close();
  });

  const setImage = (name: string, image: string) =>
    s.conn.http.request('PATCH', `/apis/apps/v1/namespaces/default/statefulsets/${name}`, {
      body: { spec: { template: { spec: { containers: [{ name, image }] } } } },
      contentType: 'application/strategic-merge-patch+json',
    });

  test('rollback to revision 1: dry run changes nothing, the patch restores the template and makes a new revision', async () => {
    await setImage('web', 'nginx:2');
    await until(s.conn.model, () => s.conn.model.view('default/web')!.revisions.length === 2, 'revision 2');
    const sts = await ops.getStatefulSet(s.conn.http, 'default', 'web');
    const revs = await ops.listRevisions(s.conn.http, sts);
    assert.deepEqual(revs.map((r) => r.revision), [1, 2]);
    const rev1 = ops.pickRevision(revs, 1);
    assert.equal(ops.pickRevision(revs).revision, 1, 'default = previous revision');
    const plan = ops.rollbackPlan(sts, rev1);
    assert.equal(plan.alreadyMatches, false);
    assert.match(ops.templateYaml(plan.currentTemplate), /image: nginx:2/);
    assert.match(ops.templateYaml(plan.targetTemplate), /image: registry.k8s.io\/nginx-slim:0.24/);
    // one key order on both sides: the two texts differ in the changed lines only
    const [a, b] = [ops.templateYaml(plan.currentTemplate).split('\n'), ops.templateYaml(plan.targetTemplate).split('\n')];
    assert.equal(a.length, b.length, `${a.join('\n')}\n----\n${b.join('\n')}`);
    assert.deepEqual(a.filter((l, i) => l !== b[i]).map((l) => l.trim()), ['- image: nginx:2']);

    const n = s.api.requests.length;
    const dry = await ops.rollbackDryRun(s.conn.http, plan);
    assert.equal(dry.spec!.template!.spec!.containers![0].image, 'registry.k8s.io/nginx-slim:0.24');
    const still = await ops.getStatefulSet(s.conn.http, 'default', 'web');
    assert.equal(still.spec!.template!.spec!.containers![0].image, 'nginx:2', 'dry run must not change the object');

    await ops.rollbackApply(s.conn.http, plan);
    const patch = s.api.requests.slice(n).filter((r) => r.method === 'PATCH');
    assert.equal(patch.length, 2);
    assert.equal(patch[0].contentType, 'application/strategic-merge-patch+json');
    assert.match(patch[0].query, /dryRun=All/);

    const after = await ops.getStatefulSet(s.conn.http, 'default', 'web');
    assert.ok(ops.templatesEqual(after.spec!.template, ops.revisionTemplate(rev1)), 'template equals revision 1 afterwards');
    const v = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/web')!;
      return x.revisions.length >= 2 && x.revisions.at(-1)!.revision === 3 && x;
    }, 'revision 3');
    // like the real controller: the old revision is re-numbered to 3, revision 1 is gone
    assert.deepEqual(ops.revisionImages(v.revisions.at(-1)!), ['registry.k8s.io/nginx-slim:0.24']);

    // rolling back to what is already there is detected and skipped
    const again = ops.rollbackPlan(after, v.revisions.at(-1)!);
    assert.equal(again.alreadyMatches, true);
  });

  test('rollout history text: revisions, images, change-cause, current/update', async () => {
    const sts = await ops.getStatefulSet(s.conn.http, 'default', 'cache');
    const text = ops.historyText(sts, await ops.listRevisions(s.conn.http, sts));
    const lines = text.trim().split('\n');
    assert.match(lines[0], /Rollout history of statefulset default\/cache/);
    assert.equal(lines[2], 'REVISION\tNAME\tAGE\tIMAGES\tCHANGE-CAUSE\tSTATE');
    assert.match(lines[3], /^1\tcache-\w+\t\d+s\tredis:7.0.15\t<none>\tcurrent$/);
    assert.match(lines[4], /^2\tcache-\w+\t\d+s\tredis:7.2.5\t<none>\tupdate$/);
  });

  test('canary steps: partition 2 → 1 → 0, showing ordinals per revision before and after', async () => {
    let v = s.conn.model.view('default/cache')!;
    const plan = ops.canaryPlan(v);
    assert.equal(plan.from, 2);
    assert.equal(plan.to, 1);
    const cur = v.currentRevision!;
    const upd = v.updateRevision!;
    assert.deepEqual(plan.before, [`cache-0: ${cur}`, `cache-1: ${cur}`, `cache-2: ${upd} (new)`, `cache-3: ${upd} (new)`]);
    assert.deepEqual(plan.after, [`cache-0: ${cur}`, `cache-1: ${upd} (new)`, `cache-2: ${upd} (new)`, `cache-3: ${upd} (new)`]);
    await ops.setPartition(s.conn.http, 'default', 'cache', plan.to);
    v = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/cache')!;
      return x.partition === 1 && x.ordinals[1].pod?.revision === upd && x.ordinals[1].pod.ready && x;
    }, 'cache-1 on the update revision');
    assert.equal(v.ordinals[0].pod!.revision, cur);
    const last = ops.canaryPlan(v);
    assert.equal(last.to, 0);
    await ops.setPartition(s.conn.http, 'default', 'cache', 0);
    v = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/cache')!;
      return x.ordinals.every((o) => o.pod?.revision === upd && o.pod.ready) && x.currentRevision === upd && x;
    }, 'rollout complete');
    assert.equal(v.updating, false);
    // no partition yet → the first step holds back all but the last ordinal
    const web = s.conn.model.view('default/queue')!;
    assert.equal(ops.canaryPlan(web).to, 1);
  });

  test('restart sets the restartedAt annotation on the template (a new revision)', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    await ops.restart(s.conn.http, 'default', 'queue', now);
    const sts = await ops.getStatefulSet(s.conn.http, 'default', 'queue');
    assert.equal(sts.spec!.template!.metadata!.annotations!['kubectl.kubernetes.io/restartedAt'], '2026-01-02T03:04:05.000Z');
    await until(s.conn.model, () => s.conn.model.view('default/queue')!.revisions.length === 2, 'restart revision');
  });

  test('pod DNS name uses the governing service', () => {
    assert.equal(ops.podDnsName(s.conn.model.view('databases/postgres')!.sts, 2), 'postgres-2.postgres.databases.svc.cluster.local');
  });

  test('delete keeping data: pods go, PVCs survive; orphan mode keeps pods too', async () => {
    const v = s.conn.model.view('default/web')!;
    assert.match(ops.deleteText(v, 'keepPvcs'), /Its PVCs are kept \(whenDeleted: Retain\): www-web-0, www-web-1, www-web-2/);
    await ops.deleteStatefulSet(s.conn.http, 'default', 'web', 'keepPvcs');
    await until(s.conn.model, () => !s.conn.model.view('default/web') && ![...s.conn.model.reflectors.pods.store.keys()].some((k) => k.startsWith('default/web-')), 'web and its pods gone');
    // in the cluster (the explorer keeps only PVCs of known StatefulSets in memory: scale.test.ts)
    const PVC = resourceByKind('PersistentVolumeClaim');
    for (const i of [0, 1, 2]) assert.ok(s.api.store.peek(PVC, 'default', `www-web-${i}`), `www-web-${i} survives`);

    const q = s.conn.model.view('databases/postgres')!;
    assert.match(ops.deleteText(q, 'orphan'), /--cascade=orphan\): its pods and PVCs stay/);
    await ops.deleteStatefulSet(s.conn.http, 'databases', 'postgres', 'orphan');
    await until(s.conn.model, () => !s.conn.model.view('databases/postgres'), 'postgres gone');
    await s.api.settle();
    assert.ok(s.conn.model.reflectors.pods.store.has('databases/postgres-0'), 'pods stay with --cascade=orphan');
    assert.ok(s.api.store.peek(PVC, 'databases', 'data-postgres-0'), 'PVCs stay');
  });

  test('whenDeleted: Delete is said plainly', () => {
    const v = { ...s.conn.model.view('default/queue')!, whenDeleted: 'Delete' };
    assert.match(ops.deleteText(v, 'keepPvcs'), /whenDeleted is Delete: its PVCs \(.*data-queue-0.*\) will be DELETED too/);
  });
});
