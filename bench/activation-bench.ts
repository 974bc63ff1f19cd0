// Extension activation time and bundle sizes (issue 7). Figures only, never a gate.
//  - sizes of the minified bundles (dist/client.js, dist/server.js, dist/lint.js, built into a temp
//    folder, so dist/ is never rewritten) and of the VSIX (scripts/package.mjs, into a temp folder);
//    target ≤ 2 MB each
//  - activation: in N fresh Node processes, require the minified client bundle against the stand-in
//    `vscode` module of test/explorer/fixtures (plus no-op stand-ins for the APIs it does not model)
//    and call activate(); median of require, activate() and the sum; target ≤ 150 ms
//  - the language server process (minified dist/server.js --stdio): spawn → answer to `initialize`
// Prints a table; merges { activation: … } into bench/results.json (other keys are left as they are).
//   npm run bench:activation        ACTIVATION_RUNS=21 npm run bench:activation
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApiServer } from '../simulator/index';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.ACTIVATION_RUNS ?? 15);
const MB = 1024 * 1024;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/** The child: stand-in vscode, require the bundle, activate(); prints one JSON line of timings. */
const PROBE = String.raw`
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const [bundle, stubPath, kubeconfig, root] = process.argv.slice(1);
const vscode = require(stubPath);
const stub = vscode.__stub;
// no-op stand-ins for what the stand-in does not model (language client, file watchers, ...)
const noop = new Proxy(function () {}, {
  get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : noop),
  apply: () => noop,
  construct: () => noop,
});
const fill = (o) => new Proxy(o, { get: (t, p) => (p in t ? t[p] : noop) });
for (const k of ['window', 'workspace', 'commands', 'env']) vscode[k] = fill(vscode[k]);
const exported = fill(Object.assign(vscode, { languages: fill({}), extensions: fill({ all: [] }), version: '1.82.0' }));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? stubPath : resolve.call(this, req, ...rest); };
require.cache[stubPath].exports = exported;
stub.trusted = true;
stub.config['statefulsetStudio.kubeconfig'] = kubeconfig;
const globalState = new Map();
const ctx = {
  subscriptions: [],
  globalState: { get: (k) => globalState.get(k), update: async (k, v) => void globalState.set(k, v) },
  asAbsolutePath: (p) => path.join(root, p),
  extensionPath: root,
};
const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
Promise.resolve(ext.activate(ctx)).then(() => {
  const t2 = performance.now();
  const loaded = Object.keys(require.cache).length;
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, modules: loaded, state: stub.contextKeys['statefulsetStudio.state'] }) + '\n');
  process.exit(0);
}, (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

async function initializeTime(serverJs: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const ms = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('no answer to initialize within 30 s')), 30_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      buf += c;
      if (/"id":1/.test(buf) && /"capabilities"/.test(buf)) {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before answering initialize`)));
  });
  child.removeAllListeners('exit');
  child.kill();
  return ms;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-activation-'));
  const api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5 });
  try {
    // minified bundles, as shipped (the VSIX is built by the same script with --minify)
    const dist = path.join(tmp, 'dist');
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--minify', '--outdir', dist], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
    const { packageVsix } = await import('../scripts/package.mjs');
    const vsix = await packageVsix({ out: path.join(tmp, 'statefulset-studio.vsix'), log: () => {} });
    const size = (f: string) => fs.statSync(f).size;
    const bundles = {
      'dist/client.js': size(path.join(dist, 'client.js')),
      'dist/server.js': size(path.join(dist, 'server.js')),
      'dist/lint.js': size(path.join(dist, 'lint.js')),
      VSIX: size(vsix),
    };

    const stubPath = path.join(ROOT, 'test/explorer/fixtures/vscode-stub.cjs');
    const runs: Array<{ requireMs: number; activateMs: number; totalMs: number; modules: number; state: string }> = [];
    for (let i = 0; i < RUNS; i++) {
      const r = spawnSync(process.execPath, ['-e', PROBE, path.join(dist, 'client.js'), stubPath, api.kubeconfigPath, ROOT], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, STATEFULSET_STUDIO_TEST: '' },
        timeout: 60_000,
      });
      if (r.status !== 0) throw new Error(`activation probe failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
    }
    const init: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 9); i++) init.push(await initializeTime(path.join(dist, 'server.js')));

    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
    const activation = {
      date: new Date().toISOString(),
      machine,
      runs: RUNS,
      bundlesBytes: bundles,
      bundleTargetBytes: 2 * MB,
      activateMedianMs: {
        require: r1(median(runs.map((r) => r.requireMs))),
        activate: r1(median(runs.map((r) => r.activateMs))),
        total: r1(median(runs.map((r) => r.totalMs))),
        max: r1(Math.max(...runs.map((r) => r.totalMs))),
      },
      activationTargetMs: 150,
      explorerStateAtActivate: runs[0].state,
      serverInitializeMs: { median: r1(median(init)), max: r1(Math.max(...init)), runs: init.length },
      note: 'fresh node processes; the stand-in vscode module, not the editor: the editor adds its own extension-host overhead. The bundle is the minified one the VSIX ships.',
    };

    console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memGiB} GiB, Node ${machine.node}`);
    console.log('\nbundle (minified)        size        target ≤ 2 MB');
    for (const [k, v] of Object.entries(bundles)) console.log(`${k.padEnd(24)} ${(v / MB).toFixed(2).padStart(6)} MB   ${v <= 2 * MB ? 'ok' : 'OVER'}`);
    console.log(`\nactivation (median of ${RUNS} fresh processes)`);
    console.log(`require(dist/client.js)  ${activation.activateMedianMs.require.toFixed(1).padStart(7)} ms`);
    console.log(`activate() resolved      ${activation.activateMedianMs.activate.toFixed(1).padStart(7)} ms`);
    console.log(`total                    ${activation.activateMedianMs.total.toFixed(1).padStart(7)} ms   target ≤ 150 ms: ${activation.activateMedianMs.total <= 150 ? 'ok' : 'OVER'} (max ${activation.activateMedianMs.max} ms)`);
    console.log(`language server: spawn → initialize answered  median ${activation.serverInitializeMs.median} ms (max ${activation.serverInitializeMs.max} ms, ${init.length} runs)`);

    const out = path.join(ROOT, 'bench', 'results.json');
    const prev = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
    fs.writeFileSync(out, JSON.stringify({ ...prev, activation }, null, 2) + '\n');
  } finally {
    await api.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
