// How full each PVC is: the kubelet's Summary API through the API server
// (GET /api/v1/nodes/{node}/proxy/stats/summary → pods[].volume[] with pvcRef, usedBytes, capacityBytes,
// inodes, inodesUsed), polled only while someone looks (setVisible) and only for the nodes that run the pods
// shown (setTargets), one request per node per interval (default 30 s), with backoff per node on failure.
// A 403 stops polling (one slow re-check) and reads "usage needs get nodes/proxy"; a node that does not
// answer reads "unknown", never 0. Plain Node (no vscode): the tree reads it through DiskSource.
import { KubeError, errorMessage } from './errors';
import type { KubeHttp } from './http';
import type { Logger } from './log';

export interface UsageSample {
  /** ms epoch of the kubelet's reading (time field), else of the answer */
  t: number;
  usedBytes: number;
  capacityBytes: number;
  inodes?: number;
  inodesUsed?: number;
}

export type UsageState =
  | { kind: 'ok'; sample: UsageSample; node: string }
  | { kind: 'unknown'; node: string; reason: string }
  | { kind: 'forbidden'; message: string };

export interface UsageOptions {
  /** poll interval per node, ms (default 30,000; setting statefulsetStudio.disks.usageIntervalSeconds) */
  intervalMs?: number;
  /** longest backoff after failures, ms (default 10 min) */
  maxBackoffMs?: number;
  /** re-check after a 403, ms (default 10 min) */
  forbiddenRetryMs?: number;
  /** samples kept per PVC for the trend (default 240) */
  keep?: number;
  now?: () => number;
}

export const FORBIDDEN_TEXT = 'usage needs get nodes/proxy';

const enc = encodeURIComponent;

interface NodeState {
  nextAt: number;
  failures: number;
  inFlight: boolean;
  lastError?: string;
}

/** What the kubelet summary says for each PVC (`ns/name` → sample). Exported for tests. */
export function parseSummary(summary: unknown, fallbackTime: number): Map<string, UsageSample> {
  const out = new Map<string, UsageSample>();
  const pods = (summary as { pods?: unknown[] } | undefined)?.pods;
  if (!Array.isArray(pods)) return out;
  for (const p of pods as Array<{ volume?: Array<Record<string, any>> }>) {
    for (const v of p?.volume ?? []) {
      const ref = v?.pvcRef;
      if (!ref?.name || typeof v.usedBytes !== 'number' || typeof v.capacityBytes !== 'number') continue;
      const t = Date.parse(String(v.time ?? ''));
      out.set(`${ref.namespace ?? ''}/${ref.name}`, {
        t: Number.isFinite(t) ? Math.max(t, 0) : fallbackTime,
        usedBytes: v.usedBytes,
        capacityBytes: v.capacityBytes,
        ...(typeof v.inodes === 'number' ? { inodes: v.inodes } : {}),
        ...(typeof v.inodesUsed === 'number' ? { inodesUsed: v.inodesUsed } : {}),
      });
    }
  }
  return out;
}

export class UsagePoller {
  readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly forbiddenRetryMs: number;
  private readonly keep: number;
  private readonly now: () => number;
  private visible = false;
  private targets: () => Iterable<string> = () => [];
  private readonly nodes = new Map<string, NodeState>();
  /** samples by `ns/pvc` (oldest first) and the node that reported them */
  private readonly samples = new Map<string, { node: string; list: UsageSample[] }>();
  private forbidden?: { message: string; retryAt: number };
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners = new Set<(pvcKeys: Set<string>) => void>();
  /** requests sent (tests and the bench) */
  requests = 0;

  constructor(
    private readonly http: KubeHttp,
    private readonly log: Logger,
    o: UsageOptions = {},
  ) {
    this.intervalMs = Math.max(20, o.intervalMs ?? 30_000);
    this.maxBackoffMs = o.maxBackoffMs ?? 600_000;
    this.forbiddenRetryMs = o.forbiddenRetryMs ?? 600_000;
    this.keep = o.keep ?? 240;
    this.now = o.now ?? Date.now;
  }

  /** Which nodes to ask (those running the pods shown), read at each tick. */
  setTargets(fn: () => Iterable<string>): void {
    this.targets = fn;
  }

