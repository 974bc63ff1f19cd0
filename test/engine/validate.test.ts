import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import { STS } from './helpers';

const codes = (text: string) => analyzeText(text).diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`);
const find = (text: string, code: string) => analyzeText(text).diagnostics.filter((d) => d.code === code);
const errorsOf = (text: string) => analyzeText(text).diagnostics.filter((d) => d.severity === 1);

test('a valid StatefulSet has no schema errors', () => {
  assert.deepEqual(errorsOf(STS).map((d) => d.message), []);
});

test('replicas: "3" is an error at the value: the API server refuses to decode a string', () => {
  const [d] = find(STS.replace('replicas: 3', 'replicas: "3"'), 'invalid-type');
  assert.ok(d);
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 15 } });
  assert.match(d.message, /spec\.replicas must be an integer.*"3" is a string/);
  assert.equal(d.source, 'statefulset-studio');
});

test('unknown keys are flagged with did-you-mean and a replacement for the quick fix', () => {
  const [d] = find(STS.replace('replicas: 3', 'replica: 3'), 'unknown-field');
  assert.match(d.message, /Unknown field "replica" in StatefulSetSpec.*Did you mean "replicas"/);
  assert.deepEqual((d.data as { replacements: string[] }).replacements[0], 'replicas');
  assert.deepEqual(d.range.start, { line: 6, character: 2 });
});

test('invalid enum values name the accepted ones and suggest the closest', () => {
  const [d] = find(STS.replace('  replicas: 3', '  replicas: 3\n  podManagementPolicy: parallel'), 'invalid-enum');
  assert.match(d.message, /"parallel" is not a supported value.*"OrderedReady", "Parallel".*Did you mean "Parallel"/);
  assert.deepEqual((d.data as { replacements: string[] }).replacements, ['Parallel']);
});

test('missing required fields are errors on the parent key', () => {
  const noTemplate = STS.slice(0, STS.indexOf('  template:'));
  const [d] = find(noTemplate, 'missing-required');
  assert.match(d.message, /spec is missing the required field "template"/);
  assert.equal(d.range.start.line, 4);
  const noName = STS.replace('      - name: nginx\n        image', '      - image');
  assert.match(find(noName, 'missing-required')[0].message, /containers\[0\] is missing the required field "name"/);
});

test('quantities: 10 Gi and 512MB are rejected with a suggestion; 10Gi, 500m, 1e3 and numbers pass', () => {
  for (const [bad, fix] of [['10 Gi', '10Gi'], ['512MB', '512M'], ['1gi', '1Gi']]) {
    const [d] = find(STS.replace('storage: 1Gi', `storage: ${bad}`), 'invalid-quantity');
    assert.ok(d, bad);
    assert.deepEqual((d.data as { replacements: string[] }).replacements, [fix]);
  }
  for (const ok of ['10Gi', '500m', '1e3', '2', '0.5', '"1Gi"']) assert.deepEqual(find(STS.replace('storage: 1Gi', `storage: ${ok}`), 'invalid-quantity'), [], ok);
});

test('int-or-string accepts integers and strings, not fractions', () => {
  const withMax = (v: string) => STS.replace('  replicas: 3', `  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: ${v}`);
  assert.deepEqual(find(withMax('2'), 'invalid-type'), []);
  assert.deepEqual(find(withMax('"50%"'), 'invalid-type'), []);
  assert.equal(find(withMax('1.5'), 'invalid-type').length, 1);
});

test('labels must be strings: version: 1.0 and enabled: yes (YAML 1.1 boolean for kubectl) are errors', () => {
  const t = STS.replace('  name: web\nspec', '  name: web\n  labels:\n    version: 1.0\n    enabled: yes\nspec');
  const ds = find(t, 'invalid-type');
  assert.equal(ds.length, 2);
  assert.match(ds[0].message, /Quote it: "1\.0"/);
  assert.match(ds[1].message, /kubectl reads yes as a boolean/);
});

test('duplicate keys and YAML syntax errors are reported at their position', () => {
  const dup = find(STS.replace('  replicas: 3', '  replicas: 3\n  replicas: 4'), 'duplicate-key');
  assert.equal(dup.length, 1);
  assert.equal(dup[0].range.start.line, 7);
  const broken = find(STS.replace('      app: web\n  template', '      app: [web\n  template'), 'yaml-syntax');
  assert.ok(broken.length >= 1);
});

test('multi-document files: positions are in the file, each document checked on its own', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: "80"\n';
  const text = `${svc}---\n${STS.replace('replicas: 3', 'replicas: "3"')}`;
  const got = codes(text).filter((c) => c.endsWith('invalid-type'));
  assert.deepEqual(got, ['9:10 invalid-type', '17:12 invalid-type']);
});

test('other kinds get no diagnostics at all (we coexist with other YAML tools)', () => {
  assert.deepEqual(codes('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: "3"\n  bogus: 1\n'), []);
  assert.deepEqual(codes('name: CI\non: [push]\njobs:\n  build: {runs-on: x\n'), []);
  assert.deepEqual(codes('just: [broken\n'), []);
});

test('an apiVersion that is not served is an error with the right one to use', () => {
  const [d] = find(STS.replace('apps/v1', 'apps/v1beta2'), 'invalid-api-version');
  assert.match(d.message, /served as apiVersion "apps\/v1"/);
});

test('Service, PVC and PodDisruptionBudget documents are checked against their schema', () => {
  assert.equal(find('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  clusterIp: None\n', 'unknown-field').length, 1);
  assert.equal(find('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: a\nspec:\n  maxUnavailable: 1.5\n', 'invalid-type').length, 1);
  assert.equal(find('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\nspec:\n  resources:\n    requests:\n      storage: 5 GB\n', 'invalid-quantity').length, 1);
});

test('a Helm template is said once, not flooded', () => {
  const helm = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "x.labels" . | indent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n';
  const ds = analyzeText(helm).diagnostics;
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'template');
  assert.equal(ds[0].severity, 3);
});

test('rule severities can be changed or switched off, and one finding suppressed by a comment', () => {
  const bad = STS.replace('replicas: 3', 'replicas: "3"');
  assert.equal(analyzeText(bad, { settings: { 'invalid-type': 'warning' } }).diagnostics.find((d) => d.code === 'invalid-type')?.severity, 2);
  assert.equal(analyzeText(bad, { settings: { 'invalid-type': 'off' } }).diagnostics.find((d) => d.code === 'invalid-type'), undefined);
  const suppressed = bad.replace('  replicas: "3"', '  # statefulset-studio-disable-next-line invalid-type\n  replicas: "3"');
  assert.equal(analyzeText(suppressed).diagnostics.find((d) => d.code === 'invalid-type'), undefined);
  const otherId = bad.replace('  replicas: "3"', '  # statefulset-studio-disable-next-line unknown-field\n  replicas: "3"');
  assert.ok(analyzeText(otherId).diagnostics.find((d) => d.code === 'invalid-type'));
});

test('Kustomize strategic-merge directives are not unknown fields, and a patch is not missing its selector', () => {
  const patch = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: nginx\n        $patch: delete\n      $setElementOrder/containers:\n      - name: nginx\n';
  assert.deepEqual(analyzeText(patch).diagnostics.filter((d) => d.severity === 1).map((d) => d.message), []);
});
