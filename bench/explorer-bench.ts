// Cluster explorer benchmark, in the local API server simulator (in-process, real HTTPS), through the
// real cluster layer, on two clusters:
//   - small: 1,000 StatefulSets / 10,000 pods / 10,000 PVCs and nothing else;
//   - big (issue 13): the same plus a shared cluster's other workloads: 90,000 pods of Deployments
//     (ReplicaSets, without the StatefulSet pod-name label) and 2,000 PVCs of no StatefulSet.
// For both: bytes received by the explorer (response bodies counted in its HTTP layer), its heap after
// GC, time to the first tree level; and the ratios big/small (issue 13 wants ≤ 1.2× for heap and bytes).
// The small cluster also gets event → tree latencies, idle requests and one `kubectl get pods`.
// Figures only, never a gate. Merges its figures into bench/results.json (key `explorer`).
//   node --expose-gc --import tsx bench/explorer-bench.ts
//   BENCH_STS=1000 BENCH_PODS=10 BENCH_FOREIGN_PODS=90000 BENCH_FOREIGN_PVCS=2000 BENCH_IDLE_MS=30000
//   BENCH_CLUSTERS=small,big (either alone for a quick look; ratios need both)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ALL_NAMESPACES, ClusterConnection } from '../client/src/cluster/connection';
import { Logger } from '../client/src/cluster/log';
import { childrenOf, renderTree, statefulSetChildren } from '../client/src/cluster/tree';
import { startApiServer } from '../simulator/index';
import { resourceByKind } from '../simulator/resources';
import { findKubectl } from '../scripts/provision-kubectl.mjs';

const STS = Number(process.env.BENCH_STS ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 10);
const FOREIGN_PODS = Number(process.env.BENCH_FOREIGN_PODS ?? 90_000);
const FOREIGN_PVCS = Number(process.env.BENCH_FOREIGN_PVCS ?? 2_000);
const CLUSTERS = (process.env.BENCH_CLUSTERS ?? 'small,big').split(',').map((s) => s.trim());
const EVENTS = 200;
/** Connections per cluster (the median time to the first tree is reported). */
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3));
/** How long to watch an idle cluster for requests (extrapolated to a minute); small cluster only. */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 30_000);
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1048576;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const MiB = (b: number) => +(b / 1048576).toFixed(2);
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');

async function runCluster(kind: 'small' | 'big'): Promise<Record<string, unknown>> {
  const api = await startApiServer({ podReadyDelayMs: 5, recordEvents: false });
  try {
    const seeded = api.seedBulk({ statefulSets: STS, podsPerSet: PODS, withClaims: true });
    const foreign = kind === 'big' ? api.seedForeign({ pods: FOREIGN_PODS, pvcs: FOREIGN_PVCS, namespaces: 30 }) : { pods: 0, pvcs: 0, namespaces: 0 };
    // the simulator done reacting to the seed, and its own list caches built, before the explorer's heap is measured
    await api.settle(120_000);
    await new Promise((res) => setTimeout(res, 200));
    api.store.listRaw(POD);
    api.store.listRaw(PVC);
    // connect REPEATS times (the machine is shared: the median time to the first tree); all figures but
    // those times are from the last connection
    const firstTree: number[] = [];
    const synced: number[] = [];
    for (let i = 1; i < REPEATS; i++) {
      const quick = await explore(api, kind, false);
      firstTree.push(quick.out.initialTreeMs as number);
      synced.push(quick.out.listAndWatchSyncedMs as number);
    }
    const { out, heapConnected } = await explore(api, kind, true);
    firstTree.push(out.initialTreeMs as number);
    synced.push(out.listAndWatchSyncedMs as number);
    out.initialTreeMs = pct(firstTree, 50);
    out.listAndWatchSyncedMs = pct(synced, 50);
    out.initialTreeMsRuns = firstTree;
    // what the explorer held: the heap after GC with it connected, minus after it is stopped and unreachable
    await new Promise((res) => setTimeout(res, 1000)); // aborted watch sockets close
    const heapGone = heapMiB();
    out.modelHeapMiB = +(heapConnected - heapGone).toFixed(1);
    out.cluster = {
      statefulSets: seeded.statefulSets,
      statefulSetPods: seeded.pods,
      statefulSetPvcs: seeded.pods,
      otherPods: foreign.pods,
      otherPvcs: foreign.pvcs,
      pods: seeded.pods + foreign.pods,
      pvcs: seeded.pods + foreign.pvcs,
      namespaces: 1 + foreign.namespaces,
    };
    return out;
  } finally {
    await api.stop();
  }
}

