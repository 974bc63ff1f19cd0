// The built statefulset-lint bin as a user runs it, shared by the CLI tests.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'statefulset-lint.js');

/** Builds dist/ once if a test file runs on its own before `npm run build`. */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'lint.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT }).status, 0);
}

/** Runs the bin with `args` in the folder `cwd()` names (read at call time: tests make it in `before`). */
export function linter(cwd: () => string) {
  return (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: cwd() });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
}

/**
 * The CLI bundled as `npm run build` bundles it (scripts/build.mjs), into a temporary folder of this test file's
 * own with the bin shim beside it, so a test runs what ships without rewriting the shared dist/. Registers the
 * file's before/after hooks; `tmp` (the folder, also for the test's own files) and `bin` are set in `before`.
 */
export function bundledLint(prefix: string): { tmp: string; bin: string } {
  const o = { tmp: '', bin: '' };
  before(async () => {
    o.tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    await esbuild.build({
      entryPoints: { lint: path.join(ROOT, 'server', 'src', 'cli', 'lint.ts') },
      outdir: path.join(o.tmp, 'dist'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    fs.mkdirSync(path.join(o.tmp, 'bin'));
    o.bin = path.join(o.tmp, 'bin', 'statefulset-lint.js');
    fs.copyFileSync(BIN, o.bin);
  });
  after(() => {
    if (o.tmp) fs.rmSync(o.tmp, { recursive: true, force: true });
  });
  return o;
}
