// No command reports success for a change its owner reverts — the write commands beyond Scale, against the
// simulator's managed StatefulSets through the stand-in `vscode`: Apply, Roll Back and Forced Rollback on Argo CD
// (selfHeal) with "do it once" report the revert as an error, with the change to commit to git as a diff
// document ("Show Diff"); Restore from Snapshot refuses an operator's StatefulSet (its re-create would race the
// PVC swap) and offers only "pause sync" for Argo CD; Resize Storage… from a PVC row asks the owner first.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { startApiServer, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { driveExplorer, waitUntil, type Driven } from './standIn';

const STS = resourceByKind('StatefulSet');
const REV = resourceByKind('ControllerRevision');
const ONCE = 'Do it once (it will be reverted)';

describe('owners: Apply, Roll Back, Forced Rollback, Restore, Resize from a PVC (stand-in vscode)', () => {
  let api: ApiServer;
  let ui: Driven;
  const live = (name: string) => api.store.peek(STS, 'managed', name)!;
  const image = (name: string) => live(name).spec.template.spec.containers[0].image;
  const writes = (from: number) => api.requests.slice(from).filter((r) => r.verb !== 'get' && r.verb !== 'list' && r.verb !== 'watch');

  before(async () => {
    process.env.STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS = '800';
    api = await startApiServer({ scenario: 'managed', podReadyDelayMs: 5, volumeResizeStepMs: 10 });
    api.owners.reconcileDelayMs = 100;
    ui = await driveExplorer(api, 'sts-owners-writes-');
    await ui.run('statefulsetStudio.selectNamespace', 'managed');
    await waitUntil(() => /payments-db — .*owner: Argo CD app payments · /.test(ui.tree()) && /mq-server — .*owner: RabbitmqCluster mq · /.test(ui.tree()), 'managed tree with owners').catch((e) => {
      throw new Error(`${e.message}\n${ui.tree()}`);
    });
  });
  beforeEach(async () => {
    await ui.run('statefulsetStudio.test.clearAnswers');
    await ui.prompts();
  });
  after(async () => {
    ui?.dispose();
    await api?.stop();
    delete process.env.STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS;
  });

  test('Apply, Argo CD "do it once": the revert is an error, the diff to commit is the live object vs the file', async () => {
    const [git] = api.owners.gitOf('Application', 'argocd', 'payments');
    const file = structuredClone(git);
    file.spec.replicas = 3;
    ui.stub.documents.set('file:///work/payments-db.yaml', stringify(file));
    await ui.prompts();
    // Argo CD's controller owns spec.replicas (server-side apply conflict): forced, then the owner's question
    await ui.run('statefulsetStudio.test.setAnswers', { warning: ['Force: take ownership of these fields', ONCE, 'Apply with force'] });
    const r = (await ui.run('statefulsetStudio.apply', 'file:///work/payments-db.yaml', 0)) as { applied: string[]; reverted?: string[] };
    const asked = await ui.prompts();
    assert.deepEqual(r.applied, ['StatefulSet payments-db'], JSON.stringify(asked, null, 1));
    assert.equal(r.reverted?.length, 1, 'reported as reverted');
    assert.match(asked[0].detail!, /spec\.replicas — owned by "argocd-controller"/);
    assert.match(asked[1].message, /^managed\/payments-db is managed by Argo CD app payments: a live apply is reverted — change `spec` in git/);
    const last = asked.at(-1)!;
    assert.equal(last.kind, 'error');
    assert.match(last.message, /^Applied StatefulSet payments-db \(server-side apply, field manager statefulset-studio\) — StatefulSet payments-db applied — then Argo CD app payments put it back\. .*To keep it, commit `spec\.replicas: 3` \(StatefulSet payments-db\) to git\.$/);
    assert.deepEqual(last.items, ['Show Diff']);
    assert.ok(!asked.some((p) => p.kind === 'info' && /^Applied/.test(p.message)), 'no plain success');
    const diff = (await ui.run('statefulsetStudio.test.getDocument', '/managed/payments-db/commit-to-git.diff')) as string;
    assert.match(diff, /^# managed\/payments-db: the change to commit \(Argo CD app payments\)\n/);
    assert.match(diff, /\n@@ spec\.replicas\n- 2\n\+ 3\n/);
    assert.doesNotMatch(diff, /managedFields|resourceVersion|status/);
    await api.waitFor(() => live('payments-db').spec.replicas === 2);
  });

  test('Roll Back, Argo CD "do it once": reverted → error; the template fields that differ are the diff to commit', async () => {
    // git moves to a new image: Argo CD syncs it, the controller records revision 2
    const [git] = api.owners.gitOf('Application', 'argocd', 'payments');
    git.spec.template.spec.containers[0].image = 'postgres:16.5';
    api.owners.setGit('Application', 'argocd', 'payments', [git]);
    await api.waitFor(() => image('payments-db') === 'postgres:16.5' && api.store.listRaw(REV, 'managed').filter((x: Obj) => /^payments-db-/.test(x.metadata.name)).length >= 2, 10_000);
    await waitUntil(() => ui.tree().includes('payments-db') && api.owners.idle, 'synced');
    await ui.prompts();
    await ui.run('statefulsetStudio.test.setAnswers', { warning: [ONCE, 'Roll back to revision 1'] });
    assert.equal(await ui.run('statefulsetStudio.rollback', 'managed/payments-db', 1), undefined);
    const asked = await ui.prompts();
    const last = asked.at(-1)!;
    assert.equal(last.kind, 'error', JSON.stringify(asked, null, 1));
    assert.match(last.message, /^payments-db rolled back to revision 1 — then Argo CD app payments put it back\. .*To keep it, commit `spec\.template\.spec\.containers\[0\]\.image: postgres:16\.4` \(StatefulSet payments-db\) to git\.$/);
    assert.deepEqual(last.items, ['Show Diff']);
    const diff = (await ui.run('statefulsetStudio.test.getDocument', '/managed/payments-db/commit-to-git.diff')) as string;
    assert.match(diff, /\n@@ spec\.template\.spec\.containers\[0\]\.image\n- postgres:16\.5\n\+ postgres:16\.4\n/);
    await api.waitFor(() => image('payments-db') === 'postgres:16.5');
  });

  test('Forced Rollback, Argo CD "do it once": reverted → error, not "every ordinal is Ready"', async () => {
    // the revision of postgres:16.4 (renumbered by the roll back and its revert above)
    const rev = api.store.listRaw(REV, 'managed').find((x: Obj) => /^payments-db-/.test(x.metadata.name) && JSON.stringify(x.data).includes('postgres:16.4'))!.revision;
    await ui.run('statefulsetStudio.test.setAnswers', { warning: [ONCE, 'Roll back and delete 2 pods'] });
    const r = await ui.run('statefulsetStudio.forcedRollback', 'managed/payments-db', rev);
    const asked = await ui.prompts();
    assert.equal(r, 'reverted', JSON.stringify(asked, null, 1));
    const last = asked.at(-1)!;
    assert.equal(last.kind, 'error', JSON.stringify(asked, null, 1));
    assert.match(last.message, /^payments-db rolled back to revision \d+ \(deleted [^)]*\) — then Argo CD app payments put it back\. Change `spec\.template` in git .* Its pods roll back to the owner's template\.$/);
    assert.ok(!asked.some((p) => p.kind === 'info' && /every ordinal is Ready/.test(p.message)));
    await api.waitFor(() => image('payments-db') === 'postgres:16.5');
  });

  test('Restore from Snapshot: refused for an operator (its re-create races the PVC swap); Argo CD offers only "pause sync"', async () => {
    const from = api.requests.length;
    const r = (await ui.run('statefulsetStudio.restoreSnapshot', { kind: 'pvc', stsKey: 'managed/mq-server', pvcName: 'persistence-mq-server-0', ordinal: 0 })) as { refused?: string[] };
    assert.match(r.refused?.[0] ?? '', /^Restore from Snapshot refused: managed\/mq-server is managed by RabbitmqCluster mq — .*re-creates a deleted StatefulSet — mid-restore that races the PVC swap/);
    assert.equal((await ui.prompts())[0].kind, 'error');
    await ui.run('statefulsetStudio.test.setAnswers', { warning: [null] });
    assert.deepEqual(await ui.run('statefulsetStudio.restoreSnapshot', { kind: 'pvc', stsKey: 'managed/payments-db', pvcName: 'data-payments-db-0', ordinal: 0 }), { cancelled: true });
    const asked = await ui.prompts();
    assert.deepEqual(asked[0].items, ['Pause sync, do it, resume']);
    assert.deepEqual(writes(from), [], 'nothing written');
  });

  test('Resize Storage… from a PVC row asks the owner first: an operator re-creates it, a cancel writes nothing', async () => {
    const from = api.requests.length;
    await ui.run('statefulsetStudio.test.setAnswers', { warning: [null] });
    assert.deepEqual(await ui.run('statefulsetStudio.resizePvc', { kind: 'pvc', stsKey: 'managed/mq-server', pvcName: 'persistence-mq-server-0', ordinal: 0 }), { cancelled: true });
    const asked = await ui.prompts();
    assert.equal(asked[0].kind, 'warning');
    assert.match(asked[0].message, /^managed\/mq-server is managed by RabbitmqCluster mq: Resize Storage deletes the StatefulSet \(orphan, pods and PVCs kept\), and RabbitmqCluster mq re-creates it from the RabbitmqCluster managed\/mq/);
    assert.deepEqual(asked[0].items, ['Let the owner re-create it']);
    assert.deepEqual(writes(from), []);
  });

  test('Resize Storage of a Helm release\'s StatefulSet ("do it anyway"): watched after the workflow, the result says the next upgrade reverts it', async () => {
    const file = structuredClone(live('sessions'));
    for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields']) delete file.metadata[k];
    delete file.status;
    file.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
    ui.stub.documents.set('file:///work/sessions.yaml', stringify(file));
    await ui.run('statefulsetStudio.test.setAnswers', { warning: ['Do it anyway', 'Resize'] });
    const out = (await ui.run('statefulsetStudio.resizeStorage', 'file:///work/sessions.yaml', 0)) as { result?: { samePods: boolean }; ownerReverted?: string };
    const asked = await ui.prompts();
    assert.equal(out.result?.samePods, true, JSON.stringify(asked, null, 1));
    assert.equal(out.ownerReverted, undefined);
    assert.equal(asked[0].message, 'managed/sessions is managed by Helm release sessions: the change stands only until the next `helm upgrade sessions`, which sets spec.volumeClaimTemplates[*].spec.resources.requests.storage from values key `persistence.size` (templates/statefulset.yaml line 27: `storage: {{ .Values.persistence.size | quote }}`; persistence.size: chart default 1Gi) — change it there instead.');
    const said = asked.filter((p) => p.kind === 'info' || (p.kind === 'warning' && /done/.test(p.message))).at(-1)!;
    assert.match(said.message, /^Resize storage of managed\/sessions: done; it held for 1 s, but Helm release sessions will revert it \(at its next sync \/ upgrade\)\. To keep it, set values key `persistence\.size` \(templates\/statefulset\.yaml line 27: .*\) to 2Gi and upgrade the release \(`helm upgrade sessions <chart> --reuse-values --set persistence\.size=2Gi`\)\. Same pods \(yes\), same PVCs \(yes\)\./);
    assert.equal(live('sessions').spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi');
  });

  test('Restart of an operator\'s StatefulSet, "do it once": an operator that rewrites its pod template removes the annotation → an error, not "restart requested"', async () => {
    // this test plays an operator that owns the whole pod template (as some do): it drops the annotation at once
    const stop = api.store.subscribe((ev) => {
      const o = ev.object;
      if (ev.key !== 'apps/statefulsets' || o.metadata.name !== 'mq-server' || !o.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']) return;
      setTimeout(() => {
        const cur = structuredClone(live('mq-server'));
        delete cur.metadata.resourceVersion;
        delete cur.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
        api.store.update(STS, cur);
      }, 50);
    });
    try {
      await ui.run('statefulsetStudio.test.setAnswers', { warning: [ONCE, 'Restart'] });
      assert.equal(await ui.run('statefulsetStudio.restart', 'managed/mq-server'), false);
      const asked = await ui.prompts();
      assert.match(asked[0].message, /^managed\/mq-server is managed by RabbitmqCluster mq: a live restart is reverted — change `spec\.template\.metadata\.annotations` of RabbitmqCluster managed\/mq instead\.$/);
      assert.deepEqual(asked[0].items, [ONCE], 'an operator cannot be paused from here');
      const last = asked.at(-1)!;
      assert.equal(last.kind, 'error', JSON.stringify(asked, null, 1));
      assert.match(last.message, /^mq-server: restart requested — then RabbitmqCluster mq put it back\. .* The pods were restarted, and are rolled once more back to the owner's template\.$/);
    } finally {
      stop();
    }
  });

  test('Resize Storage of the Flux one with "Pause sync" and git unchanged: said after the resume — Flux\'s sync now fails on the immutable field, commit it', async () => {
    const [git] = api.owners.gitOf('Kustomization', 'flux-system', 'apps');
    const file = structuredClone(git);
    file.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '40Gi';
    ui.stub.documents.set('file:///work/search.yaml', stringify(file));
    await ui.run('statefulsetStudio.test.setAnswers', { warning: ['Pause sync, do it, resume', 'Resize'] });
    const out = (await ui.run('statefulsetStudio.resizeStorage', 'file:///work/search.yaml', 0)) as { result?: { samePods: boolean; samePvcs: boolean }; ownerReverted?: string };
    const asked = await ui.prompts();
    assert.equal(out.result?.samePods, true, JSON.stringify(asked, null, 1));
    assert.equal(out.result?.samePvcs, true);
    assert.equal(out.ownerReverted, undefined, 'an immutable field is not put back');
    const said = asked.filter((p) => p.kind === 'info' || (p.kind === 'warning' && /: done/.test(p.message))).at(-1)!;
    assert.match(said.message, /^Resize storage of managed\/search: done; Flux Kustomization flux-system\/apps is resumed, but its sync fails now \(StatefulSet\.apps "search" is invalid: .*Forbidden.*\): commit the change to git so that it syncs again\. To keep it, commit `spec\.volumeClaimTemplates\[0\]\.spec\.resources\.requests\.storage: 40Gi` \(StatefulSet search\) to git\. Same pods \(yes\), same PVCs \(yes\)\./);
    assert.equal('suspend' in api.store.peek(resourceByKind('Kustomization'), 'flux-system', 'apps')!.spec, false, 'Flux resumed');
    assert.equal(live('search').spec.volumeClaimTemplates[0].spec.resources.requests.storage, '40Gi');
  });

  test('Helm, the chart in the workspace: the question names the values.yaml line that sets the field', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'sts-owners-ws-'));
    try {
      mkdirSync(join(ws, 'charts', 'redis'), { recursive: true });
      writeFileSync(join(ws, 'charts', 'redis', 'Chart.yaml'), 'apiVersion: v2\nname: redis\nversion: 19.6.4\n');
      writeFileSync(join(ws, 'charts', 'redis', 'values.yaml'), '# Redis\nimage:\n  repository: redis\n  tag: 7.2.5\n\nreplicaCount: 1\n');
      ui.vscode.workspace.workspaceFolders = [{ uri: { fsPath: ws }, name: 'ws', index: 0 }];
      await ui.run('statefulsetStudio.test.setAnswers', { inputBox: ['2'], warning: [null] });
      assert.equal(await ui.run('statefulsetStudio.scale', 'managed/sessions'), undefined);
      const [q] = await ui.prompts();
      assert.equal(q.message, 'managed/sessions is managed by Helm release sessions: the change stands only until the next `helm upgrade sessions`, which sets spec.replicas from values key `replicaCount` (charts/redis/values.yaml line 6; templates/statefulset.yaml line 10: `replicas: {{ .Values.replicaCount }}`; replicaCount: chart default 1) — change it there instead.');
    } finally {
      delete ui.vscode.workspace.workspaceFolders;
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
