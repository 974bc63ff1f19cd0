// Reconnection and errors, owned by the cluster layer: 410 relist, dropped watches, server restart,
// 403 on one resource (the rest keeps working), 401, Status messages, and no token in any log line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClusterConnection, ALL_NAMESPACES } from '../../client/src/cluster/connection';
import { KubeError } from '../../client/src/cluster/errors';
import { Logger } from '../../client/src/cluster/log';
import * as ops from '../../client/src/cluster/operations';
import { problemNodes, renderTree } from '../../client/src/cluster/tree';
import { FAST_BACKOFF, setup, until, type Setup } from './helpers';

const allTokens = (s: Setup) => Object.values(s.api.tokens);
function assertNoTokens(s: Setup, extra: string[] = []) {
  const text = s.logs.join('\n') + extra.join('\n');
  for (const t of allTokens(s)) assert.ok(!text.includes(t), 'a token leaked into the log');
  assert.ok(!/bearer\s+[a-z0-9]/i.test(text), 'an Authorization header leaked into the log');
}

describe('reconnection', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
  });
  after(async () => {
    await s?.close();
  });

  test('forced 410 (expired resource versions) → relist, and live updates continue', async () => {
    const relisted = Promise.all(Object.values(s.conn.model.reflectors).map((r) => new Promise<void>((res) => { const off = r.onActivity((a) => { if (a === 'relist410') { off(); res(); } }); })));
    await allWatching(s);
    s.api.faults.expireResourceVersions();
    await bounded(relisted, 'relist after 410 on all four resources');
    assert.ok(s.logs.some((l) => /→ relist/.test(l)), 'the relist is logged');
    await ops.scale(s.conn.http, 'default', 'web', 4);
    await ops.waitForScale(s.conn.model, 'default/web', 4);
    assert.equal(s.conn.model.view('default/web')!.ordinals.length, 4);
  });

  test('dropped watches (abrupt) → re-watch, live updates continue', async () => {
    await allWatching(s);
    const watches = s.conn.model.reflectors.pods.stats.watches;
    assert.equal(s.api.faults.dropWatches({ abrupt: true }), 5); // four resources + the Warning events
    await ops.scale(s.conn.http, 'default', 'web', 3);
    await ops.waitForScale(s.conn.model, 'default/web', 3);
    assert.ok(s.conn.model.reflectors.pods.stats.watches > watches);
    assert.equal(s.conn.model.connection().phase, 'connected');
  });

  test('server down → "disconnected — retrying" in the tree; back up → recovery and live updates', async () => {
    // (wait until all four watches are open: a connection still in its TLS handshake keeps the
    // simulator's pause() waiting)
    await allWatching(s);
    await s.api.pause();
    await until(s.conn.model, () => s.conn.model.connection().phase === 'disconnected', 'disconnected');
    const t = s.tree();
    assert.match(t, /^simulator — all namespaces · disconnected — retrying$/m);
    assert.match(t, /^  disconnected — retrying — (Cannot reach|Watch connection to) https:\/\/127\.0\.0\.1:\d+/m);
    // the last known state stays visible
    assert.match(t, /web — 3\/3 ready/);
    await s.api.restart();
    await until(s.conn.model, () => s.conn.model.connection().phase === 'connected', 'reconnected');
    assert.doesNotMatch(s.tree(), /disconnected/);
    await ops.scale(s.conn.http, 'default', 'web', 2);
    await ops.waitForScale(s.conn.model, 'default/web', 2);
    assert.deepEqual(s.conn.model.view('default/web')!.orphans.map((p) => p.name), ['www-web-2', 'www-web-3']);
    assertNoTokens(s);
  });

  test('5xx on list → backoff and retry, the Status message is logged, then synced again', async () => {
    const r = s.conn.model.reflectors.revisions;
    const errors = r.stats.errors;
    const recovered = new Promise<void>((res) => { const off = r.onActivity((a) => { if (a === 'list' && r.stats.errors >= errors + 2) { off(); res(); } }); });
    await allWatching(s);
    s.api.faults.failNext(2, 503, { verb: 'list', pathIncludes: 'controllerrevisions', message: 'etcd is having a moment' });
    s.api.faults.expireResourceVersions();
    await bounded(recovered, 'revisions relisted after two 503s');
    assert.ok(s.logs.some((l) => l.includes('etcd is having a moment')));
  });
});

function bounded<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p.finally(() => clearTimeout(timer)), new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]);
}

/** Precondition: the simulator holds all four watch streams (checked each tick, bounded). */
async function allWatching(s: Setup): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (s.api.watchCount < 5) {
    if (Date.now() > deadline) throw new Error(`only ${s.api.watchCount} watches open`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('permissions and authentication', () => {
  let s: Setup;
  before(async () => {
    s = await setup({ waitConnected: false, context: 'simulator-restricted', namespace: 'default' });
  });
  after(async () => {
    await s?.close();
  });

  test('403 on PVCs → a node naming the missing permission; StatefulSets and pods still work', async () => {
    await until(s.conn.model, () => s.conn.model.states().pvcs.phase === 'forbidden' && s.conn.model.connection().phase === 'connected', 'pvcs forbidden, the rest synced');
    const t = s.tree();
    assert.match(t, /^  missing permission: list, watch persistentvolumeclaims in namespace "default" — 403$/m);
    assert.match(t, /^    web — 3\/3 ready/m);
    assert.match(t, /^      web-0 — Running · ready/m);
    assert.match(t, /^        missing permission: list, watch persistentvolumeclaims in namespace "default"$/m);
    assert.equal(s.conn.model.connection().phase, 'connected');
    const node = problemNodes('x', s.conn.model)[0];
    assert.equal(node.contextValue, 'statefulsetStudio.forbidden');
    assert.match(node.tooltip!, /forbidden/);
  });

  test('403 on scale → the error is the Status message', async () => {
    const err = await ops.scale(s.conn.http, 'default', 'web', 5).then(
      () => assert.fail('scale should be forbidden'),
      (e: unknown) => e as KubeError,
    );
    assert.ok(err instanceof KubeError);
    assert.equal(err.code, 403);
    assert.match(err.message, /^statefulsets.apps "web" is forbidden: User "restricted" cannot (patch|update) resource "statefulsets\/scale"/);
    assertNoTokens(s, [err.message]);
  });

  test('401 → unauthorized state telling the user to re-authenticate; no token logged', async () => {
    const kcPath = join(s.api.dir, 'bad-kubeconfig');
    writeFileSync(kcPath, s.api.kubeconfig.replace(s.api.tokens.admin, 'wrong-token-value-123'));
    const logs: string[] = [];
    const conn = new ClusterConnection({ source: { path: kcPath }, namespace: ALL_NAMESPACES, logger: new Logger((l, m) => logs.push(m)), backoff: FAST_BACKOFF }).start();
    try {
      await until(conn.model, () => conn.model.connection().phase === 'unauthorized', 'unauthorized');
      const t = renderTree(conn.context, conn.server, conn.model);
      assert.match(t, /^simulator — all namespaces · unauthorized — re-authenticate$/m);
      assert.match(t, /^  Unauthorized \(401\): re-authenticate to this cluster — Unauthorized: re-authenticate to this cluster \(Unauthorized\)$/m);
      const text = logs.join('\n');
      assert.ok(!text.includes('wrong-token-value-123'));
      for (const tok of allTokens(s)) assert.ok(!text.includes(tok));
    } finally {
      conn.stop();
    }
  });
});
