// Outline, go to definition and rename inside a real VS Code (code-server) with the packaged VSIX installed.
// The workspace gets a copy of test/fixtures/navigation before the extension starts, so the language
// server's workspace index reads the Services and ConfigMaps from disk.
import * as assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { env, hasBrowser, ours, positionOf, screenshot, sleep, waitFor, workbench } from './util';

const fixtures = process.env.E2E_NAVIGATION_FIXTURES ?? '';
const file = (rel: string) => vscode.Uri.file(join(env.workspace, rel));

async function show(rel: string, needle: string, delta = 0): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file(rel)), { preview: false });
  const pos = positionOf(editor.document, needle, delta);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
  return editor;
}

function names(symbols: vscode.DocumentSymbol[]): string[] {
  return symbols.flatMap((s) => [s.name, ...names(s.children ?? []).map((c) => `  ${c}`)]);
}

describe('navigation in a real VS Code (installed from the VSIX)', () => {
  before(() => {
    assert.ok(fixtures, 'E2E_NAVIGATION_FIXTURES is not set');
    cpSync(fixtures, env.workspace, { recursive: true });
  });

  it('outline and breadcrumbs show the objects and the StatefulSet’s containers, volumes and claim templates', async function () {
    this.timeout(90_000);
    const editor = await show('app.yaml', 'image: postgres', 2);
    await waitFor(() => ours(editor.document.uri).length > 0, 'diagnostics from the language server', 60_000);
    const symbols = await waitFor(async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
      return s?.some((x) => x.name === 'StatefulSet db') ? s : undefined;
    }, 'the outline from the language server', 30_000);
    assert.deepEqual(names(symbols), [
      'StatefulSet db',
      '  container postgres',
      '  volume config',
      '  volume backup',
      '  claim template data',
      'PodDisruptionBudget db-pdb',
    ]);
    assert.equal(symbols[0].detail, 'data');
    if (!hasBrowser()) return;
    // the Outline view in the explorer, with the file tree collapsed so it has room
    await workbench<boolean>(`(() => { const h = [...document.querySelectorAll('.pane-header')].find((e) => e.getAttribute('aria-expanded') === 'true' && /^workspace/i.test((e.textContent ?? '').trim())); if (h) h.click(); return !!h; })()`);
    await vscode.commands.executeCommand('outline.focus');
    await vscode.commands.executeCommand('outline.expand').then(undefined, () => undefined);
    const rows = await waitFor(async () => {
      const r = await workbench<string[]>(`[...document.querySelectorAll('.outline-pane .monaco-list-row')].map((e) => e.textContent ?? '')`);
      return r.some((x) => x.includes('container postgres')) ? r : undefined;
    }, 'the Outline view to list container postgres', 20_000);
    assert.ok(rows.some((x) => x.includes('StatefulSet db')), rows.join(' | '));
    // breadcrumbs follow the cursor: StatefulSet db › container postgres
    await vscode.window.showTextDocument(editor.document);
    const crumbs = await waitFor(async () => {
      const t = await workbench<string>(`[...document.querySelectorAll('.monaco-breadcrumbs .monaco-breadcrumb-item')].map((e) => e.textContent).join(' › ')`);
      return t.includes('container postgres') ? t : undefined;
    }, 'breadcrumbs down to the container', 20_000);
    assert.match(crumbs, /app\.yaml › StatefulSet db.* › container postgres/); // (each crumb also shows its detail)
    await screenshot('outline', { publish: true });
  });

  it('go to definition: serviceName → the Service in net/services.yaml, a volumeMount → its claim template', async function () {
    this.timeout(60_000);
    const editor = await show('app.yaml', 'serviceName: db-headless', 16);
    const pos = editor.selection.active;
    const locs = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', editor.document.uri, pos);
      return l?.length ? l : undefined;
    }, 'a definition for serviceName (the workspace index has read net/services.yaml)', 30_000);
    const uriOf = (l: vscode.Location | vscode.LocationLink) => ('targetUri' in l ? l.targetUri : l.uri);
    assert.equal(uriOf(locs[0]).fsPath, file('net/services.yaml').fsPath);
    // a volumeMount name → the claim template in the same file
    const mount = positionOf(editor.document, '- name: data', 9);
    const claim = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', editor.document.uri, mount);
    const claimRange = 'targetRange' in claim[0] ? claim[0].targetRange : claim[0].range;
    assert.equal(editor.document.lineAt(claimRange.start.line).text.trim(), 'name: data');
    if (hasBrowser()) {
      // the peek shows the Service inside the StatefulSet's editor
      editor.selection = new vscode.Selection(pos, pos);
      await vscode.commands.executeCommand('editor.action.peekDefinition');
      await waitFor(() => workbench<boolean>(`!!document.querySelector('.peekview-widget')`), 'the peek definition widget', 10_000);
      await sleep(800);
      await screenshot('definition', { publish: true });
      await vscode.commands.executeCommand('closeReferenceSearch');
    }
    // and Go to Definition (F12) opens the Service at its name
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const target = await waitFor(() => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.fsPath === file('net/services.yaml').fsPath ? e : undefined;
    }, 'net/services.yaml to open', 10_000);
    assert.equal(target.document.lineAt(target.selection.active.line).text.trim(), 'name: db-headless');
  });

  it('rename a label value through the rename box: the StatefulSet, its anti-affinity, the Services and the PDB change together', async function () {
    this.timeout(60_000);
    const editor = await show('app.yaml', 'app: db', 6);
    const pos = editor.selection.active;
    // the provider answers with one edit over both files
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', editor.document.uri, pos, 'pg');
    const files = edit.entries().map(([u, es]) => `${u.fsPath.slice(env.workspace.length + 1)}:${es.length}`).sort();
    assert.deepEqual(files, ['app.yaml:5', 'net/services.yaml:2']);
    if (hasBrowser()) {
      // the way a user does it: F2, type the new name, Enter
      // (the command's promise settles only when the rename is over)
      const renaming = vscode.commands.executeCommand('editor.action.rename');
      await waitFor(() => workbench<boolean>(`!!document.querySelector('.rename-box input')`), 'the rename box', 10_000);
      await workbench<boolean>(`(() => { const i = document.querySelector('.rename-box input'); i.value = 'pg'; i.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`);
      await sleep(400);
      await screenshot('rename');
      await vscode.commands.executeCommand('acceptRenameInput');
      await renaming;
    } else {
      assert.ok(await vscode.workspace.applyEdit(edit));
    }
    await waitFor(() => (editor.document.getText().match(/app: pg/g) ?? []).length === 4, 'app: pg in the selector, template, anti-affinity and PDB', 10_000);
    assert.match(editor.document.getText(), /values: \[pg\]/);
    const services = await vscode.workspace.openTextDocument(file('net/services.yaml'));
    assert.equal((services.getText().match(/app: pg/g) ?? []).length, 2);
    assert.match(services.getText(), /namespace: staging\nspec:\n  clusterIP: None\n  selector:\n    app: db/, 'the staging Service is another app');
    // the renamed files still agree: no selector finding appears on the StatefulSet
    const codes = () => ours(editor.document.uri).map((d) => String(d.code instanceof Object ? d.code.value : d.code));
    await sleep(1500);
    assert.deepEqual(codes().filter((c) => /selector|service/.test(c)), [], codes().join(', '));
    if (hasBrowser()) {
      await vscode.window.showTextDocument(editor.document);
      await screenshot('rename-applied');
    }
  });
});
