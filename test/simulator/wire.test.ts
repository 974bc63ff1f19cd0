// The simulator on the wire: TLS + tokens, discovery, CRUD with Status errors, selectors,
// pagination, Tables, patches, watches.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApiServer, statefulSet, type ApiServer } from '../../simulator/index';
import { http, watch } from './testkit';

const STS_PATH = '/apis/apps/v1/namespaces/default/statefulsets';

describe('simulator wire protocol', { timeout: 60_000 }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 1, bookmarkIntervalMs: 50, recordEvents: false });
  });
  after(async () => {
    await api.stop();
  });

  test('serves HTTPS with the CA in the kubeconfig, no insecure-skip-tls-verify', async () => {
    assert.match(api.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(api.kubeconfig, /insecure-skip-tls-verify/);
    assert.match(api.kubeconfig, /certificate-authority-data: /);
    assert.match(api.kubeconfig, /SIMULATOR/);
    const v = await http(api, 'GET', '/version');
    assert.equal(v.status, 200);
    assert.match(v.body.gitVersion, /-simulator$/);
  });

  test('unknown or missing token → 401 Status', async () => {
    const r = await http(api, 'GET', '/api/v1/namespaces', { token: 'nope' });
    assert.equal(r.status, 401);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, 'Unauthorized');
    assert.equal((await http(api, 'GET', '/api/v1/namespaces', { token: null })).status, 401);
  });

  test('restricted user: 403 Forbidden Status for PVC list and statefulsets/scale patch', async () => {
    const t = api.tokens.restricted;
    const list = await http(api, 'GET', '/api/v1/namespaces/default/persistentvolumeclaims', { token: t });
    assert.equal(list.status, 403);
    assert.equal(list.body.reason, 'Forbidden');
    assert.equal(
      list.body.message,
      'persistentvolumeclaims is forbidden: User "restricted" cannot list resource "persistentvolumeclaims" in API group "" in the namespace "default"',
    );
    const scale = await http(api, 'PATCH', `${STS_PATH}/x/scale`, { token: t, body: { spec: { replicas: 1 } }, contentType: 'application/merge-patch+json' });
    assert.equal(scale.status, 403);
    assert.match(scale.body.message, /cannot patch resource "statefulsets\/scale" in API group "apps"/);
    // everything else is allowed
    assert.equal((await http(api, 'GET', STS_PATH, { token: t })).status, 200);
  });

  test('aggregated discovery v2 with its Content-Type; legacy discovery otherwise', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const apis = await http(api, 'GET', '/apis', { accept });
    assert.equal(apis.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(apis.body.kind, 'APIGroupDiscoveryList');
    const apps = apis.body.items.find((g: any) => g.metadata.name === 'apps');
    const sts = apps.versions[0].resources.find((r: any) => r.resource === 'statefulsets');
    assert.deepEqual(sts.shortNames, ['sts']);
    assert.deepEqual(
      sts.subresources.map((s: any) => [s.subresource, s.responseKind.group, s.responseKind.kind]),
      [
        ['scale', 'autoscaling', 'Scale'],
        ['status', 'apps', 'StatefulSet'],
      ],
    );
    const core = await http(api, 'GET', '/api', { accept });
    assert.equal(core.body.items[0].versions[0].version, 'v1');
    assert.ok(core.body.items[0].versions[0].resources.some((r: any) => r.resource === 'persistentvolumeclaims'));

    const legacy = await http(api, 'GET', '/apis', { accept: 'application/json' });
    assert.equal(legacy.body.kind, 'APIGroupList');
    assert.equal((await http(api, 'GET', '/api')).body.kind, 'APIVersions');
    const rl = await http(api, 'GET', '/apis/apps/v1');
    const scale = rl.body.resources.find((r: any) => r.name === 'statefulsets/scale');
    assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
    assert.ok(rl.body.resources.some((r: any) => r.name === 'statefulsets/status'));
    assert.ok(rl.body.resources.some((r: any) => r.name === 'controllerrevisions'));
    const v1 = await http(api, 'GET', '/api/v1');
    for (const r of ['pods', 'persistentvolumeclaims', 'services', 'events', 'namespaces']) assert.ok(v1.body.resources.some((x: any) => x.name === r), r);
    assert.equal((await http(api, 'GET', '/apis/policy/v1')).body.resources[0].name, 'poddisruptionbudgets');
    assert.equal((await http(api, 'GET', '/apis/storage.k8s.io/v1')).body.resources[0].name, 'storageclasses');
  });

  test('create, get, 409 AlreadyExists, update with stale resourceVersion → 409 Conflict, delete, 404', async () => {
    const cm = statefulSet({ name: 'crud', replicas: 0 });
    const c = await http(api, 'POST', STS_PATH, { body: cm });
    assert.equal(c.status, 201);
    assert.equal(c.body.metadata.generation, 1);
    assert.ok(c.body.metadata.uid);
    assert.equal(c.body.spec.podManagementPolicy, 'OrderedReady', 'defaulted');
    assert.deepEqual(c.body.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    const dup = await http(api, 'POST', STS_PATH, { body: cm });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, 'AlreadyExists');
    assert.equal(dup.body.message, 'statefulsets.apps "crud" already exists');

    const got = await http(api, 'GET', `${STS_PATH}/crud`);
    const stale = structuredClone(got.body);
    got.body.spec.replicas = 0;
    got.body.spec.minReadySeconds = 3;
    const u = await http(api, 'PUT', `${STS_PATH}/crud`, { body: got.body });
    assert.equal(u.status, 200);
    assert.equal(u.body.metadata.generation, 2);
    stale.spec.minReadySeconds = 5;
    const conflict = await http(api, 'PUT', `${STS_PATH}/crud`, { body: stale });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    assert.match(conflict.body.message, /^Operation cannot be fulfilled on statefulsets\.apps "crud": the object has been modified/);

    const d = await http(api, 'DELETE', `${STS_PATH}/crud`);
    assert.equal(d.status, 200);
    const nf = await http(api, 'GET', `${STS_PATH}/crud`);
    assert.equal(nf.status, 404);
    assert.deepEqual([nf.body.kind, nf.body.reason, nf.body.message], ['Status', 'NotFound', 'statefulsets.apps "crud" not found']);
    assert.deepEqual(nf.body.details, { name: 'crud', group: 'apps', kind: 'statefulsets' });
  });

  test('422 for an immutable StatefulSet field, with the real message; 422 for a selector that does not match', async () => {
    await http(api, 'POST', STS_PATH, { body: statefulSet({ name: 'immut', replicas: 0 }) });
    const r = await http(api, 'PATCH', `${STS_PATH}/immut`, { body: { spec: { serviceName: 'other' } }, contentType: 'application/merge-patch+json' });
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, 'Invalid');
    assert.equal(
      r.body.message,
      `StatefulSet.apps "immut" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
    );
    assert.deepEqual(r.body.details.causes, [
      {
        reason: 'FieldValueForbidden',
        message: `Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
        field: 'spec',
      },
    ]);
    const bigger = await http(api, 'PATCH', `${STS_PATH}/immut`, {
      body: { spec: { volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } }] } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(bigger.status, 422);
    const bad = statefulSet({ name: 'badsel', replicas: 0 });
    bad.spec.selector.matchLabels = { app: 'other' };
    const b = await http(api, 'POST', STS_PATH, { body: bad });
    assert.equal(b.status, 422);
    assert.equal(b.body.message, 'StatefulSet.apps "badsel" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"badsel"}: `selector` does not match template `labels`');
  });

  test('400 for a malformed body, 415 for an unknown patch type', async () => {
    const r = await http(api, 'POST', STS_PATH, { body: '{not json' });
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'BadRequest');
    await http(api, 'POST', STS_PATH, { body: statefulSet({ name: 'p415', replicas: 0 }) });
    const p = await http(api, 'PATCH', `${STS_PATH}/p415`, { body: '{}', contentType: 'text/plain' });
    assert.equal(p.status, 415);
    assert.equal(p.body.reason, 'UnsupportedMediaType');
  });

  test('patches: JSON patch, merge patch, strategic merge (containers by name, $patch: replace)', async () => {
    const base = statefulSet({ name: 'pt', replicas: 0 });
    base.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1.36' });
    await http(api, 'POST', STS_PATH, { body: base });
    const j = await http(api, 'PATCH', `${STS_PATH}/pt`, {
      body: [{ op: 'replace', path: '/spec/replicas', value: 0 }, { op: 'add', path: '/metadata/labels/tier', value: 'front' }],
      contentType: 'application/json-patch+json',
    });
    assert.equal(j.status, 200);
    assert.equal(j.body.metadata.labels.tier, 'front');
    const m = await http(api, 'PATCH', `${STS_PATH}/pt`, { body: { metadata: { labels: { tier: null } } }, contentType: 'application/merge-patch+json' });
    assert.equal(m.body.metadata.labels.tier, undefined);
    const s = await http(api, 'PATCH', `${STS_PATH}/pt`, {
      body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37' }] } } } },
      contentType: 'application/strategic-merge-patch+json',
    });
    assert.deepEqual(
      s.body.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`),
      ['pt=registry.k8s.io/nginx-slim:0.24', 'sidecar=busybox:1.37'],
      'containers merged by name',
    );
    const tpl = structuredClone(s.body.spec.template);
    tpl.spec.containers = [tpl.spec.containers[0]];
    const r = await http(api, 'PATCH', `${STS_PATH}/pt`, {
      body: { spec: { template: { ...tpl, $patch: 'replace' } } },
      contentType: 'application/strategic-merge-patch+json',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.spec.template, tpl, '$patch: replace swaps the whole template');
  });

  test('scale subresource: GET Scale, merge-patch, PUT with stale resourceVersion → 409', async () => {
    await http(api, 'POST', STS_PATH, { body: statefulSet({ name: 'sc', replicas: 0 }) });
    const g = await http(api, 'GET', `${STS_PATH}/sc/scale`);
    assert.deepEqual([g.body.kind, g.body.apiVersion, g.body.spec.replicas, g.body.status.selector], ['Scale', 'autoscaling/v1', 0, 'app=sc']);
    const p = await http(api, 'PATCH', `${STS_PATH}/sc/scale`, { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
    assert.equal(p.body.spec.replicas, 2);
    assert.equal((await http(api, 'GET', `${STS_PATH}/sc`)).body.spec.replicas, 2);
    const stale = { ...g.body, spec: { replicas: 1 } };
    const c = await http(api, 'PUT', `${STS_PATH}/sc/scale`, { body: stale });
    assert.equal(c.status, 409);
    await http(api, 'PATCH', `${STS_PATH}/sc/scale`, { body: { spec: { replicas: 0 } }, contentType: 'application/merge-patch+json' });
  });

  test('status subresource: main-resource writes ignore status, /status writes only status', async () => {
    const created = (await http(api, 'POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lone', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } })).body;
    assert.equal(created.status.phase, 'Pending');
    const s = await http(api, 'PATCH', '/api/v1/namespaces/default/pods/lone/status', { body: { status: { phase: 'Running' }, metadata: { labels: { a: 'zz' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(s.body.status.phase, 'Running');
    assert.equal(s.body.metadata.labels.a, 'b');
    const m = await http(api, 'PATCH', '/api/v1/namespaces/default/pods/lone', { body: { status: { phase: 'Failed' }, metadata: { labels: { a: 'c' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(m.body.status.phase, 'Running');
    assert.equal(m.body.metadata.labels.a, 'c');
    await http(api, 'DELETE', '/api/v1/namespaces/default/pods/lone');
  });

  test('list: label and field selectors, limit/continue, resourceVersion; Table for kubectl', async () => {
    for (const [name, tier] of [['l1', 'a'], ['l2', 'b'], ['l3', 'a'], ['l4', 'c']]) {
      const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { tier, list: 'yes' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
      assert.equal((await http(api, 'POST', '/api/v1/namespaces/default/pods', { body: p })).status, 201);
    }
    const q = (s: string) => http(api, 'GET', `/api/v1/namespaces/default/pods?${s}`).then((r) => r.body.items.map((i: any) => i.metadata.name));
    assert.deepEqual(await q('labelSelector=tier%3Da'), ['l1', 'l3']);
    assert.deepEqual(await q('labelSelector=list%3Dyes,tier!%3Da'), ['l2', 'l4']);
    assert.deepEqual(await q('labelSelector=tier%20in%20(b,c)'), ['l2', 'l4']);
    assert.deepEqual(await q('labelSelector=tier%20notin%20(a),list'), ['l2', 'l4']);
    assert.deepEqual(await q('labelSelector=list,!nothere&fieldSelector=metadata.name%3Dl3'), ['l3']);
    assert.deepEqual(await q('fieldSelector=status.phase%3DPending,metadata.name!%3Dl1&labelSelector=list'), ['l2', 'l3', 'l4']);

    const p1 = await http(api, 'GET', '/api/v1/namespaces/default/pods?labelSelector=list&limit=3');
    assert.equal(p1.body.kind, 'PodList');
    assert.equal(p1.body.items.length, 3);
    assert.equal(p1.body.metadata.remainingItemCount, 1);
    assert.ok(p1.body.metadata.resourceVersion);
    const p2 = await http(api, 'GET', `/api/v1/namespaces/default/pods?labelSelector=list&limit=3&continue=${encodeURIComponent(p1.body.metadata.continue)}`);
    assert.deepEqual(p2.body.items.map((i: any) => i.metadata.name), ['l4']);
    assert.equal(p2.body.metadata.continue, undefined);

    const t = await http(api, 'GET', '/api/v1/namespaces/default/pods?labelSelector=list&limit=500', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    });
    assert.equal(t.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
    assert.equal(t.body.kind, 'Table');
    assert.deepEqual(t.body.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.deepEqual(t.body.rows[0].cells.slice(0, 4), ['l1', '0/1', 'Pending', '0']);
    assert.equal(t.body.rows[0].object.kind, 'PartialObjectMetadata');
    await http(api, 'DELETE', '/api/v1/namespaces/default/pods?labelSelector=list');
    assert.deepEqual(await q('labelSelector=list'), []);
  });

  test('watch: chunked events from a resourceVersion, selector-aware, bookmarks, timeoutSeconds', async () => {
    const list = await http(api, 'GET', '/api/v1/namespaces/default/pods');
    const rv = list.body.metadata.resourceVersion;
    const pod = (name: string, w: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { w } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    // created before the watch starts: replayed from the resourceVersion
    await http(api, 'POST', '/api/v1/namespaces/default/pods', { body: pod('w1', 'yes') });
    const w = watch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}&labelSelector=w%3Dyes&allowWatchBookmarks=true&timeoutSeconds=30`);
    assert.equal(await w.status, 200);
    assert.equal((await w.headers)['transfer-encoding'], 'chunked');
    await w.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'w1');
    await http(api, 'POST', '/api/v1/namespaces/default/pods', { body: pod('w2', 'no') });
    await http(api, 'PATCH', '/api/v1/namespaces/default/pods/w2', { body: { metadata: { labels: { w: 'yes' } } }, contentType: 'application/merge-patch+json' });
    await w.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'w2'); // moved into the selector
    await http(api, 'PATCH', '/api/v1/namespaces/default/pods/w1', { body: { metadata: { labels: { w: 'gone' } } }, contentType: 'application/merge-patch+json' });
    await w.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'w1'); // moved out of it
    await http(api, 'DELETE', '/api/v1/namespaces/default/pods/w2');
    await w.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'w2');
    const bm = await w.next((e) => e.type === 'BOOKMARK');
    assert.equal(bm.object.kind, 'Pod');
    assert.ok(Number(bm.object.metadata.resourceVersion) > Number(rv));
    assert.ok(!w.events.some((e) => e.object.metadata?.name === 'w2' && e.type === 'MODIFIED'), 'w2 never MODIFIED while outside');
    w.close();
    await http(api, 'DELETE', '/api/v1/namespaces/default/pods/w1');

    const short = watch(api, '/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1');
    await short.ended; // the server ends it after timeoutSeconds
    assert.equal(await short.status, 200);
  });

  test('watch: headers are flushed before any event; a client going away is noticed', async () => {
    const before = api.watchCount;
    const w = watch(api, '/api/v1/namespaces/default/pods?watch=true&labelSelector=nothing%3Dhere');
    assert.equal(await w.status, 200, 'the response starts although no event was sent');
    assert.equal(w.events.length, 0);
    assert.equal(api.watchCount, before + 1);
    w.close();
    for (let i = 0; i < 400 && api.watchCount !== before; i++) await new Promise((r) => setTimeout(r, 5)); // bounded poll
    assert.equal(api.watchCount, before);
  });

  test('watch from a resourceVersion older than the kept history → ERROR 410 Expired', async () => {
    const small = await startApiServer({ historyLimit: 4, recordEvents: false });
    try {
      const rv = small.store.rv;
      for (let i = 0; i < 12; i++) small.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `h${i}` } });
      const w = watch(small, `/api/v1/namespaces?watch=true&resourceVersion=${rv}`);
      const ev = await w.next();
      await w.ended;
      assert.equal(ev.type, 'ERROR');
      assert.deepEqual([ev.object.kind, ev.object.code, ev.object.reason], ['Status', 410, 'Expired']);
      assert.match(ev.object.message, /^too old resource version: \d+ \(\d+\)$/);
    } finally {
      await small.stop();
    }
  });

  test('watch with resourceVersion 0 starts with ADDED for what exists; Table watch for kubectl -w', async () => {
    const w = watch(api, '/api/v1/namespaces?watch=true&resourceVersion=0', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    const first = await w.next();
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.kind, 'Table');
    assert.deepEqual(first.object.columnDefinitions.map((c: any) => c.name), ['Name', 'Status', 'Age']);
    assert.equal(first.object.rows.length, 1);
    w.close();
  });
});
