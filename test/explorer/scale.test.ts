// The explorer on a shared cluster: only StatefulSet pods are listed and watched (a label selector on
// the wire), so the cluster's other pods are never transferred or kept; only the PVCs of known
// StatefulSets are kept (named by a claim template, or carrying the selector's labels), including
// those of StatefulSets created later and the retained claims of scaled-down ones; watches resume from
// the last resourceVersion they saw.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ALL_NAMESPACES, ClusterConnection } from '../../client/src/cluster/connection';
import { PATCH, STATEFULSET_POD_SELECTOR } from '../../client/src/cluster/http';
import { Logger } from '../../client/src/cluster/log';
import { renderTree } from '../../client/src/cluster/tree';
import { statefulSet } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { FAST_BACKOFF, polled, setup, until, type Setup } from './helpers';

const PVC = resourceByKind('PersistentVolumeClaim');
const claim = (name: string, namespace = 'default', labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});
/** PVCs of no StatefulSet of the demo cluster: a Deployment's, a name ending in digits no template makes, web's naming in another namespace, labels close to web's selector */
const FOREIGN = [claim('uploads-api', 'default', { app: 'api' }), claim('data-api-0'), claim('www-web-0', 'databases'), claim('scratch-0', 'default', { app: 'web-canary' })];
const foreignKeys = FOREIGN.map((c) => `${c.metadata.namespace}/${c.metadata.name}`);

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
  const podWatchLogged = () => s.api.requests.some((r) => /\/pods$/.test(r.path) && /watch=/.test(r.query));
  await polled(podWatchLogged); // "synced" comes with the list
  const podRequests = s.api.requests.filter((r) => /\/pods$/.test(r.path));
  assert.ok(podRequests.some((r) => /watch=/.test(r.query)) && podRequests.some((r) => !/watch=/.test(r.query)), 'a list and a watch of pods');
  for (const r of podRequests) assert.equal(new URLSearchParams(r.query).get('labelSelector'), STATEFULSET_POD_SELECTOR, `${r.method} ${r.path}?${r.query}`);
  // a dropped watch resumes from the last resourceVersion it saw (no relist)
  const lists = pods.stats.lists;
  s.api.faults.dropWatches({ abrupt: false });
  await polled(() => pods.stats.watches > before);
  assert.ok(pods.stats.watches > before, 'watching again');
  assert.equal(pods.stats.lists, lists, 'no relist after a normal close');
  const rewatch = s.api.requests.filter((r) => /\/pods$/.test(r.path) && /watch=/.test(r.query)).pop()!;
  assert.ok(Number(new URLSearchParams(rewatch.query).get('resourceVersion')) > 0, 'the re-watch starts from a resourceVersion');
});

/** A second explorer connection to the same simulator (all namespaces), connected. */
async function freshConnection(): Promise<ClusterConnection> {
  const conn = new ClusterConnection({ source: { path: s.api.kubeconfigPath }, namespace: ALL_NAMESPACES, logger: new Logger(), backoff: FAST_BACKOFF });
  return conn;
}

