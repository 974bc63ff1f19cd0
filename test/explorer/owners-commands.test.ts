// Every write asks the owner first — the VS Code side activated against the stand-in `vscode` module,
// the simulator's managed StatefulSets, prompts answered through the test hooks: Scale / Roll Back of
// an operator's StatefulSet are refused (CR named), Argo CD's "do it once" is reported as reverted (not
// as success), "pause sync, do it, resume" restores selfHeal (and the change stays when git has it),
// Helm warns about the next upgrade.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { startApiServer, statefulSet, type ApiServer } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';

const root = new URL('../..', import.meta.url).pathname;
const STS = resourceByKind('StatefulSet');
const APP = resourceByKind('Application');

type Prompt = { kind: string; message: string; detail?: string; items?: string[] };

function waitUntil<T>(check: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check();
      if (v) return resolve(v);
      if (Date.now() > deadline) return reject(new Error(`timed out: ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('owners: every write asks its owner first (stand-in vscode)', () => {
  let api: ApiServer;
  let dir: string;
  let stub: { trusted: boolean; config: Record<string, unknown>; commands: Map<string, (...a: unknown[]) => unknown>; contextKeys: Record<string, unknown> };
  let explorerApi: { explorer: { dispose(): void; renderTree(): string } };
  const state = new Map<string, unknown>();
  const ctx = { subscriptions: [] as Array<{ dispose(): void }>, globalState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v) }, asAbsolutePath: (p: string) => join(root, p), globalStorageUri: { fsPath: '' } };
  const run = (id: string, ...a: unknown[]) => Promise.resolve(stub.commands.get(id)!(...a));
  const prompts = async () => (await run('statefulsetStudio.test.getPrompts')) as Prompt[];
  const replicas = (name: string) => api.store.peek(STS, 'managed', name)!.spec.replicas;

  before(async () => {
    process.env.STATEFULSET_STUDIO_TEST = '1';
    process.env.STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS = '800';
    api = await startApiServer({ scenario: 'managed', podReadyDelayMs: 5 });
    api.owners.reconcileDelayMs = 100;
    dir = mkdtempSync(join(tmpdir(), 'sts-owners-cmd-'));
    ctx.globalStorageUri.fsPath = join(dir, 'storage');
    const out = join(dir, 'explorer.cjs');
    await esbuild.build({
      entryPoints: [join(root, 'client/src/explorer/index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: out,
      plugins: [{ name: 'vscode-stub', setup: (b) => b.onResolve({ filter: /^vscode$/ }, () => ({ path: join(root, 'test/explorer/fixtures/vscode-stub.cjs'), external: true })) }],
      logLevel: 'silent',
    });
    const req = createRequire(out);
    const mod = req(out) as { activateExplorer(c: unknown): typeof explorerApi };
    stub = (req(join(root, 'test/explorer/fixtures/vscode-stub.cjs')) as { __stub: typeof stub }).__stub;
    stub.trusted = true;
    stub.config['statefulsetStudio.kubeconfig'] = api.kubeconfigPath;
    explorerApi = mod.activateExplorer(ctx);
    await waitUntil(() => stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected');
    await run('statefulsetStudio.selectNamespace', 'managed');
    await waitUntil(() => /sessions — .*owner: Helm release sessions/.test(explorerApi.explorer.renderTree()) && /payments-db — .*owner: Argo CD app payments · /.test(explorerApi.explorer.renderTree()) && /mq-server — .*owner: RabbitmqCluster mq · /.test(explorerApi.explorer.renderTree()), 'managed tree with owners').catch((e) => { throw new Error(`${e.message}\n${explorerApi.explorer.renderTree()}`); });
  });
  after(async () => {
    explorerApi?.explorer.dispose();
    for (const d of ctx.subscriptions) d.dispose();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    delete process.env.STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS;
  });

  test('operator: Scale and Roll Back refuse, name the CR field, change nothing', async () => {
    await prompts();
    const before = api.requests.length;
    assert.equal(await run('statefulsetStudio.scale', 'managed/mq-server'), undefined);
    const asked = await prompts();
    assert.deepEqual(asked.map((p) => p.kind), ['error'], 'refused before asking for a number');
    assert.equal(asked[0].message, 'Scale refused: managed/mq-server is managed by RabbitmqCluster mq — change `spec.replicas` of RabbitmqCluster managed/mq instead.');
    assert.equal(await run('statefulsetStudio.rollback', 'managed/mq-server', 1), undefined);
    assert.match((await prompts())[0].message, /^Roll Back refused: .* change `spec.template` of RabbitmqCluster managed\/mq instead\.$/);
    assert.ok(!api.requests.slice(before).some((r) => r.verb !== 'get' && r.verb !== 'list' && r.verb !== 'watch'), 'no write reached the server');
    assert.equal(replicas('mq-server'), 3);
  });

  test('Argo CD selfHeal, "do it once": the revert is reported, not a success', async () => {
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['3'], warning: ['Do it once (it will be reverted)'] });
    assert.equal(await run('statefulsetStudio.scale', 'managed/payments-db'), undefined);
    const asked = await prompts();
    assert.equal(asked[0].kind, 'warning');
    assert.equal(asked[0].message, 'managed/payments-db is managed by Argo CD app payments: a live scale is reverted — change `spec.replicas` in git (the source of Argo CD app payments) instead.');
    assert.deepEqual(asked[0].items, ['Pause sync, do it, resume', 'Do it once (it will be reverted)']);
    assert.match(asked[0].detail!, /Git is the source of truth/);
    const last = asked.at(-1)!;
    assert.equal(last.kind, 'error');
    assert.match(last.message, /^payments-db scaled to 3 — then Argo CD app payments put it back\. .* To keep it, commit `spec.replicas: 3` \(StatefulSet payments-db\) to git\.$/);
    assert.ok(!asked.some((p) => p.kind === 'info' && /scaled to 3$/.test(p.message)), 'no plain success');
    await api.waitFor(() => replicas('payments-db') === 2);
  });

  test('Argo CD "pause sync, do it, resume": selfHeal off while scaling, restored after; with the change in git it stays', async () => {
    // the user committed replicas: 3 to git (the Application's source); Argo CD has not fetched it yet: live is still 2
    const [desired] = api.owners.gitOf('Application', 'argocd', 'payments');
    api.owners.setGit('Application', 'argocd', 'payments', [{ ...desired, spec: { ...desired.spec, replicas: 3 } }], { fetch: false });
    assert.equal(replicas('payments-db'), 2);
    const selfHeal: boolean[] = [];
    const unsub = api.store.subscribe((ev) => {
      if (ev.key === 'argoproj.io/applications') selfHeal.push(ev.object.spec.syncPolicy.automated.selfHeal);
    });
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['3'], warning: ['Pause sync, do it, resume'] });
    const r = await run('statefulsetStudio.scale', 'managed/payments-db');
    unsub();
    assert.equal(r, 3);
    assert.deepEqual(selfHeal, [false, true], 'paused, then resumed');
    assert.equal(api.store.peek(APP, 'argocd', 'payments')!.spec.syncPolicy.automated.selfHeal, true);
    const last = (await prompts()).at(-1)!;
    assert.equal(last.kind, 'info');
    assert.match(last.message, /^payments-db scaled to 3; Argo CD app payments is resumed/);
    assert.equal(replicas('payments-db'), 3);
    assert.deepEqual(readdirSync(join(ctx.globalStorageUri.fsPath, 'recreate-journal', 'owner-pauses')), [], 'the pause journal is empty');
  });

  test('Argo CD, Restart: the annotation is not in git, Argo CD leaves it — no owner prompt, it stays', async () => {
    await run('statefulsetStudio.test.setAnswers', { warning: ['Restart'] });
    assert.equal(await run('statefulsetStudio.restart', 'managed/payments-db'), true);
    const asked = await prompts();
    assert.deepEqual(asked.map((p) => p.kind), ['warning', 'info']);
    assert.equal(asked[0].message, 'Restart payments-db?');
    assert.equal(asked[1].message, 'payments-db: restart requested');
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(api.store.peek(STS, 'managed', 'payments-db')!.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']);
  });

  test('Helm: the next helm upgrade overwrites it — said before, and after', async () => {
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['2'], warning: ['Do it anyway'] });
    assert.equal(await run('statefulsetStudio.scale', 'managed/sessions'), 2);
    const asked = await prompts();
    assert.equal(asked[0].message, 'managed/sessions is managed by Helm release sessions: the change stands only until the next `helm upgrade sessions` — set the chart value behind `spec.replicas` and run `helm upgrade sessions` instead.');
    assert.match(asked.at(-1)!.message, /^sessions scaled to 2; it held for 1 s, but Helm release sessions will revert it \(at its next sync \/ upgrade\)\. To keep it, set the chart value that renders `spec.replicas: 2` and upgrade the release\.$/);
    assert.equal(replicas('sessions'), 2);
  });

  test('an unmanaged StatefulSet is not asked about', async () => {
    api.create(statefulSet({ name: 'plain', namespace: 'managed', replicas: 1 }));
    await waitUntil(() => /plain — 1\/1 ready/.test(explorerApi.explorer.renderTree()), 'plain ready');
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['2'] });
    assert.equal(await run('statefulsetStudio.scale', 'managed/plain'), 2);
    const asked = await prompts();
    assert.deepEqual(asked.map((p) => p.kind), ['inputBox', 'info']);
    assert.equal(asked[1].message, 'plain scaled to 2');
  });
});
