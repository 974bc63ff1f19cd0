// Not a *.test.ts: needs code-server (scripts/provision-editor.mjs) and ~20 s, so it is run on purpose:
//   node --import tsx --test test/explorer/editor/run.ts
import { test } from 'node:test';
import { join } from 'node:path';
import { editorSkip, editorTest } from '../../e2e/harness';
import { startApiServer } from '../../apiserver';

test('explorer smoke in code-server', { timeout: 20 * 60_000, skip: editorSkip() }, async (t) => {
  const api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 50 });
  try {
    await editorTest(t, {
      suites: [join(__dirname, 'explorer.e2e.ts')],
      resultsName: 'explorer-editor-smoke',
      // KUBECONFIG, not the machine-scoped setting: code-server's window is remote, and a machine-scoped
      // value in the (local) user settings is not applied there
      extraEnv: { STATEFULSET_STUDIO_TEST: '1', KUBECONFIG: api.kubeconfigPath },
    });
  } finally {
    await api.stop();
  }
});