test('only PVCs of known StatefulSets are kept: named by a claim template (any ordinal) or carrying the selector labels; the rest never reach the store', async () => {
  const model = s.conn.model;
  const pvcs = model.reflectors.pvcs;
  for (const c of FOREIGN) s.api.create(c);
  // web's: a claim made by hand with web's naming at ordinal 7 (no labels), and one carrying web's selector labels (app=web)
  s.api.create(claim('www-web-7'));
  s.api.create(claim('scratch-web', 'default', { app: 'web' }));
  // one watch stream delivers in order: once web's arrived, the foreign ones were seen before them
  await until(model, () => pvcs.store.has('default/www-web-7') && pvcs.store.has('default/scratch-web'), "web's hand-made claims");
  for (const k of foreignKeys) assert.ok(!pvcs.store.has(k), `${k} is not kept`);
  assert.ok(pvcs.stats.dropped >= FOREIGN.length, `dropped ${pvcs.stats.dropped}`);
  assert.ok(model.view('default/web')!.orphans.some((o) => o.name === 'www-web-7' && o.pvc), 'www-web-7 shows under web');

  // a fresh connection lists them: the same filter on the list; the PVC list starts after the StatefulSets are listed
  const conn = await freshConnection();
  let pvcListsWhenStsListed = -1;
  conn.model.reflectors.statefulsets.onActivity((a) => {
    if (a === 'list' && pvcListsWhenStsListed < 0) pvcListsWhenStsListed = conn.model.reflectors.pvcs.stats.lists;
  });
  const first = s.api.requests.length;
  try {
    conn.start();
    await until(conn.model, () => conn.model.connection().phase === 'connected', 'second connection');
    assert.equal(pvcListsWhenStsListed, 0, 'no PVC list began before the StatefulSets were listed');
    const store = conn.model.reflectors.pvcs.store;
    for (const k of foreignKeys) assert.ok(!store.has(k), `${k} is not kept (list)`);
    const live = s.api.store.listRaw(PVC).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    assert.deepEqual([...store.keys()].sort(), live.filter((k) => !foreignKeys.includes(k)).sort(), 'every other PVC of the cluster is kept');
    for (const k of ['default/www-web-0', 'default/www-web-7', 'default/scratch-web', 'databases/data-postgres-0', 'databases/wal-postgres-2']) assert.ok(store.has(k), `${k} kept`);
    // the wire: PVCs are listed whole (no selector can say "named by these templates"), paginated, then watched from the list's resourceVersion.
    // "connected" comes with the lists; the watch request may still be on its way to the server, so wait for it to be logged.
    const pvcRequests = () => s.api.requests.slice(first).filter((r) => /\/persistentvolumeclaims$/.test(r.path));
    await polled(() => pvcRequests().some((r) => /watch=/.test(r.query)));
    const reqs = pvcRequests();
    const lists = reqs.filter((r) => !/watch=/.test(r.query));
    const watches = reqs.filter((r) => /watch=/.test(r.query));
    assert.ok(lists.length >= 1 && watches.length >= 1, 'a list and a watch of PVCs');
    for (const r of lists) assert.equal(new URLSearchParams(r.query).get('limit'), '500', `${r.path}${r.query}`);
    for (const r of watches) {
      const q = new URLSearchParams(r.query);
      assert.ok(Number(q.get('resourceVersion')) > 0, `watch from a resourceVersion: ${r.query}`);
      assert.equal(q.get('allowWatchBookmarks'), 'true');
    }
    const stsList = s.api.requests.slice(first).findIndex((r) => /\/statefulsets$/.test(r.path) && !/watch=/.test(r.query));
    const pvcFirst = s.api.requests.slice(first).findIndex((r) => /\/persistentvolumeclaims$/.test(r.path));
    assert.ok(stsList >= 0 && pvcFirst > stsList, 'on the wire, the StatefulSets are asked for before the PVCs');
  } finally {
    conn.stop();
  }
});

