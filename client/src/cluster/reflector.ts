// A list+watch cache for one resource (an informer) that owns its own recovery:
// list → watch from the list's resourceVersion → re-watch after a normal close → relist on 410 →
// exponential backoff (with jitter) on any other failure, forever, until stop(). Its state is
// observable so that the UI can say "disconnected — retrying", "missing permission" or "re-authenticate".
import { KubeError, errorMessage, missingPermission } from './errors';
import type { KubeHttp, WatchHandle } from './http';
import type { Logger } from './log';
import type { KObject } from './types';

export interface ResourceDef {
  group: string; // '' for core
  version: string;
  plural: string;
}

export type ReflectorPhase = 'starting' | 'synced' | 'retrying' | 'forbidden' | 'unauthorized' | 'stopped';

export interface ReflectorState {
  phase: ReflectorPhase;
  /** readable reason when not synced: the Status message */
  message?: string;
  error?: KubeError;
  attempt: number;
  /** when the next retry is due (ms epoch) in phase retrying/forbidden/unauthorized */
  retryAt?: number;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** slower retry used for 401/403 (the user or an admin must act) */
  authRetryMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, authRetryMs: 60_000 };

export type StoreEvent<T> = { type: 'add' | 'update' | 'delete'; obj: T; old?: T };

export function keyOf(o: KObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export interface ReflectorOptions<T> {
  /**
   * Which objects to keep (default: all). Others are dropped as they arrive, from lists and watch
   * events alike; an object that stops matching leaves the store as a delete. When the predicate
   * widens, call relist() (objects dropped earlier are only seen again by a new list); when it
   * narrows, prune().
   */
  keep?: (obj: T) => boolean;
}

export class Reflector<T extends KObject = KObject> {
  readonly store = new Map<string, T>();
  private readonly keep?: (obj: T) => boolean;
  /** a relist was asked for (the keep predicate widened) and no list has filtered since */
  private relistWanted = false;
  state: ReflectorState = { phase: 'starting', attempt: 0 };
  private stopped = true;
  private watchHandle?: WatchHandle;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private rv = '';
  private listeners = new Set<(evs: StoreEvent<T>[]) => void>();
  private stateListeners = new Set<(s: ReflectorState) => void>();
  private activityListeners = new Set<(what: 'list' | 'watch' | 'relist410' | 'relist' | 'error') => void>();
  /** counters for tests and logs */
  readonly stats = { lists: 0, watches: 0, relistsAfter410: 0, relistsAsked: 0, errors: 0, dropped: 0 };

  constructor(
    private readonly http: KubeHttp,
    private readonly log: Logger,
    readonly def: ResourceDef,
    readonly namespace: string | undefined,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    opts: ReflectorOptions<T> = {},
  ) {
    this.keep = opts.keep;
  }

  /** Whether the loop has been started (and not stopped). */
  get running(): boolean {
    return !this.stopped;
  }

  /**
   * List again (paginated) and watch from the new list's resourceVersion: for a keep predicate that
   * widened, since objects it dropped before are only seen again by a list. A list already under way
   * that has not filtered its items yet serves; otherwise the open watch is closed and a list follows.
   */
  relist(): void {
    if (this.stopped) return;
    this.relistWanted = true;
    this.watchHandle?.abort();
  }

  /** Drop the objects the keep predicate no longer accepts (it narrowed), as deletes. */
  prune(): void {
    if (!this.keep) return;
    const evs: StoreEvent<T>[] = [];
    for (const [k, obj] of this.store) {
      if (this.keep(obj)) continue;
      this.store.delete(k);
      evs.push({ type: 'delete', obj });
    }
    this.emit(evs);
  }

  get label(): string {
    return this.def.group ? `${this.def.plural}.${this.def.group}` : this.def.plural;
  }

  get path(): string {
    const prefix = this.def.group ? `/apis/${this.def.group}/${this.def.version}` : `/api/${this.def.version}`;
    return this.namespace ? `${prefix}/namespaces/${encodeURIComponent(this.namespace)}/${this.def.plural}` : `${prefix}/${this.def.plural}`;
  }

  onEvents(cb: (evs: StoreEvent<T>[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** list / watch / relist410 / error happenings (tests and diagnostics) */
  onActivity(cb: (what: 'list' | 'watch' | 'relist410' | 'relist' | 'error') => void): () => void {
    this.activityListeners.add(cb);
    return () => this.activityListeners.delete(cb);
  }

  private activity(what: 'list' | 'watch' | 'relist410' | 'relist' | 'error'): void {
    for (const l of this.activityListeners) l(what);
  }

  onState(cb: (s: ReflectorState) => void): () => void {
    this.stateListeners.add(cb);
    return () => this.stateListeners.delete(cb);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.watchHandle?.abort();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    this.setState({ phase: 'stopped', attempt: 0 });
  }

  /** Skip the current backoff wait and retry at once (the Refresh command). */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private setState(s: ReflectorState): void {
    const prev = this.state;
    this.state = s;
    if (prev.phase !== s.phase || prev.message !== s.message) for (const l of this.stateListeners) l(s);
  }

  private emit(evs: StoreEvent<T>[]): void {
    if (evs.length === 0) return;
    for (const l of this.listeners) l(evs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private async list(): Promise<void> {
    this.stats.lists++;
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.http.request<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>('GET', this.path, {
        query: { limit: 500, continue: cont },
      });
      items.push(...(page.items ?? []));
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? rv;
    } while (cont && !this.stopped);
    if (this.stopped) return;
    // the filter below sees every object of this list: an earlier relist request is served
    this.relistWanted = false;
    // Replace the store, emitting only real differences (a relist after 410 is not a storm).
    const evs: StoreEvent<T>[] = [];
    const seen = new Set<string>();
    for (const obj of items) {
      if (this.keep && !this.keep(obj)) {
        this.stats.dropped++;
        continue;
      }
      const k = keyOf(obj);
      seen.add(k);
      const old = this.store.get(k);
      this.store.set(k, obj);
      if (!old) evs.push({ type: 'add', obj });
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) evs.push({ type: 'update', obj, old });
    }
    for (const [k, old] of [...this.store]) {
      if (!seen.has(k)) {
        this.store.delete(k);
        evs.push({ type: 'delete', obj: old });
      }
    }
    this.rv = rv;
    this.activity('list');
    this.log.debug(`listed ${this.label}${this.namespace ? ` in ${this.namespace}` : ''}: ${items.length} items at rv ${rv}`);
    this.emit(evs);
  }

  /** One watch connection; resolves 'closed' (re-watch), 'gone' (relist) or throws. */
  private watchOnce(): Promise<'closed' | 'gone' | 'cut' | 'relist'> {
    this.stats.watches++;
    return new Promise((resolve, reject) => {
      let pending: StoreEvent<T>[] = [];
      let flushQueued = false;
      const flush = () => {
        flushQueued = false;
        const evs = pending;
        pending = [];
        this.emit(evs);
      };
      let gone = false;
      this.http
        .watch<T>(
          this.path,
          { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds: 240 + Math.floor(Math.random() * 120) },
          (ev) => {
            if (ev.type === 'ERROR') {
              const st = ev.object as unknown as { code?: number; message?: string };
              if (st?.code === 410) {
                gone = true;
                this.log.info(`watch ${this.label}: ${st.message ?? 'resource version too old'} → relist`);
              } else {
                this.log.warn(`watch ${this.label}: error event ${st?.code ?? ''} ${st?.message ?? ''}`);
              }
              return;
            }
            const obj = ev.object;
            const newRv = obj?.metadata?.resourceVersion;
            if (newRv) this.rv = newRv;
            if (ev.type === 'BOOKMARK') return;
            const k = keyOf(obj);
            const old = this.store.get(k);
            if (this.keep && (ev.type === 'DELETED' || !this.keep(obj))) {
              // filtered: only what the store holds can leave it; anything else is dropped
              if (!old) {
                this.stats.dropped++;
                return;
              }
              this.store.delete(k);
              pending.push({ type: 'delete', obj: ev.type === 'DELETED' ? obj : old });
            } else if (ev.type === 'DELETED') {
              this.store.delete(k);
              pending.push({ type: 'delete', obj });
            } else {
              this.store.set(k, obj);
              pending.push({ type: old ? 'update' : 'add', obj, old });
            }
            // events of one chunk are handed over together
            if (!flushQueued) {
              flushQueued = true;
              queueMicrotask(flush);
            }
          },
          (err, established) => {
            flush();
            this.watchHandle = undefined;
            if (gone) return resolve('gone');
            if (this.relistWanted && !this.stopped) return resolve('relist');
            if (!err) return resolve('closed');
            if (err.code === 410) return resolve('gone');
            // an open stream that was cut (proxy, load balancer, server restart): re-watch at once;
            // if the server is really gone, that re-watch fails to connect and we back off
            if (established && err.code === 0 && err.reason !== 'Aborted') {
              this.log.info(`watch ${this.label}: ${err.message} → re-watch`);
              return resolve('cut');
            }
            reject(err);
          },
        )
        .then((h) => {
          this.watchHandle = h;
          if (this.stopped || this.relistWanted) h.abort();
          else if (this.state.phase !== 'synced') this.markSynced();
        }, reject);
    });
  }

  private markSynced(): void {
    if (this.state.phase !== 'synced') this.log.info(`${this.label}${this.namespace ? ` in ${this.namespace}` : ''}: watching`);
    this.setState({ phase: 'synced', attempt: 0 });
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.list();
        if (this.stopped) break;
        this.markSynced();
        attempt = 0;
        if (this.relistWanted) continue; // asked for after this list filtered its items
        let cuts = 0;
        for (;;) {
          const r = await this.watchOnce();
          if (this.stopped) return;
          if (r === 'relist') {
            this.stats.relistsAsked++;
            this.activity('relist');
            break;
          }
          cuts = r === 'cut' ? cuts + 1 : 0;
          if (cuts >= 3) throw new KubeError(0, `Watch connection to ${this.http.server} keeps being cut`);
          if (r === 'gone') {
            this.stats.relistsAfter410++;
            this.activity('relist410');
            break;
          }
        }
      } catch (e) {
        if (this.stopped) break;
        this.stats.errors++;
        const err = e instanceof KubeError ? e : new KubeError(0, errorMessage(e));
        attempt++;
        let phase: ReflectorPhase = 'retrying';
        let delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(attempt - 1, 16));
        delay = Math.round(delay * (0.8 + Math.random() * 0.4));
        let message = err.message;
        if (err.code === 403) {
          phase = 'forbidden';
          delay = this.backoff.authRetryMs;
          message = `${missingPermission('list, watch', this.def.plural, this.def.group, this.namespace)} (${err.message})`;
        } else if (err.code === 401) {
          phase = 'unauthorized';
          delay = this.backoff.authRetryMs;
          message = `Unauthorized: re-authenticate to this cluster (${err.message})`;
        } else if (err.code === 410) {
          delay = 0;
        }
        this.log.warn(`${this.label}: ${message}; retry in ${delay} ms (attempt ${attempt})`);
        this.activity('error');
        this.setState({ phase, message, error: err, attempt, retryAt: Date.now() + delay });
        if (delay > 0) await this.sleep(delay);
      }
    }
  }
}