/** Connect, measure, stop: the connection is unreachable once this returns. */
async function explore(api: Awaited<ReturnType<typeof startApiServer>>, kind: 'small' | 'big', full: boolean): Promise<{ out: Record<string, unknown>; heapConnected: number }> {
  const heap0 = full ? heapMiB() : 0;
  const t0 = performance.now();
  const conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, namespace: ALL_NAMESPACES, logger: new Logger() });
  // when each resource was listed and watched (the PVCs start once the StatefulSets are listed)
  const syncedMs: Record<string, number> = {};
  for (const [name, r] of Object.entries(conn.model.reflectors))
    r.onState((st) => {
      if (st.phase === 'synced' && syncedMs[name] === undefined) syncedMs[name] = +(performance.now() - t0).toFixed(1);
    });
  conn.start();
  await new Promise<void>((resolve) => {
    const off = conn.model.onDidChange(() => {
      if (conn.model.connection().phase === 'connected') {
        off();
        resolve();
      }
    });
  });
  const tSynced = performance.now();
  // what VS Code asks for first: the context, its namespaces, then the StatefulSets of the expanded namespace
  const ctxNode = childrenOf(undefined, conn.context, conn.server, conn.model)[0];
  const nsNodes = childrenOf(ctxNode, conn.context, conn.server, conn.model);
  let stsNodes = 0;
  for (const ns of nsNodes) stsNodes += childrenOf(ns, conn.context, conn.server, conn.model).length;
  const tInitial = performance.now();
  const bytesAtFirstTree = conn.http.bytesReceived;
  const fullTreeLines = renderTree(conn.context, conn.server, conn.model).split('\n').length;
  const tFull = performance.now();
  if (!full) {
    conn.stop();
    await new Promise((res) => setTimeout(res, 500));
    return { out: { initialTreeMs: +(tInitial - t0).toFixed(1), listAndWatchSyncedMs: +(tSynced - t0).toFixed(1) }, heapConnected: 0 };
  }
  const heap1 = heapMiB();
  const r = conn.model.reflectors;
  const kept = { pods: r.pods.store.size, pvcs: r.pvcs.store.size, statefulSets: r.statefulsets.store.size, revisions: r.revisions.store.size };
  const droppedPvcs = r.pvcs.stats.dropped;

  // event → tree: change one pod in the store; time until the model reports that StatefulSet and its node is rebuilt
  const lat: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const stsName = `bulk-${String((i * 37) % STS).padStart(String(STS - 1).length, '0')}`;
    const key = `default/${stsName}`;
    const podName = `${stsName}-${i % PODS}`;
    const done = new Promise<number>((resolve) => {
      const off = conn.model.onDidChange((c) => {
        if (!c.keys.has(key)) return;
        const v = conn.model.view(key)!;
        statefulSetChildren(conn.context, v);
        off();
        resolve(performance.now());
      });
    });
    const pod = structuredClone(api.store.get(POD, 'default', podName));
    pod.status.containerStatuses[0].restartCount = (pod.status.containerStatuses[0].restartCount ?? 0) + 1;
    delete pod.metadata.resourceVersion;
    const start = performance.now();
    api.store.update(POD, pod);
    lat.push((await done) - start);
  }

  const out: Record<string, unknown> = {
    cluster: undefined,
    bytesReceived: bytesAtFirstTree,
    bytesReceivedMiB: MiB(bytesAtFirstTree),
    modelHeapMiB: undefined,
    heapGrowthAtFirstTreeMiB: +(heap1 - heap0).toFixed(1),
    processHeapMiB: +heap1.toFixed(1),
    listAndWatchSyncedMs: +(tSynced - t0).toFixed(1),
    syncedMsByResource: syncedMs,
    initialTreeMs: +(tInitial - t0).toFixed(1),
    initialTreeNodes: 1 + nsNodes.length + stsNodes,
    fullTreeRenderMs: +(tFull - tInitial).toFixed(1),
    fullTreeLines,
    kept,
    pvcsDropped: droppedPvcs,
    eventToTreeMs: { p50: +pct(lat, 50).toFixed(2), p95: +pct(lat, 95).toFixed(2), max: +Math.max(...lat).toFixed(2), samples: lat.length, coalesceWindowMs: 20 },
  };

  if (kind === 'small') {
    // steady state: nothing changes; count what the explorer asks the API server (watches stay open)
    await new Promise((res) => setTimeout(res, 500));
    const before = api.requests.length;
    await new Promise((res) => setTimeout(res, IDLE_MS));
    const idle = api.requests.slice(before);
    const idleWatches = idle.filter((q) => q.verb === 'watch' || /[?&]watch=(true|1)/.test(q.query)).length;
    const perMinute = (n: number) => +((n * 60_000) / IDLE_MS).toFixed(1);
    out.idleRequestsPerMinute = { total: perMinute(idle.length), besidesWatches: perMinute(idle.length - idleWatches), observedMs: IDLE_MS };

    // for comparison: one `kubectl get pods` process (what a kubectl-based explorer pays per expansion),
    // with the kubectl the tests use ($KUBECTL, kubectl ≥ 1.27 on PATH, or the provisioned copy)
    const found = findKubectl();
    if (found.path) {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-cache-'));
      const kubectlMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const k0 = performance.now();
        // async: the simulator answering kubectl runs in this process
        const ok = await promisify(execFile)(found.path, ['--kubeconfig', api.kubeconfigPath, '--cache-dir', cache, 'get', 'pods', '-n', 'default', '-l', `app=bulk-${'1'.padStart(String(STS - 1).length, '0')}`, '-o', 'name'], { encoding: 'utf8', timeout: 30_000 }).then(
          () => true,
          () => false,
        );
        if (ok) kubectlMs.push(performance.now() - k0);
      }
      fs.rmSync(cache, { recursive: true, force: true });
      out.kubectlGetPodsMs = kubectlMs.length ? { median: +pct(kubectlMs, 50).toFixed(1), runs: kubectlMs.length, kubectl: found.version?.gitVersion, source: found.source } : `kubectl (${found.path}) failed`;
    } else out.kubectlGetPodsMs = `no kubectl: ${found.reason} (node scripts/provision-kubectl.mjs)`;
  }
  const heapConnected = heapMiB();
  conn.stop();
  return { out, heapConnected };
}

