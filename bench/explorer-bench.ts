// Cluster explorer benchmark: 1,000 StatefulSets / 10,000 pods / 10,000 PVCs in the local API
// server simulator (in-process, real HTTPS), through the real cluster layer.
// Figures only, never a gate. Merges its figures into bench/results.json (key `explorer`).
//   node --expose-gc --import tsx bench/explorer-bench.ts      (BENCH_STS=1000 BENCH_PODS=10)
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

const STS = Number(process.env.BENCH_STS ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 10);
const EVENTS = 200;
/** How long to watch an idle cluster for requests (extrapolated to a minute). */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 30_000);
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1048576;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const api = await startApiServer({ podReadyDelayMs: 5, recordEvents: false });
  try {
    const seeded = api.seedBulk({ statefulSets: STS, podsPerSet: PODS, withClaims: true });
    const heap0 = heapMiB();
    const t0 = performance.now();
    const conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, namespace: ALL_NAMESPACES, logger: new Logger() }).start();
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
    const full = renderTree(conn.context, conn.server, conn.model);
    const tFull = performance.now();
    const heap1 = heapMiB();

    // event → tree: change one pod in the store; time until the model reports that StatefulSet and its node is rebuilt
    const POD = resourceByKind('Pod');
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
    // steady state: nothing changes; count what the explorer asks the API server (watches stay open)
    await new Promise((r) => setTimeout(r, 500));
    const before = api.requests.length;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = api.requests.slice(before);
    const idleWatches = idle.filter((r) => r.verb === 'watch' || /[?&]watch=(true|1)/.test(r.query)).length;
    const perMinute = (n: number) => +((n * 60_000) / IDLE_MS).toFixed(1);

    // for comparison: one `kubectl get pods` process (what a kubectl-based explorer pays per expansion)
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-cache-'));
    const kubectlMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const k0 = performance.now();
      // async: the simulator answering kubectl runs in this process
      const ok = await promisify(execFile)('kubectl', ['--kubeconfig', api.kubeconfigPath, '--cache-dir', cache, 'get', 'pods', '-n', 'default', '-l', `app=bulk-${'1'.padStart(String(STS - 1).length, '0')}`, '-o', 'name'], { encoding: 'utf8', timeout: 30_000 }).then(
        () => true,
        () => false,
      );
      if (ok) kubectlMs.push(performance.now() - k0);
    }
    fs.rmSync(cache, { recursive: true, force: true });

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
      cluster: { statefulSets: seeded.statefulSets, pods: seeded.pods, pvcs: seeded.pods, namespaces: nsNodes.length },
      listAndWatchSyncedMs: +(tSynced - t0).toFixed(1),
      initialTreeMs: +(tInitial - t0).toFixed(1),
      initialTreeNodes: 1 + nsNodes.length + stsNodes,
      fullTreeRenderMs: +(tFull - tInitial).toFixed(1),
      fullTreeLines: full.split('\n').length,
      eventToTreeMs: { p50: +pct(lat, 50).toFixed(2), p95: +pct(lat, 95).toFixed(2), max: +Math.max(...lat).toFixed(2), samples: lat.length, coalesceWindowMs: 20 },
      modelHeapMiB: +(heap1 - heap0).toFixed(1),
      idleRequestsPerMinute: { total: perMinute(idle.length), besidesWatches: perMinute(idle.length - idleWatches), observedMs: IDLE_MS },
      kubectlGetPodsMs: kubectlMs.length ? { median: +pct(kubectlMs, 50).toFixed(1), runs: kubectlMs.length } : 'kubectl not available',
      gcExposed: !!gc,
      note: 'simulator runs in the same process (its CPU time is included in the latencies)',
    };
    console.log(JSON.stringify(results, null, 2));
    const out = path.join(__dirname, 'results.json');
    const prev = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
    fs.writeFileSync(out, JSON.stringify({ ...prev, explorer: results }, null, 2) + '\n');
    conn.stop();
  } finally {
    await api.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
