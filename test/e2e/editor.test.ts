// The real-editor test: provisions code-server + Chromium if missing, packages the VSIX, installs it into a
// throwaway code-server and runs the mocha suites in test/e2e/suite/*.e2e.ts inside its extension host.
// Screenshots and logs: test-results/e2e/. Run alone: node test/run.mjs e2e
// Environment: E2E_SUITES=language,explorer (substrings of suite file names) to run a subset;
//              SKIP_EDITOR_TESTS=1 to skip (e.g. on a machine that is not linux-x64).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildVsix, provision, runEditorSuite } from './harness';

const suiteDir = join(ROOT, 'test', 'e2e', 'suite');
const only = (process.env.E2E_SUITES ?? '').split(',').filter(Boolean);
const suiteFiles = readdirSync(suiteDir)
  .filter((f) => f.endsWith('.e2e.ts'))
  .filter((f) => only.length === 0 || only.some((s) => f.includes(s)))
  .sort()
  .map((f) => join(suiteDir, f));

const skip = process.env.SKIP_EDITOR_TESTS ? 'SKIP_EDITOR_TESTS is set' : process.platform !== 'linux' || process.arch !== 'x64' ? 'code-server e2e runs on linux-x64 only' : false;

test('the packaged extension works inside a real VS Code (code-server)', { timeout: 20 * 60_000, skip }, async (t) => {
  const log = (s: string) => process.stderr.write(`[e2e] ${s}\n`);
  const resultsDir = join(ROOT, 'test-results', 'e2e');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  let t0 = Date.now();
  const env = await provision(log);
  log(`provisioned in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  t0 = Date.now();
  const vsix = await buildVsix(join(ROOT, '.cache', 'e2e', 'statefulset-studio-e2e.vsix'), log);
  log(`packaged in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${vsix}`);

  const r = await runEditorSuite({ env, vsix, suiteFiles, resultsDir, timeoutMs: 8 * 60_000, log });
  log(`timings (ms): ${JSON.stringify(r.timings)}; screenshots: ${r.screenshots.map((s) => s.slice(ROOT.length + 1)).join(', ')}`);

  // one subtest per mocha test, so the runner's counts show them
  for (const res of r.tests) {
    await t.test(`[editor] ${res.fullTitle}`, { skip: res.state === 'pending' }, () => {
      if (res.state === 'failed') assert.fail(res.error ?? 'failed');
    });
  }
  const failed = r.tests.filter((x) => x.state === 'failed');
  if (r.exitCode !== 0 || r.tests.length === 0) {
    const tail = r.console.slice(-80).join('\n');
    assert.fail(`extension host exited with ${r.exitCode}; ${r.tests.length} tests reported, ${failed.length} failed. Console tail:\n${tail}`);
  }
});