async function main(): Promise<void> {
  const runs: Record<string, Record<string, unknown>> = {};
  for (const kind of ['small', 'big'] as const) {
    if (!CLUSTERS.includes(kind)) continue;
    runs[kind] = await runCluster(kind);
    console.log(`${kind}: ${JSON.stringify(runs[kind], null, 2)}`);
    heapMiB();
  }
  const ratio = (k: string) => (runs.small && runs.big ? +((runs.big[k] as number) / (runs.small[k] as number)).toFixed(3) : undefined);
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg1: +os.loadavg()[0].toFixed(2) },
    // the small cluster's figures at the top level, as before issue 13
    ...runs.small,
    bigCluster: runs.big,
    bigOverSmall: { modelHeap: ratio('modelHeapMiB'), bytesReceived: ratio('bytesReceived'), initialTreeMs: ratio('initialTreeMs'), goal: '≤ 1.2 for heap and bytes' },
    gcExposed: !!gc,
    note: 'simulator runs in the same process (its CPU time is included in the latencies); bytes are response bodies received by the explorer until its first tree (lists and watch streams, no headers/TLS); model heap = heap after GC with the explorer connected minus before',
  };
  console.log(`big/small: heap ${results.bigOverSmall.modelHeap}×, bytes ${results.bigOverSmall.bytesReceived}×, first tree ${results.bigOverSmall.initialTreeMs}×`);
  if (!runs.small || !runs.big) return; // a partial run is not recorded
  const out = path.join(__dirname, 'results.json');
  const prev = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  // non-ASCII escaped as the other benches write it, so the other sections stay byte for byte
  const json = JSON.stringify({ ...prev, explorer: results }, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  fs.writeFileSync(out, json + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
