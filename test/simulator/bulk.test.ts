// Bulk seeding for benchmarks: 1,000 StatefulSets / 10,000 pods, settled, listable and consistent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApiServer, type ApiServer } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { http } from './testkit';

describe('bulk seeding (1,000 StatefulSets / 10,000 pods)', { timeout: 120_000 }, () => {
  let api: ApiServer;
  let seedMs = 0;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 1, recordEvents: false });
    const t0 = performance.now();
    const r = api.seedBulk({ statefulSets: 1000, podsPerSet: 10, namespace: 'bench' });
    seedMs = performance.now() - t0;
    assert.deepEqual(r, { statefulSets: 1000, pods: 10_000 });
  });
  after(async () => {
    await api.stop();
  });

  test('seeds quickly and the controller finds nothing to change', async () => {
    // A generous bound that still catches an accidentally quadratic seeder (it takes ~1 s).
    assert.ok(seedMs < 30_000, `seeding took ${Math.round(seedMs)} ms`);
    const rv = api.store.rv;
    await api.settle(60_000);
    assert.equal(api.store.rv, rv, 'every seeded StatefulSet was already in its settled state');
    const sts = api.store.get(resourceByKind('StatefulSet'), 'bench', 'bulk-537');
    assert.deepEqual([sts.status.replicas, sts.status.readyReplicas, sts.status.updatedReplicas], [10, 10, 10]);
    assert.equal(sts.status.currentRevision, sts.status.updateRevision);
  });

  test('lists page through 10,000 pods with limit/continue; selectors narrow to one set', async () => {
    let cont = '';
    let total = 0;
    let pages = 0;
    do {
      const r = await http(api, 'GET', `/api/v1/namespaces/bench/pods?limit=2500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      assert.equal(r.status, 200);
      total += r.body.items.length;
      pages++;
      cont = r.body.metadata.continue ?? '';
    } while (cont);
    assert.equal(total, 10_000);
    assert.equal(pages, 4);
    const one = await http(api, 'GET', '/api/v1/namespaces/bench/pods?labelSelector=app%3Dbulk-042');
    assert.deepEqual(one.body.items.map((p: any) => p.metadata.name), Array.from({ length: 10 }, (_, i) => `bulk-042-${i}`));
    assert.ok(one.body.items.every((p: any) => p.status.phase === 'Running'));
  });

  test('the seeded sets behave: scaling one of them works', async () => {
    const r = await http(api, 'PATCH', '/apis/apps/v1/namespaces/bench/statefulsets/bulk-007/scale', { body: { spec: { replicas: 12 } }, contentType: 'application/merge-patch+json' });
    assert.equal(r.status, 200);
    await api.waitFor(() => api.store.peek(resourceByKind('StatefulSet'), 'bench', 'bulk-007')?.status?.readyReplicas === 12, 20_000);
    assert.ok(api.store.peek(resourceByKind('Pod'), 'bench', 'bulk-007-11'));
  });
});

describe("a shared cluster's other workloads (seedForeign)", () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 1, recordEvents: false });
    api.seedBulk({ statefulSets: 3, podsPerSet: 2, withClaims: true });
    assert.deepEqual(api.seedForeign({ pods: 2_000, pvcs: 150, namespaces: 4 }), { pods: 2_000, pvcs: 150, namespaces: 4 });
  });
  after(async () => {
    await api.stop();
  });

  test('Deployment pods without the StatefulSet pod-name label; a selector on it lists only StatefulSet pods, page by page', async () => {
    const all = await http(api, 'GET', '/api/v1/pods?limit=5000');
    assert.equal(all.body.items.length, 2_006);
    const foreign = all.body.items.filter((p: any) => p.metadata.namespace.startsWith('team-'));
    assert.equal(foreign.length, 2_000);
    assert.equal(new Set(foreign.map((p: any) => p.metadata.name)).size, 2_000, 'unique names');
    assert.ok(foreign.every((p: any) => p.status.phase === 'Running' && p.metadata.ownerReferences[0].kind === 'ReplicaSet' && !p.metadata.labels['statefulset.kubernetes.io/pod-name']));
    let cont = '';
    const names: string[] = [];
    do {
      const r = await http(api, 'GET', `/api/v1/pods?limit=4&labelSelector=statefulset.kubernetes.io%2Fpod-name${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      names.push(...r.body.items.map((p: any) => p.metadata.name));
      cont = r.body.metadata.continue ?? '';
    } while (cont);
    assert.deepEqual(names, ['bulk-0-0', 'bulk-0-1', 'bulk-1-0', 'bulk-1-1', 'bulk-2-0', 'bulk-2-1']);
    const pvcs = await http(api, 'GET', '/api/v1/persistentvolumeclaims');
    assert.equal(pvcs.body.items.length, 156);
  });

  test('written at one resourceVersion with no events: a watch from before it must list again (410)', async () => {
    const r = await http(api, 'GET', '/api/v1/pods?watch=true&resourceVersion=1&timeoutSeconds=1');
    assert.match(r.text, /"type":"ERROR".*"code":410/);
  });
});
