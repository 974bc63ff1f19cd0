// Provisioning keeps its scratch files out of the caller's TMPDIR (issue 24: a cold `npm test` provisioned the
// editor tooling during the run, and npm on Node 24 left node-compile-cache in the tests' TMPDIR).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NODE_VERSION, cacheDir, scratchEnv } from '../../scripts/provision-editor.mjs';

const node24 = join(cacheDir(), `node-${NODE_VERSION}`);
const NO_NODE24 = existsSync(join(node24, '.complete')) ? false : `Node ${NODE_VERSION} is not provisioned yet (node scripts/provision-editor.mjs)`;

test('provisioning: scratch files and the compile cache go into the cache folder', () => {
  const s = scratchEnv('/c/statefulset-studio-e2e');
  assert.equal(s.NODE_COMPILE_CACHE, '/c/statefulset-studio-e2e/node-compile-cache');
  assert.ok(s.TMPDIR.startsWith('/c/statefulset-studio-e2e/tmp-'), s.TMPDIR);
});

test('provisioning: npm on Node 24 writes its compile cache where scratchEnv says, not into TMPDIR', { skip: NO_NODE24 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-scratch-'));
  try {
    const callerTmp = join(dir, 'caller-tmp');
    const cache = join(dir, 'cache');
    mkdirSync(callerTmp);
    const npm = (env: Record<string, string>) => spawnSync('npm', ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(node24, 'bin')}:${process.env.PATH}`, TMPDIR: callerTmp, NODE_COMPILE_CACHE: '', ...env },
    });
    // What happened before: the caller's TMPDIR gets node-compile-cache (npm turns Node's compile cache on).
    const before = npm({});
    assert.equal(before.status, 0, before.stderr);
    assert.ok(readdirSync(callerTmp).includes('node-compile-cache'), `npm on Node 24 wrote no compile cache into TMPDIR: ${readdirSync(callerTmp)}`);
    rmSync(join(callerTmp, 'node-compile-cache'), { recursive: true, force: true });
    // With provisioning's environment: nothing in the caller's TMPDIR, the cache in the cache folder.
    const s = scratchEnv(cache);
    mkdirSync(s.TMPDIR, { recursive: true });
    const after = npm(s);
    assert.equal(after.status, 0, after.stderr);
    assert.deepEqual(readdirSync(callerTmp), []);
    assert.ok(existsSync(s.NODE_COMPILE_CACHE), 'no compile cache in the cache folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
