// The real-editor test of troubleshooting (issue 11): the packaged extension in code-server against the simulator.
// kubectl sets a crashlooping image → the tree says the rollout is `stuck` and the ordinal row CrashLoopBackOff →
// Describe shows the BackOff event → Logs shows the pod's lines → Forced Rollback… (prompts answered through the
// test hook) → every ordinal Ready; the real kubectl confirms every pod runs the old image and the PVCs are the same
// objects. Screenshots: test-results/e2e/trouble/{stuck,describe,logs}.png. Run alone: node test/run.mjs e2e/trouble
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editorSkip, editorTest } from './harness';
import { headlessService, startApiServer, statefulSet } from '../../simulator';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, KUBECTL, kubectl } from '../simulator/testkit';

const OLD = 'registry.k8s.io/nginx-slim:0.24';

test('the packaged extension works inside a real VS Code (code-server): crashloop → stuck → Describe, Logs → Forced Rollback', { timeout: 20 * 60_000, skip: editorSkip() || (HAS_KUBECTL ? false : 'kubectl is not installed') }, async (t) => {
  const api = await startApiServer({ podReadyDelayMs: 20, podTerminationMs: 200 });
  try {
    api.create(headlessService('web'));
    api.create(statefulSet({ name: 'web', replicas: 3, claims: [{ name: 'www', size: '1Gi' }] }));
    await api.waitFor(() => api.store.peek(resourceByKind('StatefulSet'), 'default', 'web')?.status?.readyReplicas === 3, 20_000);
    const k = (...a: string[]) => kubectl(api, a);
    const pvcs = async () => (await k('get', 'pvc', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}')).stdout.trim().split(' ').sort();
    const before = await pvcs();
    assert.equal(before.length, 3, before.join());
    assert.equal((await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}')).stdout.trim(), `${OLD} ${OLD} ${OLD}`);
    await editorTest(t, {
      suites: ['trouble.e2e.ts'],
      resultsName: 'trouble',
      extraEnv: {
        STATEFULSET_STUDIO_TEST: '1',
        // stuck = not Ready for minReadySeconds + this grace (60 s by default): the test does not wait a minute
        STATEFULSET_STUDIO_TEST_STUCK_GRACE_MS: '2000',
        KUBECONFIG: api.kubeconfigPath,
        // the suite sets the crashlooping image with the real kubectl (own cache dir, never the user's)
        E2E_KUBECTL: KUBECTL,
        E2E_KUBECTL_DIR: api.dir,
      },
    });
    // kubectl confirms: every pod Ready on the old image, the same PVCs
    const images = await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
    assert.equal(images.stdout.trim(), `${OLD} ${OLD} ${OLD}`);
    const ready = await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {end}');
    assert.equal(ready.stdout.trim(), 'True True True');
    const tpl = await k('get', 'sts', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(tpl.stdout, OLD);
    assert.deepEqual(await pvcs(), before);
  } finally {
    await api.stop();
  }
});
