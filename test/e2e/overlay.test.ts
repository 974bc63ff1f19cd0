// The real-editor test of Kustomize overlays (issue 19): the packaged extension in code-server on a copy of
// test/fixtures/overlays/shop (a base used by two overlays, patch files, a component). Opening the overlay's
// kustomization.yaml shows the rendered StatefulSet's findings on its own lines (the inline JSON 6902 op, the
// images entry), a component's patch file shows its container's findings, and an unsaved fix in the editor
// clears its finding after the typing pause. kubectl comes from PATH (the extension's default).
// Screenshot: test-results/e2e/overlay/kustomize-overlay.png (published to docs/images/). Run alone:
// node test/run.mjs e2e/overlay
import { test } from 'node:test';
import * as path from 'node:path';
import { editorSkip, editorTest, provision } from './harness';
import { HAS_KUBECTL, KUBECTL, NO_KUBECTL } from '../simulator/testkit';

test('Kustomize overlays in a real VS Code (code-server): findings on the overlay\'s own lines', { timeout: 20 * 60_000, skip: HAS_KUBECTL ? editorSkip() : NO_KUBECTL }, async (t) => {
  // kubectl from $KUBECTL (e.g. the provisioned copy) goes on the editor's PATH, after Node 24 as the harness
  // puts it (the machine-scoped path setting is not applied in code-server's remote window)
  const extraEnv: Record<string, string> = { E2E_OVERLAY_FIXTURES: path.join(__dirname, '..', 'fixtures', 'overlays', 'shop') };
  if (path.isAbsolute(KUBECTL)) extraEnv.PATH = [path.join((await provision()).nodeHome, 'bin'), path.dirname(KUBECTL), process.env.PATH ?? '/usr/bin:/bin'].join(path.delimiter);
  await editorTest(t, {
    suites: ['overlay.e2e.ts'],
    resultsName: 'overlay',
    settings: { 'statefulsetStudio.trace.server': 'messages', 'files.autoSave': 'off' },
    extraEnv,
  });
});
