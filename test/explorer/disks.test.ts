// Disks in the cluster layer, against the simulator over real HTTPS: PVC usage from the kubelet's
// stats/summary (polled only while the tree is visible, only the nodes running shown pods, figures equal to
// the simulator's, inodes when tighter, thresholds colouring the PVC and StatefulSet rows), 403 → one
// request and "usage needs get nodes/proxy", a node that does not answer → "unknown" with backoff; the trend
// estimate; VolumeSnapshots: API absent → said so, take (ready), list under the PVC, never ready, delete with
// the deletionPolicy stated.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ALL_NAMESPACES, ClusterConnection } from '../../client/src/cluster/connection';
import { Logger } from '../../client/src/cluster/log';
import { childrenOf, renderTree, type TreeNode } from '../../client/src/cluster/tree';
import { ABSENT_TEXT, LABEL_ORDINAL, LABEL_STS, planDeleteSnapshot, planSnapshots, snapshotApiPresent, takeSnapshots, deleteSnapshot, listSnapshotClasses } from '../../client/src/cluster/snapshots';
import { fullInDays, fullInText, formatBytes, nextSize, readUsage, type UsageSample } from '../../client/src/cluster/usage';
import { startApiServer, type ApiServer } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { FAST_BACKOFF, polled, until } from './helpers';

const PVC = resourceByKind('PersistentVolumeClaim');
const STATS = '/proxy/stats/summary';

function connect(api: ApiServer, context: string | undefined, logs: string[], intervalMs = 60): ClusterConnection {
  return new ClusterConnection({
    source: { path: api.kubeconfigPath },
    context,
    namespace: ALL_NAMESPACES,
    logger: new Logger((level, m) => logs.push(`[${level}] ${m}`)),
    backoff: FAST_BACKOFF,
    disks: { intervalMs, maxBackoffMs: 2000 },
  }).start();
}

function find(conn: ClusterConnection, pred: (n: TreeNode) => boolean): TreeNode | undefined {
  const walk = (n: TreeNode | undefined): TreeNode | undefined => {
    for (const c of childrenOf(n, conn.context, conn.server, conn.model)) {
      if (pred(c)) return c;
      const d = walk(c);
      if (d) return d;
    }
    return undefined;
  };
  return walk(undefined);
}

const pvcRow = (conn: ClusterConnection, name: string) => find(conn, (n) => n.kind === 'pvc' && n.pvcName === name);
const stsRow = (conn: ClusterConnection, key: string) => find(conn, (n) => n.kind === 'statefulset' && n.stsKey === key);
const statsRequests = (api: ApiServer, user?: string) => api.requests.filter((r) => r.path.endsWith(STATS) && (!user || r.user === user));

