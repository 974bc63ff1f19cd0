// npm start — try StatefulSet Studio in a real VS Code, in your own browser.
//
//   npm start [-- --port 8080] [--own-cluster | --kubeconfig PATH] [--workspace DIR] [--check] [--verbose]
//
// 1. provisions code-server (Node 24 + code-server from npm, cached outside the repository; no browser needed),
// 2. builds and packages the extension into a VSIX (scripts/package.mjs),
// 3. starts the demo cluster: the local Kubernetes API server SIMULATOR (simulator) seeded with sample
//    StatefulSets — or, with --own-cluster / --kubeconfig, uses your kubeconfig (read, never written),
// 4. installs the VSIX into a throwaway code-server profile (temp HOME, XDG_*, user data, extensions) whose user
//    setting statefulsetStudio.kubeconfig points at that kubeconfig,
// 5. starts code-server on 127.0.0.1 only, with a temporary copy of examples/ as the workspace, and prints the URL.
// Ctrl-C (SIGINT/SIGTERM/SIGHUP) stops code-server's whole process group and the simulator and removes the temp
// folder. Nothing is written to $HOME (the provisioning cache aside: ~/.cache/statefulset-studio-e2e, or
// $STATEFULSET_STUDIO_E2E_CACHE). --check stops everything the same way as soon as readiness is proven (for CI).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { cacheDir, provisionEditor, type EditorEnv } from './provision-editor.mjs';
import { packageVsix } from './package.mjs';
import { PortBusyError, codeServerEnv, freePort, installVsix, portFree, prepareProfile, startCodeServer, type CodeServer } from '../test/e2e/code-server';
import { startApiServerProcess, type ChildApiServer } from '../simulator/child';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PORT = 8080;

const USAGE = `Usage: npm start [-- options]

  --port N            code-server's port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --own-cluster       use your own cluster: $KUBECONFIG, else ~/.kube/config (read only, never written)
  --kubeconfig PATH   use your own cluster through this kubeconfig (read only, never written)
  --workspace DIR     open DIR itself instead of a temporary copy of examples/ (your edits are then kept)
  --check             stop everything again as soon as it is ready (proves the setup; for CI)
  --verbose           show code-server's and the simulator's own output
  -h, --help          this text
`;

class Usage extends Error {}
class Stopped extends Error {}

interface Options {
  port: number;
  kubeconfig?: string[];
  workspace?: string;
  check: boolean;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'own-cluster': { type: 'boolean', default: false },
      kubeconfig: { type: 'string' },
      workspace: { type: 'string' },
      check: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Usage(`--port must be a port number (0–65535), not ${values.port}`);
  if (values['own-cluster'] && values.kubeconfig) throw new Usage('--own-cluster and --kubeconfig PATH are alternatives: give one');
  let kubeconfig: string[] | undefined;
  if (values.kubeconfig) kubeconfig = [resolve(values.kubeconfig)];
  else if (values['own-cluster']) {
    // The user's real HOME, resolved here: code-server runs with a temporary HOME, so "~" must not reach it.
    const env = process.env.KUBECONFIG?.trim();
    kubeconfig = env
      ? env.split(delimiter).map((f) => f.trim()).filter(Boolean).map((f) => resolve(f.startsWith('~') ? join(homedir(), f.slice(1)) : f))
      : [join(homedir(), '.kube', 'config')];
  }
  let workspace: string | undefined;
  if (values.workspace) {
    workspace = resolve(values.workspace);
    if (!existsSync(workspace) || !statSync(workspace).isDirectory()) throw new Usage(`--workspace ${values.workspace}: not a folder`);
  }
  return { port, kubeconfig, workspace, check: values.check, verbose: values.verbose };
}

