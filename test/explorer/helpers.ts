// Shared helpers for the explorer tests: a simulator + a connection, waiting on model changes
// (never on time), bounded by a timeout.
import { startApiServer, type ApiServer, type ApiServerOptions, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { ALL_NAMESPACES, ClusterConnection } from '../../client/src/cluster/connection';
import { Logger } from '../../client/src/cluster/log';
import type { ClusterModel } from '../../client/src/cluster/model';
import { renderTree } from '../../client/src/cluster/tree';

export interface Setup {
  api: ApiServer;
  conn: ClusterConnection;
  logs: string[];
  tree(): string;
  close(): Promise<void>;
}

export const FAST_BACKOFF = { initialMs: 50, maxMs: 400, authRetryMs: 400 };

export async function setup(opts: ApiServerOptions & { context?: string; namespace?: string; waitConnected?: boolean } = {}): Promise<Setup> {
  const api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5, ...opts });
  const logs: string[] = [];
  const logger = new Logger((level, m) => logs.push(`[${level}] ${m}`));
  let conn: ClusterConnection;
  try {
    conn = new ClusterConnection({
      source: { path: api.kubeconfigPath },
      context: opts.context,
      namespace: opts.namespace ?? ALL_NAMESPACES,
      logger,
      backoff: FAST_BACKOFF,
    }).start();
    if (opts.waitConnected !== false) await until(conn.model, () => conn.model.connection().phase === 'connected', 'connected');
  } catch (e) {
    await api.stop();
    throw e;
  }
  return {
    api,
    conn,
    logs,
    tree: () => renderTree(conn.context, conn.server, conn.model),
    async close() {
      conn.stop();
      await api.stop();
    },
  };
}

/** For what no model change announces (the simulator's request log, reflector stats): checked every 25 ms until it holds or timeoutMs passed; the caller asserts. */
export async function polled(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
}

/** Resolves when pred() is truthy: checked now and after every model change; bounded by timeoutMs. */
export function until<T>(model: ClusterModel, pred: () => T | undefined | false | null, what: string, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = pred();
    if (first) return resolve(first);
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`timed out waiting for: ${what}`));
    }, timeoutMs);
    const unsub = model.onDidChange(() => {
      const v = pred();
      if (v) {
        clearTimeout(timer);
        unsub();
        resolve(v);
      }
    });
  });
}

/** The simulator's StatefulSet default/<name> once it reports `n` ready replicas for its current generation. */
export function statefulSetReady(api: ApiServer, name: string, n: number): Promise<Obj> {
  const STS = resourceByKind('StatefulSet');
  return api.waitFor(() => {
    const s = api.store.peek(STS, 'default', name);
    return s && s.status?.readyReplicas === n && s.status.observedGeneration === s.metadata.generation ? s : false;
  }, 20_000);
}

/** A copy of a manifest whose first claim template asks for `size`. */
export function withClaimSize(m: Obj, size: string): Obj {
  const g = structuredClone(m);
  g.spec.volumeClaimTemplates[0].spec.resources.requests.storage = size;
  return g;
}
