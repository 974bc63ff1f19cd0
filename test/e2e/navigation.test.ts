// The real-editor test of the navigation features: the packaged extension in code-server on a workspace
// holding test/fixtures/navigation (a StatefulSet, its Services in net/, ConfigMap, Secret, PVC). Outline and
// breadcrumbs, go to definition across files and a label rename through the rename box.
// Screenshots: test-results/e2e/navigation/{outline,definition,rename}.png. Run alone: node test/run.mjs e2e/navigation
import { test } from 'node:test';
import * as path from 'node:path';
import { editorSkip, editorTest } from './harness';

test('the packaged extension works inside a real VS Code (code-server): outline, definition, rename', { timeout: 20 * 60_000, skip: editorSkip() }, async (t) => {
  await editorTest(t, {
    suites: ['navigation.e2e.ts'],
    resultsName: 'navigation',
    extraEnv: { E2E_NAVIGATION_FIXTURES: path.join(__dirname, '..', 'fixtures', 'navigation') },
  });
});
