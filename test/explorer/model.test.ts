// The explorer's tree model against the local API server simulator over real HTTPS: content for the
// seeded demo cluster, live updates (scale, pod deletion, rolling update), missing ordinals, orphans.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildView } from '../../client/src/cluster/model';
import * as ops from '../../client/src/cluster/operations';
import { statefulSetChildren } from '../../client/src/cluster/tree';
import { setup, until, type Setup } from './helpers';

describe('explorer tree model (demo cluster)', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
  });
  after(async () => {
    await s?.close();
  });

  test('context → namespaces → StatefulSets with ready/desired and policy', () => {
    const t = s.tree();
    assert.match(t, /^simulator — all namespaces$/m);
    assert.match(t, /^  databases — 1 StatefulSet$/m);
    assert.match(t, /^  default — 3 StatefulSets$/m);
    assert.match(t, /^    web — 3\/3 ready · OrderedReady$/m);
    assert.match(t, /^    postgres — 3\/3 ready · OrderedReady$/m);
  });

  test('ordinals with pod phase, readiness, restarts, node and revision; PVCs per claim template', () => {
    const t = s.tree();
    for (const i of [0, 1, 2]) {
      assert.match(t, new RegExp(`^      web-${i} — Running · ready · 0 restarts · on simulator-node · current rev web-\\w+$`, 'm'));
      assert.match(t, new RegExp(`^        www-web-${i} — Bound · 1Gi · standard$`, 'm'));
      assert.match(t, new RegExp(`^        data-postgres-${i} — Bound · 10Gi · standard$`, 'm'));
      assert.match(t, new RegExp(`^        wal-postgres-${i} — Bound · 2Gi · standard$`, 'm'));
    }
    const web = s.conn.model.view('default/web')!;
    assert.deepEqual(
      web.ordinals.map((o) => [o.podName, o.missing, o.pvcs.map((p) => p.name)]),
      [
        ['web-0', false, ['www-web-0']],
        ['web-1', false, ['www-web-1']],
        ['web-2', false, ['www-web-2']],
      ],
    );
  });

  test('partitioned rolling update: progress text and current vs update revision per ordinal', () => {
    const cache = s.conn.model.view('default/cache')!;
    assert.equal(cache.summary, '4/4 ready · updating 2/4, partition 2');
    assert.deepEqual(
      cache.ordinals.map((o) => o.revisionState),
      ['current', 'current', 'update', 'update'],
    );
    assert.notEqual(cache.currentRevision, cache.updateRevision);
    assert.equal(cache.revisions.length, 2);
    const node = statefulSetChildren('simulator', cache).find((n) => n.label === 'cache-2')!;
    assert.match(node.description!, new RegExp(`update rev ${cache.updateRevision}`));
    assert.equal(node.contextValue, 'statefulsetStudio.pod');
  });

  test('PVCs of ordinals ≥ replicas are listed as retained after scale-down, with size', () => {
    const q = s.conn.model.view('default/queue')!;
    assert.deepEqual(
      q.orphans.map((p) => [p.name, p.capacity, p.phase]),
      [
        ['data-queue-2', '5Gi', 'Bound'],
        ['data-queue-3', '5Gi', 'Bound'],
        ['data-queue-4', '5Gi', 'Bound'],
      ],
    );
    const t = s.tree();
    assert.match(t, /^      retained after scale-down — 3 PVCs$/m);
    assert.match(t, /^        data-queue-3 — 5Gi · Bound · retained after scale-down$/m);
    const orphanNode = statefulSetChildren('simulator', q).find((n) => n.kind === 'orphans')!;
    assert.equal(orphanNode.contextValue, 'statefulsetStudio.orphans');
  });

  test('ordinals not yet created show as missing (controller paused)', async () => {
    s.api.controller.paused = true;
    try {
      s.api.create({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'pending', namespace: 'default' },
        spec: {
          replicas: 2,
          serviceName: 'pending',
          selector: { matchLabels: { app: 'pending' } },
          template: { metadata: { labels: { app: 'pending' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
          volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } } }],
        },
      });
      const v = await until(s.conn.model, () => s.conn.model.view('default/pending'), 'pending StatefulSet');
      assert.deepEqual(
        v.ordinals.map((o) => [o.podName, o.missing, o.pvcs[0].phase]),
        [
          ['pending-0', true, 'Missing'],
          ['pending-1', true, 'Missing'],
        ],
      );
      assert.match(s.tree(), /^      pending-1 — missing \(not created yet\)$/m);
      assert.match(s.tree(), /^        d-pending-0 — not created · 3Gi$/m);
      const n = statefulSetChildren('simulator', v)[0];
      assert.equal(n.contextValue, 'statefulsetStudio.ordinal.missing');
    } finally {
      s.api.controller.paused = false;
    }
    // pods and PVCs come on separate watches: a pod may be seen Ready before its claim's last update
    const created = await until(s.conn.model, () => s.conn.model.view('default/pending')?.ordinals.every((o) => o.pod?.ready && o.pvcs[0].phase === 'Bound') && s.conn.model.view('default/pending'), 'pending pods ready, claims bound');
    assert.deepEqual(created.ordinals.map((o) => [o.podName, o.missing, o.pvcs[0].pvc?.metadata?.name]), [
      ['pending-0', false, 'd-pending-0'],
      ['pending-1', false, 'd-pending-1'],
    ]);
  });

  test('live: a scale through the API reaches the model, only that StatefulSet is reported changed', async () => {
    const changes: string[][] = [];
    const unsub = s.conn.model.onDidChange((c) => changes.push([...c.keys]));
    const t0 = Date.now();
    await ops.scale(s.conn.http, 'default', 'web', 5);
    const firstSeen = await until(s.conn.model, () => s.conn.model.view('default/web')?.replicas === 5 && Date.now(), 'spec.replicas 5');
    await ops.waitForScale(s.conn.model, 'default/web', 5);
    unsub();
    // the claims come on their own watch: bound before their pods ran, but maybe seen after them
    const web = await until(s.conn.model, () => s.conn.model.view('default/web')?.ordinals.every((o) => o.pvcs[0].phase === 'Bound') && s.conn.model.view('default/web'), 'claims bound');
    assert.deepEqual(web.ordinals.map((o) => o.podName), ['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
    assert.ok(web.ordinals.every((o) => o.pod?.ready));
    assert.equal(web.summary, '5/5 ready');
    // every change notification during this scale named only web (coalesced, no tree-wide refresh)
    assert.ok(changes.length > 0);
    // (the StatefulSets with no activity are never named)
    for (const keys of changes) for (const quiet of ['default/cache', 'default/queue', 'databases/postgres']) assert.ok(!keys.includes(quiet), `unexpected keys ${keys}`);
    assert.ok(changes.every((keys) => keys.includes('default/web') || keys.every((k) => k === 'default/pending')));
    console.log(`# figure: scale PATCH → change in model: ${firstSeen - t0} ms (includes the PATCH round trip)`);
  });

  test('live: deleting a pod shows it terminating/missing, then recreated with the same name and PVC', async () => {
    const before = s.conn.model.view('default/web')!.ordinals[1].pod!.pod.metadata!.uid;
    await ops.deletePod(s.conn.http, 'default', 'web-1');
    const v = await until(
      s.conn.model,
      () => {
        const o = s.conn.model.view('default/web')!.ordinals[1];
        return o.pod && o.pod.pod.metadata?.uid !== before && o.pod.ready && s.conn.model.view('default/web');
      },
      'web-1 recreated and ready',
    );
    assert.equal(v.ordinals[1].podName, 'web-1');
    assert.equal(v.ordinals[1].pvcs[0].name, 'www-web-1');
    assert.equal(v.ordinals[1].pvcs[0].phase, 'Bound');
  });

  test('live: a rolling update moves ordinals from the current to the update revision', async () => {
    const sts = await ops.getStatefulSet(s.conn.http, 'databases', 'postgres');
    await s.conn.http.request('PATCH', '/apis/apps/v1/namespaces/databases/statefulsets/postgres', {
      body: { spec: { template: { spec: { containers: [{ name: sts.spec!.template!.spec!.containers![0].name, image: 'postgres:16.5' }] } } } },
      contentType: 'application/strategic-merge-patch+json',
    });
    const done = await until(
      s.conn.model,
      () => {
        const v = s.conn.model.view('databases/postgres')!;
        return v.revisions.length === 2 && v.currentRevision === v.updateRevision && v.ordinals.every((o) => o.pod?.ready && o.pod.revision === v.updateRevision) && v;
      },
      'postgres rolled to the new revision',
    );
    assert.deepEqual(done.revisions.map((r) => r.revision), [1, 2]);
    assert.deepEqual(ops.revisionImages(done.revisions[1]), ['postgres:16.5']);
  });
});