describe('explorer: PVC usage from the kubelet', { timeout: 60_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  const logs: string[] = [];
  before(async () => {
    api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5 });
    conn = connect(api, undefined, logs);
    await until(conn.model, () => conn.model.connection().phase === 'connected' && conn.model.view('default/web')?.ready === 3, 'connected');
  });
  after(async () => {
    conn?.stop();
    await api?.stop();
  });

  test('tree not visible: no usage request at all', async () => {
    await new Promise((r) => setTimeout(r, 300)); // five poll intervals
    assert.equal(statsRequests(api).length, 0);
    assert.doesNotMatch(renderTree(conn.context, conn.server, conn.model), /GiB \(/);
  });

  test('visible: the PVC rows show the simulator\'s figures; the near-full one and its StatefulSet are coloured', async () => {
    conn.disks.setVisible(true);
    const row = await until(conn.model, () => pvcRow(conn, 'www-web-1')?.description?.includes('%') && pvcRow(conn, 'www-web-1'), 'usage on www-web-1');
    const used = api.volumeStats.usedOf(api.store.peek(PVC, 'default', 'www-web-1')!);
    assert.ok(used >= 0.91 * 2 ** 30);
    assert.match(row.description!, /^9[12]% full · 9\d\d(\.\d)? MiB \/ 1 GiB · Bound · 1Gi · standard$/);
    assert.equal(row.color, 'list.errorForeground');
    assert.equal(row.icon, 'warning');
    assert.match(row.contextValue, /\.full$/);
    assert.match(row.tooltip!, /usage: .*kubelet stats\/summary/);
    const web = stsRow(conn, 'default/web')!;
    assert.match(web.description!, /disk 9[12]% full \(www-web-1\)/);
    assert.equal(web.color, 'list.errorForeground');
    // a quiet PVC: no colour, figures as the simulator has them
    api.volumeStats.set('default', 'data-queue-0', { usedBytes: 500 * 2 ** 20 });
    const q = await until(conn.model, () => pvcRow(conn, 'data-queue-0')?.description?.includes('9% full · 500 MiB / 5 GiB') && pvcRow(conn, 'data-queue-0'), 'data-queue-0 at 500 MiB');
    assert.equal(q.color, undefined);
    // inodes when they are the tighter limit
    const wal = await until(conn.model, () => pvcRow(conn, 'wal-postgres-0')?.description?.includes('inodes') && pvcRow(conn, 'wal-postgres-0'), 'inodes on wal-postgres-0');
    assert.match(wal.description!, /^inodes 84% full · 111k \/ 131k inodes · /);
    assert.equal(wal.color, 'list.warningForeground');
    // only the node that runs shown pods, one request per interval (not per PVC)
    assert.ok(statsRequests(api).every((r) => r.path === `/api/v1/nodes/simulator-node${STATS}`));
  });

  test('a warning threshold crossed live changes the row (80% warning, 90% error)', async () => {
    api.volumeStats.set('default', 'data-queue-1', { usedFraction: 0.85 });
    const r = await until(conn.model, () => pvcRow(conn, 'data-queue-1')?.color === 'list.warningForeground' && pvcRow(conn, 'data-queue-1'), 'queue-1 warning');
    assert.match(r.description!, /^85% full/);
    assert.equal(stsRow(conn, 'default/queue')!.color, 'list.warningForeground');
    api.volumeStats.set('default', 'data-queue-1', { usedFraction: 0.95 });
    await until(conn.model, () => pvcRow(conn, 'data-queue-1')?.color === 'list.errorForeground', 'queue-1 error');
    api.volumeStats.set('default', 'data-queue-1', { usedFraction: 0.1 });
    await until(conn.model, () => pvcRow(conn, 'data-queue-1')?.color === undefined && !stsRow(conn, 'default/queue')!.description!.includes('disk'), 'queue-1 back to normal');
  });

  test('a node that does not answer: "unknown", never 0, and backoff', async () => {
    api.volumeStats.setNodeAnswering('simulator-node', false);
    const row = await until(conn.model, () => pvcRow(conn, 'www-web-0')?.description?.includes('usage unknown') && pvcRow(conn, 'www-web-0'), 'unknown');
    assert.match(row.description!, /usage unknown \(node simulator-node does not answer/);
    assert.doesNotMatch(row.description!, /\b0 B\b|0% full/);
    const before = statsRequests(api).length;
    await new Promise((r) => setTimeout(r, 600)); // 10 intervals; backoff 120, 240, 480 ms …
    const during = statsRequests(api).length - before;
    assert.ok(during <= 4, `backoff: ${during} requests in 600 ms at a 60 ms interval`);
    api.volumeStats.setNodeAnswering('simulator-node', true);
    await until(conn.model, () => pvcRow(conn, 'www-web-0')?.description?.includes('% full'), 'usage back', 10_000);
  });

  test('tree hidden again: polling stops', async () => {
    conn.disks.setVisible(false);
    await new Promise((r) => setTimeout(r, 100));
    const n = statsRequests(api).length;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(statsRequests(api).length, n);
  });
});

describe('explorer: usage without get nodes/proxy (403)', { timeout: 60_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  const logs: string[] = [];
  before(async () => {
    api = await startApiServer({
      scenario: 'demo',
      podReadyDelayMs: 5,
      users: [
        { name: 'admin', token: `admin-${randomBytes(8).toString('hex')}` },
        { name: 'nostats', token: `nostats-${randomBytes(8).toString('hex')}`, deny: [{ verbs: '*', resource: 'nodes', subresource: 'proxy' }] },
      ],
    });
    conn = connect(api, api.contexts.nostats, logs);
    await until(conn.model, () => conn.model.connection().phase === 'connected' && conn.model.view('default/web')?.ready === 3, 'connected');
  });
  after(async () => {
    conn?.stop();
    await api?.stop();
  });

  test('the rows say "usage needs get nodes/proxy"; one request, no retry storm', async () => {
    conn.disks.setVisible(true);
    const row = await until(conn.model, () => pvcRow(conn, 'www-web-1')?.description?.includes('nodes/proxy') && pvcRow(conn, 'www-web-1'), '403 text');
    assert.match(row.description!, /usage needs get nodes\/proxy/);
    assert.match(row.tooltip!, /403/);
    await new Promise((r) => setTimeout(r, 500)); // 8 intervals
    assert.equal(statsRequests(api, 'nostats').length, 1);
    assert.equal(logs.filter((l) => /usage needs get nodes\/proxy/.test(l)).length, 1, 'said once in the log');
  });
});

