// The explorer on a shared cluster: only StatefulSet pods are listed and watched (a label selector on
// the wire), so the cluster's other pods are never transferred or kept; watches resume from the last
// resourceVersion they saw.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { STATEFULSET_POD_SELECTOR } from '../../client/src/cluster/http';
import { setup, until, type Setup } from './helpers';

let s: Setup;
before(async () => {
  s = await setup();
});
after(async () => {
  await s?.close();
});

test('pods are listed and watched with labelSelector=statefulset.kubernetes.io/pod-name; other pods never reach the store', async () => {
  // a pod of no StatefulSet (a Deployment's, a bare one), created before and after the explorer synced
  const bare = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  s.api.create(bare('other-before'));
  const pods = s.conn.model.reflectors.pods;
  const stsPods = () => [...pods.store.values()].filter((p) => p.metadata?.labels?.[STATEFULSET_POD_SELECTOR]).length;
  await until(s.conn.model, () => pods.state.phase === 'synced' && stsPods() > 0, 'pods synced');
  s.api.create(bare('other-after'));
  // a StatefulSet pod changing after it: the watch is live, and still nothing else arrived
  const before = pods.stats.watches;
  await s.api.settle();
  assert.ok(pods.store.size > 0);
  for (const p of pods.store.values()) assert.ok(p.metadata?.labels?.[STATEFULSET_POD_SELECTOR], `${p.metadata?.name} is a StatefulSet pod`);
  assert.ok(![...pods.store.keys()].some((k) => k.endsWith('/other-before') || k.endsWith('/other-after')));
  // on the wire: every pod list and watch carried the selector
  const podRequests = s.api.requests.filter((r) => /\/pods$/.test(r.path));
  assert.ok(podRequests.some((r) => /watch=/.test(r.query)) && podRequests.some((r) => !/watch=/.test(r.query)), 'a list and a watch of pods');
  for (const r of podRequests) assert.equal(new URLSearchParams(r.query).get('labelSelector'), STATEFULSET_POD_SELECTOR, `${r.method} ${r.path}?${r.query}`);
  // a dropped watch resumes from the last resourceVersion it saw (no relist)
  const lists = pods.stats.lists;
  s.api.faults.dropWatches({ abrupt: false });
  for (let i = 0; i < 200 && pods.stats.watches <= before; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(pods.stats.watches > before, 'watching again');
  assert.equal(pods.stats.lists, lists, 'no relist after a normal close');
  const rewatch = s.api.requests.filter((r) => /\/pods$/.test(r.path) && /watch=/.test(r.query)).pop()!;
  assert.ok(Number(new URLSearchParams(rewatch.query).get('resourceVersion')) > 0, 'the re-watch starts from a resourceVersion');
});