  /** Poll only while true (the tree is visible). */
  setVisible(visible: boolean): void {
    if (this.stopped || visible === this.visible) return;
    this.visible = visible;
    if (visible) this.tick();
    else if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  get isVisible(): boolean {
    return this.visible;
  }

  onDidChange(cb: (pvcKeys: Set<string>) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  stop(): void {
    this.stopped = true;
    this.visible = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  /** Ask again now (Refresh), forgetting backoff and a 403. */
  retryNow(): void {
    this.forbidden = undefined;
    for (const s of this.nodes.values()) {
      s.nextAt = 0;
      s.failures = 0;
    }
    if (this.visible) this.tick();
  }

  /** The usage of one PVC; undefined when no node reported it yet (not polled, pod not running). */
  state(namespace: string, pvc: string): UsageState | undefined {
    if (this.forbidden) return { kind: 'forbidden', message: this.forbidden.message };
    const s = this.samples.get(`${namespace}/${pvc}`);
    if (!s) return undefined;
    const node = this.nodes.get(s.node);
    if (node?.lastError) return { kind: 'unknown', node: s.node, reason: node.lastError };
    return { kind: 'ok', sample: s.list[s.list.length - 1], node: s.node };
  }

  /** The session's samples of one PVC (oldest first). */
  history(namespace: string, pvc: string): UsageSample[] {
    return this.samples.get(`${namespace}/${pvc}`)?.list ?? [];
  }

  /** A node that failed (not answering): its name and why, for PVCs not seen yet. */
  nodeError(node: string): string | undefined {
    return this.nodes.get(node)?.lastError;
  }

  get forbiddenMessage(): string | undefined {
    return this.forbidden?.message;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.visible || this.stopped) return;
    const now = this.now();
    let next = now + this.intervalMs;
    if (this.forbidden) next = this.forbidden.retryAt;
    else for (const s of this.nodes.values()) if (!s.inFlight) next = Math.min(next, s.nextAt);
    this.timer = setTimeout(() => this.tick(), Math.max(50, next - now));
    this.timer.unref?.();
  }

  /** One pass: every target node whose turn has come. */
  private tick(): void {
    if (!this.visible || this.stopped) return;
    const now = this.now();
    if (this.forbidden && now < this.forbidden.retryAt) return this.schedule();
    const want = new Set(this.targets());
    for (const n of [...this.nodes.keys()]) if (!want.has(n)) this.nodes.delete(n);
    let first = true;
    for (const n of want) {
      let s = this.nodes.get(n);
      if (!s) this.nodes.set(n, (s = { nextAt: 0, failures: 0, inFlight: false }));
      if (s.inFlight || s.nextAt > now) continue;
      // after a 403, one node asks first: no storm of 403s
      if (this.forbidden && !first) continue;
      first = false;
      void this.poll(n, s);
    }
    this.schedule();
  }

  private async poll(node: string, s: NodeState): Promise<void> {
    s.inFlight = true;
    this.requests++;
    const changed = new Set<string>();
    try {
      const summary = await this.http.request('GET', `/api/v1/nodes/${enc(node)}/proxy/stats/summary`, { timeoutMs: 10_000 });
      const wasForbidden = !!this.forbidden;
      this.forbidden = undefined;
      const hadError = !!s.lastError;
      s.failures = 0;
      s.lastError = undefined;
      s.nextAt = this.now() + this.intervalMs;
      for (const [key, sample] of parseSummary(summary, this.now())) {
        let e = this.samples.get(key);
        if (!e || e.node !== node) this.samples.set(key, (e = { node, list: [] }));
        const last = e.list[e.list.length - 1];
        if (last && last.t === sample.t && last.usedBytes === sample.usedBytes) continue;
        e.list.push(sample);
        if (e.list.length > this.keep) e.list.splice(0, e.list.length - this.keep);
        changed.add(key);
      }
      if (wasForbidden || hadError) for (const [k, e] of this.samples) if (e.node === node || wasForbidden) changed.add(k);
    } catch (err) {
      if (err instanceof KubeError && err.code === 403) {
        if (!this.forbidden) this.log.warn(`volume usage: ${FORBIDDEN_TEXT} (${err.message}); not asking again for ${Math.round(this.forbiddenRetryMs / 60_000)} min`);
        this.forbidden = { message: err.message, retryAt: this.now() + this.forbiddenRetryMs };
        s.nextAt = this.forbidden.retryAt;
        for (const k of this.samples.keys()) changed.add(k);
        changed.add('*');
      } else {
        s.failures++;
        const msg = err instanceof KubeError && err.code === 503 ? `node ${node} does not answer (${err.message})` : `node ${node}: ${errorMessage(err)}`;
        if (s.lastError !== msg) this.log.info(`volume usage: ${msg}; retrying with backoff`);
        s.lastError = msg;
        s.nextAt = this.now() + Math.min(this.maxBackoffMs, this.intervalMs * 2 ** Math.min(s.failures, 10));
        for (const [k, e] of this.samples) if (e.node === node) changed.add(k);
        changed.add(`node:${node}`);
      }
    } finally {
      s.inFlight = false;
    }
    if (changed.size) for (const l of [...this.listeners]) l(changed);
    this.schedule();
  }
}

// ---- reading the samples ------------------------------------------------------------------------

export interface UsageThresholds {
  /** percent (default 80) */
  warning: number;
  /** percent (default 90) */
  error: number;
}

export const DEFAULT_THRESHOLDS: UsageThresholds = { warning: 80, error: 90 };

export interface UsageReading {
  percent: number;
  /** bytes or inodes: which limit is tighter */
  limit: 'bytes' | 'inodes';
  level: 'ok' | 'warning' | 'error';
  /** "91% full · 930 MiB / 1 GiB" or "inodes 85% full · 111k / 131k inodes · 40 MiB / 1 GiB" */
  text: string;
  /** days until full when the trend is clear */
  fullInDays?: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1.5 GiB, 930 MiB, 12 KiB */
export function formatBytes(n: number): string {
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : Number(v.toFixed(1))} ${UNITS[i]}`;
}

function formatCount(n: number): string {
  return n >= 10_000_000 ? `${Math.round(n / 1e6)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n);
}

/**
 * Days until full from the session's samples, when the trend is clear: at least 4 samples over at least
 * 90 s, growing, and a straight line explains them (R² ≥ 0.9). undefined otherwise.
 */
export function fullInDays(samples: UsageSample[], limit: 'bytes' | 'inodes' = 'bytes'): number | undefined {
  const pts = samples
    .map((s) => ({ t: s.t, y: limit === 'bytes' ? s.usedBytes : (s.inodesUsed ?? NaN), cap: limit === 'bytes' ? s.capacityBytes : (s.inodes ?? NaN) }))
    .filter((p) => Number.isFinite(p.y) && Number.isFinite(p.cap));
  if (pts.length < 4) return undefined;
  const last = pts[pts.length - 1];
  // the capacity changed (a resize): only the samples since
  const same = pts.filter((p) => p.cap === last.cap);
  if (same.length < 4 || last.t - same[0].t < 90_000) return undefined;
  const n = same.length;
  const mt = same.reduce((s, p) => s + p.t, 0) / n;
  const my = same.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of same) {
    sxy += (p.t - mt) * (p.y - my);
    sxx += (p.t - mt) ** 2;
    syy += (p.y - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return undefined;
  const slope = sxy / sxx; // per ms
  if (slope <= 0) return undefined;
  const r2 = (sxy * sxy) / (sxx * syy);
  if (r2 < 0.9) return undefined;
  const remaining = last.cap - last.y;
  if (remaining <= 0) return 0;
  return remaining / slope / 86_400_000;
}

/** "full in ~3 days", "full in ~5 h", "full in < 1 h" */
export function fullInText(days: number): string {
  if (days >= 1.5) return `full in ~${Math.round(days)} days`;
  if (days >= 1) return 'full in ~1 day';
  const hours = days * 24;
  return hours >= 1 ? `full in ~${Math.round(hours)} h` : 'full in < 1 h';
}

export function readUsage(samples: UsageSample[], th: UsageThresholds = DEFAULT_THRESHOLDS): UsageReading | undefined {
  const s = samples[samples.length - 1];
  if (!s || !(s.capacityBytes > 0)) return undefined;
  const bytesPct = (100 * s.usedBytes) / s.capacityBytes;
  const inodePct = s.inodes && s.inodesUsed !== undefined ? (100 * s.inodesUsed) / s.inodes : -1;
  const limit: 'bytes' | 'inodes' = inodePct > bytesPct ? 'inodes' : 'bytes';
  const percent = Math.max(bytesPct, inodePct);
  const level = percent >= th.error ? 'error' : percent >= th.warning ? 'warning' : 'ok';
  const text =
    limit === 'bytes'
      ? `${Math.floor(bytesPct)}% full · ${formatBytes(s.usedBytes)} / ${formatBytes(s.capacityBytes)}`
      : `inodes ${Math.floor(inodePct)}% full · ${formatCount(s.inodesUsed!)} / ${formatCount(s.inodes!)} inodes · ${formatBytes(s.usedBytes)} / ${formatBytes(s.capacityBytes)}`;
  return { percent, limit, level, text, fullInDays: fullInDays(samples, limit) };
}

/** The next size to suggest for a full PVC: double, rounded up to a whole Gi (at least +1Gi). */
export function nextSize(capacityBytes: number): string {
  const gi = 2 ** 30;
  const cur = Math.ceil(capacityBytes / gi);
  return `${Math.max(cur + 1, cur * 2)}Gi`;
}
