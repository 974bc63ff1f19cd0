// Entry point the extension host loads (bundled by test/e2e/harness.ts with the chosen *.e2e.ts files).
// VS Code calls run() and waits for its promise; a rejection makes the extension host exit non-zero,
// which reaches the harness through codeAutomationExit. Per-test results are also written as JSON to
// $E2E_RESULTS_FILE so the node test can report each one.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

interface Result {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function runSuites(register: () => void): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Define describe/it/before... as globals, then load the suites (their top-level code registers tests).
  mocha.suite.emit('pre-require', globalThis, 'e2e', mocha);
  register();
  const results: Result[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.E2E_RESULTS_FILE) writeFileSync(process.env.E2E_RESULTS_FILE, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.title, fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) =>
      results.push({ title: t.title, fullTitle: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }));
    runner.on('pending', (t) => results.push({ title: t.title, fullTitle: t.fullTitle(), state: 'pending' }));
  });
}
