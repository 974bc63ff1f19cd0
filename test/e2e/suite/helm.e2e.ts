// Helm charts inside code-server (run: node test/run.mjs e2e/helm): the chart db of the workspace, its release rel
// running in the simulator. values-prod.yaml: a larger size typed (unsaved) → forbidden-update on that line →
// Resize Storage… from the quick fix; a subchart template whose container lacks a memory limit → the warning there.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { env, screenshot, sleep, waitFor } from './util';

const state = () => vscode.commands.executeCommand<any>('statefulsetStudio.test.getState');
const tree = () => vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');
const answers = (a: object) => vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', a);
const prompts = () => vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');
const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('Helm charts (editor)', () => {
  it('connects and sees the release', async function () {
    this.timeout(120_000);
    console.log('HELM-SETUP ' + JSON.stringify({ trusted: vscode.workspace.isTrusted, path: vscode.workspace.getConfiguration('statefulsetStudio').inspect('helm.path'), charts: vscode.workspace.getConfiguration('statefulsetStudio').get('helm.charts') }));
    await vscode.extensions.getExtension('statefulset-studio.statefulset-studio')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.statefulsetStudio');
    await waitFor(async () => ((await state())?.state === 'connected' ? true : undefined), 'connected', 60_000);
    await waitFor(async () => (/rel-db — 3\/3 ready/.test(await tree()) ? true : undefined), 'rel-db in the tree', 30_000);
  });

  let uri: vscode.Uri;
  let diag: vscode.Diagnostic;
  it('values-prod.yaml: a larger size typed → forbidden-update on that line, with Resize Storage… offered', async function () {
    this.timeout(180_000);
    uri = vscode.Uri.file(join(env.workspace, 'db', 'values-prod.yaml'));
    const ed = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    // rendered once with 10Gi (what is installed): no refused change
    await waitFor(() => (vscode.languages.getDiagnostics(uri).length === 0 ? true : undefined), 'no finding on the installed values', 30_000);
    const line = ed.document.lineAt(2);
    assert.equal(line.text, '  size: 10Gi');
    await ed.edit((e) => e.replace(new vscode.Range(2, 8, 2, 12), '20Gi'));
    const dump = setInterval(() => console.log('HELM-DIAGS ' + JSON.stringify(vscode.languages.getDiagnostics().map(([u, ds]) => [u.path.split('/').slice(-3).join('/'), ds.map((d) => `${d.range.start.line} ${code(d)}`)]))), 10_000);
    try {
      diag = await waitFor(() => vscode.languages.getDiagnostics(uri).find((d) => code(d) === 'forbidden-update'), 'forbidden-update on the values line', 150_000);
    } finally {
      clearInterval(dump);
    }
    console.log('HELM-FORBIDDEN ' + JSON.stringify({ line: diag.range.start.line, message: diag.message }));
    assert.equal(diag.range.start.line, 2);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diag.message, /"20Gi" here but "10Gi" in the live StatefulSet/);
    assert.match(diag.message, /\[StatefulSet rel-db, helm release "rel", values values-prod\.yaml\]/);
    ed.selection = new vscode.Selection(2, 10, 2, 10);
    // the finding's message in its hover, for the README's picture
    await vscode.commands.executeCommand('editor.action.showHover');
    await sleep(1000);
    await screenshot('helm-values', { publish: true });
  });

  it('Resize Storage… from the quick fix: plan confirmed, PVCs grown, same pods', async function () {
    this.timeout(180_000);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range);
    const titles = actions.map((a) => a.title);
    console.log('HELM-ACTIONS ' + JSON.stringify(titles));
    const resize = actions.find((a) => a.title.startsWith('Resize Storage…'));
    assert.ok(resize?.command, titles.join(' | '));
    assert.match(resize!.title, /rel-db of release rel/);
    await prompts();
    // the StatefulSet is Helm-managed (issue 20): its owner is asked first, then the resize plan
    await answers({ warning: ['Do it anyway', 'Resize'] });
    const out = await vscode.commands.executeCommand<any>(resize!.command!.command, ...(resize!.command!.arguments ?? []));
    const asked = await prompts();
    console.log('HELM-RESIZE ' + JSON.stringify(out) + ' PROMPTS ' + JSON.stringify(asked));
    const warnings = asked.filter((p) => p.kind === 'warning');
    assert.match(warnings[0].message, /managed by Helm release rel/);
    const plan = warnings[1];
    assert.match(plan.detail, /data-rel-db-0 \(ordinal 0\): 10Gi → 20Gi/);
    assert.match(plan.detail, /No step deletes a pod or a PVC/);
    assert.equal(out.result.samePods, true);
    assert.equal(out.result.samePvcs, true);
    await waitFor(async () => (/rel-db — 3\/3 ready/.test(await tree()) ? true : undefined), 'rel-db back in the tree', 30_000);
    // the live object now has 20Gi: the finding goes
    await waitFor(() => (vscode.languages.getDiagnostics(uri).some((d) => code(d) === 'forbidden-update') ? undefined : true), 'forbidden-update gone', 60_000);
  });

  it('a subchart template whose container lacks a memory limit: the warning is on that template line', async function () {
    this.timeout(120_000);
    const tpl = vscode.Uri.file(join(env.workspace, 'db', 'charts', 'metrics', 'templates', 'statefulset.yaml'));
    const ed = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(tpl), { preview: false });
    const d = await waitFor(() => vscode.languages.getDiagnostics(tpl).find((x) => code(x) === 'container-memory-limit'), 'memory-limit warning', 60_000);
    assert.equal(d.range.start.line, 17);
    assert.equal(ed.document.lineAt(17).text.trim(), '- name: collector');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(!vscode.languages.getDiagnostics(tpl).some((x) => code(x) === 'template'), 'no "this is a template" note once rendered');
    ed.selection = new vscode.Selection(17, 12, 17, 12);
    await screenshot('helm-template');
  });
});

describe('Values for This Chart… (editor)', () => {
  it('writes the chart\'s values file, release, namespace and --set to statefulsetStudio.helm.charts', async function () {
    this.timeout(60_000);
    const values = vscode.Uri.file(join(env.workspace, 'db', 'values-prod.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(values), { preview: false });
    await prompts();
    await answers({ quickPick: ['values.yaml + values-prod.yaml'], inputBox: ['prod', 'data', 'image.tag=16.4'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.chartValues');
    const asked = await prompts();
    console.log('HELM-CHARTVALUES ' + JSON.stringify(out) + ' PROMPTS ' + JSON.stringify(asked.map((p) => [p.kind, p.message, p.items ?? p.value])));
    assert.deepEqual(out, { chart: 'db', setting: { release: 'prod', namespace: 'data', values: ['values-prod.yaml'], set: ['image.tag=16.4'] } });
    const pick = asked.find((p) => p.kind === 'quickPick');
    assert.deepEqual(pick.items, ['values.yaml only', 'values.yaml + values-bad.yaml', 'values.yaml + values-prod.yaml', 'values.yaml + values-sub.yaml']);
    const written = vscode.workspace.getConfiguration('statefulsetStudio').get<Record<string, unknown>>('helm.charts');
    assert.deepEqual(written?.db, { release: 'prod', namespace: 'data', values: ['values-prod.yaml'], set: ['image.tag=16.4'] });
  });
});
