// The live objects the explorer sends: the client sends its whole list on every change of a pod or a claim too;
// the server re-checks (open files, charts, overlays) only when a StatefulSet itself changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveObjects } from '../../server/src/lsp/liveObjects';

const sts = (name: string, rv?: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'db', uid: `uid-${name}`, ...(rv ? { resourceVersion: rv } : {}) }, ...extra });

test('the same StatefulSets at the same resourceVersions change nothing; a new resourceVersion, a new or a gone object does', () => {
  const live = new LiveObjects();
  assert.equal(live.replace([sts('a', '1'), sts('b', '5')]), true);
  assert.equal(live.version, 1);
  // the same list again, in another order: nothing changed
  assert.equal(live.replace([sts('b', '5'), sts('a', '1')]), false);
  assert.equal(live.version, 1);
  assert.equal(live.replace([sts('a', '2'), sts('b', '5')]), true, 'a status change of a');
  assert.equal(live.replace([sts('a', '2')]), true, 'b deleted');
  assert.equal(live.replace([sts('a', '2'), sts('c', '1')]), true, 'c created');
  assert.equal(live.replace([]), true, 'disconnected');
  assert.equal(live.replace([]), false);
  assert.equal(live.version, 5);
  assert.equal(live.size, 0);
  // re-created under the same name (a new uid, whatever its resourceVersion)
  live.replace([sts('a', '7')]);
  assert.equal(live.replace([{ ...sts('a', '7'), metadata: { name: 'a', namespace: 'db', uid: 'other', resourceVersion: '7' } }]), true);
});

test('objects without a resourceVersion are compared by content; the newest object is what get() returns', () => {
  const live = new LiveObjects();
  assert.equal(live.replace([sts('a', undefined, { spec: { replicas: 1 } })]), true);
  assert.equal(live.replace([sts('a', undefined, { spec: { replicas: 1 } })]), false);
  assert.equal(live.replace([sts('a', undefined, { spec: { replicas: 2 } })]), true);
  assert.deepEqual(live.get('StatefulSet', 'db', 'a')?.spec, { replicas: 2 });
  // nothing usable in the list: the same as an empty one
  assert.equal(live.replace([null, 3, { metadata: {} }]), true);
  assert.equal(live.replace([]), false);
});
