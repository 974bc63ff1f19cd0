// npm run fuzz: the fuzz tests (test/fuzz/*.test.ts) with many more iterations and a random seed,
// then a summary of test-results/fuzz.json. Replay a run with FUZZ_SEED=<seed> (and its FUZZ_RUNS).
//   FUZZ_RUNS  engine cases (default 5000; LSP edits = RUNS/4, CLI runs = RUNS/10)
//   FUZZ_SEED  seed (default: random, printed)
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const seed = process.env.FUZZ_SEED ?? String(randomInt(1, 2 ** 31 - 1));
const runs = process.env.FUZZ_RUNS ?? '5000';
console.log(`fuzzing with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} (replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)\n`);
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'test', 'run.mjs'), 'test/fuzz/'], {
  cwd: root,
  stdio: 'inherit',
  // the engine and CLI parts side by side (each keeps a core busy; they write their own report sections)
  env: { TEST_CONCURRENCY: '2', ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
});

let report;
try {
  report = JSON.parse(readFileSync(join(root, 'test-results', 'fuzz.json'), 'utf8'));
} catch {
  report = undefined;
}
if (report && String(report.seed) === seed) {
  const e = report.engine ?? {};
  const l = report.lsp ?? {};
  const c = report.cli ?? {};
  const s = (x) => (x ? `${(x.bytes / 1024).toFixed(1)} KiB in ${x.ms} ms (${x.msPerKiB} ms/KiB): ${x.label}` : 'n/a');
  const ten = l.bigFiles?.manyDocuments;
  const one = l.bigFiles?.oneDocument;
  console.log(`
fuzz summary (seed ${seed}, ${Math.round((Date.now() - t0) / 1000)} s, ${report.machine})
  engine: ${e.cases} mutated cases, ${e.calls} completion/hover/quick-fix calls, ${e.analysis?.inputs} analyses (mean ${e.analysis?.meanMsPerKiB} ms/KiB)
    slowest analysis:   ${s(e.analysis?.slowest)}
    worst ms per KiB:   ${s(e.analysis?.worstMsPerKiB)}
    slowest request:    ${s(e.requests?.slowest)}
    special inputs:     slowest analysis ${s(e.specialAnalysis?.slowest)}; slowest request ${s(e.specialRequests?.slowest)}
  lsp: ${l.stream?.edits} edits, ${l.stream?.requests} interleaved requests; completion p50 ${l.stream?.msCompletion?.p50} ms, hover p50 ${l.stream?.msHover?.p50} ms
    ${(ten?.bytes / 2 ** 20).toFixed(1)} MB (${ten?.documents} documents): open → first diagnostics ${ten?.msOpenToFirstDiagnostics} ms, all ${ten?.msOpenToDiagnostics} ms; completion ${ten?.msCompletion?.join('/')} ms; hover ${ten?.msHover?.join('/')} ms; code action ${ten?.msCodeAction} ms (500 findings at once: ${ten?.msCodeActionFor500Findings} ms); one edit → diagnostics ${ten?.msEditToDiagnostics} ms
    ${(one?.bytes / 2 ** 20).toFixed(1)} MB single document: open → diagnostics ${one?.msOpenToDiagnostics} ms; completion ${one?.msCompletion} ms; hover ${one?.msHover} ms
  cli: ${c.runs} runs over ${c.files} files, exit codes ${JSON.stringify(c.exitCodes)}; slowest process ${s(c.perProcess?.slowest)}
  report: test-results/fuzz.json${e.slowestInputFile ? `; slowest engine input: ${e.slowestInputFile}` : ''}
  ${r.status === 0 ? 'PASSED' : `FAILED — replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz`}\n`);
}
process.exit(r.status ?? 1);
