// File → cluster inside code-server (run: node test/run.mjs e2e/filecluster): a live StatefulSet's file with a
// larger claim storage → forbidden-update diagnostic, CodeLens and quick fix → Dry Run (server diagnostic) →
// Diff (a template change, in the diff editor) → Resize Storage… with its prompts answered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, openFile, screenshot, waitFor, workbench } from './util';

const state = () => vscode.commands.executeCommand<any>('statefulsetStudio.test.getState');
const tree = () => vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');
const answers = (a: object) => vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', a);
const prompts = () => vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');

describe('file → cluster (editor)', () => {
  let uri: vscode.Uri;
  it('connects and sees db', async () => {
    await vscode.extensions.getExtension('statefulset-studio.statefulset-studio')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.statefulsetStudio');
    await waitFor(async () => ((await state())?.state === 'connected' ? true : undefined), 'connected', 60_000);
    await waitFor(async () => (/db — 2\/2 ready/.test(await tree()) ? true : undefined), 'db in the tree');
  });
  it('a larger storage in the file: forbidden-update diagnostic, CodeLens and quick fix offer Resize Storage…', async () => {
    const ed = await openFile('db.yaml', process.env.E2E_RESIZE_MANIFEST!);
    uri = ed.document.uri;
    const diags = await waitFor(() => {
      const x = vscode.languages.getDiagnostics(uri).filter((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'forbidden-update');
      return x.length ? x : undefined;
    }, 'forbidden-update diagnostic', 30_000);
    console.log('FORBIDDEN ' + JSON.stringify(diags.map((d) => d.message)));
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const titles = (l ?? []).map((x) => x.command?.title ?? '');
      console.log('LENS-TRY ' + JSON.stringify(titles) + ' FIELDS ' + JSON.stringify((l ?? []).map((x) => x.command?.tooltip ?? '')));
      return titles.some((t) => /file differs/.test(t)) ? titles : undefined;
    }, 'CodeLens', 20_000, 1000);
    console.log('LENSES ' + JSON.stringify(lenses));
    assert.ok(lenses.some((t) => /^2\/2 ready · revision db-\w+ · file differs: 1 field$/.test(t)), lenses.join(' | '));
    assert.ok(lenses.includes('Resize Storage…'));
    for (const a of ['Dry Run', 'Diff', 'Apply']) assert.ok(lenses.includes(a), a);
    const { actions } = await codeActions(uri, diags[0].range);
    const titles = actions.map((a) => a.title);
    console.log('ACTIONS ' + JSON.stringify(titles));
    assert.ok(titles.some((t) => t.startsWith('Resize Storage…')));
    await screenshot('lens');
  });
  it('Dry Run on Server: the API server refusal becomes a diagnostic on spec', async () => {
    const r = await vscode.commands.executeCommand<any>('statefulsetStudio.dryRun', uri, 0);
    assert.equal(r.ok, false);
    const server = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kube-apiserver (dry run)');
    assert.equal(server.length, 1);
    assert.match(server[0].message, /^spec: Forbidden: updates to statefulset spec/);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(server[0].range).slice(0, 4), 'spec');
    await screenshot('dryrun');
  });
  it('Diff with Cluster: a template change opens live ↔ after apply', async () => {
    const ed = await openFile('db-image.yaml', process.env.E2E_IMAGE_MANIFEST!);
    const r = await vscode.commands.executeCommand<any[]>('statefulsetStudio.diff', ed.document.uri, 0);
    console.log('DIFF ' + JSON.stringify(r));
    assert.deepEqual(r[0].changed, ['spec.template.spec.containers[0].image']);
    await waitFor(() => (vscode.window.tabGroups.activeTabGroup.activeTab?.label.includes('live ↔ after apply') ? true : undefined), 'diff editor');
    await screenshot('diff');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  it('Resize Storage…: plan confirmed, PVCs grown, same pods and PVCs', async () => {
    await prompts();
    await answers({ warning: ['Resize'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.resizeStorage', uri, 0);
    const asked = await prompts();
    console.log('RESIZE ' + JSON.stringify(out) + ' PROMPTS ' + JSON.stringify(asked));
    const plan = asked.find((p) => p.kind === 'warning');
    assert.match(plan.detail, /data-db-0 \(ordinal 0\): 1Gi → 2Gi/);
    assert.match(plan.detail, /No step deletes a pod or a PVC/);
    assert.equal(out.result.samePods, true);
    assert.equal(out.result.samePvcs, true);
    assert.deepEqual(out.result.restartedPods, []);
    await waitFor(async () => (/db — 2\/2 ready/.test(await tree()) ? true : undefined), 'db back in the tree');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lens = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const t = (l ?? []).map((x) => x.command?.title ?? '');
      return t.some((x) => /file matches the cluster/.test(x)) ? t : undefined;
    }, 'lens matches', 20_000);
    console.log('LENS-AFTER ' + JSON.stringify(lens));
    // the editor shows the refreshed lens (what the screenshot is for)
    const shown = await waitFor(async () => {
      const t = await workbench<string[]>(`[...document.querySelectorAll('.codelens-decoration')].map((e) => e.textContent ?? '')`);
      return t.some((x) => x.includes('file matches the cluster')) ? t : undefined;
    }, 'lens shown in the editor', 10_000);
    console.log('LENS-DOM ' + JSON.stringify(shown));
    await screenshot('resize');
  });
});
