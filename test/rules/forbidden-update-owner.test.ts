// forbidden-update findings say when the live object is managed (operator, Argo CD, Flux, Helm): a live
// apply is not the way to change it anyway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import { liveOwnerNote } from '../../server/src/rules/practices/liveOwner';

type Obj = Record<string, any>;

const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db-other
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: c
          image: postgres:16
`;

function live(md: Obj): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default', ...md },
    spec: { serviceName: 'db', replicas: 2, podManagementPolicy: 'OrderedReady', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres:16' }] } } },
  };
}

const messages = (l: Obj) =>
  analyzeText(yaml, { env: { workspace: () => [], live: (k: string, _ns: string | undefined, n: string) => (k === 'StatefulSet' && n === 'db' ? l : undefined) } as never }).diagnostics
    .filter((d) => d.code === 'forbidden-update')
    .map((d) => d.message);

test('a managed live object: the finding says who manages it and what a live apply meets', () => {
  const argo = messages(live({ labels: { 'app.kubernetes.io/instance': 'payments' } }));
  assert.equal(argo.length, 1);
  assert.match(argo[0], /serviceName .* cannot change: kubectl apply fails .* The live object is managed by Argo CD app payments: edit in git; a live apply will be reverted\.$/s);
  assert.match(messages(live({ ownerReferences: [{ apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', name: 'mq', uid: 'u', controller: true }] }))[0], /managed by RabbitmqCluster mq \(an operator\): change the RabbitmqCluster; a live apply is reverted\.$/);
  assert.match(messages(live({ labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } }))[0], /managed by Flux Kustomization flux-system\/apps: edit in git/);
  assert.match(messages(live({ labels: { 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'db' } }))[0], /managed by Helm release db: change the chart values; the next helm upgrade overwrites a live apply\.$/);
  // unmanaged: the message as before
  const plain = messages(live({}));
  assert.equal(plain.length, 1);
  assert.doesNotMatch(plain[0], /managed by/);
});

test('liveOwnerNote: tracking id (apps in any namespace), nothing on an unmarked object', () => {
  assert.match(liveOwnerNote(live({ annotations: { 'argocd.argoproj.io/tracking-id': 'team_payments:apps/StatefulSet:default/db' } }))!, /Argo CD app payments/);
  assert.equal(liveOwnerNote(live({ labels: { app: 'db' } })), undefined);
});
