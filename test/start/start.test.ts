// `npm start` (scripts/start.ts), run the way a newcomer runs it: the README's first command, with HOME pointed at an
// empty temp folder (it must stay empty) and TMPDIR at another. While it runs: the printed URL answers (code-server's
// workbench page, listening on 127.0.0.1 only), the printed `export KUBECONFIG=…` reaches the simulator with kubectl,
// the throwaway profile has the VSIX installed and the kubeconfig setting. Then Ctrl-C (SIGINT to the whole
// foreground process group, as a terminal sends it): exit 0, code-server's process group and the simulator gone,
// both ports closed, no process left with the sandbox in its environment, the temp folder removed.
// Also: --kubeconfig PATH (no simulator, the file only read) with --check, and a busy --port.
// Provisions code-server like the e2e tests (cached); SKIP_EDITOR_TESTS=1 skips the code-server cases.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { provisionEditor, type EditorEnv } from '../../scripts/provision-editor.mjs';
import { EXTENSION_ID, groupAlive } from '../e2e/code-server';
import { ROOT, editorSkip } from '../e2e/harness';
import { HAS_KUBECTL, kubectl } from '../simulator/testkit';

const skip = editorSkip();

/** Every file and folder under dir (relative), for "HOME stayed empty" with a useful message. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d)) {
      out.push(join(rel, n));
      if (statSync(join(d, n)).isDirectory()) walk(join(d, n), join(rel, n));
    }
  };
  walk(dir, '');
  return out;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

/** Local addresses (hex, as in /proc/net/tcp*) of the sockets listening on `port`. */
function listenAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue; // LISTEN
      const [addr, p] = cols[1].split(':');
      if (p === hexPort) found.push(addr);
    }
  }
  return found;
}

/** Processes (other than this one) whose command line or environment mentions `needle`. */
function processesMentioning(needle: string): string[] {
  const hits: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes(needle) || env.includes(needle)) hits.push(`${pid} ${cmd.replace(/\0/g, ' ').slice(0, 200)}`);
    } catch { /* gone or not ours */ }
  }
  return hits;
}

interface Sandbox { root: string; home: string; tmp: string; env: NodeJS.ProcessEnv }

/** A fresh HOME (must stay empty) and TMPDIR; the provisioning cache is the real one (already filled). */
function sandbox(editor: EditorEnv): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'sss-start-test-'));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || /^XDG_/.test(k) || ['INIT_CWD', 'NODE_OPTIONS', 'KUBECONFIG', 'NODE_TEST_CONTEXT'].includes(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    TMPDIR: tmp,
    STATEFULSET_STUDIO_E2E_CACHE: editor.cache,
    npm_config_cache: join(root, 'npm-cache'), // npm's own logs and cache: outside HOME
    npm_config_update_notifier: 'false',
  });
  return { root, home, tmp, env };
}

/** Collects a child's stdout+stderr; waitFor(re) resolves with the match (bounded), rejects if the child exits. */
function watch(child: ChildProcess) {
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => { text += String(c); for (const l of listeners) l(); };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => { signal = sig; r(code); }));
  return {
    get text() { return text; },
    get signal() { return signal; },
    exited,
    waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray> {
      return new Promise((res, rej) => {
        const check = () => {
          const m = text.match(re);
          if (m) { done(); res(m); }
        };
        const timer = setTimeout(() => { done(); rej(new Error(`timed out after ${ms} ms waiting for ${re}; output:\n${text}`)); }, ms);
        const done = () => { clearTimeout(timer); listeners.delete(check); };
        void exited.then((code) => { if (!text.match(re)) { done(); rej(new Error(`exited (${code}) before ${re}; output:\n${text}`)); } });
        listeners.add(check);
        check();
      });
    },
  };
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms).unref())]);