describe('buildView (pure join)', () => {
  test('ties pods by controller owner UID, not by name alone; ordinals.start respected', () => {
    const sts = {
      metadata: { name: 'db', namespace: 'n', uid: 'u1' },
      spec: { replicas: 2, ordinals: { start: 5 }, volumeClaimTemplates: [{ metadata: { name: 'data' } }] },
      status: { readyReplicas: 1, currentRevision: 'r1', updateRevision: 'r1' },
    };
    const owned = { metadata: { name: 'db-5', namespace: 'n', ownerReferences: [{ kind: 'StatefulSet', uid: 'u1', controller: true }], labels: { 'controller-revision-hash': 'r1' } }, status: { phase: 'Running' } };
    const stranger = { metadata: { name: 'db-6', namespace: 'n', ownerReferences: [{ kind: 'StatefulSet', uid: 'other', controller: true }] } };
    const pvcs = new Map([
      ['data-db-5', { metadata: { name: 'data-db-5' }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } }],
      ['data-db-9', { metadata: { name: 'data-db-9' }, status: { phase: 'Lost' } }],
      ['data-db-x', { metadata: { name: 'data-db-x' }, status: { phase: 'Bound' } }],
    ]);
    const v = buildView(sts, new Map([['u1', [owned]], ['other', [stranger]]]), pvcs, new Map());
    assert.deepEqual(v.ordinals.map((o) => [o.podName, o.missing]), [
      ['db-5', false],
      ['db-6', true],
    ]);
    assert.deepEqual(v.orphans.map((p) => [p.name, p.phase]), [['data-db-9', 'Lost']]);
    assert.equal(v.ordinals[0].revisionState, 'current');
  });
});

