// PVC usage polling on the 1,000-StatefulSet cluster (issue 21): kubelet stats/summary requests per minute
// with the tree open and closed (closed must be 0), the size and time of one summary, and the cost of turning
// the samples into tree rows. Figures only, never a gate. The interval is shortened (DISKS_BENCH_INTERVAL_MS,
// default 2,000 ms) to count in seconds what the default 30 s does in minutes; the per-minute figure for the
// default interval is computed from the measured requests per interval.
// Merges into bench/results.json (key `disks`).   npm run bench:disks
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALL_NAMESPACES, ClusterConnection } from '../client/src/cluster/connection';
import { Logger } from '../client/src/cluster/log';
import { renderTree } from '../client/src/cluster/tree';
import { startApiServer } from '../simulator/index';

const SETS = Number(process.env.DISKS_BENCH_SETS ?? 1000);
const PODS = Number(process.env.DISKS_BENCH_PODS ?? 10);
const INTERVAL = Number(process.env.DISKS_BENCH_INTERVAL_MS ?? 2000);
const WINDOW = Number(process.env.DISKS_BENCH_WINDOW_MS ?? 20_000);
const STATS = '/proxy/stats/summary';

async function main(): Promise<void> {
  const api = await startApiServer({ podReadyDelayMs: 5 });
  const results: Record<string, unknown> = {};
  try {
    const seeded = api.seedBulk({ statefulSets: SETS, podsPerSet: PODS, withClaims: true, namespace: 'bulk' });
    const conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, namespace: ALL_NAMESPACES, logger: new Logger(() => {}), disks: { intervalMs: INTERVAL } });
    conn.start();
    await new Promise<void>((resolve) => {
      const check = () => conn.model.connection().phase === 'connected' && conn.model.statefulSets().length >= SETS;
      if (check()) return resolve();
      const off = conn.model.onDidChange(() => check() && (off(), resolve()));
    });
    const count = () => api.requests.filter((r) => r.path.endsWith(STATS)).length;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // closed: the tree is not visible
    let c0 = count();
    await sleep(WINDOW);
    const closed = count() - c0;

    // open
    c0 = count();
    const bytes0 = conn.http.bytesReceived;
    const t0 = performance.now();
    conn.disks.setVisible(true);
    await sleep(WINDOW);
    const open = count() - c0;
    const openMs = performance.now() - t0;
    const bytesPerRequest = open ? Math.round((conn.http.bytesReceived - bytes0) / open) : 0;
    conn.disks.setVisible(false);

    // one summary request, timed alone (all 10,000 pods on the simulator's single node)
    const t1 = performance.now();
    await conn.http.request('GET', `/api/v1/nodes/simulator-node${STATS}`);
    const summaryMs = performance.now() - t1;
    // the whole tree, rendered with usage on every PVC
    const t2 = performance.now();
    const text = renderTree(conn.context, conn.server, conn.model);
    const renderMs = performance.now() - t2;
    const rowsWithUsage = text.split('\n').filter((l) => /% full/.test(l)).length;

    const perInterval = open / (openMs / INTERVAL);
    // the next request of a node is due an interval after the previous answer: period = interval + request time
    const requestMs = open ? Math.max(0, openMs / open - INTERVAL) : 0;
    const perMinuteDefault = 60_000 / (30_000 + requestMs);
    results.cluster = { statefulSets: seeded.statefulSets, pods: seeded.pods, nodes: 1 };
    results.closed = { windowMs: WINDOW, usageRequests: closed, perMinute: Math.round((closed * 60_000) / WINDOW) };
    results.open = { windowMs: WINDOW, intervalMs: INTERVAL, usageRequests: open, perInterval: Math.round(perInterval * 10) / 10, perMinuteAtDefault30sPerNode: Math.round(perMinuteDefault * 100) / 100, bytesPerRequest };
    results.summaryRequestMs = Math.round(summaryMs);
    results.renderTreeMs = Math.round(renderMs);
    results.rowsWithUsage = rowsWithUsage;
    console.log(`cluster: ${seeded.statefulSets} StatefulSets, ${seeded.pods} pods with a PVC each, 1 node`);
    console.log(`tree closed: ${closed} usage requests in ${WINDOW / 1000} s`);
    console.log(`tree open:   ${open} usage requests in ${WINDOW / 1000} s at a ${INTERVAL} ms interval (${perInterval.toFixed(2)} per interval: the next is due an interval after the answer) → ${perMinuteDefault.toFixed(2)} per minute per node at the default 30 s`);
    console.log(`one summary: ${Math.round(summaryMs)} ms, ${(bytesPerRequest / 1024 / 1024).toFixed(1)} MiB; tree with usage on ${rowsWithUsage} PVC rows rendered in ${Math.round(renderMs)} ms`);
    conn.stop();
  } finally {
    await api.stop();
  }
  const out = path.join(__dirname, 'results.json');
  const all = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  all.disks = { when: new Date().toISOString(), node: process.version, ...results };
  fs.writeFileSync(out, JSON.stringify(all, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
