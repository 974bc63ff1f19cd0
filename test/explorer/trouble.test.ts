// The tree says why each ordinal is not Ready, badges Warning events and says when a rollout is stuck
// — against the simulator over real HTTPS, one StatefulSet per failure kind. Events are watched in the
// namespace shown, Warning only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statefulSet, type Obj } from '../../simulator/index';
import { PATCH } from '../../client/src/cluster/http';
import { childrenOf, type TreeNode } from '../../client/src/cluster/tree';
import { setup, until, type Setup } from './helpers';

describe('troubled StatefulSets in the tree', { timeout: 120_000 }, () => {
  let s: Setup;
  const line = (re: RegExp) => () => s.tree().split('\n').find((l) => re.test(l));
  const waitLine = (re: RegExp, what = String(re)) => until(s.conn.model, line(re), what, 15_000);
  const node = (pred: (n: TreeNode) => boolean): TreeNode | undefined => {
    const walk = (n: TreeNode | undefined): TreeNode | undefined => {
      for (const c of childrenOf(n, s.conn.context, s.conn.server, s.conn.model)) {
        if (pred(c)) return c;
        const f = c.collapsible !== 'none' ? walk(c) : undefined;
        if (f) return f;
      }
      return undefined;
    };
    return walk(undefined);
  };

  before(async () => {
    s = await setup({ scenario: 'empty', namespace: 'default' });
    s.conn.model.stuckGraceMs = 0;
  });
  after(async () => {
    await s.close();
  });

  test('crashloop image set on a Ready set: the rollout is stuck at the new pod, which says why; warning badges', async () => {
    s.api.create(statefulSet({ name: 'web', replicas: 3, claims: [{ name: 'www', size: '1Gi' }] }));
    await waitLine(/^\s+web — 3\/3 ready/);
    await s.conn.http.request('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/web', {
      body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'example.com/app:crashloop' }] } } } },
      contentType: PATCH.strategic,
    });
    const sts = await waitLine(/^\s+web — rollout stuck at web-2: CrashLoopBackOff \(3 restarts, exit 1\) \(\d+ s\) · 2\/3 ready · OrderedReady · ⚠ 4$/, 'stuck row');
    assert.ok(sts);
    assert.match(line(/^\s+web-2 — /)()!, /web-2 — CrashLoopBackOff \(3 restarts, exit 1\) · ⚠ 4 · 3 restarts · on simulator-node · update rev/);
    const n = node((x) => x.kind === 'ordinal' && x.podName === 'web-2')!;
    assert.match(n.tooltip!, /container web: waiting, CrashLoopBackOff — 3 restarts; last terminated: Error \(exit code 1\)/);
    assert.match(n.tooltip!, /BackOff \(x4\): Back-off restarting failed container web in pod web-2_default/);
    const st = node((x) => x.kind === 'statefulset' && x.label === 'web')!;
    assert.match(st.contextValue, /\.stuck$/);
    assert.match(st.tooltip!, /Forced Rollback/);
    // the other ordinals keep the old revision and say nothing is wrong
    assert.match(line(/^\s+web-1 — /)()!, /web-1 — Running · ready · 0 restarts/);
  });

  test('OOMKilled, ImagePullBackOff, CreateContainerConfigError and unschedulable: each row says it', async () => {
    s.api.create(statefulSet({ name: 'oom', replicas: 1, image: 'example.com/app:oomkill' }));
    s.api.create(statefulSet({ name: 'pull', replicas: 1, image: 'example.com/doesnotexist:1' }));
    s.api.create(statefulSet({ name: 'cfg', replicas: 1, image: 'example.com/app:configerror' }));
    const big = statefulSet({ name: 'big', replicas: 1 });
    big.spec.template.spec.containers[0].resources = { requests: { cpu: '64', memory: '64Gi' } };
    s.api.create(big);
    await waitLine(/^\s+oom-0 — CrashLoopBackOff \(OOMKilled, 3 restarts, exit 137\) · ⚠ 4/);
    await waitLine(/^\s+pull-0 — ImagePullBackOff: example.com\/doesnotexist:1 · ⚠ \d+ · 0 restarts/);
    await waitLine(/^\s+cfg-0 — CreateContainerConfigError: configmap "app-config" not found · ⚠ 1/);
    await waitLine(/^\s+big-0 — Pending: 1 Insufficient cpu, 1 Insufficient memory · ⚠ 1 · 0 restarts · unscheduled/);
    const n = node((x) => x.kind === 'ordinal' && x.podName === 'big-0')!;
    assert.match(n.tooltip!, /scheduler: 0\/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory\. preemption/);
  });

  test('a claim that cannot be provisioned: the PVC row is Pending with a badge, the pod says why it waits', async () => {
    const sts = statefulSet({ name: 'db', replicas: 1, claims: [{ name: 'data', size: '1Gi' }] });
    sts.spec.volumeClaimTemplates[0].spec.storageClassName = 'no-such-class';
    s.api.create(sts);
    await waitLine(/^\s+data-db-0 — Pending · 1Gi · no-such-class · ⚠ 1$/);
    const pvc = node((x) => x.kind === 'pvc' && x.pvcName === 'data-db-0')!;
    assert.match(pvc.tooltip!, /ProvisioningFailed: storageclass.storage.k8s.io "no-such-class" not found/);
    await waitLine(/^\s+db-0 — Pending: pod has unbound immediate PersistentVolumeClaims/);
  });

  test('a node gone NotReady: evicted pods past their grace period are marked as on a lost node', async () => {
    const sts = statefulSet({ name: 'lost', replicas: 1 });
    sts.spec.template.spec.terminationGracePeriodSeconds = 1;
    s.api.create(sts);
    await waitLine(/^\s+lost — 1\/1 ready/);
    s.api.kubelet.setNodeReady(false, { evict: true });
    await waitLine(/^\s+lost-0 — Terminating · /, 'terminating');
    // no event comes when the grace period ends: the model looks again by itself
    await waitLine(/^\s+lost-0 — Terminating on NotReady node simulator-node \(\d+ s past its grace period\)/, 'lost node');
    const n = node((x) => x.kind === 'ordinal' && x.podName === 'lost-0')!;
    assert.equal(n.contextValue, 'statefulsetStudio.pod.lost');
    assert.match(n.tooltip!, /Lost Node…/);
    s.api.kubelet.setNodeReady(true);
    await waitLine(/^\s+lost — 1\/1 ready/);
  });

  test('events are watched in the namespace shown, Warning only — never cluster-wide', () => {
    const ev = s.api.requests.filter((r) => /\/events$/.test(r.path));
    assert.ok(ev.length >= 2, 'a list and a watch');
    for (const r of ev) {
      assert.equal(r.path, '/api/v1/namespaces/default/events');
      assert.match(decodeURIComponent(r.query), /fieldSelector=type=Warning/);
    }
    assert.ok(ev.some((r) => r.verb === 'watch'));
    const w = s.conn.model.warnings.reflector.store;
    assert.ok([...w.values()].every((e: Obj) => e.type === 'Warning'), 'no Normal event reached the client');
  });
});