describe('usage: reading samples', () => {
  const s = (t: number, used: number, cap = 100 * 2 ** 30): UsageSample => ({ t: t * 1000, usedBytes: used, capacityBytes: cap });
  test('full in ~N days when the trend is clear, nothing when it is not', () => {
    // 1 GiB an hour, 50 GiB left → ~2 days
    const rising = [0, 60, 120, 180, 240].map((sec) => s(sec, 50 * 2 ** 30 + (sec / 3600) * 2 ** 30));
    const days = fullInDays(rising)!;
    assert.ok(Math.abs(days - 50 / 24) < 0.05, String(days));
    assert.equal(fullInText(days), 'full in ~2 days');
    assert.equal(fullInText(0.2), 'full in ~5 h');
    assert.equal(fullInDays(rising.slice(0, 3)), undefined, 'three samples are not a trend');
    assert.equal(fullInDays([0, 20, 40, 60].map((sec) => s(sec, 50 * 2 ** 30 + sec * 1e6))), undefined, 'a minute is not a trend');
    const noisy = [0, 60, 120, 180, 240, 300].map((sec, i) => s(sec, 50 * 2 ** 30 + (i % 2 ? 5 : -5) * 2 ** 30 + sec));
    assert.equal(fullInDays(noisy), undefined, 'noise is not a trend');
    const falling = [0, 60, 120, 180].map((sec) => s(sec, 50 * 2 ** 30 - sec * 1e6));
    assert.equal(fullInDays(falling), undefined);
    // a resize in the middle: only the samples since count
    assert.equal(fullInDays([...rising.slice(0, 3), s(300, 60 * 2 ** 30, 200 * 2 ** 30)]), undefined);
  });
  test('levels, inodes, sizes', () => {
    assert.equal(readUsage([s(0, 79 * 2 ** 30)])!.level, 'ok');
    assert.equal(readUsage([s(0, 80 * 2 ** 30)])!.level, 'warning');
    assert.equal(readUsage([s(0, 90 * 2 ** 30)])!.level, 'error');
    assert.equal(readUsage([s(0, 85 * 2 ** 30)], { warning: 70, error: 85 })!.level, 'error');
    const ino = readUsage([{ ...s(0, 2 ** 30), inodes: 1000, inodesUsed: 950 }])!;
    assert.equal(ino.limit, 'inodes');
    assert.equal(ino.level, 'error');
    assert.equal(formatBytes(1536 * 2 ** 20), '1.5 GiB');
    assert.equal(nextSize(10 * 2 ** 30), '20Gi');
    assert.equal(nextSize(2 ** 29), '2Gi');
  });
});

