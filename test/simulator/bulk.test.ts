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