/** Reads (never writes) the user's kubeconfig files and names the current context, or explains what is wrong. */
function describeOwnKubeconfig(files: string[]): string {
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) throw new Usage(`no kubeconfig at ${files.join(', ')} (use --kubeconfig PATH, or drop --own-cluster for the demo cluster)`);
  let current: string | undefined;
  let contexts = 0;
  for (const f of present) {
    let doc: { 'current-context'?: string; contexts?: unknown[] } | undefined;
    try {
      doc = parseYaml(readFileSync(f, 'utf8')) ?? undefined;
    } catch (e) {
      throw new Usage(`${f} is not a readable kubeconfig: ${(e as Error).message.split('\n')[0]}`);
    }
    current ??= doc?.['current-context'] || undefined;
    contexts += Array.isArray(doc?.contexts) ? doc.contexts.length : 0;
  }
  if (contexts === 0) throw new Usage(`the kubeconfig (${present.join(', ')}) has no contexts`);
  return `${present.join(delimiter)} (${contexts} context${contexts === 1 ? '' : 's'}${current ? `, current: ${current}` : ''})`;
}

/** Lists StatefulSets from the simulator with its admin token: proves the API answers before we say "ready". */
function listStatefulSets(sim: ChildApiServer): Promise<string[]> {
  return new Promise((res, rej) => {
    const req = request(`${sim.url}/apis/apps/v1/statefulsets`, {
      ca: readFileSync(sim.caPath, 'utf8'), headers: { Authorization: `Bearer ${sim.tokens.admin}` }, timeout: 10_000,
    }, (r) => {
      let body = '';
      r.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => {
        if (r.statusCode !== 200) return rej(new Error(`GET statefulsets: HTTP ${r.statusCode}: ${body.slice(0, 300)}`));
        const items = (JSON.parse(body).items ?? []) as Array<{ metadata: { namespace: string; name: string } }>;
        res(items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error('GET statefulsets timed out')));
    req.on('error', rej);
    req.end();
  });
}

/** The environment code-server inherits: the user's (PATH, proxies, cloud credentials variables for kubeconfig exec
 *  plugins) minus what would confuse it: a parent npm's variables, a surrounding VS Code's IPC hooks (code-server
 *  would hand the folder to that instance instead of starting), a password, KUBECONFIG (set explicitly). */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || /^VSCODE_/.test(k) || /^CODE_SERVER/.test(k)) continue;
    if (['INIT_CWD', 'NODE_OPTIONS', 'PASSWORD', 'HASHED_PASSWORD', 'KUBECONFIG', 'ELECTRON_RUN_AS_NODE', 'PORT'].includes(k)) continue;
    env[k] = v;
  }
  return env;
}

