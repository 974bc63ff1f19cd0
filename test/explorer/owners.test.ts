// Owners of live StatefulSets, detected by the cluster layer against the simulator over HTTPS: the
// demo cluster's operator-, Argo CD-, Flux- and Helm-managed StatefulSets, what each owner's object
// says (selfHeal, suspend), one watch per owner kind and namespace (no request per StatefulSet), a
// 403 on Applications reads "not readable" (never unmanaged), a missing CRD reads "not served".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, until } from './helpers';
import { resourceByKind } from '../../simulator/resources';
import { DEFAULT_USERS } from '../../simulator/index';
import { childrenOf, statefulSetNode } from '../../client/src/cluster/tree';
import { ownerDocument } from '../../client/src/cluster/owners/open';
import { lensInfo } from '../../client/src/cluster/lens';

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
    // the tree: a description, a tooltip with what reverts what, a context value for Open Owner
    const t = s.tree();
    assert.match(t, /^    mq-server — .* · owner: RabbitmqCluster mq · /m);
    assert.match(t, /^    payments-db — .* · owner: Argo CD app payments · /m);
    assert.match(t, /^    search — .* · owner: Flux Kustomization flux-system\/apps · /m);
    assert.match(t, /^    sessions — .* · owner: Helm release sessions · /m);
    assert.doesNotMatch(t.split('\n').filter((l) => /^    (web|cache|queue|postgres) /.test(l)).join('\n'), /owner:/);
    const row = statefulSetNode(s.conn.context, m.view('managed/payments-db')!, m);
    assert.match(row.tooltip!, /managed by Argo CD app payments \(label app.kubernetes.io\/instance\)\nArgo CD app payments syncs from git with selfHeal: a live change is reverted within seconds/);
    assert.match(row.tooltip!, /field managers: argocd-controller/);
    assert.match(row.contextValue, /\.owned\.argocd$/);
    const web = childrenOf({ kind: 'namespace', namespace: 'default', id: 'x', label: 'default', icon: '', contextValue: '', collapsible: 'expanded' }, s.conn.context, s.conn.server, m).find((n) => n.label === 'web')!;
    assert.doesNotMatch(web.contextValue, /owned/);
    // the live CodeLens says it too
    const lv = m.view('managed/payments-db')!;
    assert.equal(lensInfo(lv, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'payments-db' }, spec: { replicas: 5 } }).managed, 'managed by Argo CD app payments: edit in git; a live apply will be reverted');
    assert.equal(lensInfo(m.view('managed/mq-server')!, { metadata: { name: 'mq-server' } }).managed, 'managed by RabbitmqCluster mq: change the RabbitmqCluster; a live apply is reverted');
    assert.equal(lensInfo(m.view('default/web')!, { metadata: { name: 'web' } }).managed, undefined);
    // Open Owner: the CR, the Application, the Flux object as YAML; Helm's release decoded from its Secret
    const doc = async (k: string) => (await ownerDocument(s.conn.http, 'managed', k.split('/')[1], owner(k)!)).yaml;
    assert.match(await doc('managed/mq-server'), /^kind: RabbitmqCluster$[\s\S]*^  replicas: 3$/m);
    assert.match(await doc('managed/payments-db'), /^kind: Application$[\s\S]*selfHeal: true/m);
    assert.match(await doc('managed/search'), /^kind: Kustomization$/m);
    const helm = await doc('managed/sessions');
    assert.match(helm, /^release: sessions$/m);
    assert.match(helm, /^status: deployed$/m);
    assert.match(helm, /^chart: redis-19.6.4$/m);
    assert.doesNotMatch(await doc('managed/mq-server'), /managedFields/);
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
