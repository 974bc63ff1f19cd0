// npm run devcluster: banner naming it a simulator, a kubeconfig kubectl can use, Ctrl-C stops it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** Starts `npm run devcluster`'s script with the given arguments and resolves with its banner. */
function startDevcluster(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'simulator', 'devcluster.ts'), ...args], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let out = '';
  child.stdout.setEncoding('utf8');
  const banner = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no banner; got:\n${out}`)), 30_000);
    child.stdout.on('data', (c: string) => {
      out += c;
      if (out.includes('Ctrl-C stops it.')) {
        clearTimeout(t);
        resolve(out);
      }
    });
    child.once('exit', () => reject(new Error(`devcluster exited early:\n${out}`)));
  });
  return { child, exited, banner, output: () => out };
}

test('devcluster: two at once, each in a temp folder of its own, both answer kubectl through their own kubeconfig; Ctrl-C removes each folder', { timeout: 90_000, skip: HAS_KUBECTL ? false : NO_KUBECTL }, async () => {
  const a = startDevcluster(['--ready-delay-ms', '5', '--termination-ms', '5']);
  const b = startDevcluster(['--ready-delay-ms', '5', '--termination-ms', '5']);
  const kubectlHome = mkdtempSync(join(tmpdir(), 'devcluster-two-'));
  try {
    const banners = await Promise.all([a.banner, b.banner]);
    const paths = banners.map((out) => {
      const m = out.match(/^ {2}export KUBECONFIG=(.+)$/m);
      assert.ok(m, out);
      assert.match(out, /kubeconfig: .*this run's own folder, removed when it stops/);
      return m[1];
    });
    assert.notEqual(paths[0], paths[1], 'both runs print the same kubeconfig');
    for (const p of paths) {
      assert.ok(existsSync(p), p);
      assert.ok(dirname(p).startsWith(join(tmpdir(), 'statefulset-studio-devcluster-')), p);
    }
    const servers = paths.map((p) => readFileSync(p, 'utf8').match(/server: (\S+)/)?.[1]);
    assert.notEqual(servers[0], servers[1]);
    // A change in one is not seen in the other: each kubectl talks to its own server.
    const [ka, kb] = paths.map((kubeconfigPath, i) => ({ kubeconfigPath, dir: join(kubectlHome, String(i)) }));
    const scaled = await kubectl(ka, ['scale', 'statefulset/web', '--replicas', '5']);
    assert.equal(scaled.code, 0, scaled.stderr);
    const ra = await kubectl(ka, ['get', 'sts', 'web', '-o', 'jsonpath={.spec.replicas}']);
    const rb = await kubectl(kb, ['get', 'sts', 'web', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    assert.equal(ra.stdout, '5');
    assert.notEqual(rb.stdout, '5');
    a.child.kill('SIGINT');
    b.child.kill('SIGINT');
    assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0]);
    for (const p of paths) assert.ok(!existsSync(dirname(p)), `${dirname(p)} is left after Ctrl-C`);
  } finally {
    for (const r of [a, b]) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    rmSync(kubectlHome, { recursive: true, force: true });
  }
});