const out = (s = '') => process.stdout.write(`${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  let o: Options | undefined;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`npm start: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!o) {
    out(USAGE);
    return 0;
  }
  const opts = o;
  const t0 = Date.now();
  let tmp: string | undefined;
  let sim: ChildApiServer | undefined;
  let cs: CodeServer | undefined;
  let stopping: string | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let stopped: Promise<void> | undefined;

  const stopAll = (why: string): Promise<void> => {
    stopping ??= why;
    stopped ??= (async () => {
      // Let the step under way finish (each is bounded) so whatever it started is known and stopped too.
      await Promise.race([current, new Promise((r) => setTimeout(r, 40_000))]);
      if (cs || sim || tmp) out(`\nStopping (${why})…`);
      if (cs) {
        await cs.stop();
        out(`  code-server stopped (process group ${cs.pid})`);
      }
      if (sim) {
        await sim.stop();
        out(`  simulator stopped (pid ${sim.process.pid})`);
      }
      if (tmp) {
        rmSync(tmp, { recursive: true, force: true });
        out(`  removed ${tmp}`);
      }
      tmp = undefined;
    })();
    return stopped;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopped) {
      out(`(${sig} again: still stopping, please wait)`);
      return;
    }
    void stopAll(sig === 'SIGINT' ? 'Ctrl-C' : sig).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // Last resort if this process dies some other way: code-server is in its own process group and would outlive us.
  process.on('exit', () => {
    if (cs && !stopped) { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (tmp && !stopped) rmSync(tmp, { recursive: true, force: true });
  });

  const steps = 5;
  let n = 0;
  /** One step, with a progress line and its time; a signal during a step ends the run after it. */
  async function step<T>(what: string, fn: () => Promise<T> | T, done?: (v: T) => string): Promise<T> {
    if (stopping) throw new Stopped();
    const t = Date.now();
    out(`[${++n}/${steps}] ${what}…`);
    const p = Promise.resolve().then(fn);
    current = p.catch(() => undefined);
    const v = await p;
    if (stopping) throw new Stopped();
    out(`      ${done ? `${done(v)} ` : ''}(${secs(Date.now() - t)})`);
    return v;
  }

  try {
    out('StatefulSet Studio — npm start: the extension in a real VS Code (code-server) in your own browser');
    // A busy port is found now, not after two minutes of provisioning (and checked again at the start itself).
    if (opts.port !== 0 && !(await portFree(opts.port))) throw new PortBusyError(opts.port);
    const ownCluster = opts.kubeconfig ? describeOwnKubeconfig(opts.kubeconfig) : undefined;
    tmp = mkdtempSync(join(tmpdir(), 'statefulset-studio-start-'));

    const editor = await step<EditorEnv>(
      `provisioning code-server (cached in ${cacheDir()}; the first time takes 2–4 minutes)`,
      () => provisionEditor({ browser: false, log: (s) => out(`      ${s}`) }).catch((e: Error) => {
        throw new Error(`provisioning code-server failed: ${e.message}\n(retry alone with: node scripts/provision-editor.mjs)`);
      }),
      (e) => `code-server ready: ${e.codeServer.replace(/\/node_modules\/.*/, '')}`,
    );

    const vsix = await step('building and packaging the extension (VSIX)',
      () => packageVsix({ out: join(tmp!, 'statefulset-studio.vsix'), log: (s) => opts.verbose && out(`      ${s}`) }),
      (f) => `built ${f}`);

    let kubeconfigSetting: string;
    let clusterLines: string[];
    if (opts.kubeconfig) {
      kubeconfigSetting = opts.kubeconfig.join(delimiter);
      await step('using YOUR cluster (no simulator started)', () => undefined, () => ownCluster!);
      clusterLines = [
        `  Cluster:    YOUR kubeconfig ${ownCluster}`,
        '              read only: npm start never writes it. The explorer\'s commands (scale, delete, rollback…)',
        '              act on that REAL cluster, after a confirmation prompt.',
        '              Credential plugins (exec) run with a temporary HOME: point their own variables',
        '              (AWS_CONFIG_FILE, CLOUDSDK_CONFIG, …) at your files if they need them.',
      ];
    } else {
      const stderr: string[] = [];
      // Resources are assigned inside the step, so that a Ctrl-C arriving meanwhile (stopAll waits for the step) finds them.
      await step('starting the demo cluster: a local Kubernetes API server SIMULATOR (not a real cluster)',
        async () => (sim = await startApiServerProcess({
          dir: join(tmp!, 'cluster'), scenario: 'managed', podReadyDelayMs: 1500, podTerminationMs: 1000,
          onStderr: (c) => { stderr.push(c); if (opts.verbose) process.stdout.write(c); },
        }).catch((e: Error) => { throw new Error(`the simulator did not start: ${e.message}\n${stderr.join('').slice(-2000)}`); })),
        (s) => `listening on ${s.url}`);
      if (!sim) throw new Error('the simulator did not start');
      const sets = await listStatefulSets(sim);
      kubeconfigSetting = sim.kubeconfigPath;
      clusterLines = [
        `  Cluster:    the demo cluster — a local Kubernetes API server SIMULATOR, not a real cluster`,
        `              ${sim.url} (v1.32.0-simulator), StatefulSets: ${sets.join(', ')}`,
        `  kubectl:    export KUBECONFIG=${sim.kubeconfigPath}`,
        '              kubectl get sts,pods,pvc -A',
        `              (contexts: ${sim.contexts.admin} with full rights, ${sim.contexts.restricted} that cannot read PVCs or scale)`,
      ];
    }

    const examplesCopy = !opts.workspace;
    const profile = prepareProfile(tmp, {
      workspace: opts.workspace,
      settings: {
        'statefulsetStudio.kubeconfig': kubeconfigSetting,
        'workbench.startupEditor': 'none',
      },
    });
    if (examplesCopy) cpSync(join(ROOT, 'examples'), profile.workspace, { recursive: true });
    const env = codeServerEnv(editor, profile, {
      base: inheritedEnv(),
      extra: { KUBECONFIG: kubeconfigSetting }, // kubectl in code-server's terminal sees the same cluster
    });
    await step('installing the VSIX into a throwaway code-server profile', () => installVsix(editor, profile, env, vsix), (d) => `installed ${d}`);

    const port = opts.port;
    await step(`starting code-server on 127.0.0.1:${port === 0 ? '<any free port>' : port}`,
      async () => {
        const p = port === 0 ? await freePort() : port;
        return (cs = await startCodeServer(editor, profile, env, { port: p, timeoutMs: 60_000, onOutput: (c) => opts.verbose && process.stdout.write(c) }));
      },
      (c) => `listening (process group ${c.pid})`);

    if (!cs) throw new Error('code-server did not start');
    // Readiness: the workbench page itself answers (not only /healthz).
    const url = `${cs.url}/?folder=${encodeURIComponent(profile.workspace).replace(/%2F/g, '/')}`;
    const page = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    if (page.status !== 200) throw new Error(`code-server answered ${page.status} for ${url}`);
    await page.arrayBuffer();

    out('');
    out(`Ready in ${secs(Date.now() - t0)}.`);
    out('');
    out(`  Open:       ${url}`);
    out('              in your browser (code-server: VS Code 1.139 with the extension installed from the VSIX; it');
    out('              listens on 127.0.0.1 only, without a password — from another machine use an SSH tunnel)');
    out(examplesCopy
      ? '  Workspace:  a temporary COPY of examples/ (good/postgres.yaml, broken/web.yaml): edits are discarded at exit'
      : `  Workspace:  ${profile.workspace} (opened in place: your edits are saved there)`);
    for (const l of clusterLines) out(l);
    out(`  Processes:  code-server pid ${cs.pid} (process group)${sim ? `, simulator pid ${sim.process.pid}` : ''}`);
    out(`  Temporary:  ${tmp} (profile, extension, ${examplesCopy ? 'workspace copy, ' : ''}${sim ? 'kubeconfig; ' : ''}removed at exit)`);
    out('');
    if (opts.check) {
      out('--check: ready; stopping.');
      await stopAll('--check');
      return 0;
    }
    out('Ctrl-C stops everything.');
    // Stay up until a signal; code-server dying on its own ends the run too.
    const code = await new Promise<number>((res) => cs!.child.once('exit', (c, s) => res(c ?? (s ? 1 : 0))));
    if (stopped) return new Promise<number>(() => {}); // the signal handler exits
    process.stderr.write(`code-server exited unexpectedly (${code}):\n${cs.output.join('').slice(-3000)}\n`);
    await stopAll('code-server exited');
    return 1;
  } catch (e) {
    // A Ctrl-C also kills the step's own child processes (same foreground group), so the step may fail just before
    // our signal handler runs: give a pending signal the chance to be seen first.
    await new Promise((r) => setTimeout(r, 100));
    if (e instanceof Stopped || stopped) return new Promise<number>(() => {}); // the signal handler exits
    const err = e as Error;
    let msg = err.message;
    if (e instanceof PortBusyError) {
      msg = `port ${e.port} on 127.0.0.1 is already in use (another npm start or code-server?).\n` +
        `Pick another one:  npm start -- --port ${e.port === DEFAULT_PORT ? DEFAULT_PORT + 1 : DEFAULT_PORT}   (or --port 0 for any free port)`;
    } else if (e instanceof Usage) {
      msg = err.message;
    } else if (/linux-x64 only/.test(msg)) {
      msg = `${msg}\nnpm start runs code-server, provisioned here for linux-x64. Elsewhere: npm run package, then install the VSIX into VS Code.`;
    }
    process.stderr.write(`\nnpm start failed: ${msg}\n`);
    await stopAll('failed');
    return 1;
  }
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`npm start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
