// File → cluster workflows against the demo cluster (in-process simulator, real HTTPS, default
// delays: pods Ready after 50 ms, each PVC expansion phase 30 ms): wall time, requests the extension
// made (counted by the API server), pods recreated and restarted. Figures only, never a gate.
// Merges into bench/results.json (key `workflows`).   node --import tsx bench/workflows-bench.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClusterConnection } from '../client/src/cluster/connection';
import { diffDocument, parseFileDocuments, serverApply } from '../client/src/cluster/fileApply';
import { Logger } from '../client/src/cluster/log';
import { FileJournal } from '../client/src/cluster/workflows/journal';
import { preflight, runWorkflow } from '../client/src/cluster/workflows/recreate';
import { startApiServer, type Obj } from '../simulator/index';
import { resourceByKind } from '../simulator/resources';
import { stringify } from 'yaml';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');

async function main(): Promise<void> {
  const api = await startApiServer({ scenario: 'demo' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-bench-journal-'));
  const conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: new Logger(() => {}) });
  const journal = new FileJournal(dir);
  const results: Record<string, Obj> = {};
  const fileOf = (ns: string, name: string, edit: (m: Obj) => void): Obj => {
    const live = api.store.get(STS, ns, name);
    const m: Obj = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns, labels: live.metadata.labels }, spec: structuredClone(live.spec) };
    edit(m);
    return m;
  };
  const pods = (ns: string, name: string) => new Map(api.store.listRaw(POD, ns).filter((p) => p.metadata.name.startsWith(`${name}-`)).map((p) => [p.metadata.name, { uid: p.metadata.uid, restarts: p.status?.containerStatuses?.[0]?.restartCount ?? 0 }]));
  const measure = async (key: string, ns: string, name: string, fn: () => Promise<unknown>, wait?: () => Promise<unknown>) => {
    const before = pods(ns, name);
    const r0 = api.requests.length;
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    const requests = api.requests.length - r0;
    if (wait) await wait();
    const after = pods(ns, name);
    const recreated = [...before].filter(([n, p]) => after.get(n)?.uid !== p.uid).length;
    const restarted = [...before].filter(([n, p]) => after.get(n)?.uid === p.uid && (after.get(n)?.restarts ?? 0) > p.restarts).length;
    results[key] = { ms: Math.round(ms), requests, podsRecreated: recreated, podsRestarted: restarted, pods: before.size };
    console.log(`${key.padEnd(34)} ${String(Math.round(ms)).padStart(6)} ms  ${String(requests).padStart(4)} requests  pods recreated ${recreated}/${before.size}, restarted ${restarted}`);
  };
  try {
    const web = fileOf('default', 'web', (m) => (m.spec.template.spec.containers[0].image = 'registry.k8s.io/nginx-slim:0.26'));
    const [doc] = parseFileDocuments(stringify(web));
    await measure('dryRun web', 'default', 'web', () => serverApply(conn.http, doc.obj, 'default', { dryRun: true }));
    await measure('diff web (GET + dry run)', 'default', 'web', () => diffDocument(conn.http, doc, 'default'));
    await measure('apply web (dry run + apply; rollout excluded)', 'default', 'web', async () => {
      await diffDocument(conn.http, doc, 'default');
      await serverApply(conn.http, doc.obj, 'default');
    }, () => api.waitFor(() => { const s = api.store.peek(STS, 'default', 'web')!; return s.status?.updatedReplicas === 3 && s.status?.readyReplicas === 3 && s.status.currentRevision === s.status.updateRevision; }, 60_000));
    const resize = async (key: string, ns: string, name: string, edit: (m: Obj) => void, workflow: 'resize' | 'recreate' = 'resize') => {
      const m = fileOf(ns, name, edit);
      await measure(key, ns, name, async () => {
        const pf = await preflight(conn.http, { cluster: conn.server, context: conn.context, namespace: ns, manifest: m, workflow });
        if (!pf.ok) throw new Error(pf.refusals.join(' '));
        await runWorkflow(conn.http, journal, pf.entry!);
      });
    };
    await resize('resize web (3 PVCs 1Gi→5Gi)', 'default', 'web', (m) => (m.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi'));
    await resize('resize queue (2 + 3 retained PVCs)', 'default', 'queue', (m) => (m.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '8Gi'));
    await resize('resize postgres (6 PVCs, 2 templates)', 'databases', 'postgres', (m) => {
      m.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi';
      m.spec.volumeClaimTemplates[1].spec.resources.requests.storage = '4Gi';
    });
    await resize('re-create postgres (serviceName)', 'databases', 'postgres', (m) => (m.spec.serviceName = 'postgres-hl'), 'recreate');
  } finally {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const out = path.join(__dirname, 'results.json');
  const all = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  all.workflows = { when: new Date().toISOString(), node: process.version, cluster: 'demo (simulator, in-process HTTPS)', results };
  fs.writeFileSync(out, JSON.stringify(all, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
