// npm run devcluster: banner naming it a simulator, a kubeconfig kubectl can use, Ctrl-C stops it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HAS_KUBECTL, kubectl, NO_KUBECTL } from './testkit';

test('devcluster: banner, export KUBECONFIG, demo StatefulSets, clean exit on SIGINT', { timeout: 60_000, skip: HAS_KUBECTL ? false : NO_KUBECTL }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devcluster-test-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'simulator', 'devcluster.ts'), '--dir', dir, '--ready-delay-ms', '5', '--termination-ms', '5'], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no banner; got:\n${out}`)), 30_000);
      child.stdout.on('data', (c: string) => {
        out += c;
        if (out.includes('Ctrl-C stops it.')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`devcluster exited early:\n${out}`)));
    });
    assert.match(out, /local Kubernetes API server SIMULATOR \(not a real cluster/);
    const m = out.match(/^ {2}export KUBECONFIG=(.+)$/m);
    assert.ok(m, out);
    const kubeconfigPath = m[1];
    assert.equal(kubeconfigPath, join(dir, 'kubeconfig'));
    const r = await kubectl({ kubeconfigPath, dir }, ['get', 'sts', '-A', '-o', 'name']);
    assert.equal(r.code, 0, r.stderr);
    // the demo plus one StatefulSet per kind of owner in namespace managed (scenario `managed`)
    assert.deepEqual(r.stdout.trim().split('\n'), ['statefulset.apps/postgres', 'statefulset.apps/cache', 'statefulset.apps/queue', 'statefulset.apps/web', 'statefulset.apps/mq-server', 'statefulset.apps/payments-db', 'statefulset.apps/search', 'statefulset.apps/sessions']);
    const v = await kubectl({ kubeconfigPath, dir }, ['version', '-o', 'json']);
    assert.match(JSON.parse(v.stdout).serverVersion.gitVersion, /-simulator$/);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(out, /simulator stopped\./);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
