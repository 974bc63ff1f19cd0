// The real-editor test of file → cluster: the packaged extension in code-server against the simulator.
// A live StatefulSet's file gets a larger claim template storage → the forbidden-update diagnostic and
// the CodeLens say so → Resize Storage… (prompts answered through the test hook) → the PVCs have grown
// and the pods and PVCs are the same objects (same UIDs), which the real kubectl confirms here.
// Screenshots: test-results/e2e/filecluster/{lens,dryrun,diff,resize}.png. Run alone: node test/run.mjs e2e/filecluster
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { editorSkip, editorTest } from './harness';
import { headlessService, startApiServer, statefulSet } from '../../simulator';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, kubectl } from '../simulator/testkit';

test('the packaged extension works inside a real VS Code (code-server): edit storage → Resize Storage… → same pods, grown PVCs', { timeout: 20 * 60_000, skip: editorSkip() || (HAS_KUBECTL ? false : 'kubectl is not installed') }, async (t) => {
  const api = await startApiServer({ podReadyDelayMs: 20, volumeResizeStepMs: 50 });
  try {
    const manifest = statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    api.create(headlessService('db'));
    api.create(structuredClone(manifest));
    await api.waitFor(() => api.store.peek(resourceByKind('StatefulSet'), 'default', 'db')?.status?.readyReplicas === 2, 20_000);
    const k = (...a: string[]) => kubectl(api, a);
    const ids = async () => (await k('get', 'pods,pvc', '-l', 'app=db', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid} {end}')).stdout.trim().split(' ').sort();
    const before = await ids();
    assert.equal(before.length, 4, before.join());
    const resized = structuredClone(manifest);
    resized.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
    const changedImage = structuredClone(manifest);
    changedImage.spec.template.spec.containers[0].image = 'registry.k8s.io/nginx-slim:0.26';
    await editorTest(t, {
      suites: ['filecluster.e2e.ts'],
      resultsName: 'filecluster',
      extraEnv: { STATEFULSET_STUDIO_TEST: '1', KUBECONFIG: api.kubeconfigPath, E2E_RESIZE_MANIFEST: stringify(resized), E2E_IMAGE_MANIFEST: stringify(changedImage) },
    });
    // kubectl confirms: the same pods and PVCs, grown
    assert.deepEqual(await ids(), before);
    const cap = await k('get', 'pvc', '-l', 'app=db', '-o', 'jsonpath={.items[*].status.capacity.storage}');
    assert.equal(cap.stdout.trim(), '2Gi 2Gi');
    const tpl = await k('get', 'sts', 'db', '-o', 'jsonpath={.spec.volumeClaimTemplates[0].spec.resources.requests.storage}');
    assert.equal(tpl.stdout, '2Gi');
    const restarts = await k('get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].status.containerStatuses[0].restartCount}');
    assert.equal(restarts.stdout.trim(), '0 0');
  } finally {
    await api.stop();
  }
});
