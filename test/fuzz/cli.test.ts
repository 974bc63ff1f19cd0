// Fuzzing statefulset-lint (the built bin) on mutated files: the exit code is always 0 or 1 (never a
// crash, never 2 for a readable file), and it agrees with the findings; --format json always parses
// and holds every file with valid diagnostics; stderr stays empty. Plus the special inputs as files:
// an alias bomb, 10,000-level nesting, random bytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { aliasBomb, HANG, badRange, CLI_RUNS, deepBlockSeq, deepFlow, lspLineLengths, mutantArb, mutantText, randomBytes, report, ROOT, round, SEED, Timing } from './common';

const BIN = path.join(ROOT, 'bin', 'statefulset-lint.js');
/** A hang guard for one CLI process (a node start-up plus the files). */
const PROCESS_GUARD_MS = 60_000;

let dir: string;
const timing = new Timing();
let runs = 0;
let files = 0;
const exits: Record<string, number> = {};
const specials: Record<string, unknown> = {};

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'lint.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT }).status, 0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-fuzz-cli-'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  report('cli', { runs, files, exitCodes: exits, perProcess: { note: 'each a node process: start-up included', ...timing.summary() }, specials });
});

interface JsonResult {
  file: string;
  diagnostics: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; code?: unknown; severity?: number; message?: unknown }>;
}

/** Lints `names` (in `dir`) twice, as text and as JSON, and checks both; returns the JSON results. */
function lint(names: string[], label: string, alsoText = true): JsonResult[] {
  const bytes = names.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  const t0 = performance.now();
  const json = spawnSync(process.execPath, [BIN, '--format', 'json', ...names], { cwd: dir, encoding: 'utf8', timeout: PROCESS_GUARD_MS, maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  runs++;
  files += names.length;
  timing.add(label, bytes, ms);
  const what = `${label}: statefulset-lint --format json ${names.join(' ')}`;
  assert.equal(json.error, undefined, `${what}: ${json.error?.message} (hang guard ${PROCESS_GUARD_MS} ms)`);
  exits[String(json.status ?? json.signal)] = (exits[String(json.status ?? json.signal)] ?? 0) + 1;
  assert.ok(json.status === 0 || json.status === 1, `${what}: exit ${json.status ?? json.signal}\n${json.stderr}`);
  assert.equal(json.stderr, '', `${what}: nothing on stderr`);
  let results: JsonResult[];
  assert.doesNotThrow(() => (results = JSON.parse(json.stdout) as JsonResult[]), `${what}: the output is JSON`);
  results = JSON.parse(json.stdout) as JsonResult[];
  assert.deepEqual(results.map((r) => r.file), names, `${what}: one result per file, in order`);
  let errors = 0;
  for (const r of results) {
    const lens = lspLineLengths(fs.readFileSync(path.join(dir, r.file), 'utf8'));
    for (const d of r.diagnostics) {
      assert.ok(typeof d.code === 'string' && d.code.length > 0 && typeof d.message === 'string', `${what}: ${r.file}: a diagnostic without a code or message`);
      assert.equal(badRange(d.range, lens), undefined, `${what}: ${r.file} [${d.code}]: ${badRange(d.range, lens)}`);
      if (d.severity === 1) errors++;
    }
  }
  assert.equal(json.status, errors > 0 ? 1 : 0, `${what}: exit ${json.status} with ${errors} errors`);
  if (!alsoText) return results;
  // the text format: same exit code, one line per finding and the summary line
  const text = spawnSync(process.execPath, [BIN, ...names], { cwd: dir, encoding: 'utf8', timeout: PROCESS_GUARD_MS, maxBuffer: 1 << 30 });
  assert.equal(text.error, undefined, `${label}: text format: ${text.error?.message}`);
  assert.equal(text.status, json.status, `${label}: text and JSON agree on the exit code`);
  assert.equal(text.stderr, '', `${label}: text format: nothing on stderr`);
  const total = results.reduce((n, r) => n + r.diagnostics.length, 0);
  assert.match(text.stdout, new RegExp(`${names.length} files? checked: ${errors} errors?, ${total - errors} other findings?\\n$`), `${label}: the summary line`);
  return results;
}

test(`statefulset-lint on mutated manifests (${CLI_RUNS} runs, seed ${SEED})`, HANG, () => {
  let n = 0;
  fc.assert(
    fc.property(fc.array(mutantArb, { minLength: 1, maxLength: 3 }), (mutants) => {
      const names = mutants.map((m, i) => {
        const name = `run${n}-${i}-${m.base}`;
        fs.writeFileSync(path.join(dir, name), mutantText(m));
        return name;
      });
      n++;
      lint(names, mutants.map((m) => `${m.base} + ${m.mutations.map((x) => x.op).join(',')}`).join(' | '), n % 4 === 1);
    }),
    { seed: SEED, numRuns: CLI_RUNS },
  );
});

test('statefulset-lint on an alias bomb, 10,000-level nesting and random bytes', HANG, () => {
  const inputs: Array<[string, string | Buffer]> = [
    ['alias-bomb.yaml', aliasBomb()],
    ['nesting-flow.yaml', deepFlow(10_000)],
    ['nesting-block-seq.yaml', deepBlockSeq(10_000)],
    ['random.yaml', randomBytes(256 * 1024)],
    ['sts-random.yaml', Buffer.concat([Buffer.from('apiVersion: apps/v1\nkind: StatefulSet\n'), randomBytes(64 * 1024, SEED + 1)])],
    ['empty.yaml', ''],
    ['bom-crlf.yaml', '\ufeffapiVersion: apps/v1\r\nkind: StatefulSet\r\nmetadata:\r\n  name: x\r\nspec:\r\n  replicas: "3"\r\n'],
  ];
  for (const [name, content] of inputs) fs.writeFileSync(path.join(dir, name), content);
  for (const [name] of inputs) {
    const t0 = performance.now();
    const results = lint([name], name, false);
    const findings: Record<string, number> = {};
    for (const d of results[0].diagnostics) findings[String(d.code)] = (findings[String(d.code)] ?? 0) + 1;
    specials[name] = { bytes: fs.statSync(path.join(dir, name)).size, ms: round(performance.now() - t0), findings };
  }
  // all of them in one run, as a folder
  const results = lint(
    inputs.map(([n]) => n),
    'all special inputs together',
  );
  assert.ok(results.find((r) => r.file === 'sts-random.yaml')!.diagnostics.some((d) => d.code === 'yaml-syntax' || d.code === 'template'));
  assert.ok(results.find((r) => r.file === 'bom-crlf.yaml')!.diagnostics.some((d) => d.code === 'invalid-type'));
});
