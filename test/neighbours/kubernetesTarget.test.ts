// Beside the Microsoft Kubernetes extension (client/src/neighbours/kubernetesTarget.ts): which StatefulSet a command
// run from its Cluster Explorer's context menu is about, and when its kubeconfig path is followed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followedKubeconfig, kubernetesExplorerStatefulSetKey } from '../../client/src/neighbours/kubernetesTarget';

test('a StatefulSet node of their Cluster Explorer names its StatefulSet (internal node and API shape)', () => {
  // what VS Code passes from their context menu: their ResourceNode (kind, name, metadata.namespace)
  assert.equal(kubernetesExplorerStatefulSetKey({ nodeType: 'resource', kind: { manifestKind: 'StatefulSet', abbreviation: 'statefulset' }, name: 'postgres', metadata: { namespace: 'databases' } }), 'databases/postgres');
  // the API shape (resolveCommandTarget, node contributors)
  assert.equal(kubernetesExplorerStatefulSetKey({ nodeType: 'resource', resourceKind: { manifestKind: 'StatefulSet' }, name: 'web', namespace: 'shop' }), 'shop/web');
  // no namespace on the node: the connection's
  assert.equal(kubernetesExplorerStatefulSetKey({ nodeType: 'resource', kind: { manifestKind: 'StatefulSet' }, name: 'web', metadata: {} }, 'team-a'), 'team-a/web');
});

test('anything else is not a StatefulSet target', () => {
  for (const t of [undefined, null, 'web', 42, {}, { nodeType: 'context', name: 'web' },
    { nodeType: 'resource', kind: { manifestKind: 'Deployment' }, name: 'api' },
    { nodeType: 'resource', kind: { manifestKind: 'StatefulSet' } },
    { nodeType: 'resource', kind: { manifestKind: 'StatefulSet' }, name: '' }]) {
    assert.equal(kubernetesExplorerStatefulSetKey(t), undefined, JSON.stringify(t));
  }
});

test('their kubeconfig path is followed unless ours is set, following is off, or a workspace chose it', () => {
  const theirs = { pathType: 'host', hostPath: '/home/u/.kube/dev' };
  assert.equal(followedKubeconfig({ follow: true, theirs }).path, '/home/u/.kube/dev');
  assert.equal(followedKubeconfig({ follow: true, theirs, theirWorkspaceSetting: { 'vs-kubernetes.namespace': 'x' } }).path, '/home/u/.kube/dev');
  const explicit = followedKubeconfig({ follow: true, theirs, ourExplicitPath: '/home/u/.kube/mine' });
  assert.equal(explicit.path, undefined);
  assert.match(explicit.why, /statefulsetStudio\.kubeconfig is set/);
  assert.equal(followedKubeconfig({ follow: false, theirs }).path, undefined);
  const fromWorkspace = followedKubeconfig({ follow: true, theirs, theirWorkspaceSetting: { 'vs-kubernetes.kubeconfig': '/repo/evil-kubeconfig' } });
  assert.equal(fromWorkspace.path, undefined);
  assert.match(fromWorkspace.why, /workspace/);
  assert.equal(followedKubeconfig({ follow: true, theirs: { pathType: 'wsl' } }).path, undefined);
  assert.equal(followedKubeconfig({ follow: true }).path, undefined);
});
