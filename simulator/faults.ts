// Fault injection for tests: latency, failing the next N requests, dropping watches, forcing 410.
import type { Obj } from './status';

export interface FailRule {
  /** How many more matching requests fail. */
  remaining: number;
  /** HTTP status to answer with (e.g. 500, 503, 429, 403). */
  code: number;
  message?: string;
  /** Only requests with this Kubernetes verb (get, list, watch, create, update, patch, delete). */
  verb?: string;
  /** Only requests whose path contains this string. */
  pathIncludes?: string;
  /** How it fails: "status" (default) answers `code`; "drop" cuts the connection before the request
   * is handled; "hang" never answers (the client times out); "after" handles the request (the write
   * happens) and then cuts the connection instead of answering. */
  mode?: FailMode;
}

export type FailMode = 'status' | 'drop' | 'hang' | 'after';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonFor(code: number): string {
  return REASONS[code] ?? 'Unknown';
}

export interface FaultHooks {
  dropWatches(abrupt: boolean): number;
  expireResourceVersions(): void;
}

export class Faults {
  latencyMs = 0;
  rules: FailRule[] = [];

  constructor(private readonly hooks: FaultHooks) {}

  /** Make every request wait this long before it is handled (0 turns it off). */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Fail the next `count` requests (optionally only those matching verb/path) with `code`. */
  failNext(count: number, code: number, opts: { message?: string; verb?: string; pathIncludes?: string; mode?: FailMode } = {}): void {
    this.rules.push({ remaining: count, code, ...opts });
  }

  /** End every open watch stream (abrupt: destroy the socket instead of a clean end). Returns how many. */
  dropWatches(opts: { abrupt?: boolean } = {}): number {
    return this.hooks.dropWatches(!!opts.abrupt);
  }

  /** Forget the event history: open watches get an ERROR 410 Expired event, later watches and
   * continue tokens from an older resourceVersion get 410 too. */
  expireResourceVersions(): void {
    this.hooks.expireResourceVersions();
  }

  reset(): void {
    this.latencyMs = 0;
    this.rules = [];
  }

  /** The failure this request should get, if any (consumes one count). */
  take(verb: string, path: string): { code: number; status: Obj; mode: FailMode } | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (!r.verb || r.verb === verb) && (!r.pathIncludes || path.includes(r.pathIncludes)));
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return {
      code: rule.code,
      mode: rule.mode ?? 'status',
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: rule.message ?? `simulated failure (fault injection): ${rule.code} ${reasonFor(rule.code)}`,
        reason: reasonFor(rule.code),
        code: rule.code,
      },
    };
  }
}
