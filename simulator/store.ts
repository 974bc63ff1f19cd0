// In-memory object store with one resourceVersion counter (like etcd's revision), a bounded event
// history for watch replay, owner-reference garbage collection and change listeners.
import { randomUUID } from 'node:crypto';
import { resourceKey, RESOURCES, type ResourceType } from './resources';
import { alreadyExists, conflict, notFound, type Obj } from './status';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  rv: number;
  key: string; // resource key, e.g. "apps/statefulsets"
  object: Obj;
  /** For MODIFIED: the object before the change (watches with selectors need it). */
  prev?: Obj;
}

export type Listener = (ev: StoreEvent) => void;

export interface StoreOptions {
  /** How many events are kept for watch replay; older resourceVersions get 410 Expired. */
  historyLimit?: number;
  /** Clock, for creation timestamps. */
  now?: () => Date;
  /** Pods are Terminating (deletionTimestamp set) this long before they go; 0 = at once (default). */
  podTerminationMs?: number;
}

function objKey(ns: string | undefined, name: string): string {
  return ns ? `${ns}/${name}` : name;
}

export function clone<T>(o: T): T {
  return structuredClone(o);
}

// Kinds that never own other objects here: deleting them needs no dependents scan.
const LEAF_KINDS = new Set(['Pod', 'Event', 'PersistentVolumeClaim', 'ControllerRevision', 'StorageClass']);

export class Store {
  rv = 0;
  /** Events with rv <= compactedRv can no longer be replayed. */
  compactedRv = 0;
  private history: StoreEvent[] = [];
  private readonly historyLimit: number;
  private readonly data = new Map<string, Map<string, Obj>>();
  /** Each table's keys in list order, kept while its key set is unchanged (lists of big tables stay cheap). */
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly listeners = new Set<Listener>();
  readonly now: () => Date;

  /** Pods for which no kubelet confirms a graceful deletion (their node is NotReady): they stay Terminating. */
  holdPodTermination?: (pod: Obj) => boolean;
  /** See StoreOptions.podTerminationMs; may be changed at any time. */
  podTerminationMs: number;
  private readonly terminations = new Set<NodeJS.Timeout>();

  constructor(opts: StoreOptions = {}) {
    this.historyLimit = opts.historyLimit ?? 10_000;
    this.podTerminationMs = opts.podTerminationMs ?? 0;
    this.now = opts.now ?? (() => new Date());
    for (const r of RESOURCES) this.data.set(resourceKey(r), new Map());
  }

  timestamp(): string {
    return this.now().toISOString().replace(/\.\d+Z$/, 'Z');
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private table(t: ResourceType): Map<string, Obj> {
    return this.data.get(resourceKey(t))!;
  }

  private emit(t: ResourceType, type: EventType, obj: Obj, prev?: Obj): void {
    const ev: StoreEvent = { type, rv: this.rv, key: resourceKey(t), object: obj, ...(prev ? { prev } : {}) };
    this.history.push(ev);
    if (this.history.length > this.historyLimit * 1.25) {
      const drop = this.history.length - this.historyLimit;
      this.compactedRv = this.history[drop - 1].rv;
      this.history = this.history.slice(drop);
    }
    for (const l of [...this.listeners]) {
      try {
        l(ev);
      } catch {
        // a listener's failure must not break writes
      }
    }
  }

  /** Forget all history: every watch or continue token from before now gets 410 Expired. */
  compact(): void {
    // Bump the revision so that every resourceVersion a client holds is now too old, while a fresh
    // list (which returns the new revision) can still be watched from.
    this.rv++;
    this.compactedRv = this.rv;
    this.history = [];
  }

  /** Events after `rv` for one resource key, or "expired" if that history is gone. */
  eventsSince(rv: number, key: string): StoreEvent[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    const out: StoreEvent[] = [];
    // binary search for the first event with ev.rv > rv
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) if (this.history[i].key === key) out.push(this.history[i]);
    return out;
  }

  /** The stored object itself (do not mutate). */
  peek(t: ResourceType, ns: string | undefined, name: string): Obj | undefined {
    return this.table(t).get(objKey(t.namespaced ? ns : undefined, name));
  }

