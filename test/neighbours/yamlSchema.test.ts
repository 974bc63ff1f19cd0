// The schema contributor we register with Red Hat YAML (client/src/neighbours/yamlSchema.ts): which files it takes
// (the label, matched the way the YAML extension matches it), what schema each document gets, and which of our
// diagnostics are dropped where the YAML extension reports them itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  STATEFULSET_LABEL, documentKinds, entriesFor, schemaContentFor, schemaUriFor, splitStream, withoutDoubledSyntax,
} from '../../client/src/neighbours/yamlSchema';

// the YAML extension's own test: new RegExp(label, 'g').test(document text)
const labelMatches = (text: string) => new RegExp(STATEFULSET_LABEL, 'g').test(text);

const STS = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n';
const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n';
const PDB_V1 = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\n';
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n';

test('the label matches a file with a top-level kind: StatefulSet, in any document, quoted or commented', () => {
  assert.equal(labelMatches(STS), true);
  assert.equal(labelMatches(`${SVC}---\n${STS}`), true);
  assert.equal(labelMatches('apiVersion: apps/v1\nkind: "StatefulSet"\n'), true);
  assert.equal(labelMatches("kind: 'StatefulSet'   # the database\r\nspec: {}\r\n"), true);
  assert.equal(labelMatches('apiVersion: apps/v1\nkind: StatefulSet'), true); // no newline at the end
  // the other kinds our server answers for: a Service file gets one answer per question too
  assert.equal(labelMatches(SVC), true);
  assert.equal(labelMatches(PDB_V1), true);
});

test('the label leaves other files alone: other kinds, nested kind lines, look-alike kinds, comments', () => {
  assert.equal(labelMatches(DEPLOY), false);
  assert.equal(labelMatches('apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: StatefulSet\n'), false);
  assert.equal(labelMatches('apiVersion: example.com/v1\nkind: StatefulSetBackup\n'), false);
  assert.equal(labelMatches('# kind: StatefulSet\napiVersion: v1\nkind: ConfigMap\n'), false);
  assert.equal(labelMatches('data:\n  x: |\n    kind: StatefulSetX\n'), false);
});

test('splitStream: marker lines at column 0 start documents (a marker inside a block scalar is indented, not one)', () => {
  assert.deepEqual(splitStream('a: 1\n---\nb: 2\n--- # c\nc: 3\n...\n'), ['a: 1', '---\nb: 2', '--- # c\nc: 3', '...\n']);
  assert.deepEqual(splitStream('---\na: |\n  ---\n  x\n'), ['---\na: |\n  ---\n  x\n']);
  assert.deepEqual(splitStream('a: ---x\n----\n'), ['a: ---x\n----\n']);
});

test('documentKinds reads apiVersion and kind of each document without parsing', () => {
  assert.deepEqual(documentKinds(`${SVC}---\n${STS}---\n${PDB_V1}`), [
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet' },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  ]);
  assert.deepEqual(documentKinds('# a comment\n---\n' + STS), [{ empty: true }, { apiVersion: 'apps/v1', kind: 'StatefulSet' }]);
});

test('a file without a StatefulSet gets no schema from us (the neighbours keep theirs)', () => {
  assert.equal(schemaUriFor(DEPLOY, { kubernetes: true }), undefined);
  assert.equal(schemaUriFor('apiVersion: v1\nkind: ConfigMap\n---\n' + DEPLOY, { kubernetes: true }), undefined);
  assert.equal(schemaUriFor('', { kubernetes: true }), undefined);
});

test('a StatefulSet file gets the empty schema: no completion, hover or check from the YAML server', () => {
  const uri = schemaUriFor(STS, { kubernetes: true });
  assert.equal(uri, 'statefulsetstudio://schema/ours');
  assert.deepEqual(JSON.parse(schemaContentFor(uri!)!), {}, 'no properties, types, enums or required fields');
  // comments before the first --- are not a document
  assert.equal(schemaUriFor(`# header\n---\n${STS}`, { kubernetes: true }), 'statefulsetstudio://schema/ours');
});

test('a multi-document file: ours empty, the other documents keep the Kubernetes extension\'s schema', () => {
  const text = `${SVC}---\n${STS}---\n${DEPLOY}---\napiVersion: v1\nkind: ConfigMap\n---\napiVersion: batch/v1\nkind: Job\n---\napiVersion: example.com/v1\nkind: Widget\n`;
  assert.deepEqual(entriesFor(text, { kubernetes: true }), ['ours', 'ours', 'k8s:apps/v1@deployment', 'k8s:v1@configmap', 'k8s:batch/v1@job', 'none']);
  const content = JSON.parse(schemaContentFor(schemaUriFor(text, { kubernetes: true })!)!);
  assert.deepEqual(content.schemaSequence, [
    {},
    {},
    { $ref: 'kubernetes://schema/apps%2Fv1%40deployment' },
    { $ref: 'kubernetes://schema/v1%40configmap' },
    { $ref: 'kubernetes://schema/batch%2Fv1%40job' },
    {}, // a kind the Kubernetes extension's bundled schema may not have: no $ref it could not answer
  ]);
  // without the Kubernetes extension nobody answers kubernetes:// URIs: no $ref at all
  assert.deepEqual(entriesFor(text, { kubernetes: false }), ['ours', 'ours', 'none', 'none', 'none', 'none']);
  assert.ok(!schemaContentFor(schemaUriFor(text, { kubernetes: false })!)!.includes('kubernetes://'));
});

test('schemaContentFor answers only our own URIs', () => {
  assert.equal(schemaContentFor('kubernetes://schema/apps/v1%40statefulset'), undefined);
  assert.equal(schemaContentFor('statefulsetstudio://schema/other'), undefined);
});

test('our YAML syntax findings are dropped only where the YAML extension reports them', () => {
  const ds = [
    { code: 'yaml-syntax', message: 'YAML syntax error' },
    { code: 'duplicate-key', message: 'duplicate' },
    { code: { value: 'yaml-compat', target: 'x' }, message: 'kubectl accepts this line' },
    { code: 'replicas-type', message: 'spec.replicas must be an integer' },
    { message: 'no code' },
  ];
  assert.deepEqual(withoutDoubledSyntax(ds, true).map((d) => d.message), ['spec.replicas must be an integer', 'no code']);
  assert.equal(withoutDoubledSyntax(ds, false), ds);
  const none = [{ code: 'replicas-type', message: 'x' }];
  assert.equal(withoutDoubledSyntax(none, true), none, 'the same array when nothing is dropped');
});
