// The owning objects of the StatefulSets the model holds (operator CRs, Argo CD Applications, Flux
// Kustomizations / HelmReleases), watched like everything else: one list+watch per kind and namespace
// that some StatefulSet points at, started when the first one does and stopped when the last one
// goes — never a request per StatefulSet. An operator's kind is resolved to its resource once per
// group/version by discovery. A 403 reads as "not readable", a kind the cluster does not serve (no
// CRD) as "missing"; either way the StatefulSet stays owned, never "unmanaged".
import { KubeError, errorMessage } from '../errors';
import type { KubeHttp } from '../http';
import type { Logger } from '../log';
import { Reflector, keyOf, type BackoffOptions, type StoreEvent } from '../reflector';
import type { KObject, StatefulSet } from '../types';
import { detectOwner, ownerMarks, type Owner, type OwnerRead, type OwnerRef } from './detect';

export * from './detect';

interface Source {
  key: string;
  reflector: Reflector<KObject>;
  users: Set<string>;
  unsubs: Array<() => void>;
}

type Resolution = { state: 'pending' } | { state: 'ok'; group: string; version: string; plural: string } | { state: 'missing' | 'forbidden' | 'error'; message: string };

const RESOLVE_RETRY_MS = 60_000;

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class OwnerIndex {
  /** StatefulSet key → its ownership marks (from the object alone) */
  private marks = new Map<string, OwnerRef[]>();
  private stsByKey = new Map<string, StatefulSet>();
  /** source key (group/version/plural@namespace) → watch */
  private sources = new Map<string, Source>();
  /** `apiVersion kind` → resolved resource */
  private resolved = new Map<string, Resolution>();
  private listeners = new Set<(keys: string[]) => void>();
  private started = false;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly http: KubeHttp,
    private readonly log: Logger,
    private readonly backoff?: BackoffOptions,
  ) {}

  onChange(cb: (keys: string[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  start(): void {
    this.started = true;
    for (const s of this.sources.values()) s.reflector.start();
  }

  stop(): void {
    this.started = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sources.values()) {
      for (const u of s.unsubs) u();
      s.reflector.stop();
    }
    this.sources.clear();
    this.listeners.clear();
  }

  retryNow(): void {
    for (const [k, r] of this.resolved) if (r.state !== 'ok' && r.state !== 'pending') this.resolved.delete(k);
    for (const key of this.stsByKey.keys()) this.ensureSources(key);
    for (const s of this.sources.values()) s.reflector.retryNow();
  }

  /** Feed the StatefulSet events the model sees. */
  track(evs: StoreEvent<StatefulSet>[]): void {
    for (const e of evs) {
      const k = keyOf(e.obj);
      if (e.type === 'delete') {
        this.stsByKey.delete(k);
        this.marks.delete(k);
        this.release(k);
        continue;
      }
      this.stsByKey.set(k, e.obj);
      this.marks.set(k, ownerMarks(e.obj));
      this.ensureSources(k);
    }
  }

  /** The owner of a StatefulSet (undefined: nothing marks it as managed). */
  ownerOf(sts: StatefulSet): Owner | undefined {
    return detectOwner(sts, (r) => this.read(r));
  }

  /** The owning objects watched now (tests, diagnostics): source key → objects held. */
  watched(): Record<string, number> {
    return Object.fromEntries([...this.sources.values()].map((s) => [s.key, s.reflector.store.size]));
  }

  /** What is known of the object a mark points at. */
  read(r: OwnerRef): OwnerRead {
    if (r.type === 'helm') return { state: 'pending' };
    const res = this.resolve(r);
    if (res.state === 'pending') return { state: 'pending' };
    if (res.state !== 'ok') return { state: res.state, message: res.message };
    const src = this.sources.get(sourceKey(res, r.namespace));
    if (!src) return { state: 'pending' };
    const st = src.reflector.state;
    switch (st.phase) {
      case 'synced': {
        const o = src.reflector.store.get(`${r.namespace}/${r.name}`);
        return o ? { state: 'read', object: o.kind ? o : { apiVersion: r.apiVersion, kind: r.kind, ...o } } : { state: 'notFound' };
      }
      case 'forbidden':
        return { state: 'forbidden', message: st.message };
      case 'retrying':
        if (st.error?.code === 404) return { state: 'missing', message: st.message };
        // a watch that dropped keeps its store: what was read still holds
        return src.reflector.store.has(`${r.namespace}/${r.name}`) ? { state: 'read', object: src.reflector.store.get(`${r.namespace}/${r.name}`)! } : { state: 'error', message: st.message };
      case 'unauthorized':
        return { state: 'error', message: st.message };
      default:
        return { state: 'pending' };
    }
  }

  private emit(keys: string[]): void {
    if (!keys.length) return;
    for (const l of [...this.listeners]) l(keys);
  }

  /** Resource of a mark: known for Argo and Flux; an operator's kind by discovery (once per group/version). */
  private resolve(r: OwnerRef): Resolution {
    const { group, version } = splitApiVersion(r.apiVersion);
    if (r.plural) return { state: 'ok', group, version, plural: r.plural };
    const rk = `${r.apiVersion} ${r.kind}`;
    const known = this.resolved.get(rk);
    if (known) return known;
    this.resolved.set(rk, { state: 'pending' });
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    void this.http
      .request<{ resources?: Array<{ name: string; kind: string }> }>('GET', path)
      .then(
        (list): Resolution => {
          const hit = (list.resources ?? []).find((x) => x.kind === r.kind && !x.name.includes('/'));
          return hit ? { state: 'ok', group, version, plural: hit.name } : { state: 'missing', message: `${r.apiVersion} serves no kind ${r.kind}` };
        },
        (err): Resolution => {
          const code = err instanceof KubeError ? err.code : 0;
          return { state: code === 404 ? 'missing' : code === 403 ? 'forbidden' : 'error', message: code === 404 ? `${r.apiVersion} is not served by this cluster (no CRD)` : errorMessage(err) };
        },
      )
      .then((res) => {
        if (!this.started && !this.listeners.size) return;
        this.resolved.set(rk, res);
        if (res.state !== 'ok' && res.state !== 'pending') {
          this.log.info(`owner ${r.kind} (${r.apiVersion}): ${res.message}`);
          // look again later (a CRD may be installed, a permission granted)
          const t = setTimeout(() => {
            this.timers.delete(t);
            if (this.resolved.get(rk) === res) this.resolved.delete(rk);
            this.refreshUsersOf(r.apiVersion, r.kind);
          }, RESOLVE_RETRY_MS);
          t.unref?.();
          this.timers.add(t);
        }
        this.refreshUsersOf(r.apiVersion, r.kind);
      });
    return { state: 'pending' };
  }

  private refreshUsersOf(apiVersion: string, kind: string): void {
    const keys: string[] = [];
    for (const [k, ms] of this.marks) {
      if (ms.some((m) => m.apiVersion === apiVersion && m.kind === kind)) {
        this.ensureSources(k);
        keys.push(k);
      }
    }
    this.emit(keys);
  }

  /** Start the watches a StatefulSet's marks need; drop its use of those it no longer needs. */
  private ensureSources(stsKey: string): void {
    const want = new Set<string>();
    for (const m of this.marks.get(stsKey) ?? []) {
      if (m.type === 'helm') continue;
      const res = this.resolve(m);
      if (res.state !== 'ok') continue;
      const sk = sourceKey(res, m.namespace);
      want.add(sk);
      let src = this.sources.get(sk);
      if (!src) {
        const reflector = new Reflector<KObject>(this.http, this.log, { group: res.group, version: res.version, plural: res.plural }, m.namespace, this.backoff);
        src = { key: sk, reflector, users: new Set(), unsubs: [] };
        const s = src;
        const touched = () => this.emit([...s.users]);
        s.unsubs.push(reflector.onEvents(touched), reflector.onState(touched));
        this.sources.set(sk, src);
        if (this.started) reflector.start();
      }
      src.users.add(stsKey);
    }
    this.release(stsKey, want);
  }

  private release(stsKey: string, keep: Set<string> = new Set()): void {
    for (const [sk, s] of [...this.sources]) {
      if (keep.has(sk) || !s.users.delete(stsKey) || s.users.size) continue;
      for (const u of s.unsubs) u();
      s.reflector.stop();
      this.sources.delete(sk);
    }
  }
}

function sourceKey(res: { group: string; version: string; plural: string }, namespace: string): string {
  return `${res.group}/${res.version}/${res.plural}@${namespace}`;
}
