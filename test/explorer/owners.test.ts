// Owners of live StatefulSets, detected by the cluster layer against the simulator over HTTPS: the
// demo cluster's operator-, Argo CD-, Flux- and Helm-managed StatefulSets, what each owner's object
// says (selfHeal, suspend), one watch per owner kind and namespace (no request per StatefulSet), a
// 403 on Applications reads "not readable" (never unmanaged), a missing CRD reads "not served".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, until } from './helpers';
import { resourceByKind } from '../../simulator/resources';
import { DEFAULT_USERS } from '../../simulator/index';

const STS = resourceByKind('StatefulSet');

test('the demo cluster: each managed StatefulSet has its owner, the others none; the tree says so', async () => {
  const s = await setup({ scenario: 'managed' });
  try {
    const m = s.conn.model;
    const owner = (k: string) => m.view(k)?.owner;
    await until(m, () => ['managed/mq-server', 'managed/payments-db', 'managed/search', 'managed/sessions'].every((k) => owner(k) && owner(k)!.read !== 'pending'), 'owners read');
    const mq = owner('managed/mq-server')!;
    assert.equal(mq.type, 'operator');
    assert.equal(mq.ref.kind, 'RabbitmqCluster');
    assert.equal(mq.ref.name, 'mq');
    assert.equal(mq.read, 'read');
    assert.equal(mq.reverts, 'soon');
    assert.equal((mq.object as { spec?: { replicas?: number } }).spec?.replicas, 3);
    const pay = owner('managed/payments-db')!;
    assert.equal(pay.type, 'argocd');
    assert.equal(pay.ref.namespace, 'argocd');
    assert.equal(pay.selfHeal, true);
    assert.equal(pay.reverts, 'soon');
    assert.ok(pay.managers.includes('argocd-controller'), pay.managers.join());
    const search = owner('managed/search')!;
    assert.equal(search.type, 'flux');
    assert.equal(search.ref.kind, 'Kustomization');
    assert.equal(search.suspended, false);
    assert.equal(search.reverts, 'soon');
    const sessions = owner('managed/sessions')!;
    assert.equal(sessions.type, 'helm');
    assert.equal(sessions.ref.name, 'sessions');
    assert.equal(sessions.reverts, 'later');
    for (const k of ['default/web', 'default/cache', 'default/queue', 'databases/postgres']) assert.equal(owner(k), undefined, k);
    // one watch per owner kind and namespace
    assert.deepEqual(Object.keys(m.owners.watched()).sort(), [
      'argoproj.io/v1alpha1/applications@argocd',
      'kustomize.toolkit.fluxcd.io/v1/kustomizations@flux-system',
      'rabbitmq.com/v1beta1/rabbitmqclusters@managed',
    ]);
    // a change of the owner's object reaches the view (Flux suspended → a live change stands)
    const ks = s.api.store.peek(resourceByKind('Kustomization'), 'flux-system', 'apps')!;
    s.api.store.update(resourceByKind('Kustomization'), { ...ks, metadata: { ...ks.metadata, resourceVersion: undefined }, spec: { ...ks.spec, suspend: true } });
    await until(m, () => owner('managed/search')?.suspended === true, 'suspended seen');
    assert.equal(owner('managed/search')!.reverts, 'no');
  } finally {
    await s.close();
  }
});

test('no request per StatefulSet: ten StatefulSets of one operator CR kind share one discovery and one list', async () => {
  const s = await setup({ scenario: 'empty' });
  try {
    for (let i = 0; i < 10; i++) {
      s.api.create({ apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', metadata: { name: `q${i}`, namespace: 'default' }, spec: { replicas: 1 } });
    }
    const m = s.conn.model;
    await until(m, () => m.statefulSets('default').length === 10 && m.statefulSets('default').every((v) => v.owner?.read === 'read'), 'ten owned');
    const discovery = s.api.requests.filter((r) => r.path === '/apis/rabbitmq.com/v1beta1');
    const lists = s.api.requests.filter((r) => r.path.startsWith('/apis/rabbitmq.com/v1beta1/namespaces/default/rabbitmqclusters') && r.verb === 'list');
    assert.equal(discovery.length, 1);
    assert.equal(lists.length, 1);
    assert.ok(!s.api.requests.some((r) => /rabbitmqclusters\/q\d/.test(r.path)), 'no get per StatefulSet');
  } finally {
    await s.close();
  }
});

test('RBAC 403 on Applications → "Argo CD (Application not readable)", never unmanaged', async () => {
  const users = DEFAULT_USERS();
  users[0].deny = [{ verbs: ['get', 'list', 'watch'], resource: 'applications' }];
  const s = await setup({ users, scenario: 'managed' });
  try {
    const m = s.conn.model;
    const o = await until(m, () => { const x = m.view('managed/payments-db')?.owner; return x && x.read === 'forbidden' ? x : undefined; }, 'forbidden owner');
    assert.equal(o.type, 'argocd');
    assert.equal(o.reverts, 'unknown');
    assert.match(o.label, /Argo CD app payments \(Application not readable \(403\)\)/);
  } finally {
    await s.close();
  }
});

test('an owner kind the cluster does not serve (no CRD) reads "not served", still owned', async () => {
  const s = await setup({ scenario: 'empty' });
  try {
    const sts = {
      apiVersion: 'apps/v1', kind: 'StatefulSet',
      metadata: { name: 'es', namespace: 'default', labels: { app: 'es' }, ownerReferences: [{ apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', name: 'logs', uid: 'u-1', controller: true }] },
      spec: { replicas: 1, serviceName: 'es', selector: { matchLabels: { app: 'es' } }, template: { metadata: { labels: { app: 'es' } }, spec: { containers: [{ name: 'es', image: 'es:8' }] } } },
    };
    s.api.create(sts);
    const m = s.conn.model;
    const o = await until(m, () => { const x = m.view('default/es')?.owner; return x && x.read === 'missing' ? x : undefined; }, 'missing owner kind');
    assert.equal(o.type, 'operator');
    assert.equal(o.reverts, 'unknown');
    assert.match(o.label, /Elasticsearch logs \(Elasticsearch kind not served by this cluster\)/);
    assert.ok(s.api.store.peek(STS, 'default', 'es'));
  } finally {
    await s.close();
  }
});