  get(t: ResourceType, ns: string | undefined, name: string): Obj {
    const o = this.peek(t, ns, name);
    if (!o) throw notFound(t, name);
    return clone(o);
  }

  /** Stored objects (not copies), sorted by namespace/name. */
  listRaw(t: ResourceType, ns?: string): Obj[] {
    const table = this.table(t);
    const tk = resourceKey(t);
    let keys = this.sortedKeys.get(tk);
    if (!keys) this.sortedKeys.set(tk, (keys = [...table.keys()].sort()));
    const out: Obj[] = [];
    for (const k of keys) {
      const o = table.get(k)!;
      if (!ns || !t.namespaced || o.metadata.namespace === ns) out.push(o);
    }
    return out;
  }

  /**
   * Write many new objects at once, at one resourceVersion and with no watch events (as if they existed
   * before any watch started): for seeding big clusters before clients connect. No copy is made, and
   * objects may share sub-objects (nothing stored is ever mutated in place).
   */
  insertBulk(t: ResourceType, objs: Obj[]): number {
    const table = this.table(t);
    this.rv++;
    const rv = String(this.rv);
    const created = this.timestamp();
    const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    for (const obj of objs) {
      const md = (obj.metadata ??= {});
      if (!t.namespaced) delete md.namespace;
      const key = objKey(md.namespace, md.name);
      if (table.has(key)) throw alreadyExists(t, md.name);
      md.uid ??= randomUUID();
      md.creationTimestamp ??= created;
      md.resourceVersion = rv;
      obj.apiVersion = apiVersion;
      obj.kind = t.kind;
      table.set(key, obj);
    }
    this.sortedKeys.delete(resourceKey(t));
    // nothing in the history: watches from before this revision must list again
    this.compactedRv = Math.max(this.compactedRv, this.rv);
    return objs.length;
  }

  count(t: ResourceType): number {
    return this.table(t).size;
  }

  create(t: ResourceType, input: Obj): Obj {
    const obj = clone(input);
    const md = (obj.metadata ??= {});
    if (!t.namespaced) delete md.namespace;
    const key = objKey(md.namespace, md.name);
    if (this.table(t).has(key)) throw alreadyExists(t, md.name);
    this.rv++;
    md.uid = randomUUID();
    md.creationTimestamp = this.timestamp();
    md.resourceVersion = String(this.rv);
    if (t.kind === 'StatefulSet' || t.kind === 'PodDisruptionBudget') md.generation = 1;
    obj.apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    obj.kind = t.kind;
    this.table(t).set(key, obj);
    this.sortedKeys.delete(resourceKey(t));
    // Stored objects are never mutated in place (updates store a new object), so events share them.
    this.emit(t, 'ADDED', obj);
    return clone(obj);
  }

  /**
   * Replace an object. If `input.metadata.resourceVersion` is set and stale → 409 Conflict.
   * Bumps metadata.generation when the spec changed. Returns the stored copy; a no-op write keeps
   * the old resourceVersion and sends no event, as the real server does.
   */
  update(t: ResourceType, input: Obj): Obj {
    const obj = clone(input);
    const md = obj.metadata;
    const key = objKey(t.namespaced ? md.namespace : undefined, md.name);
    const old = this.table(t).get(key);
    if (!old) throw notFound(t, md.name);
    if (md.resourceVersion && md.resourceVersion !== old.metadata.resourceVersion) throw conflict(t, md.name);
    md.uid = old.metadata.uid;
    md.creationTimestamp = old.metadata.creationTimestamp;
    md.resourceVersion = old.metadata.resourceVersion;
    if (old.metadata.generation !== undefined) {
      md.generation = old.metadata.generation;
      if (JSON.stringify(old.spec) !== JSON.stringify(obj.spec)) md.generation++;
    }
    obj.apiVersion = old.apiVersion;
    obj.kind = old.kind;
    if (JSON.stringify(obj) === JSON.stringify(old)) return clone(old);
    this.rv++;
    md.resourceVersion = String(this.rv);
    this.table(t).set(key, obj);
    this.emit(t, 'MODIFIED', obj, old);
    return clone(obj);
  }

