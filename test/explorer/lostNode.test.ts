// Lost node and Update Next Ordinal against the simulator: the procedure names the node and the
// out-of-service taint; the force delete removes exactly that pod (UID precondition) and the set
// recreates it with its PVC; OnDelete: the highest outdated ordinal goes first and comes back updated.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statefulSet } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { PATCH } from '../../client/src/cluster/http';
import { forceDeletePod, lostNodeProcedure, nextOrdinalToUpdate, readNode } from '../../client/src/cluster/lostNode';
import { rolloutState } from '../../client/src/cluster/trouble';
import { setup, until, type Setup } from './helpers';

const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');

describe('lost node, update next ordinal', { timeout: 60_000 }, () => {
  let s: Setup;
  before(async () => {
    s = await setup({ scenario: 'empty', namespace: 'default' });
  });
  after(async () => {
    await s.close();
  });

  test('a pod stuck on a NotReady node: the procedure, then a force delete of exactly that pod', async () => {
    const sts = statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    sts.spec.template.spec.terminationGracePeriodSeconds = 0;
    s.api.create(sts);
    await until(s.conn.model, () => s.conn.model.view('default/db')?.ready === 2, 'ready');
    const claim = s.api.store.peek(PVC, 'default', 'data-db-1')!.metadata.uid;
    s.api.kubelet.setNodeReady(false, { evict: true });
    const pod = await until(s.conn.model, () => s.conn.model.view('default/db')?.ordinals[1].pod?.terminating && s.conn.model.view('default/db')!.ordinals[1].pod!.pod, 'terminating');
    const node = await readNode(s.conn.http, pod.spec!.nodeName!);
    assert.equal(node.ready, 'Unknown');
    assert.deepEqual(node.taints, ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const text = lostNodeProcedure(pod, node);
    assert.match(text, /Confirm that the node simulator-node is really down/);
    assert.match(text, /kubectl taint nodes simulator-node node.kubernetes.io\/out-of-service=nodeshutdown:NoExecute/);
    // a stale UID (the pod recreated meanwhile) is refused: nothing deleted
    await assert.rejects(forceDeletePod(s.conn.http, 'default', 'db-1', 'not-its-uid'), /Conflict|precondition|modified/i);
    assert.ok(s.api.store.peek(POD, 'default', 'db-1'));
    const mark = s.api.requests.length;
    await forceDeletePod(s.conn.http, 'default', 'db-1', pod.metadata!.uid!);
    assert.equal(s.api.store.peek(POD, 'default', 'db-1'), undefined, 'gone at once');
    assert.ok(s.api.store.peek(POD, 'default', 'db-0')?.metadata.deletionTimestamp, 'the other pod untouched');
    assert.deepEqual(s.api.requests.slice(mark).filter((r) => r.method === 'DELETE').map((r) => r.path), ['/api/v1/namespaces/default/pods/db-1']);
    s.api.kubelet.setNodeReady(true);
    await until(s.conn.model, () => s.conn.model.view('default/db')?.ready === 2 && s.conn.model.view('default/db')!.ordinals.every((o) => o.pod?.ready && !o.pod.terminating), 'back');
    assert.equal(s.api.store.peek(PVC, 'default', 'data-db-1')!.metadata.uid, claim, 'same claim');
  });

  test('OnDelete: the highest outdated ordinal is next; deleted, it comes back on the update revision', async () => {
    s.api.create(statefulSet({ name: 'od', replicas: 3, updateStrategy: 'OnDelete' }));
    await until(s.conn.model, () => s.conn.model.view('default/od')?.ready === 3, 'ready');
    await s.conn.http.request('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/od', {
      body: { spec: { template: { spec: { containers: [{ name: 'od', image: 'registry.k8s.io/nginx-slim:0.25' }] } } } },
      contentType: PATCH.strategic,
    });
    const v = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/od');
      return x && x.updateRevision !== x.currentRevision && x;
    }, 'new revision');
    assert.equal(rolloutState(v).text, '3 pods on an old revision (OnDelete)');
    const next = nextOrdinalToUpdate(v)!;
    assert.equal(next.podName, 'od-2');
    await s.conn.http.request('DELETE', '/api/v1/namespaces/default/pods/od-2', { body: { preconditions: { uid: next.uid } } });
    const after = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/od');
      const o = x?.ordinals[2].pod;
      return o?.ready && o.revision === x!.updateRevision && x;
    }, 'od-2 updated');
    assert.equal(rolloutState(after).text, '2 pods on an old revision (OnDelete)');
    assert.equal(nextOrdinalToUpdate(after)!.podName, 'od-1');
  });
});
