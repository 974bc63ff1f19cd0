// The real-editor test of owners (issue 20): the packaged extension in code-server against the simulator's
// `managed` scenario. Scale of an operator's StatefulSet → refused, the RabbitmqCluster opened; Scale of an
// Argo CD one with "Pause sync, do it, resume" (the commit with replicas: 3 made, not fetched by Argo CD yet)
// → replicas stay 3, selfHeal back on — checked with the real kubectl. Screenshots: test-results/e2e/owners/.
// Run alone: node test/run.mjs e2e/owners
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { editorSkip, editorTest } from './harness';
import { startApiServer } from '../../simulator';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, kubectl } from '../simulator/testkit';

test('the packaged extension works inside a real VS Code (code-server): owners', { timeout: 20 * 60_000, skip: editorSkip() || (HAS_KUBECTL ? false : 'kubectl is not installed') }, async (t) => {
  const api = await startApiServer({ scenario: 'managed', podReadyDelayMs: 50 });
  try {
    api.owners.reconcileDelayMs = 200;
    const k = async (...a: string[]) => {
      const r = await kubectl(api, a);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    };
    // the user committed replicas: 3 for payments-db; Argo CD has not fetched it yet (it polls git)
    const [d] = api.owners.gitOf('Application', 'argocd', 'payments');
    api.owners.setGit('Application', 'argocd', 'payments', [{ ...d, spec: { ...d.spec, replicas: 3 } }], { fetch: false });
    assert.equal(await k('get', 'sts', 'payments-db', '-n', 'managed', '-o', 'jsonpath={.spec.replicas}'), '2');
    // the user committed a larger claim for search (Flux); Flux has not fetched it yet
    const [fd] = api.owners.gitOf('Kustomization', 'flux-system', 'apps');
    const resized = structuredClone(fd);
    resized.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '30Gi';
    api.owners.setGit('Kustomization', 'flux-system', 'apps', [resized], { fetch: false });
    const ids = async () => (await k('get', 'pods,pvc', '-n', 'managed', '-l', 'app=search', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid} {end}')).split(' ').sort();
    const before = await ids();
    assert.equal(before.length, 4, before.join());
    await editorTest(t, {
      suites: ['owners.e2e.ts'],
      resultsName: 'owners',
      extraEnv: { STATEFULSET_STUDIO_TEST: '1', STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS: '1500', KUBECONFIG: api.kubeconfigPath, E2E_FLUX_RESIZE_MANIFEST: stringify(resized) },
    });
    // kubectl: the operator's StatefulSet untouched; payments-db stays at 3 with selfHeal back on
    assert.equal(await k('get', 'sts', 'mq-server', '-n', 'managed', '-o', 'jsonpath={.spec.replicas}'), '3');
    assert.equal(await k('get', 'sts', 'payments-db', '-n', 'managed', '-o', 'jsonpath={.spec.replicas}'), '3');
    assert.equal(await k('get', 'applications.argoproj.io', 'payments', '-n', 'argocd', '-o', 'jsonpath={.spec.syncPolicy.automated.selfHeal}'), 'true');
    // search: the same pods and PVCs, grown, no restart; Flux resumed (suspend gone) and reconciling again (its labels back), no failed sync
    assert.deepEqual(await ids(), before);
    assert.equal(await k('get', 'pvc', '-n', 'managed', '-l', 'app=search', '-o', 'jsonpath={.items[*].status.capacity.storage}'), '30Gi 30Gi');
    assert.equal(await k('get', 'sts', 'search', '-n', 'managed', '-o', 'jsonpath={.spec.volumeClaimTemplates[0].spec.resources.requests.storage}'), '30Gi');
    assert.equal(await k('get', 'pods', '-n', 'managed', '-l', 'app=search', '-o', 'jsonpath={.items[*].status.containerStatuses[0].restartCount}'), '0 0');
    assert.equal(await k('get', 'kustomizations', 'apps', '-n', 'flux-system', '-o', 'jsonpath={.spec.suspend}'), '');
    await api.waitFor(() => api.store.peek(resourceByKind('StatefulSet'), 'managed', 'search')?.metadata.labels?.['kustomize.toolkit.fluxcd.io/name'] === 'apps', 10_000);
    assert.deepEqual(api.owners.failures, []);
    assert.ok(!api.requests.some((r) => r.path.includes('/statefulsets/mq-server') && ['patch', 'update'].includes(r.verb ?? '')), 'no write to the operator-owned StatefulSet');
  } finally {
    await api.stop();
  }
});
