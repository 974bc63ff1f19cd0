// Start the simulator as a child process (what editor tests use) and drive its control endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Obj } from './status';

export interface ChildApiServerOptions {
  port?: number;
  dir?: string;
  scenario?: 'empty' | 'demo' | 'managed';
  podReadyDelayMs?: number;
  podTerminationMs?: number;
  historyLimit?: number;
  bulk?: { statefulSets: number; podsPerSet: number };
  /** Give up if not listening within this time (default 20 s). */
  startTimeoutMs?: number;
  /** Where the child's stderr goes (default: ignored). */
  onStderr?: (chunk: string) => void;
}

export interface ChildApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  caPath: string;
  tokens: Record<string, string>;
  contexts: Record<string, string>;
  controlUrl: string;
  process: ChildProcess;
  /** POST <controlUrl>/<action> with the admin token, e.g. control('faults/fail', {count: 2, code: 503}). */
  control(action: string, body?: Obj): Promise<Obj>;
  /** SIGTERM and wait for the exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

const CLI = join(__dirname, 'cli.ts');

export async function startApiServerProcess(o: ChildApiServerOptions = {}): Promise<ChildApiServer> {
  const args = ['--import', 'tsx', CLI, '--port', String(o.port ?? 0), '--exit-with-stdin'];
  if (o.dir) args.push('--dir', o.dir);
  if (o.scenario) args.push('--scenario', o.scenario);
  if (o.podReadyDelayMs !== undefined) args.push('--ready-delay-ms', String(o.podReadyDelayMs));
  if (o.podTerminationMs !== undefined) args.push('--termination-ms', String(o.podTerminationMs));
  if (o.historyLimit !== undefined) args.push('--history', String(o.historyLimit));
  if (o.bulk) args.push('--bulk-sets', String(o.bulk.statefulSets), '--bulk-pods', String(o.bulk.podsPerSet));
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: join(__dirname, '..') });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => o.onStderr?.(c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Obj>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('simulator child process did not start in time'));
    }, o.startTimeoutMs ?? 20_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      try {
        const msg = JSON.parse(line);
        if (msg.event === 'ready') {
          clearTimeout(timer);
          resolve(msg);
        }
      } catch {
        // not ours
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator child process exited with ${code} before it was ready`));
    });
  });
  const ca = readFileSync(ready.caPath, 'utf8');
  const control = (action: string, body: Obj = {}): Promise<Obj> =>
    new Promise((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = request(
        `${ready.controlUrl}/${action}`,
        { method: 'POST', ca, headers: { Authorization: `Bearer ${ready.tokens.admin}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (data += c));
          res.on('end', () => {
            const parsed = data ? JSON.parse(data) : {};
            if ((res.statusCode ?? 500) >= 400) reject(new Error(`control ${action}: ${res.statusCode} ${parsed.message ?? data}`));
            else resolve(parsed);
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  return {
    url: ready.url,
    port: ready.port,
    kubeconfigPath: ready.kubeconfigPath,
    caPath: ready.caPath,
    tokens: ready.tokens,
    contexts: ready.contexts,
    controlUrl: ready.controlUrl,
    process: child,
    control,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
