// Owner detection as a pure function of the StatefulSet and what is known of the owning object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectOwner, ownerMarks, parseTrackingId, revertsField, type OwnerRead } from '../../client/src/cluster/owners/detect';
import type { StatefulSet } from '../../client/src/cluster/types';

function sts(md: Partial<NonNullable<StatefulSet['metadata']>>): StatefulSet {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'prod', ...md }, spec: { replicas: 3 } };
}
const none = (): OwnerRead => ({ state: 'notFound' });

test('unmarked → no owner (the user\'s to edit)', () => {
  assert.equal(detectOwner(sts({ labels: { app: 'db' } }), none), undefined);
  // a non-controller owner reference is no owner
  assert.equal(detectOwner(sts({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: '1' }] }), none), undefined);
});

test('operator: a controller owner reference of any kind; its CR decides nothing but is shown', () => {
  const s = sts({ ownerReferences: [{ apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', name: 'mq', uid: 'u', controller: true }] });
  const cr = { apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', metadata: { name: 'mq', namespace: 'prod' }, spec: { replicas: 3 } };
  const o = detectOwner(s, (r) => (r.kind === 'RabbitmqCluster' && r.name === 'mq' && r.namespace === 'prod' ? { state: 'read', object: cr } : { state: 'notFound' }))!;
  assert.equal(o.type, 'operator');
  assert.equal(o.label, 'RabbitmqCluster mq');
  assert.equal(o.reverts, 'soon');
  assert.equal(o.object, cr);
  assert.match(o.revertsText, /change the RabbitmqCluster, not the StatefulSet/);
  assert.equal(revertsField(o, '/spec/replicas'), true);
});

test('Argo CD: instance label or tracking id; selfHeal, automated, ignoreDifferences from the Application', () => {
  const byLabel = sts({ labels: { 'app.kubernetes.io/instance': 'payments' } });
  assert.deepEqual(ownerMarks(byLabel).map((m) => [m.type, m.name, m.namespace]), [['argocd', 'payments', 'argocd']]);
  const byId = sts({ annotations: { 'argocd.argoproj.io/tracking-id': 'team-a_payments:apps/StatefulSet:prod/db' } });
  assert.deepEqual(ownerMarks(byId).map((m) => [m.type, m.name, m.namespace]), [['argocd', 'payments', 'team-a']]);
  assert.deepEqual(parseTrackingId('payments:apps/StatefulSet:prod/db'), { app: 'payments', appNamespace: undefined });
  const app = (syncPolicy: unknown, ignoreDifferences?: unknown) => ({ state: 'read' as const, object: { kind: 'Application', metadata: { name: 'payments' }, spec: { syncPolicy, ignoreDifferences } } });
  const heal = detectOwner(byLabel, () => app({ automated: { selfHeal: true } }, [{ group: 'apps', kind: 'StatefulSet', name: 'db', jsonPointers: ['/spec/replicas'] }, { kind: 'Deployment', jsonPointers: ['/spec/template'] }]))!;
  assert.equal(heal.selfHeal, true);
  assert.equal(heal.reverts, 'soon');
  assert.deepEqual(heal.ignored, ['/spec/replicas']);
  assert.equal(revertsField(heal, '/spec/replicas'), false);
  assert.equal(revertsField(heal, '/spec/template/spec'), true);
  assert.equal(detectOwner(byLabel, () => app({ automated: {} }))!.reverts, 'later');
  assert.equal(detectOwner(byLabel, () => app(undefined))!.reverts, 'no');
  const forbidden = detectOwner(byLabel, () => ({ state: 'forbidden' }))!;
  assert.equal(forbidden.type, 'argocd');
  assert.equal(forbidden.reverts, 'unknown');
  assert.equal(forbidden.label, 'Argo CD app payments (Application not readable (403))');
});

test('Helm: a `helm install` release is Helm, not Argo, though charts set the instance label too', () => {
  const helm = sts({ labels: { 'app.kubernetes.io/instance': 'sessions', 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'sessions', 'meta.helm.sh/release-namespace': 'prod' } });
  const o = detectOwner(helm, none)!;
  assert.equal(o.type, 'helm');
  assert.equal(o.label, 'Helm release sessions');
  assert.equal(o.reverts, 'later');
  assert.match(o.revertsText, /next `helm upgrade`/);
  // a chart rendered by Argo CD (helm template): no meta.helm.sh annotations → Argo first, Helm also
  const argoHelm = sts({ labels: { 'app.kubernetes.io/instance': 'payments', 'app.kubernetes.io/managed-by': 'Helm' } });
  const a = detectOwner(argoHelm, none)!;
  assert.equal(a.type, 'argocd');
  assert.deepEqual(a.also.map((m) => m.type), ['helm']);
  // the Argo CD controller as a manager of a Helm-annotated object → Argo
  const adopted = sts({ ...helm.metadata, managedFields: [{ manager: 'argocd-controller', operation: 'Update' }] });
  assert.equal(detectOwner(adopted, none)!.type, 'argocd');
  assert.deepEqual(detectOwner(adopted, none)!.managers, ['argocd-controller']);
});

test('Flux: Kustomization / HelmRelease labels; suspend and the object\'s reconcile: disabled', () => {
  const ks = sts({ labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } });
  const read = (suspend: boolean): OwnerRead => ({ state: 'read', object: { kind: 'Kustomization', spec: { suspend } } as never });
  const live = detectOwner(ks, () => read(false))!;
  assert.equal(live.type, 'flux');
  assert.equal(live.label, 'Flux Kustomization flux-system/apps');
  assert.equal(live.reverts, 'soon');
  assert.equal(detectOwner(ks, () => read(true))!.reverts, 'no');
  const opted = sts({ ...ks.metadata, annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' } });
  assert.equal(detectOwner(opted, () => read(false))!.reverts, 'no');
  const hr = sts({ labels: { 'helm.toolkit.fluxcd.io/name': 'redis', 'helm.toolkit.fluxcd.io/namespace': 'flux-system', 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'redis' } });
  const h = detectOwner(hr, () => ({ state: 'missing' }))!;
  assert.equal(h.type, 'flux');
  assert.equal(h.ref.kind, 'HelmRelease');
  assert.equal(h.reverts, 'unknown');
  assert.deepEqual(h.also.map((m) => m.type), ['helm']);
});

test('Open Owner of a Helm release: chart values that look like credentials are masked; the release record decodes', async () => {
  const { redactValues, decodeHelmRelease } = await import('../../client/src/cluster/owners/open');
  assert.deepEqual(redactValues({ auth: { password: 's3cr3t', enabled: true }, replicaCount: 3, image: { tag: '7.2' }, apiKey: 'k', tokens: ['a', 'b'], service: { port: 6379 } }), {
    auth: { password: '***', enabled: true },
    replicaCount: 3,
    image: { tag: '7.2' },
    apiKey: '***',
    tokens: ['***', '***'],
    service: { port: 6379 },
  });
  const { gzipSync } = await import('node:zlib');
  const inner = gzipSync(Buffer.from(JSON.stringify({ name: 'r', version: 2 }))).toString('base64');
  assert.deepEqual(decodeHelmRelease(Buffer.from(inner).toString('base64')), { name: 'r', version: 2 });
});
