// Plain functions behind "show the change to commit" and "the values key that sets it": commitDiff/commitText
// (fields that differ, server metadata and status left out, keys with dots quoted) and valuesKeysFor over a
// release record shaped as Helm stores it (templates base64), with toYaml blocks, two keys on one line, a
// StatefulSet among other kinds, and credentials never shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitDiff, commitText, fieldChanges } from '../../client/src/cluster/owners/commitDiff';
import { locateValues, valuesKeyKeep, valuesKeysFor, valuesKeyWhere, workspaceCharts } from '../../client/src/cluster/owners/helmValues';
import { manifestHolds, overlay, setsHold } from '../../client/src/cluster/owners/holds';

test('commitDiff: the leaf fields that differ, as a field-by-field diff; server metadata and status left out', () => {
  const live = { metadata: { name: 'a', resourceVersion: '9', annotations: { 'example.com/x': '1' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } }, status: { replicas: 2 } };
  const next = { metadata: { name: 'a', resourceVersion: '10', annotations: { 'example.com/x': '2' } }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'x:2' }] } } }, status: { replicas: 3 } };
  assert.deepEqual(
    fieldChanges(live, next).map((c) => c.path),
    ['metadata.annotations["example.com/x"]', 'spec.replicas', 'spec.template.spec.containers[0].image'],
  );
  assert.equal(commitText(live, next, '', 2), 'metadata.annotations["example.com/x"]: 2; spec.replicas: 3; … (1 more)');
  assert.equal(commitText(live, live), undefined);
  const doc = commitDiff(live.spec.template, next.spec.template, { prefix: 'spec.template', title: 't', where: 'git' });
  assert.equal(doc, '# t\n# To keep it, commit these field values to git; - is what it holds now, + is the change.\n\n@@ spec.template.spec.containers[0].image\n- x:1\n+ x:2\n');
  // a list that grows is one change of the whole list
  assert.deepEqual(fieldChanges({ a: [1] }, { a: [1, 2] }), [{ path: 'a', from: [1], to: [1, 2] }]);
});

test('setsHold / manifestHolds: every field the manifest sets is live (defaults ignored); a revert is seen', () => {
  const file = { metadata: { labels: { app: 'a' } }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] } } } };
  const live = { metadata: { labels: { app: 'a', extra: 'x' } }, spec: { replicas: 3, revisionHistoryLimit: 10, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' }] } } } };
  assert.equal(manifestHolds(file, live), true);
  assert.equal(manifestHolds(file, { ...live, spec: { ...live.spec, replicas: 2 } }), false);
  assert.equal(manifestHolds(file, undefined), false);
  assert.equal(setsHold([1, 2], [1, 2, 3]), false);
  // the change a file makes to a live object: only the fields the file sets
  assert.deepEqual(overlay({ a: 1, b: { c: 2, d: [{ e: 1, f: 2 }] } }, { b: { d: [{ e: 5 }] } }), { a: 1, b: { c: 2, d: [{ e: 5, f: 2 }] } });
});

const template = [
  'apiVersion: v1',
  'kind: Service',
  'spec:',
  '  replicas: {{ .Values.notThis }}',
  '---',
  'apiVersion: apps/v1',
  'kind: StatefulSet',
  'spec:',
  '  replicas: {{ .Values.replicaCount | default 1 }}',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: db',
  '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
  '          env:',
  '            - name: PASSWORD',
  '              value: {{ .Values.auth.password | quote }}',
  '          resources:',
  '            {{- toYaml .Values.resources | nindent 12 }}',
].join('\n');
const release = {
  chart: { templates: [{ name: 'templates/sts.yaml', data: Buffer.from(template).toString('base64') }], values: { replicaCount: 1, image: { repository: 'pg', tag: '16' }, auth: { password: 'chart-default-pw' }, resources: { limits: { memory: '1Gi' } } } },
  config: { replicaCount: 3, auth: { password: 's3cret' } },
};