describe('npm start', { skip }, () => {
  let editor: EditorEnv;
  const roots: string[] = [];
  before(async () => {
    const t0 = Date.now();
    editor = await provisionEditor({ browser: false, log: (s) => process.stderr.write(`[start-test] ${s}\n`) });
    process.stderr.write(`[start-test] provisioned in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }, { timeout: 20 * 60_000 });
  after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

  test('npm start: the URL answers, the printed KUBECONFIG reaches the simulator, Ctrl-C leaves nothing behind', { timeout: 5 * 60_000 }, async () => {
    const sb = sandbox(editor);
    roots.push(sb.root);
    const t0 = Date.now();
    // Its own process group, like a terminal's foreground job: Ctrl-C is SIGINT to the whole group.
    const child = spawn('npm', ['start', '--', '--port', '0'], { cwd: ROOT, env: sb.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const w = watch(child);
    try {
      await w.waitFor(/Ctrl-C stops everything\./, 3 * 60_000);
      const readyMs = Date.now() - t0;
      const out = w.text;
      const url = out.match(/^ {2}Open: +(http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))$/m);
      const kubeconfig = out.match(/^ {2}kubectl: +export KUBECONFIG=(\S+)$/m)?.[1];
      const pids = out.match(/code-server pid (\d+) \(process group\), simulator pid (\d+)/);
      const temp = out.match(/^ {2}Temporary: +(\S+)/m)?.[1];
      assert.ok(url && kubeconfig && pids && temp, `expected URL, KUBECONFIG, pids, temp folder in:\n${out}`);
      const [, pageUrl, portText, folder] = url;
      const port = Number(portText);
      const [csPid, simPid] = [Number(pids[1]), Number(pids[2])];
      process.stderr.write(`[start-test] npm start ready in ${(readyMs / 1000).toFixed(1)} s: ${pageUrl}\n`);
      assert.match(out, /local Kubernetes API server SIMULATOR/);
      assert.match(out, /temporary COPY of examples\//);
      assert.ok(temp.startsWith(sb.tmp), `temp folder ${temp} should be under TMPDIR ${sb.tmp}`);
      assert.ok(kubeconfig.startsWith(temp), `kubeconfig ${kubeconfig} should be in the temp folder`);

      // The URL: code-server's workbench page (not only /healthz), on 127.0.0.1 only.
      const page = await fetch(pageUrl, { redirect: 'manual' });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /workbench/i);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      const addrs = listenAddresses(port);
      assert.ok(addrs.length > 0 && addrs.every((a) => a === '0100007F'), `code-server must listen on 127.0.0.1 only, got ${addrs}`);

      // The workspace is a copy of examples/, the VSIX is installed in the throwaway profile, whose user settings
      // point the extension at the printed kubeconfig.
      const ws = decodeURIComponent(folder);
      assert.ok(ws.startsWith(temp));
      assert.deepEqual(tree(ws).sort(), tree(join(ROOT, 'examples')).sort());
      const installed = readdirSync(join(temp, 'extensions')).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
      assert.equal(installed.length, 1);
      assert.ok(existsSync(join(temp, 'extensions', installed[0], 'dist', 'client.js')));
      const settings = JSON.parse(readFileSync(join(temp, 'user-data', 'User', 'settings.json'), 'utf8'));
      assert.equal(settings['statefulsetStudio.kubeconfig'], kubeconfig);

      // The simulator through the printed kubeconfig: real kubectl (own cache dir), else the raw API.
      if (HAS_KUBECTL) {
        const r = await kubectl({ kubeconfigPath: kubeconfig, dir: join(sb.root, 'kubectl') }, ['get', 'sts', '-A', '-o', 'name']);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.stdout.trim().split('\n').sort(), ['statefulset.apps/cache', 'statefulset.apps/mq-server', 'statefulset.apps/payments-db', 'statefulset.apps/postgres', 'statefulset.apps/queue', 'statefulset.apps/search', 'statefulset.apps/sessions', 'statefulset.apps/web']);
        const v = await kubectl({ kubeconfigPath: kubeconfig, dir: join(sb.root, 'kubectl') }, ['version', '-o', 'json']);
        assert.match(JSON.parse(v.stdout).serverVersion.gitVersion, /-simulator$/);
      } else {
        process.stderr.write('[start-test] kubectl is not installed: the simulator is checked through its /version only\n');
      }
      const simPort = Number(readFileSync(kubeconfig, 'utf8').match(/server: https:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
      assert.ok(simPort > 0 && (await portOpen(simPort)));
      assert.ok(groupAlive(csPid) && alive(simPid));

      // Ctrl-C.
      const tStop = Date.now();
      process.kill(-child.pid!, 'SIGINT');
      const code = await withTimeout(w.exited, 30_000, 'npm start to exit after SIGINT');
      // npm itself ends by the signal it got (as after any Ctrl-C); what matters is that the whole foreground group
      // (npm, scripts/start.ts, the simulator) is gone once scripts/start.ts has cleaned up.
      assert.ok(code === 0 || w.signal === 'SIGINT', `npm exited with ${code ?? w.signal}:\n${w.text}`);
      for (let i = 0; i < 300 && groupAlive(child.pid!); i++) await new Promise((r) => setTimeout(r, 100));
      process.stderr.write(`[start-test] stopped in ${((Date.now() - tStop) / 1000).toFixed(1)} s\n`);
      assert.match(w.text, /Stopping \(Ctrl-C\)…\n {2}code-server stopped \(process group \d+\)\n {2}simulator stopped \(pid \d+\)\n {2}removed /);
      assert.equal(groupAlive(csPid), false, 'code-server process group still alive');
      assert.equal(alive(simPid), false, 'simulator still alive');
      assert.equal(groupAlive(child.pid!), false, 'npm start process group still alive');
      assert.equal(await portOpen(port), false, 'code-server port still open');
      assert.equal(await portOpen(simPort), false, 'simulator port still open');
      assert.deepEqual(processesMentioning(sb.root), [], 'processes left with the sandbox in their command line or environment');
      assert.equal(existsSync(temp), false, `${temp} not removed`);
      assert.deepEqual(tree(sb.home), [], 'HOME was written to');
      // Nothing of ours left in TMPDIR either (tsx's compile cache aside).
      assert.deepEqual(tree(sb.tmp).filter((f) => !/^tsx-/.test(f)), [], 'left in TMPDIR');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      }
    }
  });

  test('Ctrl-C while code-server is starting: what was started is stopped, the temp folder removed', { timeout: 3 * 60_000 }, async () => {
    const sb = sandbox(editor);
    roots.push(sb.root);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts'), '--port', '0'],
      { cwd: ROOT, env: sb.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const w = watch(child);
    try {
      await w.waitFor(/\[5\/5\] starting code-server/, 2 * 60_000);
      const temp = w.text.match(/built (\S+)\/statefulset-studio\.vsix/)?.[1];
      const simPort = Number(w.text.match(/listening on https:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
      assert.ok(temp && simPort > 0 && (await portOpen(simPort)), w.text);
      process.kill(-child.pid!, 'SIGINT');
      const code = await withTimeout(w.exited, 30_000, 'exit after SIGINT during startup');
      assert.equal(code, 0, w.text);
      assert.match(w.text, /Stopping \(Ctrl-C\)…[\s\S]*simulator stopped[\s\S]*removed /);
      assert.doesNotMatch(w.text, /Ready in|npm start failed/);
      assert.ok(temp && !existsSync(temp), `temp folder ${temp} left behind`);
      assert.equal(await portOpen(simPort), false, 'simulator port still open');
      assert.deepEqual(processesMentioning(sb.root), [], 'processes left behind');
      assert.deepEqual(tree(sb.home), [], 'HOME was written to');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      }
    }
  });

  test('npm start -- --kubeconfig PATH --check: no simulator, the kubeconfig only read, exits once ready', { timeout: 3 * 60_000 }, async () => {
    const sb = sandbox(editor);
    roots.push(sb.root);
    const kc = join(sb.root, 'my-kubeconfig');
    writeFileSync(kc, [
      'apiVersion: v1', 'kind: Config', 'current-context: mine',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: not-a-real-token}}]',
      'contexts: [{name: mine, context: {cluster: c, user: u}}]', '',
    ].join('\n'));
    chmodSync(kc, 0o444);
    const before = { text: readFileSync(kc, 'utf8'), mtime: statSync(kc).mtimeMs };
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts'), '--port', '0', '--kubeconfig', kc, '--check'],
      { cwd: ROOT, env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const w = watch(child);
    const code = await withTimeout(w.exited, 2 * 60_000, 'npm start --check');
    assert.equal(code, 0, w.text);
    assert.match(w.text, /YOUR kubeconfig .*my-kubeconfig \(1 context, current: mine\)/);
    assert.match(w.text, /read only: npm start never writes it/);
    assert.doesNotMatch(w.text, /starting the demo cluster|simulator pid/);
    assert.match(w.text, /^ {2}Open: +http:\/\/127\.0\.0\.1:\d+\//m);
    assert.match(w.text, /--check: ready; stopping\./);
    const temp = w.text.match(/^ {2}Temporary: +(\S+)/m)?.[1];
    assert.ok(temp && !existsSync(temp), `temp folder ${temp} left behind`);
    const pgid = Number(w.text.match(/code-server pid (\d+)/)?.[1]);
    assert.equal(groupAlive(pgid), false);
    assert.deepEqual({ text: readFileSync(kc, 'utf8'), mtime: statSync(kc).mtimeMs }, before, 'the kubeconfig changed');
    assert.deepEqual(tree(sb.home), [], 'HOME was written to');
    assert.deepEqual(processesMentioning(sb.root), []);
  });
});

test('npm start -- --port N with N busy: a clear message at once, nothing started', { timeout: 60_000 }, async () => {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const root = mkdtempSync(join(tmpdir(), 'sss-start-test-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts'), '--port', String(port)],
      { cwd: ROOT, env: { ...process.env, HOME: join(root, 'home'), TMPDIR: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    const w = watch(child);
    const code = await withTimeout(w.exited, 30_000, 'npm start with a busy port');
    assert.equal(code, 1, w.text);
    assert.match(w.text, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(w.text, /npm start -- --port \d+ +\(or --port 0 for any free port\)/);
    assert.doesNotMatch(w.text, /provisioning/);
    assert.deepEqual(readdirSync(root).filter((f) => !/^tsx-/.test(f)), [], 'nothing created');
  } finally {
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
});
