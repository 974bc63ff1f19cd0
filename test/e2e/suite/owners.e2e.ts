// Owners inside code-server (run: node test/run.mjs e2e/owners): the managed StatefulSets' rows name their
// owners; Scale of the operator's one is refused and its RabbitmqCluster opened; Scale of the Argo CD one with
// "Pause sync, do it, resume" keeps the new replicas and restores selfHeal (the node side checks with kubectl).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, screenshot, waitFor, workbench } from './util';

const state = () => vscode.commands.executeCommand<any>('statefulsetStudio.test.getState');
const tree = () => vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');
const answers = (a: object) => vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', a);
const prompts = () => vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');
const rows = () => workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);

describe('owners (editor)', () => {
  it('connects to namespace managed; each row names its owner', async () => {
    await vscode.extensions.getExtension('statefulset-studio.statefulset-studio')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.statefulsetStudio');
    await waitFor(async () => ((await state())?.state === 'connected' ? true : undefined), 'connected', 60_000);
    await vscode.commands.executeCommand('statefulsetStudio.selectNamespace', 'managed');
    const t = await waitFor(async () => {
      const x = await tree();
      return /mq-server — .*owner: RabbitmqCluster mq · /.test(x) && /payments-db — .*owner: Argo CD app payments · /.test(x) && /search — .*owner: Flux Kustomization flux-system\/apps · /.test(x) && /sessions — .*owner: Helm release sessions · /.test(x) ? x : undefined;
    }, 'owners in the tree', 60_000).catch(async (e) => { console.log('TREE\n' + (await tree())); throw e; });
    console.log('TREE\n' + t);
    const shown = await waitFor(async () => {
      const r = await rows();
      return r.some((x) => /owner: RabbitmqCluster mq · /.test(x)) && r.some((x) => /owner: Argo CD app payments · /.test(x)) ? r : undefined;
    }, 'owner rows', 20_000).catch(async (e) => { console.log('ROWS ' + JSON.stringify(await rows())); throw e; });
    console.log('ROWS ' + JSON.stringify(shown));
    await screenshot('owners-tree');
  });

  it('Scale of the operator-owned StatefulSet is refused and the RabbitmqCluster is opened', async () => {
    await prompts();
    const r = await vscode.commands.executeCommand('statefulsetStudio.scale', 'managed/mq-server');
    assert.equal(r, undefined);
    const asked = await prompts();
    console.log('PROMPTS ' + JSON.stringify(asked));
    assert.deepEqual(asked.map((p) => p.kind), ['error']);
    assert.equal(asked[0].message, 'Scale refused: managed/mq-server is managed by RabbitmqCluster mq — change `spec.replicas` of RabbitmqCluster managed/mq instead.');
    const doc = await waitFor(() => {
      const e = vscode.window.activeTextEditor;
      return e && /^kind: RabbitmqCluster$/m.test(e.document.getText()) ? e.document : undefined;
    }, 'the CR opened', 10_000);
    assert.match(doc.getText(), /^  replicas: 3$/m);
    assert.ok(doc.uri.scheme !== 'file', `read-only virtual document, not ${doc.uri.toString()}`);
    await screenshot('operator-refused');
  });

  it('Scale of the Argo CD one with "Pause sync, do it, resume": replicas stay, selfHeal restored', async () => {
    await answers({ inputBox: ['3'], warning: ['Pause sync, do it, resume'] });
    const r = await vscode.commands.executeCommand('statefulsetStudio.scale', 'managed/payments-db');
    const asked = await prompts();
    console.log('PROMPTS ' + JSON.stringify(asked));
    assert.equal(r, 3);
    assert.equal(asked[0].kind, 'warning');
    assert.deepEqual(asked[0].items, ['Pause sync, do it, resume', 'Do it once (it will be reverted)']);
    assert.match(asked.at(-1).message, /^payments-db scaled to 3; Argo CD app payments is resumed/);
    await waitFor(async () => (/payments-db — 3\/3 ready/.test(await tree()) ? true : undefined), 'payments-db 3/3', 30_000);
  });

  it('Resize Storage… of the Flux-owned one with "Pause sync, do it, resume": same pods and PVCs, 0 restarted, Flux resumed', async () => {
    const ed = await openFile('search.yaml', process.env.E2E_FLUX_RESIZE_MANIFEST!);
    await prompts();
    await answers({ warning: ['Pause sync, do it, resume', 'Resize'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.resizeStorage', ed.document.uri, 0);
    const asked = await prompts();
    console.log('RESIZE ' + JSON.stringify(out) + ' PROMPTS ' + JSON.stringify(asked));
    assert.match(asked[0].message, /^managed\/search is managed by Flux Kustomization flux-system\/apps: Resize Storage deletes the StatefulSet \(orphan, pods and PVCs kept\), and Flux Kustomization flux-system\/apps re-creates it from git/);
    assert.deepEqual(asked[0].items, ['Pause sync, do it, resume', 'Let the owner re-create it']);
    assert.match(asked[1].detail, /data-search-0 \(ordinal 0\): 20Gi → 30Gi/);
    assert.equal(out.result.samePods, true);
    assert.equal(out.result.samePvcs, true);
    assert.deepEqual(out.result.restartedPods, []);
    await waitFor(async () => (/search — 2\/2 ready · owner: Flux Kustomization flux-system\/apps · /.test(await tree()) ? true : undefined), 'search back, Flux-owned', 30_000);
  });
});
