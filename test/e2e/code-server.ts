// Launching code-server with the packaged extension in a throwaway profile: the pieces shared by the e2e harness
// (test/e2e/harness.ts) and `npm start` (scripts/start.ts). No browser and no test machinery in here.
//
// What "throwaway" means: HOME, XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_CACHE_HOME, XDG_RUNTIME_DIR, the user-data
// dir, the extensions dir and code-server's --config all live under one temp folder the caller owns and removes;
// code-server listens on 127.0.0.1 only, in its own process group, which stop() kills as a whole (its file watcher
// and helpers outlive it otherwise).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { EditorEnv } from '../../scripts/provision-editor.mjs';

export const EXTENSION_ID = 'statefulset-studio.statefulset-studio';

/** User settings every throwaway profile gets (AI features off: else an agent host and a copilot runtime start and
 *  outlive the server; no telemetry, updates, tips or experiments). */
export const BASE_SETTINGS: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.ignoreRecommendations': true,
};

export interface Profile {
  /** The temp folder everything below lives in (the caller removes it). */
  root: string;
  home: string;
  xdgConfig: string;
  xdgData: string;
  xdgCache: string;
  userData: string;
  extensions: string;
  workspace: string;
  /** code-server's --config file (auth none, no TLS). */
  config: string;
  /** The user settings.json written into userData. */
  settingsFile: string;
  /** $TMPDIR of code-server and everything it starts. */
  tmp: string;
}

/** Our settings of `machine` scope (package.json): in code-server, as in any remote window, VS Code applies them
 *  only from the machine's settings (user-data/Machine/settings.json, the Settings editor's "Remote" tab); from the
 *  user's settings they count only until the window knows it is remote, which made a test depend on timing. */
function machineScoped(): Set<string> {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes?: { configuration?: unknown } };
  const sections = ([] as Array<{ properties?: Record<string, { scope?: string }> }>).concat((pkg.contributes?.configuration ?? []) as never);
  return new Set(sections.flatMap((c) => Object.entries(c.properties ?? {}).filter(([, v]) => v.scope === 'machine' || v.scope === 'machine-overridable').map(([k]) => k)));
}

/** Creates the throwaway folders under `root` and writes code-server's config and the user settings (ours of machine
 *  scope in the machine's settings, where a code-server user puts them). */
export function prepareProfile(root: string, o: { workspace?: string; settings?: Record<string, unknown> } = {}): Profile {
  const p: Profile = {
    root,
    home: join(root, 'home'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    xdgCache: join(root, 'xdg-cache'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: o.workspace ?? join(root, 'workspace'),
    config: join(root, 'code-server.yaml'),
    settingsFile: join(root, 'user-data', 'User', 'settings.json'),
    tmp: join(root, 'tmp'),
  };
  for (const d of [p.home, p.xdgConfig, p.xdgData, p.xdgCache, p.userData, p.extensions, p.workspace, p.tmp]) mkdirSync(d, { recursive: true });
  writeFileSync(p.config, 'auth: none\ncert: false\n');
  mkdirSync(join(p.userData, 'User'), { recursive: true });
  writeFileSync(p.settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...o.settings }, null, 2));
  const machine = machineScoped();
  const forMachine = Object.fromEntries(Object.entries(o.settings ?? {}).filter(([k]) => machine.has(k)));
  if (Object.keys(forMachine).length) {
    mkdirSync(join(p.userData, 'Machine'), { recursive: true });
    writeFileSync(join(p.userData, 'Machine', 'settings.json'), JSON.stringify(forMachine, null, 2));
  }
  return p;
}

/** The environment code-server (and so the extension host, its terminals and the extension) runs with.
 *  `base` is what is inherited (default: only LANG and TMPDIR); PATH gets Node 24 first; HOME and XDG_* always
 *  point into the profile, so nothing lands in the real $HOME and no real ~/.kube/config is seen. */