describe('tree refresh plan (what the VS Code provider fires)', () => {
  let s: Setup;
  before(async () => {
    s = await setup({ namespace: 'default' });
  });
  after(async () => {
    await s?.close();
  });

  test('a scale refreshes exactly the StatefulSet node, same object, data already current', async () => {
    const { TreeState } = await import('../../client/src/cluster/treeState');
    const ts = new TreeState(s.conn);
    const walk = (n?: import('../../client/src/cluster/tree').TreeNode): void => {
      for (const c of ts.children(n)) if (c.collapsible !== 'none') walk(c);
    };
    walk();
    const web = ts.get('ctx:simulator/sts:default/web')!;
    assert.equal(web.description, '3/3 ready · OrderedReady');
    const plans: Array<string[] | undefined> = [];
    const off = s.conn.model.onDidChange((c) => {
      const p = ts.refreshFor(c);
      plans.push(p?.map((n) => n.id));
    });
    await ops.scale(s.conn.http, 'default', 'web', 4);
    await ops.waitForScale(s.conn.model, 'default/web', 4);
    off();
    assert.ok(plans.length > 0);
    for (const p of plans) assert.deepEqual(p, ['ctx:simulator/sts:default/web']);
    // the very object VS Code holds now carries the new description (getTreeItem reads it)
    assert.equal(ts.get('ctx:simulator/sts:default/web'), web);
    assert.equal(web.description, '4/4 ready · OrderedReady');
    // and its children are rebuilt from the model when VS Code asks again
    assert.deepEqual(ts.children(web).filter((n) => n.kind === 'ordinal').map((n) => n.label), ['web-0', 'web-1', 'web-2', 'web-3']);
  });
});
