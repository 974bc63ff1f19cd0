// Runs the real `helm template` in a child process, safely: no plugins (HELM_PLUGINS points at an empty folder),
// no post-renderer, no --validate, no kube context (HELM_KUBECONTEXT unset, KUBECONFIG an empty file), a timeout,
// and cancellable. `helm template` renders offline; nothing here reaches a cluster or the network.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeScratch, removeScratch } from '../scratch';

export interface RenderRequest {
  /** The helm executable (a path, or a name looked up on PATH). */
  helm: string;
  chartDir: string;
  release: string;
  namespace: string;
  /** Values files (-f), in order: later ones win. */
  values: string[];
  /** --set K=V, in order. */
  set: string[];
  /** --debug: helm prints the rendered YAML even when it does not parse (for mapping YAML parse errors). */
  debug?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RenderResult {
  /** 0 when helm rendered the chart. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** helm could not be started (not found, not executable). */
  notFound?: boolean;
  timedOut?: boolean;
  cancelled?: boolean;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

export const DEFAULT_RENDER_TIMEOUT_MS = 30_000;

/** The environment helm runs with: the caller's, without anything that lets a workspace run code or pick a cluster. */
function safeEnv(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^HELM_/.test(k) || k === 'KUBECONFIG') continue;
    env[k] = v;
  }
  const plugins = path.join(scratch, 'plugins');
  fs.mkdirSync(plugins);
  fs.writeFileSync(path.join(scratch, 'kubeconfig'), '');
  env.HELM_PLUGINS = plugins;
  env.KUBECONFIG = path.join(scratch, 'kubeconfig');
  // helm's own caches and config in the scratch folder: a render never reads the user's repositories file either
  env.HELM_CACHE_HOME = path.join(scratch, 'cache');
  env.HELM_CONFIG_HOME = path.join(scratch, 'config');
  env.HELM_DATA_HOME = path.join(scratch, 'data');
  return env;
}

export function helmArgs(r: Pick<RenderRequest, 'chartDir' | 'release' | 'namespace' | 'values' | 'set' | 'debug'>): string[] {
  const args = ['template', r.release, r.chartDir, '--namespace', r.namespace];
  for (const v of r.values) args.push('--values', v);
  for (const s of r.set) args.push('--set', s);
  if (r.debug) args.push('--debug');
  return args;
}

/** Renders a chart with `helm template`; never rejects (failures are in the result). */
export function renderChart(r: RenderRequest): Promise<RenderResult> {
  const started = performance.now();
  let scratch: string;
  try {
    scratch = makeScratch('sts-helm-');
  } catch (e) {
    return Promise.resolve({ code: null, stdout: '', stderr: `could not make a temporary folder: ${(e as Error).message}`, ms: 0 });
  }
  const cleanup = () => removeScratch(scratch);
  return new Promise<RenderResult>((resolve) => {
    let settled = false;
    const done = (res: Omit<RenderResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve({ ...res, ms: performance.now() - started });
    };
    if (r.signal?.aborted) return done({ code: null, stdout: '', stderr: '', cancelled: true });
    let env: NodeJS.ProcessEnv;
    try {
      env = safeEnv(scratch);
    } catch (e) {
      return done({ code: null, stdout: '', stderr: (e as Error).message });
    }
    const child = spawn(r.helm, helmArgs(r), { cwd: r.chartDir, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let state: 'timedOut' | 'cancelled' | undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const kill = (why: 'timedOut' | 'cancelled') => {
      state ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timedOut'), r.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS);
    const onAbort = () => kill('cancelled');
    r.signal?.addEventListener('abort', onAbort);
    child.on('error', (e: NodeJS.ErrnoException) => done({ code: null, stdout: '', stderr: e.message, notFound: e.code === 'ENOENT' || e.code === 'EACCES' }));
    child.on('close', (code) =>
      done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ...(state === 'timedOut' ? { timedOut: true } : state === 'cancelled' ? { cancelled: true } : {}) }),
    );
  });
}