export function codeServerEnv(editor: EditorEnv, p: Profile, o: { base?: NodeJS.ProcessEnv; extra?: Record<string, string> } = {}): NodeJS.ProcessEnv {
  const base = o.base ?? { LANG: process.env.LANG ?? 'C.UTF-8', TMPDIR: process.env.TMPDIR ?? '/tmp' };
  return {
    ...base,
    PATH: `${join(editor.nodeHome, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: p.home,
    XDG_CONFIG_HOME: p.xdgConfig,
    XDG_DATA_HOME: p.xdgData,
    XDG_CACHE_HOME: p.xdgCache,
    XDG_RUNTIME_DIR: p.root,
    // its own temporary folder inside the throwaway profile (removed with it): code-server's built-in extensions
    // (the TypeScript server's vscode-typescript<uid>) leave files in $TMPDIR
    TMPDIR: p.tmp,
    // No extension gallery: nothing is looked up outside this machine (VS Code disables the gallery when its
    // serviceUrl is empty).
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
    ...o.extra,
  };
}

const profileArgs = (p: Profile) => ['--config', p.config, '--user-data-dir', p.userData, '--extensions-dir', p.extensions];

/** `code-server --install-extension X.vsix` into the profile's extensions folder, exactly as a user would.
 *  Returns the installed folder name (statefulset-studio.statefulset-studio-<version>). */
export function installVsix(editor: EditorEnv, p: Profile, env: NodeJS.ProcessEnv, vsix: string): string {
  const inst = spawnSync(editor.node, [editor.codeServer, ...profileArgs(p), '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 120_000 });
  if (inst.status !== 0) throw new Error(`--install-extension failed (${inst.status ?? inst.signal}):\n${inst.stdout}${inst.stderr}`);
  const installed = readdirSync(p.extensions).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (installed.length !== 1) throw new Error(`VSIX not installed in ${p.extensions}: ${readdirSync(p.extensions).join(', ')}\n${inst.stdout}`);
  return installed[0];
}

/** `code-server --install-extension X.vsix` of another extension (a neighbour such as Red Hat YAML) into the profile's
 *  extensions folder, offline (the gallery is off: a missing dependency fails the install instead of downloading). */
export function installOtherVsix(editor: EditorEnv, p: Profile, env: NodeJS.ProcessEnv, vsix: string): void {
  const inst = spawnSync(editor.node, [editor.codeServer, ...profileArgs(p), '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 120_000 });
  if (inst.status !== 0) throw new Error(`--install-extension ${vsix} failed (${inst.status ?? inst.signal}):\n${inst.stdout}${inst.stderr}`);
}

export interface CodeServer {
  child: ChildProcess;
  /** Also the process group id. */
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything code-server wrote to stdout/stderr so far. */
  output: string[];
  /** SIGTERM the whole process group, SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export class PortBusyError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is already in use`);
    this.name = 'PortBusyError';
  }
}

/** Starts code-server on 127.0.0.1:<port> in its own process group and waits for /healthz (bounded). On failure the
 *  group is stopped before the error is thrown; a busy port throws PortBusyError. */
export async function startCodeServer(editor: EditorEnv, p: Profile, env: NodeJS.ProcessEnv, o: {
  port: number;
  /** Extra code-server arguments (e.g. ['--vscode-option', 'enable-smoke-test-driver']). */
  args?: string[];
  timeoutMs?: number;
  onOutput?: (chunk: string) => void;
}): Promise<CodeServer> {
  const output: string[] = [];
  const child = spawn(editor.node, [editor.codeServer, ...profileArgs(p),
    '--bind-addr', `127.0.0.1:${o.port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    ...(o.args ?? []),
    p.workspace], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (b: Buffer) => { const s = String(b); output.push(s); o.onOutput?.(s); };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let spawnError: Error | undefined;
  child.once('error', (e) => { spawnError = e; });
  const cs: CodeServer = {
    child, pid: child.pid ?? -1, port: o.port, url: `http://127.0.0.1:${o.port}`, output,
    stop: () => killGroup(child),
  };
  try {
    await withTimeout((async () => {
      for (;;) {
        if (spawnError) throw new Error(`code-server could not be started: ${spawnError.message}`);
        if (child.exitCode !== null || child.signalCode !== null) {
          const log = output.join('');
          if (/EADDRINUSE/.test(log)) throw new PortBusyError(o.port);
          throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}):\n${log.slice(-4000)}`);
        }
        try {
          const r = await fetch(`${cs.url}/healthz`, { signal: AbortSignal.timeout(2000) });
          if (r.ok) return;
        } catch { /* not yet */ }
        await sleep(100);
      }
    })(), o.timeoutMs ?? 30_000, 'code-server /healthz');
  } catch (e) {
    await cs.stop();
    throw e;
  }
  return cs;
}

/** Whether 127.0.0.1:<port> can be listened on now (what code-server will try). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); })]);
  } finally {
    clearTimeout(t);
  }
}

/** Whether any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** SIGTERM the whole process group, SIGKILL whatever is left after 5 s. */
export async function killGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (!pgid) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
  if (groupAlive(pgid)) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(100);
}
