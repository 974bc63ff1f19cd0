// Fault injection and test control: failing requests, latency, dropped watches, forced 410,
// restart on the same port with state kept, and the same through a child process's control endpoint.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startApiServerProcess, type ChildApiServer } from '../../simulator/child';
import { startApiServer, statefulSet, type ApiServer } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { http, watch, type Target } from './testkit';

describe('fault injection (in-process)', { timeout: 60_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 1, recordEvents: false });
  });
  after(async () => {
    await api.stop();
  });

  test('failNext: the next N matching requests get the chosen status as a Status object', async () => {
    api.faults.failNext(2, 503, { verb: 'list' });
    const a = await http(api, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(a.status, 503);
    assert.deepEqual([a.body.kind, a.body.reason, a.body.code], ['Status', 'ServiceUnavailable', 503]);
    assert.equal((await http(api, 'GET', '/api/v1/namespaces/default')).status, 200, 'a get does not match verb=list');
    assert.equal((await http(api, 'GET', '/apis/apps/v1/statefulsets')).status, 503);
    assert.equal((await http(api, 'GET', '/api/v1/namespaces/default/pods')).status, 200, 'only two');
    api.faults.failNext(1, 500, { pathIncludes: '/statefulsets' });
    assert.equal((await http(api, 'GET', '/api/v1/pods')).status, 200);
    assert.equal((await http(api, 'GET', '/apis/apps/v1/namespaces/default/statefulsets')).status, 500);
  });

  test('latency delays every request', async () => {
    api.faults.setLatency(150);
    const t0 = performance.now();
    const r = await http(api, 'GET', '/version');
    const took = performance.now() - t0;
    api.faults.setLatency(0);
    assert.equal(r.status, 200);
    assert.ok(took >= 140, `took ${took} ms`); // a lower bound only: it can never be faster
  });

  test('dropWatches ends every open watch; expireResourceVersions sends ERROR 410 and later watches from old RVs get 410', async () => {
    const rv = api.store.rv;
    const w1 = watch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`);
    const w2 = watch(api, `/apis/apps/v1/statefulsets?watch=true&resourceVersion=${rv}`);
    await w1.status;
    await w2.status;
    await api.waitFor(() => api.watchCount >= 2);
    assert.equal(api.faults.dropWatches(), 2);
    await w1.ended;
    await w2.ended;
    assert.equal(api.watchCount, 0);

    const w3 = watch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${api.store.rv}`);
    await w3.status;
    await api.waitFor(() => api.watchCount === 1);
    api.faults.expireResourceVersions();
    const ev = await w3.next((e) => e.type === 'ERROR');
    assert.equal(ev.object.code, 410);
    await w3.ended;
    const w4 = watch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`);
    assert.equal((await w4.next()).object.code, 410);
    // a continue token from before the expiry is refused too
    for (let i = 0; i < 3; i++) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `c${i}` } });
    const page = await http(api, 'GET', '/api/v1/namespaces?limit=1');
    api.faults.expireResourceVersions();
    const next = await http(api, 'GET', `/api/v1/namespaces?limit=1&continue=${encodeURIComponent(page.body.metadata.continue)}`);
    assert.equal(next.status, 410);
    assert.equal(next.body.reason, 'Expired');
  });

  test('pause() does not wait for a connection stuck before its TLS handshake', async () => {
    const sock = connect(api.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    await api.pause(); // would hang until the socket gave up if raw sockets were not tracked
    await closed;
    await api.restart();
    assert.equal((await http(api, 'GET', '/version')).status, 200);
  });

  test('restart on the same port keeps the state; a watch is cut and can resume from its resourceVersion', async () => {
    api.create(statefulSet({ name: 'keep', replicas: 2 }));
    await api.waitFor(() => api.store.peek(resourceByKind('StatefulSet'), 'default', 'keep')?.status?.readyReplicas === 2);
    const port = api.port;
    const list = await http(api, 'GET', '/api/v1/namespaces/default/pods');
    const w = watch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    await w.status;
    await api.pause();
    await w.ended;
    await assert.rejects(http(api, 'GET', '/version', { timeoutMs: 2000 }));
    // while it is down, the cluster changes
    api.store.delete(resourceByKind('Pod'), 'default', 'keep-1');
    await api.restart();
    assert.equal(api.port, port);
    const sts = await http(api, 'GET', '/apis/apps/v1/namespaces/default/statefulsets/keep');
    assert.equal(sts.status, 200);
    const w2 = watch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    await w2.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'keep-1');
    await w2.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'keep-1');
    w2.close();
  });
});

describe('the simulator as a child process with its control endpoint', { timeout: 60_000 }, () => {
  let child: ChildApiServer;
  let target: Target;
  before(async () => {
    child = await startApiServerProcess({ scenario: 'demo', podReadyDelayMs: 1 });
    target = { url: child.url, caCert: readFileSync(child.caPath, 'utf8'), tokens: child.tokens };
  });
  after(async () => {
    await child?.stop();
  });

  test('starts on a free port with the demo scenario and a kubeconfig', async () => {
    assert.match(child.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(readFileSync(child.kubeconfigPath, 'utf8'), new RegExp(child.url.replace(/[.]/g, '\\.')));
    const sts = await http(target, 'GET', '/apis/apps/v1/statefulsets');
    assert.deepEqual(sts.body.items.map((s: any) => `${s.metadata.namespace}/${s.metadata.name}`).sort(), ['databases/postgres', 'default/cache', 'default/queue', 'default/web']);
    const cache = sts.body.items.find((s: any) => s.metadata.name === 'cache');
    assert.equal(cache.spec.updateStrategy.rollingUpdate.partition, 2);
    assert.equal(cache.status.updatedReplicas, 2);
    assert.notEqual(cache.status.currentRevision, cache.status.updateRevision);
    const pvcs = await http(target, 'GET', '/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dqueue');
    assert.deepEqual(pvcs.body.items.map((p: any) => p.metadata.name), ['data-queue-0', 'data-queue-1', 'data-queue-2', 'data-queue-3', 'data-queue-4']);
    const db = await http(target, 'GET', '/api/v1/namespaces/databases/persistentvolumeclaims');
    assert.equal(db.body.items.length, 6, 'two claim templates × 3');
  });

  test('control endpoint: fail, latency, drop watches, expire, restart with state kept', async () => {
    assert.equal((await http(target, 'POST', '/_simulator/faults/fail', { token: child.tokens.restricted, body: {} })).status, 403);
    await child.control('faults/fail', { count: 1, code: 429, verb: 'get' });
    assert.equal((await http(target, 'GET', '/apis/apps/v1/namespaces/default/statefulsets/web')).status, 429);
    assert.equal((await http(target, 'GET', '/apis/apps/v1/namespaces/default/statefulsets/web')).status, 200);

    const w = watch(target, '/api/v1/pods?watch=true');
    await w.status;
    await w.next(); // initial ADDED events arrive once the watch is registered
    const dropped = await child.control('faults/drop-watches');
    assert.equal(dropped.dropped, 1);
    await w.ended;

    const list = await http(target, 'GET', '/api/v1/pods');
    await child.control('faults/expire');
    const old = watch(target, `/api/v1/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    assert.equal((await old.next()).object.code, 410);

    await child.control('faults/latency', { ms: 100 });
    const t0 = performance.now();
    await http(target, 'GET', '/version');
    assert.ok(performance.now() - t0 >= 90);
    await child.control('faults/reset');

    await http(target, 'PATCH', '/apis/apps/v1/namespaces/default/statefulsets/web/scale', { body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json' });
    const cut = watch(target, '/api/v1/namespaces/default/pods?watch=true');
    await cut.next();
    await child.control('restart', { downMs: 50 });
    await cut.ended; // the restart cuts every connection
    // wait until the server answers again
    let state: any;
    for (let i = 0; i < 200; i++) {
      const r = await http(target, 'GET', '/apis/apps/v1/namespaces/default/statefulsets/web').catch(() => undefined);
      if (r?.status === 200 && r.body.status.readyReplicas === 4) {
        state = r.body;
        break;
      }
      await new Promise((res) => setTimeout(res, 25)); // polling interval while the port is down, not a timing assertion
    }
    assert.ok(state, 'came back on the same port with the scaled StatefulSet');
    assert.equal(state.spec.replicas, 4);
  });

  test('control endpoint: bulk seed and state', async () => {
    const r = await child.control('seed', { bulk: { statefulSets: 20, podsPerSet: 3, namespace: 'bench' } });
    assert.deepEqual(r, { statefulSets: 20, pods: 60 });
    const st = await child.control('state');
    assert.ok(st.counts.statefulsets >= 24);
    const pods = await http(target, 'GET', '/api/v1/namespaces/bench/pods?limit=1');
    assert.equal(pods.body.metadata.remainingItemCount, 59);
  });

  test('SIGTERM stops it cleanly', async () => {
    const extra = await startApiServerProcess({});
    await extra.stop();
    assert.equal(extra.process.exitCode, 0);
  });
});
