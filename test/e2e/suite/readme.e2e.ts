// The walkthrough and the README's language pictures, in the real editor with the packaged VSIX (runs after
// language.e2e.ts in the same session). The walkthrough's first step opens the shipped sample; its mistakes are
// flagged, the quick fix menu offers the fix, the hover describes the field; each is captured for docs/images/
// (kept only when the session passes; `npm run screenshots` publishes), and the walkthrough itself opens with its five steps.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, hasBrowser, ours, positionOf, screenshot, waitFor, workbench } from './util';

const visible = (selector: string, text: string) =>
  `(() => [...document.querySelectorAll(${JSON.stringify(selector)})].some((e) => e.offsetParent !== null && (e.textContent ?? '').includes(${JSON.stringify(text)})))()`;

describe('the walkthrough and the README pictures (installed from the VSIX)', () => {
  let doc: vscode.TextDocument;

  it('Open Sample StatefulSet opens the shipped sample, its mistakes flagged', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = await vscode.commands.executeCommand<string>('statefulsetStudio.openSample');
    assert.match(uri, /^untitled:/, 'an untitled copy, never the installed file');
    doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.toString(), uri);
    assert.equal(doc.languageId, 'yaml');
    const codes = await waitFor(() => {
      const c = new Set(ours(doc.uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)));
      return ['invalid-type', 'invalid-enum', 'selector-template-mismatch', 'invalid-quantity'].every((x) => c.has(x)) ? c : undefined;
    }, 'the sample\'s diagnostics', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; diagnostics of ${doc.uri}: ${JSON.stringify(vscode.languages.getDiagnostics(doc.uri).map((d) => [d.source, d.code]))}`);
    });
    assert.ok(codes.size >= 8, [...codes].join(', '));
    // the pictures: the editor and the Problems view of this file only (the earlier suite's files have problems too)
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile').then(undefined, (e: Error) => console.log(`Problems view: no active-file filter (${e.message})`));
    await vscode.window.showTextDocument(doc);
    const editor = vscode.window.activeTextEditor!;
    const top = positionOf(doc, 'kind: StatefulSet');
    editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
    editor.selection = new vscode.Selection(top, top);
    await screenshot('diagnostics', { publish: true });
  });

  it('the quick fix menu offers Parallel for podManagementPolicy: parallel', async function () {
    this.timeout(60_000);
    const editor = await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'podManagementPolicy: parallel', 'podManagementPolicy: '.length + 2);
    editor.selection = new vscode.Selection(pos, pos);
    const { actions } = await codeActions(doc.uri, new vscode.Range(pos, pos), vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => /Parallel/.test(a.title)), actions.map((a) => a.title).join(', '));
    if (!hasBrowser()) return;
    await vscode.commands.executeCommand('editor.action.quickFix');
    await waitFor(() => workbench<boolean>(visible('.action-widget', 'Parallel')), 'the quick fix menu', 15_000);
    await screenshot('quick-fix', { publish: true });
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });

  it('the hover on serviceName shows its description', async function () {
    this.timeout(60_000);
    const editor = await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'serviceName: web', 3);
    editor.selection = new vscode.Selection(pos, pos);
    if (!hasBrowser()) return;
    await vscode.commands.executeCommand('editor.action.showHover');
    await waitFor(() => workbench<boolean>(visible('.monaco-hover', 'governs this StatefulSet')), 'the hover', 15_000);
    await screenshot('hover', { publish: true });
    await vscode.commands.executeCommand('editor.action.showHover'); // a second time focuses it; Escape-equivalent:
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the walkthrough opens with its five steps', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'statefulset-studio.statefulset-studio#statefulsetStudio.gettingStarted', false);
    if (!hasBrowser()) return;
    for (const title of ['Open a StatefulSet file', 'See the problems and apply a quick fix', 'Connect to a cluster (or the demo cluster)', 'Scale a StatefulSet', 'Roll back to an earlier revision']) {
      await waitFor(() => workbench<boolean>(visible('.getting-started-step', title)), `walkthrough step "${title}"`, 15_000);
    }
    await screenshot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile').then(undefined, () => undefined);
  });
});
