// Faults not covered by test/explorer/resilience.test.ts: 409 on scale and on a rollback's apply
// (one readable message, no half-change), slow responses (the tree shows its state meanwhile and
// never shows stale data as fresh), and the API server going away mid-watch and coming back
// (recovery within the backoff bound: every wait ≤ maxMs plus jitter, the first retry after the
// server is back succeeds).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { Logger } from '../../client/src/cluster/log';
import { renderTree } from '../../client/src/cluster/tree';
import { FAST_BACKOFF, until } from '../explorer/helpers';
import { resourceByKind, startApiServer, type ApiServer } from '../../simulator/index';
import { loadStandIn, waitUntil, type StandIn } from './standin';

const CONFLICT = 'Operation cannot be fulfilled on statefulsets.apps "web": the object has been modified; please apply your changes to the latest version and try again';

describe('409 conflicts and slow responses through the commands (stand-in vscode)', () => {
  let api: ApiServer;
  let s: StandIn;
  const sts = (name: string) => api.store.dump()['apps/statefulsets'].find((o) => o.metadata?.namespace === 'default' && o.metadata?.name === name)!;

  before(async () => {
    api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5 });
    s = await loadStandIn();
    s.stub.trusted = true;
    s.stub.config['statefulsetStudio.kubeconfig'] = api.kubeconfigPath;
    s.activate();
    await waitUntil(() => s.stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected');
    await api.settle();
  });
  after(async () => {
    s?.dispose();
    await api?.stop();
  });

  test('409 on scale → one readable message (the Status message), replicas unchanged', async () => {
    const before = JSON.stringify(sts('web'));
    await s.takePrompts();
    api.faults.failNext(1, 409, { verb: 'patch', pathIncludes: '/statefulsets/web/scale', message: CONFLICT });
    await s.run('statefulsetStudio.test.setAnswers', { inputBox: ['1'], warning: ['Scale down'] });
    assert.equal(await s.run('statefulsetStudio.scale', 'default/web'), undefined);
    const shown = (await s.takePrompts()).filter((p) => p.kind === 'error' || p.kind === 'info');
    assert.deepEqual(shown.map((p) => [p.kind, p.message]), [['error', CONFLICT]], 'one message, no "scaled" info');
    assert.equal(JSON.stringify(sts('web')), before, 'the StatefulSet is untouched');
    assert.equal(s.stub.logLines.filter((l) => l.includes('scaled default/web')).length, 0, 'no "scaled" log line');
  });

  test('409 on a rollback\'s apply (object changed between dry run and confirmation) → one message, template unchanged', async () => {
    const before = JSON.stringify(sts('cache').spec);
    await s.takePrompts();
    // the confirmation reaches the editor: answer it, and let the object change meanwhile (409 on the apply)
    const orig = s.vscode.window.showWarningMessage;
    s.vscode.window.showWarningMessage = async (_m: string, _o: unknown, ...buttons: string[]) => {
      api.faults.failNext(1, 409, { verb: 'patch', pathIncludes: '/statefulsets/cache', message: CONFLICT.replace('"web"', '"cache"') });
      return buttons[0];
    };
    try {
      assert.equal(await s.run('statefulsetStudio.rollback', 'default/cache', 1), undefined);
    } finally {
      s.vscode.window.showWarningMessage = orig;
    }
    const shown = (await s.takePrompts()).filter((p) => p.kind === 'error' || p.kind === 'info');
    assert.deepEqual(shown.map((p) => [p.kind, p.message]), [['error', CONFLICT.replace('"web"', '"cache"')]]);
    assert.equal(JSON.stringify(sts('cache').spec), before, 'the template is untouched');
  });

  test('slow responses: switching context shows the new context connecting, never the old rows as its data', async () => {
    api.faults.setLatency(300);
    try {
      await s.run('statefulsetStudio.selectContext', 'simulator-restricted');
      const ex = s.stub.statusBars[0];
      // at once: the new context, connecting, and no StatefulSet row (the old connection's data is gone)
      assert.equal(s.stub.contextKeys['statefulsetStudio.state'], 'connecting');
      assert.match(ex.text, /^\$\(sync~spin\) simulator-restricted\/default$/);
      const provider = s.stub.treeViews[0].provider;
      const seen: string[] = [];
      const look = () => {
        const ctxNodes = provider.getChildren();
        const rows = ctxNodes.flatMap((c) => provider.getChildren(c)).flatMap((n) => [n, ...(n.collapsible !== 'none' ? provider.getChildren(n) : [])]);
        const text = [...ctxNodes.map((c) => `${c.label} — ${c.description}`), ...rows.map((r) => `${r.label} — ${r.description ?? ''}`)].join('\n');
        seen.push(text);
        return text;
      };
      const first = look();
      assert.match(first, /^simulator-restricted — default · connecting…$/m);
      assert.doesNotMatch(first, /web — /);
      const done = await waitUntil(() => {
        const t = look();
        return s.stub.contextKeys['statefulsetStudio.state'] === 'connected' && /web — 3\/3 ready/.test(t) && t;
      }, 'connected through the slow server');
      assert.match(done, /^simulator-restricted — default$/m);
      // every view while it was loading said so
      for (const t of seen.slice(0, -1)) if (/web — /.test(t) === false) assert.match(t, /connecting…|^$/m);
    } finally {
      api.faults.setLatency(0);
      await s.run('statefulsetStudio.selectContext', 'simulator');
      await waitUntil(() => s.stub.contextKeys['statefulsetStudio.state'] === 'connected', 'back');
    }
  });
});

