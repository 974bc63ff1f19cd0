// Runs every test file (test/**/*.test.ts) with node's test runner through tsx.
// Node's runner prints the closing count lines (# pass N / # fail N).
// Usage: node test/run.mjs [substring-filter...]
//
// The tests run with TMPDIR set to a fresh folder of their own; afterwards that folder must be empty: whatever a
// test (or a process it started) left there fails the run, listed by name. The folder is then removed.
// kubectl for the simulator's proofs: $KUBECTL, else kubectl 1.27+ on PATH, else the copy installed by
// `node scripts/provision-kubectl.mjs` (run by .ci/run); nothing is downloaded here.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { findKubectl } from '../scripts/provision-kubectl.mjs';
import { findHelm } from '../scripts/provision-helm.mjs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = walk(join(root, 'test'), [])
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const env = { ...process.env };
const kubectl = findKubectl();
if (kubectl.path) env.KUBECTL = kubectl.path;
else console.error(`test/run.mjs: ${kubectl.reason}: the kubectl proofs will be skipped (run: node scripts/provision-kubectl.mjs)`);
// helm for the chart tests: $HELM, else helm on PATH, else the copy installed by `node scripts/provision-helm.mjs`
const helm = findHelm();
if (helm.path) env.HELM = helm.path;
else console.error(`test/run.mjs: ${helm.reason}: the helm chart tests will be skipped (run: node scripts/provision-helm.mjs)`);

const runTmp = mkdtempSync(join(tmpdir(), 'sts-test-run-'));
env.TMPDIR = runTmp;
// The tsx loader keeps its transform cache (and IPC pipes) in $TMPDIR/tsx-<uid>: link the machine's one in, so
// runs stay warm; it is the loader's, not a test's, and is not counted.
const tsxCache = `tsx-${process.geteuid ? process.geteuid() : userInfo().username}`;
mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
symlinkSync(join(tmpdir(), tsxCache), join(runTmp, tsxCache));
// TEST_CONCURRENCY=N: N test files at a time (node's default is one fewer than the cores: one, on two)
const concurrency = process.env.TEST_CONCURRENCY ? [`--test-concurrency=${Number(process.env.TEST_CONCURRENCY)}`] : [];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...concurrency, '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env,
});
let leftovers = [];
try {
  leftovers = readdirSync(runTmp).filter((n) => n !== tsxCache);
} finally {
  rmSync(runTmp, { recursive: true, force: true });
}
if (leftovers.length > 0) {
  console.error(`\n# leftovers: the tests left ${leftovers.length} entr${leftovers.length === 1 ? 'y' : 'ies'} in their temporary folder (TMPDIR): ${leftovers.sort().join(', ')}`);
  console.error('# every test must remove the temporary files and folders it creates');
  process.exit(r.status || 1);
}
process.exit(r.status ?? 1);
