// The best-practice rules beyond their fixtures: the workspace, namespaces, defaults, patches,
// templates, and the helpers they stand on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import type { IndexedObject, RuleEnvironment } from '../../server/src/rules/framework';
import { practiceRules } from '../../server/src/rules/practices';
import { imageTag } from '../../server/src/rules/practices/image-tag-latest';
import { labelSelectorSelects, mapSelects } from '../../server/src/rules/practices/util';
import { edit } from '../engine/helpers';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          tcpSocket:
            port: 80
        resources:
          requests:
            cpu: 100m
          limits:
            memory: 64Mi
`;


function ws(objects: Array<Partial<IndexedObject> & { kind: string; value: Record<string, unknown> }>): RuleEnvironment {
  const all = objects.map((o) => ({ uri: 'file:///other.yaml', ...o }) as IndexedObject);
  return { workspace: (kind) => all.filter((o) => o.kind === kind), live: () => undefined };
}

function codes(text: string, env?: RuleEnvironment, settings?: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'>): string[] {
  return analyzeText(text, { uri: 'file:///sts.yaml', env, settings }).diagnostics.map((d) => String(d.code));
}

const service = (ns?: string, spec: Record<string, unknown> = { clusterIP: 'None', selector: { app: 'web' } }) => ({
  kind: 'Service',
  name: 'web',
  namespace: ns,
  value: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ...(ns ? { namespace: ns } : {}) }, spec },
});
const pdb = (selector: unknown) => ({
  kind: 'PodDisruptionBudget',
  name: 'web-pdb',
  value: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb' }, spec: { maxUnavailable: 1, selector } },
});

describe('practice rules', () => {
  test('every rule is a warning or information, except forbidden-update (an error: the apply fails)', () => {
    for (const r of practiceRules) assert.ok(r.id === 'forbidden-update' ? r.severity === 'error' : ['warning', 'information'].includes(r.severity), r.id);
  });

  test('the governing Service and the PodDisruptionBudget may live elsewhere in the workspace', () => {
    const c = codes(STS, ws([service(), pdb({ matchLabels: { app: 'web' } })]));
    for (const id of ['service-not-found', 'service-not-headless', 'service-selector-mismatch', 'missing-pod-disruption-budget']) assert.ok(!c.includes(id), id);
    assert.ok(codes(STS).includes('service-not-found'));
  });

  test('namespaces: a Service in another namespace does not count; an unset namespace matches any', () => {
    const namespaced = edit(STS, '  name: web\nspec:', '  name: web\n  namespace: shop\nspec:');
    assert.ok(codes(namespaced, ws([service('other')])).includes('service-not-found'));
    assert.ok(!codes(namespaced, ws([service('shop')])).includes('service-not-found'));
    assert.ok(!codes(namespaced, ws([service()])).includes('service-not-found'));
  });

  test('a Service with a cluster IP, or a selector that misses the pods, is named in the message', () => {
    const d = analyzeText(STS, { env: ws([service(undefined, { selector: { app: 'web' } })]) }).diagnostics.find((x) => x.code === 'service-not-headless');
    assert.match(d!.message, /Service "web" is not headless/);
    const m = analyzeText(STS, { env: ws([service(undefined, { clusterIP: 'None', selector: { app: 'nginx' } })]) }).diagnostics.find((x) => x.code === 'service-selector-mismatch');
    assert.match(m!.message, /selects app=nginx, which the pod template's labels \(app=web\) do not match/);
    const none = analyzeText(STS, { env: ws([service(undefined, { clusterIP: 'None' })]) }).diagnostics.find((x) => x.code === 'service-selector-mismatch');
    assert.match(none!.message, /has no selector/);
  });

  test('a PodDisruptionBudget that selects other pods, or has no selector, does not count; an empty selector selects all', () => {
    assert.ok(codes(STS, ws([pdb({ matchLabels: { app: 'db' } })])).includes('missing-pod-disruption-budget'));
    assert.ok(codes(STS, ws([pdb(undefined)])).includes('missing-pod-disruption-budget'));
    assert.ok(!codes(STS, ws([pdb({})])).includes('missing-pod-disruption-budget'));
  });

  test('one replica (or replicas left to its default of 1): no PDB or anti-affinity warning', () => {
    for (const text of [edit(STS, '  replicas: 3\n', ''), edit(STS, 'replicas: 3', 'replicas: 1')]) {
      const c = codes(text);
      assert.ok(!c.includes('missing-pod-disruption-budget') && !c.includes('missing-pod-anti-affinity'), c.join());
    }
  });

  test("anti-affinity on the hostname that selects other pods is called out as such", () => {
    const text = edit(
      STS,
      '    spec:\n      containers:',
      '    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - topologyKey: kubernetes.io/hostname\n            labelSelector:\n              matchLabels:\n                app: other\n      containers:',
    );
    const d = analyzeText(text).diagnostics.find((x) => x.code === 'missing-pod-anti-affinity');
    assert.match(d!.message, /does not select this StatefulSet's own pods/);
    const zone = text.replace('kubernetes.io/hostname', 'topology.kubernetes.io/zone').replace('app: other', 'app: web');
    assert.match(analyzeText(zone).diagnostics.find((x) => x.code === 'missing-pod-anti-affinity')!.message, /no pod anti-affinity on kubernetes.io\/hostname/);
  });

  test('a CPU limit alone is enough (the request defaults to it); init containers are checked too', () => {
    const limitOnly = edit(STS, '          requests:\n            cpu: 100m\n          limits:\n            memory: 64Mi\n', '          limits:\n            cpu: 1\n            memory: 64Mi\n');
    assert.ok(!codes(limitOnly).includes('container-cpu-request'));
    const init = edit(STS, '      containers:\n', '      initContainers:\n      - name: setup\n        image: busybox:1.36\n      containers:\n');
    const found = analyzeText(init).diagnostics.filter((d) => d.code === 'container-memory-limit' || d.code === 'container-cpu-request');
    assert.deepEqual(found.map((d) => d.message.slice(0, 24)), ['Init container "setup" h', 'Init container "setup" h']);
  });

  test('the readiness probe of any container is enough (sidecars need none)', () => {
    const sidecar = edit(STS, '        resources:', '      - name: sidecar\n        image: busybox:1.36\n        resources:');
    assert.ok(!codes(sidecar).includes('missing-readiness-probe'));
  });

  test('partition: at or above replicas only; OnDelete and partition 0 say nothing here', () => {
    const p = (n: number, type = 'RollingUpdate') => edit(STS, '  selector:', `  updateStrategy:\n    type: ${type}\n    rollingUpdate:\n      partition: ${n}\n  selector:`);
    assert.ok(codes(p(3)).includes('partition-reaches-no-pod'));
    assert.ok(codes(p(7)).includes('partition-reaches-no-pod'));
    assert.ok(!codes(p(2)).includes('partition-reaches-no-pod'));
    assert.ok(!codes(p(3, 'OnDelete')).includes('partition-reaches-no-pod'));
    assert.ok(codes(edit(STS, '  replicas: 3\n', '  replicas: 0\n').replace('  selector:', '  updateStrategy:\n    rollingUpdate:\n      partition: 0\n  selector:')).every((c) => c !== 'partition-reaches-no-pod'));
  });

  test('a Kustomize patch gets no container, affinity, PDB or selector advice', () => {
    const patch = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.28\n`;
    const c = codes(patch);
    for (const id of ['container-memory-limit', 'container-cpu-request', 'missing-readiness-probe', 'missing-pod-anti-affinity', 'missing-pod-disruption-budget']) assert.ok(!c.includes(id), `${id} in ${c.join()}`);
  });

  test('a Helm template gets none of them', () => {
    const helm = edit(STS, 'image: nginx:1.27', 'image: "{{ .Values.image }}"');
    assert.deepEqual(codes(helm).filter((c) => practiceRules.some((r) => r.id === c)), []);
  });

  test('settings and disable comments apply to these rules', () => {
    assert.ok(!codes(STS, undefined, { 'service-not-found': 'off' }).includes('service-not-found'));
    const d = analyzeText(STS, { settings: { 'service-not-found': 'error' } }).diagnostics.find((x) => x.code === 'service-not-found');
    assert.equal(d?.severity, 1);
    const quiet = edit(STS, '  serviceName: web', '  # statefulset-studio-disable-next-line service-not-found\n  serviceName: web');
    assert.ok(!codes(quiet).includes('service-not-found'));
  });
});

describe('helpers', () => {
  test('imageTag: none, latest, a registry port, a digest', () => {
    assert.equal(imageTag('nginx'), undefined);
    assert.equal(imageTag('nginx:latest'), 'latest');
    assert.equal(imageTag('localhost:5000/nginx'), undefined);
    assert.equal(imageTag('localhost:5000/team/nginx:1.2'), '1.2');
    assert.equal(imageTag('nginx@sha256:abc'), '');
    assert.equal(imageTag('nginx:1.2@sha256:abc'), '');
  });

  test('selectors: empty selects all, absent none; every operator', () => {
    const pod = { app: 'web', tier: 'db' };
    assert.equal(labelSelectorSelects({}, pod), true);
    assert.equal(labelSelectorSelects(undefined, pod), false);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] }, pod), true);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, pod), false);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, pod), true);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, pod), false);
    assert.equal(labelSelectorSelects({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Bogus' }] }, pod), false);
    assert.equal(mapSelects({}, pod), false, "a Service's empty selector selects nothing");
    assert.equal(mapSelects({ app: 'web' }, pod), true);
  });
});
