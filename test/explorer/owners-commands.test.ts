// Every write asks the owner first — the VS Code side activated against the stand-in `vscode` module,
// the simulator's managed StatefulSets, prompts answered through the test hooks: Scale / Roll Back of
// an operator's StatefulSet are refused (CR named), Argo CD's "do it once" is reported as reverted (not
// as success), "pause sync, do it, resume" restores selfHeal (and the change stays when git has it),
// Helm warns about the next upgrade.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startApiServer, statefulSet, type ApiServer } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { driveExplorer, waitUntil, type Driven } from './standIn';

const STS = resourceByKind('StatefulSet');
const APP = resourceByKind('Application');

describe('owners: every write asks its owner first (stand-in vscode)', () => {
  let api: ApiServer;
  let ui: Driven;
  const run = (id: string, ...a: unknown[]) => ui.run(id, ...a);
  const prompts = () => ui.prompts();
  const replicas = (name: string) => api.store.peek(STS, 'managed', name)!.spec.replicas;

  before(async () => {
    process.env.STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS = '800';
    api = await startApiServer({ scenario: 'managed', podReadyDelayMs: 5 });
    api.owners.reconcileDelayMs = 100;
    ui = await driveExplorer(api, 'sts-owners-cmd-');
    await run('statefulsetStudio.selectNamespace', 'managed');
    await waitUntil(() => /sessions — .*owner: Helm release sessions/.test(ui.tree()) && /payments-db — .*owner: Argo CD app payments · /.test(ui.tree()) && /mq-server — .*owner: RabbitmqCluster mq · /.test(ui.tree()), 'managed tree with owners').catch((e) => { throw new Error(`${e.message}\n${ui.tree()}`); });
  });
  after(async () => {
    ui?.dispose();
    await api?.stop();
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
    assert.deepEqual(readdirSync(join(ui.ctx.globalStorageUri!.fsPath, 'recreate-journal', 'owner-pauses')), [], 'the pause journal is empty');
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

  test('Helm: the next helm upgrade overwrites it — said before and after, with the values key that sets the field (from the release)', async () => {
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['2'], warning: ['Do it anyway'] });
    assert.equal(await run('statefulsetStudio.scale', 'managed/sessions'), 2);
    const asked = await prompts();
    // the release Secret's chart: templates/statefulset.yaml line 10 is `replicas: {{ .Values.replicaCount }}`, values.yaml has replicaCount: 1
    const where = 'values key `replicaCount` (templates/statefulset.yaml line 10: `replicas: {{ .Values.replicaCount }}`; replicaCount: chart default 1)';
    assert.equal(asked[0].message, `managed/sessions is managed by Helm release sessions: the change stands only until the next \`helm upgrade sessions\`, which sets spec.replicas from ${where} — change it there instead.`);
    assert.equal(asked.at(-1)!.message, `sessions scaled to 2; it held for 1 s, but Helm release sessions will revert it (at its next sync / upgrade). To keep it, set ${where} to 2 and upgrade the release (\`helm upgrade sessions <chart> --reuse-values --set replicaCount=2\`).`);
    assert.equal(replicas('sessions'), 2);
  });

  test('an unmanaged StatefulSet is not asked about', async () => {
    api.create(statefulSet({ name: 'plain', namespace: 'managed', replicas: 1 }));
    await waitUntil(() => /plain — 1\/1 ready/.test(ui.tree()), 'plain ready');
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['2'] });
    assert.equal(await run('statefulsetStudio.scale', 'managed/plain'), 2);
    const asked = await prompts();
    assert.deepEqual(asked.map((p) => p.kind), ['inputBox', 'info']);
    assert.equal(asked[1].message, 'plain scaled to 2');
  });
});
