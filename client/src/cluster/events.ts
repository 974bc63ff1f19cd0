// Warning events of what the tree shows: one list+watch of core v1 Events scoped to the connection's
// namespace (or all namespaces when the tree shows all) and to `type=Warning` by a field selector, so
// an idle cluster's Normal events (Scheduled, Pulled, …) never cross the wire. Indexed by the UID of
// the object they are about; Describe reads all events of one object on demand (eventsFor).
import { withQuery, type KubeHttp } from './http';
import type { Logger } from './log';
import { Reflector, type BackoffOptions, type StoreEvent } from './reflector';
import { byEventTime, type KEvent } from './trouble';

export const EVENTS_RESOURCE = { group: '', version: 'v1', plural: 'events' } as const;
export const WARNING_SELECTOR = 'type=Warning';

export class WarningEvents {
  readonly reflector: Reflector<KEvent>;
  private readonly byUid = new Map<string, Map<string, KEvent>>();
  private unsub: () => void;

  constructor(http: KubeHttp, log: Logger, namespace: string | undefined, backoff?: BackoffOptions) {
    this.reflector = new Reflector<KEvent>(withQuery(http, { fieldSelector: WARNING_SELECTOR }), log, EVENTS_RESOURCE, namespace, backoff);
    this.unsub = this.reflector.onEvents((evs) => this.index(evs));
  }

  start(): void {
    this.reflector.start();
  }

  stop(): void {
    this.unsub();
    this.reflector.stop();
  }

  onEvents(cb: (evs: StoreEvent<KEvent>[]) => void): () => void {
    return this.reflector.onEvents(cb);
  }

  private index(evs: StoreEvent<KEvent>[]): void {
    for (const e of evs) {
      const k = `${e.obj.metadata?.namespace}/${e.obj.metadata?.name}`;
      const uid = e.obj.involvedObject?.uid ?? '';
      const oldUid = e.old?.involvedObject?.uid;
      if (oldUid && oldUid !== uid) this.byUid.get(oldUid)?.delete(k);
      let m = this.byUid.get(uid);
      if (e.type === 'delete') {
        m?.delete(k);
        if (m && !m.size) this.byUid.delete(uid);
      } else {
        if (!m) this.byUid.set(uid, (m = new Map()));
        m.set(k, e.obj);
      }
    }
  }

  /** Warning events about the object with this UID, oldest first. */
  of(uid: string | undefined): KEvent[] {
    if (!uid) return [];
    return [...(this.byUid.get(uid)?.values() ?? [])].sort(byEventTime);
  }

  /** Number of warnings (event counts summed) about the object. */
  count(uid: string | undefined): number {
    return this.of(uid).reduce((n, e) => n + (e.count ?? 1), 0);
  }
}

/** Every event about one object (Normal and Warning), oldest first — what kubectl describe lists. */
export async function eventsFor(http: KubeHttp, o: { kind: string; namespace: string; name: string; uid?: string }): Promise<KEvent[]> {
  const sel = [`involvedObject.name=${o.name}`, `involvedObject.namespace=${o.namespace}`, `involvedObject.kind=${o.kind}`, o.uid ? `involvedObject.uid=${o.uid}` : '']
    .filter(Boolean)
    .join(',');
  const list = await http.request<{ items?: KEvent[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/events`, { query: { fieldSelector: sel } });
  return (list.items ?? []).sort(byEventTime);
}