  /** Delete an object; dependents (ownerReferences) are deleted too unless orphan is set. */
  delete(t: ResourceType, ns: string | undefined, name: string, opts: { orphan?: boolean; uid?: string; gracePeriodSeconds?: number } = {}): Obj {
    const key = objKey(t.namespaced ? ns : undefined, name);
    const old = this.table(t).get(key);
    if (!old) throw notFound(t, name);
    if (opts.uid && opts.uid !== old.metadata.uid) throw conflict(t, name);
    const held = t.kind === 'Pod' && opts.gracePeriodSeconds !== 0 && !!this.holdPodTermination?.(old);
    if (t.kind === 'Pod' && (this.podTerminationMs > 0 || held) && opts.gracePeriodSeconds !== 0) {
      // Graceful deletion: Terminating first, gone after podTerminationMs (the kubelet's part).
      if (old.metadata.deletionTimestamp) return clone(old);
      const next = clone(old);
      const grace = opts.gracePeriodSeconds ?? old.spec?.terminationGracePeriodSeconds ?? 30;
      // as the API server: the time the pod is to be gone by (now + grace period)
      next.metadata.deletionTimestamp = new Date(this.now().getTime() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      next.metadata.deletionGracePeriodSeconds = grace;
      const uid = old.metadata.uid;
      const updated = this.update(t, next);
      // a node that is not there never confirms: the pod stays Terminating (see Kubelet.setNodeReady)
      if (held) return updated;
      const timer = setTimeout(() => {
        this.terminations.delete(timer);
        const cur = this.table(t).get(key);
        if (cur && cur.metadata.uid === uid) this.delete(t, ns, name, { gracePeriodSeconds: 0 });
      }, this.podTerminationMs);
      timer.unref?.();
      this.terminations.add(timer);
      return updated;
    }
    this.table(t).delete(key);
    this.sortedKeys.delete(resourceKey(t));
    this.rv++;
    const gone = clone(old);
    gone.metadata.resourceVersion = String(this.rv);
    this.emit(t, 'DELETED', gone);
    if (!opts.orphan && !LEAF_KINDS.has(t.kind)) this.collectDependents(old.metadata.uid, old.metadata.namespace);
    if (opts.orphan && !LEAF_KINDS.has(t.kind)) this.orphanDependents(old.metadata.uid, old.metadata.namespace);
    if (t.kind === 'Namespace') {
      for (const r of RESOURCES)
        if (r.namespaced) for (const o of this.listRaw(r, name)) this.deleteIfPresent(r, name, o.metadata.name);
    }
    return gone;
  }

  /** Pods still Terminating (graceful deletions not yet finished). */
  get pendingTerminations(): number {
    return this.terminations.size;
  }

  /** Stop the timers of pending graceful deletions (on shutdown). */
  dispose(): void {
    for (const t of this.terminations) clearTimeout(t);
    this.terminations.clear();
  }

  deleteIfPresent(t: ResourceType, ns: string | undefined, name: string): boolean {
    if (!this.peek(t, ns, name)) return false;
    this.delete(t, ns, name);
    return true;
  }

  private collectDependents(uid: string, ns: string | undefined): void {
    for (const r of RESOURCES) {
      if (!r.namespaced) continue;
      for (const o of this.listRaw(r, ns)) {
        if ((o.metadata.ownerReferences ?? []).some((ref: Obj) => ref.uid === uid))
          this.deleteIfPresent(r, o.metadata.namespace, o.metadata.name);
      }
    }
  }

  /** The garbage collector's part of an orphan delete: dependents keep living without the owner reference. */
  private orphanDependents(uid: string, ns: string | undefined): void {
    for (const r of RESOURCES) {
      if (!r.namespaced) continue;
      for (const o of this.listRaw(r, ns)) {
        const refs: Obj[] = o.metadata.ownerReferences ?? [];
        if (!refs.some((ref) => ref.uid === uid)) continue;
        const next = clone(o);
        next.metadata.ownerReferences = refs.filter((ref) => ref.uid !== uid);
        if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
        this.update(r, next);
      }
    }
  }

  /** Everything, for snapshots (restart keeps the same Store, so this is for inspection). */
  dump(): Record<string, Obj[]> {
    const out: Record<string, Obj[]> = {};
    for (const [k, m] of this.data) out[k] = [...m.values()].map(clone);
    return out;
  }
}
