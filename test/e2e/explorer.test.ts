// The real-editor test of the cluster explorer: the packaged extension in code-server against the local
// API server simulator's demo cluster. The tree shows StatefulSets by ordinal with pods and PVCs; scale,
// rollback, canary and delete run with their prompts answered through the test hook; an edit to an
// immutable field of a live StatefulSet is flagged. Screenshots: test-results/e2e/explorer/.
// Run alone: node test/run.mjs e2e/explorer
import { test } from 'node:test';
import { editorSkip, editorTest } from './harness';
import { startApiServer } from '../../simulator';

test('the packaged extension works inside a real VS Code (code-server): cluster explorer', { timeout: 20 * 60_000, skip: editorSkip() }, async (t) => {
  const api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 50 });
  try {
    await editorTest(t, {
      suites: ['explorer.e2e.ts'],
      resultsName: 'explorer',
      // KUBECONFIG, not the machine-scoped setting: code-server's window is remote, and a machine-scoped
      // value in the (local) user settings is not applied there
      extraEnv: { STATEFULSET_STUDIO_TEST: '1', KUBECONFIG: api.kubeconfigPath },
    });
  } finally {
    await api.stop();
  }
});
