// Pod logs as streams the explorer owns: follow one container (GET pods/NAME/log?follow=true&timestamps=true
// with a bounded tail), reconnect after a dropped stream from the last line seen (sinceTime) without
// duplicating lines, keep a bounded buffer, say plainly when the container has no logs yet, and stop
// for good on close(). Logs of all ordinals follow every pod of a StatefulSet and interleave their
// lines by time with a `[web-2]` prefix. Plain Node: the documents are the vscode side's business.
import * as http from 'node:http';
import * as https from 'node:https';
import { errorFromResponse, KubeError } from './errors';
import type { KubeHttp } from './http';

export interface LogLine {
  /** RFC 3339 timestamp as the kubelet sent it */
  ts: string;
  text: string;
  /** pod name (Logs of All Ordinals) */
  pod?: string;
}

export interface LogStreamOptions {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  follow?: boolean;
  /** lines asked for when the stream first opens (default 500) */
  tailLines?: number;
  /** lines kept in memory (default 10,000): older ones are dropped */
  maxLines?: number;
  /** wait before reconnecting a dropped stream, growing to 30 s (default 500 ms) */
  retryMs?: number;
}

/** Timestamps with 9 fractional digits compare as strings. */
export function tsKey(ts: string): string {
  const m = ts.match(/^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}${m[3]}`;
}

/** Open a streaming GET (the log subresource); lines are handed over one by one. */
async function openStream(
  kube: KubeHttp,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  onLine: (line: string) => void,
  onEnd: (err: KubeError | undefined) => void,
): Promise<{ abort(): void }> {
  const cluster = kube.kc.getCurrentCluster();
  if (!cluster) throw new KubeError(0, `Context "${kube.kc.getCurrentContext()}" has no cluster`);
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  const opts: https.RequestOptions & { headers: Record<string, string> } = { headers: {} };
  await kube.kc.applyToHTTPSOptions(opts);
  opts.method = 'GET';
  opts.headers = { Accept: 'text/plain, */*', 'User-Agent': 'statefulset-studio/0.1', ...(opts.headers as Record<string, string>) };
  let ended = false;
  const end = (err?: KubeError) => {
    if (ended) return;
    ended = true;
    onEnd(err);
  };
  const lib = url.protocol === 'http:' ? http : https;
  const req = lib.request(url, opts, (res) => {
    const code = res.statusCode ?? 0;
    res.setEncoding('utf8');
    if (code !== 200) {
      let body = '';
      res.on('data', (c: string) => (body += c));
      res.on('end', () => end(errorFromResponse(code, body, `logs: HTTP ${code}`)));
      res.on('error', () => end(new KubeError(code, `logs: HTTP ${code}`)));
      return;
    }
    let buf = '';
    res.on('data', (c: string) => {
      buf += c;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!ended) onLine(line);
      }
    });
    res.on('end', () => {
      if (buf && !ended) onLine(buf);
      end();
    });
    res.on('aborted', () => end(new KubeError(0, 'log stream cut')));
    res.on('error', (e) => end(new KubeError(0, `log stream lost: ${e.message}`)));
    res.on('close', () => end(res.complete ? undefined : new KubeError(0, 'log stream closed')));
  });
  req.on('error', (e: NodeJS.ErrnoException) => end(new KubeError(0, `Cannot reach ${cluster.server}: ${e.code ?? e.message}`, e.code ?? '')));
  req.end();
  return {
    abort: () => {
      end(new KubeError(0, 'aborted', 'Aborted'));
      req.destroy();
    },
  };
}

export type LogStatus =
  | { kind: 'connecting' }
  | { kind: 'streaming' }
  | { kind: 'waiting'; message: string } // no logs yet (container not started, image pull, …)
  | { kind: 'reconnecting'; message: string }
  | { kind: 'ended'; message?: string }
  | { kind: 'closed' };

/** One container's log, followed. */
export class LogStream {
  readonly lines: LogLine[] = [];
  status: LogStatus = { kind: 'connecting' };
  /** counters for tests: connections made, lines dropped as duplicates after a reconnect */
  readonly stats = { connections: 0, duplicatesDropped: 0, reconnects: 0 };
  private last?: { key: string; texts: Set<string> };
  private handle?: { abort(): void };
  private timer?: NodeJS.Timeout;
  private closed = false;
  private retry: number;
  private listeners = new Set<(added: LogLine[]) => void>();
  private statusListeners = new Set<(s: LogStatus) => void>();
  private pending: LogLine[] = [];
  private flushQueued = false;

  constructor(
    private readonly kube: KubeHttp,
    readonly o: LogStreamOptions,
  ) {
    this.retry = o.retryMs ?? 500;
  }

  get label(): string {
    return `${this.o.pod}${this.o.container ? `/${this.o.container}` : ''}`;
  }

  onLines(cb: (added: LogLine[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  onStatus(cb: (s: LogStatus) => void): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  start(): this {
    void this.connect();
    return this;
  }

  /** Stop for good: the request is aborted, no reconnect. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.handle?.abort();
    this.handle = undefined;
    this.setStatus({ kind: 'closed' });
    this.listeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private setStatus(s: LogStatus): void {
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  private add(raw: string, resumed: boolean): void {
    const sp = raw.indexOf(' ');
    const ts = sp > 0 ? raw.slice(0, sp) : '';
    const text = sp > 0 ? raw.slice(sp + 1) : raw;
    const key = tsKey(ts);
    if (resumed && this.last) {
      // sinceTime has second precision on some servers: lines at or before the last one seen are old
      if (key < this.last.key || (key === this.last.key && this.last.texts.has(text))) {
        this.stats.duplicatesDropped++;
        return;
      }
    }
    if (this.last && key === this.last.key) this.last.texts.add(text);
    else this.last = { key, texts: new Set([text]) };
    const line: LogLine = { ts, text, pod: this.o.pod };
    this.lines.push(line);
    const max = this.o.maxLines ?? 10_000;
    if (this.lines.length > max) this.lines.splice(0, this.lines.length - max);
    this.pending.push(line);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        const added = this.pending;
        this.pending = [];
        for (const l of this.listeners) l(added);
      });
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const resumed = !!this.last;
    const follow = this.o.follow ?? !this.o.previous;
    const query: Record<string, string | number | boolean | undefined> = {
      container: this.o.container,
      follow: follow || undefined,
      previous: this.o.previous || undefined,
      timestamps: true,
    };
    // resume from the last line seen; else a bounded tail
    if (resumed) query.sinceTime = this.last!.key.replace(/\.\d+/, '');
    else query.tailLines = this.o.tailLines ?? 500;
    this.stats.connections++;
    let gotLine = false;
    try {
      this.handle = await openStream(
        this.kube,
        `/api/v1/namespaces/${encodeURIComponent(this.o.namespace)}/pods/${encodeURIComponent(this.o.pod)}/log`,
        query,
        (line) => {
          if (!gotLine) {
            gotLine = true;
            this.retry = this.o.retryMs ?? 500;
          }
          this.add(line, resumed);
        },
        (err) => this.ended(err, follow),
      );
      if (this.closed) this.handle.abort();
      else this.setStatus({ kind: 'streaming' });
    } catch (e) {
      this.ended(e instanceof KubeError ? e : new KubeError(0, String(e)), follow);
    }
  }

  private ended(err: KubeError | undefined, follow: boolean): void {
    this.handle = undefined;
    if (this.closed || err?.reason === 'Aborted') return;
    if (err && err.code === 400) {
      // "container … is waiting to start: …", "previous terminated container … not found"
      this.setStatus({ kind: 'waiting', message: err.message });
      if (!this.o.previous && follow) this.later();
      else this.setStatus({ kind: 'ended', message: err.message });
      return;
    }
    if (err && err.code === 404) {
      // a StatefulSet pod comes back under the same name: keep following
      this.setStatus(follow ? { kind: 'waiting', message: err.message } : { kind: 'ended', message: err.message });
      if (follow) this.later();
      return;
    }
    if (!follow) {
      this.setStatus({ kind: 'ended', message: err?.message });
      return;
    }
    // the stream ended (container restarted, connection cut, server restart): resume from the last line
    this.stats.reconnects++;
    this.setStatus({ kind: 'reconnecting', message: err?.message ?? 'the stream ended' });
    this.later();
  }

  private later(): void {
    if (this.closed) return;
    const wait = this.retry;
    this.retry = Math.min(30_000, this.retry * 2);
    this.timer = setTimeout(() => void this.connect(), wait);
    this.timer.unref?.();
  }
}

/** Lines of several streams interleaved by time (each stream's lines are already in order). */
export function interleave(streams: LogLine[][]): LogLine[] {
  const all = streams.flat();
  return all.map((l, i) => ({ l, i, k: tsKey(l.ts) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i)).map((x) => x.l);
}

/** `[web-2] text` (timestamps optional). */
export function formatLine(l: LogLine, o: { prefix?: boolean; timestamps?: boolean } = {}): string {
  return `${o.prefix && l.pod ? `[${l.pod}] ` : ''}${o.timestamps ? `${l.ts} ` : ''}${l.text}`;
}

/** Logs of all ordinals: one stream per pod, merged by time into a bounded buffer. */
export class MultiLog {
  readonly streams = new Map<string, LogStream>();
  readonly lines: LogLine[] = [];
  private listeners = new Set<() => void>();

  constructor(
    private readonly kube: KubeHttp,
    private readonly base: Omit<LogStreamOptions, 'pod'>,
  ) {}

  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Follow these pods (new ones start, pods no longer listed stop). */
  setPods(pods: string[]): void {
    for (const [name, s] of this.streams)
      if (!pods.includes(name)) {
        s.close();
        this.streams.delete(name);
      }
    for (const p of pods) {
      if (this.streams.has(p)) continue;
      const s = new LogStream(this.kube, { ...this.base, pod: p });
      s.onLines((added) => this.merge(added));
      s.onStatus(() => this.fire());
      this.streams.set(p, s);
      s.start();
    }
  }

  private merge(added: LogLine[]): void {
    for (const l of added) {
      // insert in time order (lines mostly arrive in order: scan from the end)
      const k = tsKey(l.ts);
      let i = this.lines.length;
      while (i > 0 && tsKey(this.lines[i - 1].ts) > k) i--;
      this.lines.splice(i, 0, l);
    }
    const max = this.base.maxLines ?? 10_000;
    if (this.lines.length > max) this.lines.splice(0, this.lines.length - max);
    this.fire();
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }

  close(): void {
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
    this.listeners.clear();
  }
}

/** The text of a log document: the lines, and what the stream is doing when it has nothing to show. */
export function logText(lines: LogLine[], status: Array<{ label: string; status: LogStatus }>, o: { prefix?: boolean } = {}): string {
  const out = lines.map((l) => formatLine(l, { prefix: o.prefix }));
  const notes = status
    .filter((s) => s.status.kind === 'waiting' || s.status.kind === 'reconnecting' || (s.status.kind === 'ended' && s.status.message))
    .map((s) => {
      const st = s.status as { kind: string; message?: string };
      if (st.kind === 'waiting') return `— ${s.label}: no logs yet (${st.message}); following, they show here when the container starts`;
      if (st.kind === 'reconnecting') return `— ${s.label}: stream dropped (${st.message}); reconnecting from the last line`;
      return `— ${s.label}: ${st.message}`;
    });
  if (!out.length && !notes.length) return '— no log lines yet; following…\n';
  return [...out, ...notes].join('\n') + '\n';
}
