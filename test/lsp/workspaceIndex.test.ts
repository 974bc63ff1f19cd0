import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceIndex } from '../../server/src/lsp/workspaceIndex';
import { LiveObjects } from '../../server/src/lsp/liveObjects';

test('the workspace index reads Services and PDBs from every YAML file and follows changes', async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-index-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.mkdirSync(path.join(ws, 'deploy', 'db'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'node_modules', 'x'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'deploy', 'db', 'svc.yml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: data\nspec:\n  clusterIP: None\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\n');
  fs.writeFileSync(path.join(ws, 'node_modules', 'x', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ignored\n');
  fs.writeFileSync(path.join(ws, 'notes.txt'), 'kind: Service');
  const index = new WorkspaceIndex();
  let changes = 0;
  index.onDidChange(() => changes++);
  await index.scan([ws]);
  assert.deepEqual(index.objects('Service').map((o) => `${o.namespace}/${o.name}`), ['data/db']);
  assert.deepEqual(index.objects('PodDisruptionBudget').map((o) => o.name), ['db']);
  const uri = pathToFileURL(path.join(ws, 'deploy', 'db', 'svc.yml')).toString();
  assert.deepEqual(index.objects('Service', uri), [], 'the file being analysed is excluded');
  // the file changes on disk, then disappears
  fs.writeFileSync(path.join(ws, 'deploy', 'db', 'svc.yml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db2\n');
  await index.readFile(uri);
  assert.deepEqual(index.objects('Service').map((o) => o.name), ['db2']);
  fs.rmSync(path.join(ws, 'deploy', 'db', 'svc.yml'));
  await index.readFile(uri);
  assert.deepEqual(index.objects('Service'), []);
  assert.ok(changes >= 3);
  // unchanged content is not a change
  const before = changes;
  assert.equal(index.setText('file:///x.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n'), true);
  assert.equal(index.setText('file:///x.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n# comment\n'), false);
  assert.equal(changes, before + 1);
});

test('live objects: exact namespace, default namespace, or the only one of that name', () => {
  const live = new LiveObjects();
  live.replace([
    { kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' } },
    { kind: 'StatefulSet', metadata: { name: 'web', namespace: 'prod' } },
    { kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' } },
    null,
    { metadata: {} },
  ]);
  assert.equal(live.size, 3);
  assert.equal((live.get('StatefulSet', 'prod', 'web')?.metadata as { namespace: string }).namespace, 'prod');
  assert.equal((live.get('StatefulSet', undefined, 'web')?.metadata as { namespace: string }).namespace, 'default');
  assert.equal((live.get('StatefulSet', undefined, 'db')?.metadata as { namespace: string }).namespace, 'data');
  assert.equal(live.get('StatefulSet', 'other', 'db'), undefined);
});