describe('slow responses and restarts, cluster layer', () => {
  let api: ApiServer;
  const conns: ClusterConnection[] = [];
  const connect = () => {
    const c = new ClusterConnection({ source: { path: api.kubeconfigPath }, namespace: 'default', backoff: FAST_BACKOFF, logger: new Logger() }).start();
    conns.push(c);
    return c;
  };
  const tree = (c: ClusterConnection) => renderTree(c.context, c.server, c.model);
  before(async () => {
    api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5 });
    await api.settle();
  });
  after(async () => {
    for (const c of conns) c.stop();
    await api?.stop();
  });

  test('slow lists: "connecting…" until every resource is listed; the first tree without it is complete', async () => {
    api.faults.setLatency(250);
    try {
      const conn = connect();
      const renders: Array<{ phase: string; tree: string }> = [];
      const off = conn.model.onDidChange(() => renders.push({ phase: conn.model.connection().phase, tree: tree(conn) }));
      assert.match(tree(conn), /^simulator — default · connecting…$/m);
      await until(conn.model, () => conn.model.connection().phase === 'connected', 'connected', 20_000);
      off();
      const firstFresh = renders.findIndex((r) => !/connecting…/.test(r.tree));
      assert.ok(firstFresh >= 0);
      for (const r of renders.slice(0, firstFresh)) assert.equal(r.phase, 'connecting');
      const t = renders[firstFresh].tree;
      assert.equal(renders[firstFresh].phase, 'connected');
      for (const row of [/^    cache — 4\/4 ready/m, /^    queue — 2\/2 ready/m, /^    web — 3\/3 ready/m, /^      web-2 — Running · ready/m, /^        www-web-0 — Bound/m, /^        revision 1 — current/m]) assert.match(t, row);
      conn.stop();
    } finally {
      api.faults.setLatency(0);
    }
  });

  test('API server gone mid-watch (all sockets cut, port closed) and back: recovers within the backoff bound', async () => {
    const conn = connect();
    await until(conn.model, () => conn.model.connection().phase === 'connected', 'connected');
    const deadline = Date.now() + 10_000;
    while (api.watchCount < 5) {
      if (Date.now() > deadline) throw new Error('watches not open');
      await new Promise((r) => setTimeout(r, 5));
    }
    const reflectors = Object.values(conn.model.reflectors);
    const waits: number[] = [];
    const offs = reflectors.map((r) =>
      // the state with the new retryAt is set right after the 'error' activity, synchronously
      r.onActivity((a) => {
        if (a === 'error') queueMicrotask(() => waits.push(r.state.retryAt! - Date.now()));
      }),
    );
    await api.pause();
    await until(conn.model, () => conn.model.connection().phase === 'disconnected', 'disconnected');
    // the last known state stays, marked as not live
    const t = tree(conn);
    assert.match(t, /^simulator — default · disconnected — retrying$/m);
    assert.match(t, /web — 3\/3 ready/);
    // let several retries fail (the backoff grows to its cap: 50 → 400 ms)
    await Promise.all(
      reflectors.map(
        (r) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`timed out: four failed attempts of ${r.label}`)), 20_000);
            const check = () => {
              if (r.state.attempt < 4) return false;
              clearTimeout(timer);
              off();
              resolve();
              return true;
            };
            const off = r.onActivity((a) => void (a === 'error' && check()));
            check();
          }),
      ),
    );
    // meanwhile the cluster changes
    const web = api.store.get(resourceByKind('StatefulSet'), 'default', 'web');
    (web.spec as { replicas: number }).replicas = 2;
    api.store.update(resourceByKind('StatefulSet'), web);
    await api.restart();
    const errorsAtReturn = reflectors.map((r) => r.stats.errors);
    await until(conn.model, () => conn.model.connection().phase === 'connected', 'reconnected', 20_000);
    offs.forEach((o) => o());
    reflectors.forEach((r, i) => assert.ok(r.stats.errors - errorsAtReturn[i] <= 1, `${r.label}: the first retry after the server came back succeeded (at most one attempt already under way failed)`));
    assert.ok(waits.length >= 16, `${waits.length} retries`);
    for (const w of waits) assert.ok(w <= FAST_BACKOFF.maxMs * 1.2 + 5, `a retry wait of ${w} ms exceeds the backoff cap`);
    // fresh data, not the state from before the outage
    await until(conn.model, () => conn.model.view('default/web')?.replicas === 2, 'the change made during the outage');
    assert.doesNotMatch(tree(conn), /disconnected/);
  });
});
