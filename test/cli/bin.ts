// The built statefulset-lint bin as a user runs it, shared by the CLI tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