test('a StatefulSet created after connect gets its PVCs in the tree, claims made before it included (PVCs listed again); its deletion drops them from memory', async () => {
  const model = s.conn.model;
  const pvcs = model.reflectors.pvcs;
  s.api.controller.paused = true; // nothing touches the hand-made claims: only a new list can bring them
  try {
    s.api.create(claim('data-late-0'));
    s.api.create(claim('data-late-1'));
    s.api.create(claim('www-web-8')); // a marker that is kept, after them on the same stream
    await until(model, () => pvcs.store.has('default/www-web-8'), 'marker claim');
    assert.ok(!pvcs.store.has('default/data-late-0') && !pvcs.store.has('default/data-late-1'), 'no StatefulSet claims them yet');
    const lists = pvcs.stats.lists;
    // Parallel: the hand-made claims are never bound here, so their pods stay Pending
    s.api.create(statefulSet({ name: 'late', replicas: 2, claims: [{ name: 'data', size: '1Gi' }], podManagementPolicy: 'Parallel' }));
    const v = await until(model, () => {
      const x = model.view('default/late');
      return x && x.ordinals.length === 2 && x.ordinals.every((o) => o.pvcs.every((p) => p.pvc)) && x;
    }, 'late with its two claims');
    for (const i of [0, 1]) {
      const live = s.api.store.peek(PVC, 'default', `data-late-${i}`)!;
      assert.equal(v.ordinals[i].pvcs[0].pvc!.metadata?.uid, live.metadata.uid);
      assert.equal(v.ordinals[i].pvcs[0].pvc!.metadata?.resourceVersion, live.metadata.resourceVersion, 'unchanged since it was made');
    }
    assert.ok(pvcs.stats.lists > lists && pvcs.stats.relistsAsked >= 1, 'the PVCs were listed again');
    assert.match(s.tree(), /data-late-0/);
  } finally {
    s.api.controller.paused = false;
  }
  // the controller's own claims (the watch path): scale up, data-late-2 appears
  await s.conn.http.request('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/late/scale', { body: { spec: { replicas: 3 } }, contentType: PATCH.merge });
  await until(model, () => model.view('default/late')?.ordinals[2]?.pvcs[0]?.pvc, 'data-late-2 in the tree');
  // deleted (whenDeleted Retain): the claims stay in the cluster, not in the explorer's memory
  await s.conn.http.request('DELETE', '/apis/apps/v1/namespaces/default/statefulsets/late');
  await until(model, () => !model.view('default/late') && ![0, 1, 2].some((i) => pvcs.store.has(`default/data-late-${i}`)), 'late and its claims gone from the model');
  assert.ok(s.api.store.peek(PVC, 'default', 'data-late-0'), 'still in the cluster');
});

test('the retained PVCs of a scaled-down StatefulSet still show (live, and after a fresh connect)', async () => {
  const model = s.conn.model;
  await s.conn.http.request('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/web/scale', { body: { spec: { replicas: 1 } }, contentType: PATCH.merge });
  const orphansOf = (m: typeof model) => m.view('default/web')?.orphans.filter((o) => o.pvc).map((o) => o.name) ?? [];
  await until(model, () => model.view('default/web')?.ordinals.length === 1 && ['www-web-1', 'www-web-2'].every((n) => orphansOf(model).includes(n)), 'web at 1 with its retained claims');
  assert.match(s.tree(), /www-web-2/);
  const conn = await freshConnection();
  try {
    conn.start();
    await until(conn.model, () => conn.model.connection().phase === 'connected' && conn.model.view('default/web'), 'second connection');
    assert.deepEqual(orphansOf(conn.model), ['www-web-1', 'www-web-2', 'www-web-7', 'www-web-8']);
    assert.match(renderTree(conn.context, conn.server, conn.model), /www-web-1/);
  } finally {
    conn.stop();
  }
});

test('a dropped PVC watch resumes from the last resourceVersion (no relist)', async () => {
  const pvcs = s.conn.model.reflectors.pvcs;
  const watches = pvcs.stats.watches;
  const lists = pvcs.stats.lists;
  s.api.faults.dropWatches({ abrupt: false });
  s.api.create(claim('www-web-9'));
  await until(s.conn.model, () => pvcs.store.has('default/www-web-9'), 'a claim made while the watch was down');
  assert.ok(pvcs.stats.watches > watches, 'watching again');
  assert.equal(pvcs.stats.lists, lists, 'no relist after a normal close');
  const rewatch = s.api.requests.filter((r) => /\/persistentvolumeclaims$/.test(r.path) && /watch=/.test(r.query)).pop()!;
  assert.ok(Number(new URLSearchParams(rewatch.query).get('resourceVersion')) > 0);
});
