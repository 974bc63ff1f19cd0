// Watch streams: chunked, one JSON event per line; replay from a resourceVersion, BOOKMARKs,
// timeoutSeconds, ERROR 410 Expired when the history is gone, selector-aware ADDED/DELETED.
import type { ServerResponse } from 'node:http';
import { apiVersionOf, resourceKey, type ResourceType } from './resources';
import type { Predicate } from './selectors';
import type { Obj } from './status';
import type { Store, StoreEvent } from './store';
import { TABLE_CONTENT_TYPE, toTable, type IncludeObject } from './tables';

export interface WatchRequest {
  t: ResourceType;
  namespace?: string;
  labels: Predicate;
  fields: Predicate;
  resourceVersion: string;
  allowBookmarks: boolean;
  timeoutSeconds: number;
  sendInitialEvents: boolean;
  table?: IncludeObject;
  bookmarkIntervalMs: number;
}

export class ActiveWatch {
  private closed = false;
  private readonly cleanups: (() => void)[] = [];
  private tableColumnsSent = false;

  constructor(
    private readonly store: Store,
    private readonly res: ServerResponse,
    private readonly w: WatchRequest,
    private readonly onClose: (aw: ActiveWatch) => void,
  ) {}

  start(): void {
    const { res, w, store } = this;
    res.writeHead(200, {
      'Content-Type': w.table ? TABLE_CONTENT_TYPE : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    res.on('close', () => this.close());

    const key = resourceKey(w.t);
    const rvParam = w.resourceVersion;
    if (rvParam === '' || rvParam === '0' || w.sendInitialEvents) {
      for (const o of store.listRaw(w.t, w.namespace)) if (this.matches(o)) this.send('ADDED', o);
      if (w.sendInitialEvents) this.bookmark(true);
    } else {
      const rv = Number(rvParam);
      if (!Number.isFinite(rv)) {
        this.error(400, 'BadRequest', `invalid resource version: ${rvParam}`);
        return;
      }
      const events = store.eventsSince(rv, key);
      if (events === 'expired') {
        this.error(410, 'Expired', `too old resource version: ${rv} (${store.compactedRv + 1})`);
        return;
      }
      for (const ev of events) this.deliver(ev);
    }
    this.cleanups.push(
      store.subscribe((ev) => {
        if (ev.key === key) this.deliver(ev);
      }),
    );
    if (w.allowBookmarks && w.bookmarkIntervalMs > 0) {
      const t = setInterval(() => this.bookmark(false), w.bookmarkIntervalMs);
      t.unref();
      this.cleanups.push(() => clearInterval(t));
    }
    const timeout = setTimeout(() => this.end(), w.timeoutSeconds * 1000);
    timeout.unref();
    this.cleanups.push(() => clearTimeout(timeout));
  }

  private matches(o: Obj | undefined): boolean {
    if (!o) return false;
    if (this.w.namespace && this.w.t.namespaced && o.metadata.namespace !== this.w.namespace) return false;
    return this.w.labels(o) && this.w.fields(o);
  }

  private deliver(ev: StoreEvent): void {
    const now = this.matches(ev.object);
    if (ev.type === 'MODIFIED') {
      const before = ev.prev ? this.matches(ev.prev) : now;
      if (now && before) this.send('MODIFIED', ev.object);
      else if (now) this.send('ADDED', ev.object);
      else if (before) this.send('DELETED', ev.object);
    } else if (now) this.send(ev.type, ev.object);
  }

  private write(line: Obj): void {
    if (this.closed) return;
    this.res.write(`${JSON.stringify(line)}\n`);
  }

  private send(type: string, obj: Obj): void {
    let object = obj;
    if (this.w.table) {
      object = toTable(this.w.t, [obj], {
        include: this.w.table,
        now: this.store.now(),
        listMeta: { resourceVersion: obj.metadata.resourceVersion },
        withColumns: !this.tableColumnsSent,
      });
      this.tableColumnsSent = true;
    }
    this.write({ type, object });
  }

  private bookmark(initialEnd: boolean): void {
    if (!this.w.allowBookmarks) return;
    const metadata: Obj = { resourceVersion: String(this.store.rv) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.write({ type: 'BOOKMARK', object: { kind: this.w.t.kind, apiVersion: apiVersionOf(this.w.t), metadata } });
  }

  /** Send an ERROR event with a Status and end the stream. */
  error(code: number, reason: string, message: string): void {
    this.write({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
    });
    this.end();
  }

  /** End the stream cleanly. */
  end(): void {
    if (this.closed) return;
    this.res.end();
    this.close();
  }

  /** Cut the connection without a clean end. */
  destroy(): void {
    if (this.closed) return;
    this.res.destroy();
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.cleanups) c();
    this.onClose(this);
  }
}
