// The real-editor test of the language features: provisions code-server + Chromium if missing (cached),
// packages the VSIX, installs it into a throwaway code-server and runs test/e2e/suite/language.e2e.ts inside
// its extension host. Screenshots and logs: test-results/e2e/language/. Run alone: node test/run.mjs e2e
// SKIP_EDITOR_TESTS=1 skips it (e.g. on a machine that is not linux-x64).
import { test } from 'node:test';
import { editorSkip, editorTest } from './harness';

test('the packaged extension works inside a real VS Code (code-server): language features', { timeout: 20 * 60_000, skip: editorSkip() }, async (t) => {
  await editorTest(t, { suites: ['language.e2e.ts', 'readme.e2e.ts'], resultsName: 'language' });
});