describe('explorer: VolumeSnapshots', { timeout: 60_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  const logs: string[] = [];
  before(async () => {
    api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5, snapshotCrds: false, snapshotReadyDelayMs: 30 });
    conn = connect(api, undefined, logs);
    await until(conn.model, () => conn.model.connection().phase === 'connected' && conn.model.view('default/web')?.ready === 3, 'connected');
  });
  after(async () => {
    conn?.stop();
    await api?.stop();
  });

  test('API absent: found absent, and the text says why', async () => {
    assert.equal(await snapshotApiPresent(conn.http), false);
    conn.disks.setVisible(true);
    await polled(() => conn.disks.snapshotApi === false);
    assert.equal(conn.disks.snapshotApi, false);
    assert.match(ABSENT_TEXT, /snapshot\.storage\.k8s\.io\/v1 is not served/);
    assert.match(ABSENT_TEXT, /CSI driver/);
  });

  test('API installed: take snapshots of chosen ordinals, each followed until readyToUse, listed under its PVC', async () => {
    api.snapshots.install();
    assert.equal(await conn.disks.checkSnapshotApi(), true);
    const classes = await listSnapshotClasses(conn.http);
    assert.deepEqual(classes.map((c) => [c.name, c.deletionPolicy, c.isDefault]), [['csi-hostpath-snapclass', 'Delete', true]]);
    const at = new Date('2026-12-07T14:05:01.123Z');
    const plan = planSnapshots('default', 'web', [1, 2].map((o) => ({ pvc: `www-web-${o}`, template: 'www', ordinal: o })), 'csi-hostpath-snapclass', at);
    assert.deepEqual(plan.map((p) => p.name), ['www-web-1-20261207t140501z', 'www-web-2-20261207t140501z']);
    assert.equal(plan[0].manifest.metadata!.labels![LABEL_STS], 'web');
    assert.equal(plan[0].manifest.metadata!.labels![LABEL_ORDINAL], '1');
    const progress: string[] = [];
    const out = await takeSnapshots(conn.http, plan, { onProgress: (t) => progress.push(t), timeoutMs: 10_000 });
    assert.deepEqual(out.map((o) => [o.name, o.ready, o.restoreSize, o.error]), [
      ['www-web-1-20261207t140501z', true, '1Gi', undefined],
      ['www-web-2-20261207t140501z', true, '1Gi', undefined],
    ]);
    assert.ok(progress.some((p) => /2\/2 snapshots ready/.test(p)));
    // again: idempotent (same names, same sources)
    assert.ok((await takeSnapshots(conn.http, plan, { timeoutMs: 10_000 })).every((o) => o.ready));
    const row = await until(conn.model, () => pvcRow(conn, 'www-web-1')?.collapsible === 'collapsed' && pvcRow(conn, 'www-web-1'), 'www-web-1 has snapshots');
    const kids = childrenOf(row, conn.context, conn.server, conn.model);
    assert.equal(kids.length, 1);
    assert.equal(kids[0].kind, 'snapshot');
    assert.equal(kids[0].snapshotName, 'www-web-1-20261207t140501z');
    assert.match(kids[0].description!, /^ready · 1Gi · csi-hostpath-snapclass/);
    assert.equal(kids[0].contextValue, 'statefulsetStudio.snapshot.ready');
    assert.equal(pvcRow(conn, 'www-web-0')!.collapsible, 'none');
  });

  test('a snapshot that never becomes ready: the wait ends with an error that says so', async () => {
    api.snapshots.neverReady = true;
    try {
      const plan = planSnapshots('default', 'web', [{ pvc: 'www-web-0', template: 'www', ordinal: 0 }], undefined, new Date('2026-12-07T14:06:00Z'));
      const [o] = await takeSnapshots(conn.http, plan, { timeoutMs: 400 });
      assert.equal(o.ready, false);
      assert.match(o.error!, /not readyToUse after 0 s|not readyToUse after/);
      const row = await until(conn.model, () => {
        const r = pvcRow(conn, 'www-web-0');
        return r?.collapsible === 'collapsed' && r;
      }, 'snapshot row');
      const [kid] = childrenOf(row, conn.context, conn.server, conn.model);
      assert.match(kid.description!, /not ready yet/);
      assert.equal(kid.icon, 'loading');
    } finally {
      api.snapshots.neverReady = false;
    }
  });

  test('a snapshot of a missing PVC: its error is shown', async () => {
    const plan = planSnapshots('default', 'web', [{ pvc: 'www-web-9', template: 'www', ordinal: 9 }], undefined, new Date('2026-12-07T14:07:00Z'));
    const [o] = await takeSnapshots(conn.http, plan, { timeoutMs: 5000 });
    assert.equal(o.ready, false);
    assert.match(o.error!, /cannot get claim/);
  });

  test('delete: the deletionPolicy is stated (Delete: data gone; Retain: kept)', async () => {
    const p = await planDeleteSnapshot(conn.http, 'default', 'www-web-2-20261207t140501z');
    assert.equal(p.deletionPolicy, 'Delete');
    assert.match(p.text, /deletionPolicy Delete: the VolumeSnapshotContent and the snapshot data .* are DELETED/);
    assert.match(p.text, /The PVC it was taken of is not touched/);
    await deleteSnapshot(conn.http, 'default', 'www-web-2-20261207t140501z', p.snapshot.metadata?.uid);
    await until(conn.model, () => pvcRow(conn, 'www-web-2')?.collapsible === 'none', 'snapshot gone from the tree');
    api.create({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'keep' }, driver: 'hostpath.csi.simulator.statefulset-studio.dev', deletionPolicy: 'Retain' });
    const [o] = await takeSnapshots(conn.http, planSnapshots('default', 'web', [{ pvc: 'www-web-2', template: 'www', ordinal: 2 }], 'keep', new Date('2026-12-07T14:08:00Z')), { timeoutMs: 5000 });
    assert.ok(o.ready);
    const r = await planDeleteSnapshot(conn.http, 'default', o.name);
    assert.equal(r.deletionPolicy, 'Retain');
    assert.match(r.text, /are KEPT/);
  });
});