test('valuesKeysFor: the StatefulSet template line that writes the field and the values keys it reads', () => {
  const [r] = valuesKeysFor(release, ['spec.replicas']);
  assert.deepEqual({ keys: r.keys, line: r.line, exact: r.exact }, { keys: ['replicaCount'], line: 9, exact: true }, 'the StatefulSet document, not the Service');
  assert.equal(valuesKeyWhere(r), "values key `replicaCount` (templates/sts.yaml line 9: `replicas: {{ .Values.replicaCount | default 1 }}`; replicaCount: 3 in this release's values)");
  assert.equal(valuesKeyKeep('db', r, 4), "set values key `replicaCount` (templates/sts.yaml line 9: `replicas: {{ .Values.replicaCount | default 1 }}`; replicaCount: 3 in this release's values) to 4 and upgrade the release (`helm upgrade db <chart> --reuse-values --set replicaCount=4`)");
  const [img] = valuesKeysFor(release, ['spec.template.spec.containers[0].image']);
  assert.deepEqual({ keys: img.keys, exact: img.exact }, { keys: ['image.repository', 'image.tag'], exact: false });
  assert.match(valuesKeyKeep('db', img, 'pg:17'), /^change values keys `image\.repository` and `image\.tag` \(.*image.repository: chart default pg, image.tag: chart default 16\) for spec\.template\.spec\.containers\[0\]\.image = pg:17 and upgrade the release$/);
  // a toYaml block: the key below it
  const [mem] = valuesKeysFor(release, ['spec.template.spec.containers[0].resources.limits.memory']);
  assert.deepEqual({ keys: mem.keys, line: mem.line }, { keys: ['resources.limits.memory'], line: 18 });
  assert.equal(mem.values[0].chartDefault, '1Gi');
  // not set by the chart: nothing said
  assert.deepEqual(valuesKeysFor(release, ['spec.minReadySeconds']), []);
  assert.deepEqual(valuesKeysFor({}, ['spec.replicas']), []);
});

test('valuesKeysFor: a value under a credential-like key is never shown', () => {
  const [pw] = valuesKeysFor(release, ['spec.template.spec.containers[0].env[0].value']);
  assert.deepEqual(pw.keys, ['auth.password']);
  const text = valuesKeyKeep('db', pw, 'typed-new-pw');
  assert.doesNotMatch(text, /s3cret|chart-default-pw|typed-new-pw/);
  assert.match(text, /auth\.password: \*\*\* in this release's values\) to \*\*\*/);
});

test('the chart in the workspace: found by its Chart.yaml name; the values file line that sets the key (a later values file wins)', () => {
  const ws = mkdtempSync(join(tmpdir(), 'owners-values-ws-'));
  try {
    mkdirSync(join(ws, 'deploy', 'charts', 'db'), { recursive: true });
    mkdirSync(join(ws, 'other'), { recursive: true });
    writeFileSync(join(ws, 'other', 'Chart.yaml'), 'apiVersion: v2\nname: not-db\nversion: 1.0.0\n');
    writeFileSync(join(ws, 'deploy', 'charts', 'db', 'Chart.yaml'), 'apiVersion: v2\nname: db\nversion: 1.0.0\n');
    writeFileSync(join(ws, 'deploy', 'charts', 'db', 'values.yaml'), '# defaults\nimage:\n  repository: pg\n  tag: "16"\nreplicaCount: 1\n');
    writeFileSync(join(ws, 'deploy', 'charts', 'db', 'values-prod.yaml'), 'replicaCount: 3\n');
    const dirs = workspaceCharts([ws], 'db');
    assert.deepEqual(dirs, [join(ws, 'deploy', 'charts', 'db')]);
    assert.deepEqual(workspaceCharts([ws], 'absent'), []);
    const keys = valuesKeysFor(release, ['spec.replicas', 'spec.template.spec.containers[0].image']);
    const [rep, img] = locateValues(keys, dirs[0], 'deploy/charts/db');
    assert.deepEqual(rep.at, { file: 'deploy/charts/db/values.yaml', line: 5 });
    assert.deepEqual(img.at, { file: 'deploy/charts/db/values.yaml', line: 3 }, 'the first key (image.repository)');
    assert.deepEqual(locateValues(keys, dirs[0], 'deploy/charts/db', ['values-prod.yaml'])[0].at, { file: 'deploy/charts/db/values-prod.yaml', line: 1 });
    assert.match(valuesKeyWhere(locateValues(keys, dirs[0], 'deploy/charts/db')[0]), /^values key `replicaCount` \(deploy\/charts\/db\/values\.yaml line 5; templates\/sts\.yaml line 9: /);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
