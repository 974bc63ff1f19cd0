import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../server/src/engine/completion';
import { atCursor } from './helpers';

const labels = (marked: string) => {
  const { text, line, character } = atCursor(marked);
  return complete(text, { line, character }).map((i) => i.label);
};
const item = (marked: string, label: string) => {
  const { text, line, character } = atCursor(marked);
  return complete(text, { line, character }).find((i) => i.label === label);
};
const HEAD = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n';

test('keys under spec: valid at that point, not already present, with type and description', () => {
  const got = labels(`${HEAD}spec:\n  replicas: 3\n  |\n`);
  for (const k of ['podManagementPolicy', 'volumeClaimTemplates', 'serviceName', 'ordinals', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'updateStrategy']) assert.ok(got.includes(k), k);
  assert.ok(!got.includes('replicas'), 'already present');
  assert.ok(!got.includes('containers'), 'not valid here');
  const pmp = item(`${HEAD}spec:\n  |\n`, 'podManagementPolicy')!;
  assert.equal(pmp.detail, 'string (enum)');
  assert.match((pmp.documentation as { value: string }).value, /podManagementPolicy controls how pods are created/);
  assert.match((pmp.documentation as { value: string }).value, /Cannot be changed after the StatefulSet is created/);
});

test('a half-typed key in a broken document still completes', () => {
  const got = labels(`${HEAD}spec:\n  podMan|\n  selector: [broken\n`);
  assert.ok(got.includes('podManagementPolicy'));
  const it = item(`${HEAD}spec:\n  podMan|\n`, 'podManagementPolicy')!;
  assert.deepEqual(it.textEdit && 'range' in it.textEdit ? it.textEdit.range : undefined, { start: { line: 5, character: 2 }, end: { line: 5, character: 8 } });
});

test('enum values after `podManagementPolicy: `, and booleans', () => {
  assert.deepEqual(labels(`${HEAD}spec:\n  podManagementPolicy: |\n`), ['OrderedReady', 'Parallel']);
  assert.deepEqual(labels(`${HEAD}spec:\n  podManagementPolicy: Par|\n`), ['OrderedReady', 'Parallel']);
  assert.deepEqual(labels(`${HEAD}spec:\n  template:\n    spec:\n      hostNetwork: |\n`), ['true', 'false']);
  const noSpace = item(`${HEAD}spec:\n  podManagementPolicy:|\n`, 'Parallel')!;
  assert.equal(noSpace.textEdit?.newText, ' Parallel', 'inserts the space YAML needs');
});

test('list items: accessModes offers ReadWriteOnce …', () => {
  const got = labels(`${HEAD}spec:\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes:\n      - |\n`);
  assert.deepEqual(got.sort(), ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']);
});

test('keys inside list items: a container, at the first key and below it', () => {
  const below = labels(`${HEAD}spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        |\n`);
  assert.ok(below.includes('image') && below.includes('readinessProbe') && !below.includes('name'));
  const first = labels(`${HEAD}spec:\n  template:\n    spec:\n      containers:\n      - im|\n`);
  assert.ok(first.includes('image') && first.includes('name'));
  const second = labels(`${HEAD}spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n      - name: b\n        |\n`);
  assert.ok(second.includes('image'), 'the second item has no image yet');
});

test('object and list fields insert a sensible skeleton', () => {
  const vct = item(`${HEAD}spec:\n  |\n`, 'volumeClaimTemplates')!;
  assert.equal(vct.insertTextFormat, 2);
  assert.equal(
    vct.textEdit?.newText,
    'volumeClaimTemplates:\n- metadata:\n    name: $1\n  spec:\n    accessModes:\n    - ${2|ReadOnlyMany,ReadWriteMany,ReadWriteOnce,ReadWriteOncePod|}\n    resources:\n      requests:\n        storage: $3',
  );
  assert.equal(item(`${HEAD}spec:\n  |\n`, 'selector')!.textEdit?.newText, 'selector:\n  matchLabels:\n    $1');
  assert.equal(item(`${HEAD}spec:\n  |\n`, 'podManagementPolicy')!.textEdit?.newText, 'podManagementPolicy: ${1|OrderedReady,Parallel|}');
  // inside a list item, child lines are indented relative to the key, not the dash
  const ports = item(`${HEAD}spec:\n  template:\n    spec:\n      containers:\n      - |\n`, 'ports')!;
  assert.equal(ports.textEdit?.newText, 'ports:\n  - containerPort: $1');
});

test('required keys sort first; status is never offered', () => {
  const { text, line, character } = atCursor(`${HEAD}spec:\n  |\n`);
  const items = complete(text, { line, character }).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
  assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['selector', 'template']);
  assert.ok(!labels('apiVersion: apps/v1\nkind: StatefulSet\n|\n').includes('status'));
});

test('a document without a kind offers our kinds; other kinds get nothing', () => {
  assert.deepEqual(labels('|'), ['StatefulSet (apps/v1)', 'Service (v1)', 'PersistentVolumeClaim (v1)', 'PodDisruptionBudget (policy/v1)']);
  assert.deepEqual(labels('apiVersion: apps/v1\nkind: Deployment\nspec:\n  |\n'), []);
});

test('completion in the second document of a file uses that document', () => {
  const got = labels(`apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n${HEAD}spec:\n  |\n`);
  assert.ok(got.includes('podManagementPolicy'));
  const svc = labels(`apiVersion: v1\nkind: Service\nspec:\n  |\n---\n${HEAD}`);
  assert.ok(svc.includes('clusterIP') && !svc.includes('podManagementPolicy'));
});
