// Kustomize patches (partial StatefulSets) and Helm templates must not flood: check only what can be
// checked. A whole StatefulSet that merely forgot a field is still checked in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import { isPartialDocument, isPatchDirectiveKey } from '../../server/src/engine/partial';
import { errorRules } from '../../server/src/rules/errors';

const errors = (text: string) => analyzeText(text).diagnostics.filter((d) => d.severity === 1);
const codes = (text: string) => errors(text).map((d) => String(d.code));
const ruleIds = new Set(errorRules.map((r) => r.id));

const REPLICAS_PATCH = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: 5
`;

const RESOURCES_PATCH = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        version: v2
    spec:
      containers:
        - name: nginx
          resources:
            limits:
              memory: 1Gi
          volumeMounts:
            - name: extra
              mountPath: /extra
  volumeClaimTemplates:
    - metadata:
        name: www
      spec:
        resources:
          requests:
            storage: 20Gi
`;

const DIRECTIVE_PATCH = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels:
    $patch: replace
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      volumes:
        - $patch: replace
          name: www
          emptyDir: {}
`;

test('a Kustomize replicas patch (metadata.name + spec.replicas) has no error at all', () => {
  assert.deepEqual(codes(REPLICAS_PATCH), []);
});

test('a patch that sets a pod label and a container\'s resources has no error at all', () => {
  assert.deepEqual(errors(RESOURCES_PATCH).map((d) => `${d.code}: ${d.message}`), []);
});

test('a document with $patch directives: no missing-required and no rule error', () => {
  const found = codes(DIRECTIVE_PATCH);
  assert.ok(!found.includes('missing-required'), found.join());
  assert.deepEqual(found.filter((c) => ruleIds.has(c)), []);
});

test('values in a patch are still checked', () => {
  assert.deepEqual(codes(REPLICAS_PATCH.replace('replicas: 5', 'replicas: -1')), ['negative-spec-field']);
  assert.deepEqual(codes(REPLICAS_PATCH.replace('replicas: 5', 'replicas: "5"')), ['invalid-type']);
  assert.deepEqual(codes(REPLICAS_PATCH.replace('name: web', 'name: Web_1')), ['invalid-object-name']);
});

test('a whole StatefulSet that forgot its selector is not a patch: the selector is required', () => {
  const whole = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
`;
  const d = errors(whole).find((x) => x.code === 'missing-required');
  assert.ok(d, 'missing-required is reported');
  assert.match(d.message, /"selector"/);
});

test('a Helm template says once that it is a template, with no errors', () => {
  const helm = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "app.fullname" . }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {{- include "app.selectorLabels" . | nindent 6 }}
`;
  const { diagnostics } = analyzeText(helm);
  assert.deepEqual(diagnostics.map((d) => d.code), ['template']);
});

test('isPartialDocument and isPatchDirectiveKey', () => {
  assert.equal(isPartialDocument({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'a' }, spec: { replicas: 2 } }), true);
  assert.equal(isPartialDocument({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'a' } }), true);
  assert.equal(isPartialDocument({ kind: 'StatefulSet', spec: { selector: { matchLabels: { a: 'b' } } } }), false);
  assert.equal(
    isPartialDocument({ kind: 'StatefulSet', spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }),
    false,
  );
  assert.equal(isPartialDocument({ kind: 'Service', metadata: { name: 's' } }), false);
  assert.equal(isPartialDocument({ kind: 'Service', spec: { ports: [{ $patch: 'delete', port: 80 }] } }), true);
  assert.equal(isPartialDocument(undefined), false);
  for (const k of ['$patch', '$retainKeys', '$setElementOrder/containers', '$deleteFromPrimitiveList/args']) assert.ok(isPatchDirectiveKey(k), k);
  for (const k of ['patch', '$other', 'name']) assert.ok(!isPatchDirectiveKey(k), k);
});
