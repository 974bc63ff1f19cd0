// The same scenario through @kubernetes/client-node 1.4 (what the extension uses): typed reads,
// merge-patch scale, strategic-merge rollout and rollback, informers across 410 and dropped
// watches, ApiException Status bodies for 422 and 403.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isPodReady } from '../../simulator/controller';
import { startApiServer, statefulSet, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';

type K8s = typeof import('@kubernetes/client-node');

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');

describe('@kubernetes/client-node against the simulator', { timeout: 60_000 }, () => {
  let api: ApiServer;
  let k8s: K8s;
  let kc: InstanceType<K8s['KubeConfig']>;

  const until = <T>(check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const t0 = check();
      if (t0) return resolve(t0);
      const timer = setInterval(() => {
        const v = check();
        if (v) {
          clearInterval(timer);
          clearTimeout(to);
          resolve(v);
        }
      }, 5);
      const to = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
    });

  before(async () => {
    k8s = await import('@kubernetes/client-node');
    api = await startApiServer({ podReadyDelayMs: 5 });
    api.create(statefulSet({ name: 'web', replicas: 2, claims: [{ name: 'www', size: '1Gi' }] }));
    await api.waitFor(() => api.store.peek(STS, 'default', 'web')?.status?.readyReplicas === 2);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
  });
  after(async () => {
    await api.stop();
  });

  test('typed reads over TLS with the kubeconfig CA', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const list = await apps.listNamespacedStatefulSet({ namespace: 'default' });
    assert.deepEqual(list.items.map((s) => s.metadata?.name), ['web']);
    assert.ok(list.metadata?.resourceVersion);
    const web = await apps.readNamespacedStatefulSet({ name: 'web', namespace: 'default' });
    assert.equal(web.status?.readyReplicas, 2);
    assert.equal(web.spec?.volumeClaimTemplates?.[0].metadata?.name, 'www');
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pvcs = await core.listNamespacedPersistentVolumeClaim({ namespace: 'default' });
    assert.deepEqual(pvcs.items.map((p) => [p.metadata?.name, p.status?.phase]), [
      ['www-web-0', 'Bound'],
      ['www-web-1', 'Bound'],
    ]);
  });

  test('informer sees a merge-patch scale, a pod deletion and recreation, and survives 410 and dropped watches', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const events: string[] = [];
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' }), 'app=web');
    informer.on('add', (p) => events.push(`add ${p.metadata?.name}`));
    informer.on('delete', (p) => events.push(`delete ${p.metadata?.name}`));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      await until(() => informer.list().length === 2, 'initial list');
      const scaled = await apps.patchNamespacedStatefulSetScale(
        { name: 'web', namespace: 'default', body: { spec: { replicas: 3 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      assert.equal(scaled.spec?.replicas, 3);
      await until(() => informer.get('web-2', 'default')?.status?.phase === 'Running', 'web-2 running');
      assert.ok(events.includes('add web-2'));

      // the history is gone: the informer's watch gets ERROR 410 and it relists
      const lists = () => api.requests.filter((r) => r.path === '/api/v1/namespaces/default/pods' && r.verb === 'list').length;
      const before410 = lists();
      api.faults.expireResourceVersions();
      await until(() => lists() > before410, 'relist after 410');
      // every watch dropped: it reconnects and keeps receiving
      const watchesBefore = api.requests.filter((r) => r.verb === 'watch').length;
      api.faults.dropWatches();
      await until(() => api.requests.filter((r) => r.verb === 'watch').length > watchesBefore, 'watch reconnect');

      const oldUid = informer.get('web-1', 'default')?.metadata?.uid;
      await core.deleteNamespacedPod({ name: 'web-1', namespace: 'default' });
      await until(() => events.includes('delete web-1'), 'delete seen');
      const back = await until(() => {
        const p = informer.get('web-1', 'default');
        return p && p.metadata?.uid !== oldUid && p.status?.phase === 'Running' ? p : undefined;
      }, 'web-1 back');
      assert.equal(back.spec?.volumes?.[0].persistentVolumeClaim?.claimName, 'www-web-1');
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });

  test('rollout with a strategic-merge patch, history via ControllerRevisions, rollback by revision data', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const sm = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
    await apps.patchNamespacedStatefulSet(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } } },
      sm,
    );
    await api.waitFor(() => {
      const s = api.store.peek(STS, 'default', 'web')!;
      return s.status?.updatedReplicas === 3 && s.status.readyReplicas === 3 && s.status.currentRevision === s.status.updateRevision;
    });
    const revs = await apps.listNamespacedControllerRevision({ namespace: 'default', labelSelector: 'app=web' });
    const sorted = revs.items.sort((a, b) => a.revision - b.revision);
    assert.deepEqual(sorted.map((r) => r.revision), [1, 2]);
    const first = sorted[0];
    assert.equal((first.data as Obj).spec.template.$patch, 'replace');
    // roll back exactly as kubectl does: the revision's data as a strategic-merge patch
    const rolled = await apps.patchNamespacedStatefulSet({ name: 'web', namespace: 'default', body: first.data }, sm);
    assert.equal(rolled.spec?.template.spec?.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
    await api.waitFor(() => {
      const s = api.store.peek(STS, 'default', 'web')!;
      return s.status?.updateRevision === first.metadata?.name && s.status.updatedReplicas === 3 && s.status.readyReplicas === 3;
    });
    const after = await apps.readNamespacedControllerRevision({ name: first.metadata!.name!, namespace: 'default' });
    assert.equal(after.revision, 3);
    for (const n of ['web-0', 'web-1', 'web-2']) assert.ok(isPodReady(api.store.get(POD, 'default', n)));
  });

  test('errors: ApiException carries the code and the Status body (422 immutable field, 409 conflict)', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const err = await apps
      .patchNamespacedStatefulSet(
        { name: 'web', namespace: 'default', body: { spec: { podManagementPolicy: 'Parallel' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof k8s.ApiException);
    assert.equal(err.code, 422);
    const status = JSON.parse(err.body as string);
    assert.equal(status.reason, 'Invalid');
    assert.match(status.message, /^StatefulSet\.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than/);

    const cur = await apps.readNamespacedStatefulSet({ name: 'web', namespace: 'default' });
    cur.metadata!.resourceVersion = '1';
    const conflict = await apps.replaceNamespacedStatefulSet({ name: 'web', namespace: 'default', body: cur }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(conflict instanceof k8s.ApiException);
    assert.equal(conflict.code, 409);
  });

  test('the restricted context gets 403 for PVCs and for scaling', async () => {
    const rkc = new k8s.KubeConfig();
    rkc.loadFromFile(api.kubeconfigPath);
    rkc.setCurrentContext(api.contexts.restricted);
    const core = rkc.makeApiClient(k8s.CoreV1Api);
    const e1 = await core.listNamespacedPersistentVolumeClaim({ namespace: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(e1 instanceof k8s.ApiException);
    assert.equal(e1.code, 403);
    assert.equal(JSON.parse(e1.body as string).reason, 'Forbidden');
    const apps = rkc.makeApiClient(k8s.AppsV1Api);
    const e2 = await apps
      .patchNamespacedStatefulSetScale({ name: 'web', namespace: 'default', body: { spec: { replicas: 1 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(e2 instanceof k8s.ApiException);
    assert.equal(e2.code, 403);
    assert.equal((await apps.listNamespacedStatefulSet({ namespace: 'default' })).items.length, 1);
  });
});
