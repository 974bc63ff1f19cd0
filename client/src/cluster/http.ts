// The wire: requests and watch streams to the API server of the current context, authenticated by
// @kubernetes/client-node (client certs, tokens, exec and OIDC plugins, proxies, CA bundles) through
// KubeConfig.applyToHTTPSOptions. We speak HTTP ourselves so that every error keeps its Status body,
// patches carry the content type we choose, and watches are ours to restart.
import * as http from 'node:http';
import * as https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError, errorFromResponse, redact } from './errors';
import type { Logger } from './log';

export const PATCH = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface WatchEvent<T = unknown> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchHandle {
  abort(): void;
}

/** Counts requests (tests use it to prove that nothing reached the server). */
export let requestCount = 0;

export class KubeHttp {
  /** Bytes of response bodies received (answers and watch streams; headers and TLS not counted). */
  bytesReceived = 0;

  constructor(
    readonly kc: KubeConfig,
    private readonly log: Logger,
  ) {}

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  private async prepare(method: string, path: string, query?: RequestOptions['query']): Promise<{ url: URL; opts: https.RequestOptions }> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new KubeError(0, `Context "${this.kc.getCurrentContext()}" has no cluster`);
    const base = cluster.server.replace(/\/+$/, '');
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions & { headers: Record<string, string> } = { headers: {} };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      // exec/OIDC plugin failures: the message names the plugin, never the token
      throw new KubeError(401, `Authentication failed: ${redact(err instanceof Error ? err.message : String(err))}`, 'Unauthorized');
    }
    opts.method = method;
    opts.headers = { Accept: 'application/json', 'User-Agent': 'statefulset-studio/0.1', ...(opts.headers as Record<string, string>) };
    return { url, opts };
  }

  async request<T = any>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const { url, opts } = await this.prepare(method, path, o.query);
    const headers = opts.headers as Record<string, string>;
    let payload: string | undefined;
    if (o.body !== undefined) {
      payload = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] = o.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    requestCount++;
    const started = Date.now();
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<T>((resolve, reject) => {
      const req = lib.request(url, { ...opts, signal: o.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          this.bytesReceived += c.length;
          chunks.push(c);
        });
        res.on('error', (e) => reject(new KubeError(0, `Connection to ${this.server} lost: ${e.message}`)));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          this.log.debug(`${method} ${url.pathname}${url.search} → ${code} (${Date.now() - started} ms)`);
          if (code >= 200 && code < 300) {
            try {
              resolve((body ? JSON.parse(body) : {}) as T);
            } catch {
              reject(new KubeError(code, `Unreadable response from ${this.server}`));
            }
          } else {
            const err = errorFromResponse(code, body, `${method} ${url.pathname}: HTTP ${code} ${http.STATUS_CODES[code] ?? ''}`.trim());
            this.log.warn(`${method} ${url.pathname} → ${code} ${err.reason}: ${err.message}`);
            reject(err);
          }
        });
      });
      req.setTimeout(o.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.name === 'AbortError') return reject(new KubeError(0, 'Request cancelled', 'Cancelled'));
        this.log.warn(`${method} ${url.pathname} failed: ${e.code ?? ''} ${e.message}`);
        reject(new KubeError(0, `Cannot reach ${this.server}: ${e.code ?? e.message}`, e.code ?? ''));
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * Opens a watch stream. onEvent gets each event; onClose is called exactly once: with no error when
   * the server ended the stream, with a KubeError otherwise (non-200 carries the Status message).
   */
  async watch<T = unknown>(
    path: string,
    query: RequestOptions['query'],
    onEvent: (ev: WatchEvent<T>) => void,
    onClose: (err: KubeError | undefined, established: boolean) => void,
    idleTimeoutMs = 330_000,
  ): Promise<WatchHandle> {
    const { url, opts } = await this.prepare('GET', path, { ...query, watch: 'true' });
    requestCount++;
    const lib = url.protocol === 'http:' ? http : https;
    let closed = false;
    let established = false;
    const close = (err?: KubeError) => {
      if (closed) return;
      closed = true;
      req.destroy();
      onClose(err, established);
    };
    const req = lib.request(url, opts, (res) => {
      const code = res.statusCode ?? 0;
      if (code !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => close(errorFromResponse(code, Buffer.concat(chunks).toString('utf8'), `watch ${url.pathname}: HTTP ${code}`)));
        res.on('error', () => close(new KubeError(code, `watch ${url.pathname}: HTTP ${code}`)));
        return;
      }
      established = true;
      let buf = '';
      const utf8 = new StringDecoder('utf8');
      res.on('data', (bytes: Buffer) => {
        this.bytesReceived += bytes.length;
        buf += utf8.write(bytes);
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: WatchEvent<T>;
          try {
            ev = JSON.parse(line) as WatchEvent<T>;
          } catch {
            this.log.warn(`watch ${url.pathname}: unreadable event skipped`);
            continue;
          }
          if (closed) return;
          onEvent(ev);
        }
      });
      res.on('end', () => close());
      res.on('aborted', () => close(new KubeError(0, `Watch connection to ${this.server} was cut`)));
      res.on('error', (e) => close(new KubeError(0, `Watch connection to ${this.server} lost: ${e.message}`)));
      res.on('close', () => close(res.complete ? undefined : new KubeError(0, `Watch connection to ${this.server} closed`)));
    });
    req.setTimeout(idleTimeoutMs, () => close(new KubeError(0, `Watch on ${url.pathname} idle for too long`)));
    req.on('error', (e: NodeJS.ErrnoException) => close(new KubeError(0, `Cannot reach ${this.server}: ${e.code ?? e.message}`, e.code ?? '')));
    req.end();
    return { abort: () => close(new KubeError(0, 'aborted', 'Aborted')) };
  }
}

/**
 * The label every pod of a StatefulSet carries (set by the StatefulSet controller): the explorer lists
 * and watches pods with it as a label selector, so a shared cluster's other pods are never transferred.
 */
export const STATEFULSET_POD_SELECTOR = 'statefulset.kubernetes.io/pod-name';

/** `http` with extra query parameters on every list and watch (a label selector, a field selector). */
export function withQuery(http: KubeHttp, extra: Record<string, string>): KubeHttp {
  const scoped = Object.create(http) as KubeHttp;
  scoped.request = (method, path, o = {}) => http.request(method, path, { ...o, query: { ...o.query, ...extra } });
  scoped.watch = (path, query, onEvent, onClose, idle) => http.watch(path, { ...query, ...extra }, onEvent, onClose, idle);
  return scoped;
}
