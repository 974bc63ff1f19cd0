// Kustomize overlays inside a real VS Code (code-server) with the packaged VSIX installed: the workspace gets
// a copy of test/fixtures/overlays/shop; the language server renders the overlay with kubectl (trusted
// workspace: code-server runs with workspace trust off, so every folder is trusted).
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { env, ours, screenshot, waitFor } from './util';

const fixtures = process.env.E2E_OVERLAY_FIXTURES ?? '';
const file = (rel: string) => vscode.Uri.file(join(env.workspace, rel));
const lineOf = (doc: vscode.TextDocument, d: vscode.Diagnostic) => doc.lineAt(d.range.start.line).text;
/** The rule id (VS Code turns an LSP code with a codeDescription into { value, target }). */
const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('Kustomize overlays in a real VS Code (installed from the VSIX)', () => {
  before(() => {
    assert.ok(fixtures, 'E2E_OVERLAY_FIXTURES is not set');
    cpSync(fixtures, env.workspace, { recursive: true });
  });

  // the language server's log (its output channel, as VS Code writes it under the profile's logs) when a test failed
  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    const logs = join(dirname(env.workspace), 'user-data', 'logs');
    const walk = (d: string): string[] => (existsSync(d) ? readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)])) : []);
    for (const f of walk(logs).filter((f) => /StatefulSet Studio/.test(f))) console.log(`--- ${f}\n${readFileSync(f, 'utf8').slice(-4000)}`);
  });

  it('the workspace is trusted (overlays are rendered only then)', () => {
    console.log(`overlay e2e: trusted=${vscode.workspace.isTrusted} PATH=${process.env.PATH}`);
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('kustomization.yaml shows the rendered StatefulSet’s findings on the op and the images entry that cause them', async function () {
    this.timeout(120_000);
    const doc = await vscode.workspace.openTextDocument(file('overlays/prod/kustomization.yaml'));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const found = await waitFor(() => {
      const ds = ours(doc.uri);
      // a render that failed (kubectl missing, kustomize error) says so in a `kustomize` diagnostic: fail at once with it
      const failed = ds.find((d) => codeOf(d) === 'kustomize');
      if (failed) throw new Error(`the overlay was not rendered: ${failed.message}`);
      return ds.some((d) => codeOf(d) === 'invalid-enum') && ds.some((d) => codeOf(d) === 'image-tag-latest') ? ds : undefined;
    }, 'the overlay findings on kustomization.yaml', 90_000);
    const e = found.find((d) => codeOf(d) === 'invalid-enum')!;
    assert.match(lineOf(doc, e), /value: parallel/);
    assert.match(e.message, /\[kustomize overlay overlays\/prod: StatefulSet prod-orders-db, set by json6902\]/);
    assert.match(lineOf(doc, found.find((d) => codeOf(d) === 'image-tag-latest')!), /newTag: latest/);
    editor.revealRange(e.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('kustomize-overlay', { publish: true });
  });

  it('a component’s patch file shows the findings of the container it adds', async function () {
    this.timeout(120_000);
    const doc = await vscode.workspace.openTextDocument(file('components/metrics/exporter.yaml'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const d = await waitFor(() => ours(doc.uri).find((x) => codeOf(x) === 'container-memory-limit'), 'container-memory-limit on exporter.yaml', 90_000);
    assert.match(lineOf(doc, d), /- name: exporter/);
    assert.match(d.message, /Container "exporter"/);
  });

  it('an unsaved fix in kustomization.yaml clears its finding after the typing pause', async function () {
    this.timeout(120_000);
    const doc = await vscode.workspace.openTextDocument(file('overlays/prod/kustomization.yaml'));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const at = doc.getText().indexOf('value: parallel') + 'value: '.length;
    await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'parallel'.length)), 'Parallel'));
    assert.ok(doc.isDirty, 'edited, not saved');
    await waitFor(() => !ours(doc.uri).some((d) => codeOf(d) === 'invalid-enum') && ours(doc.uri).some((d) => codeOf(d) === 'image-tag-latest'), 'invalid-enum gone, image-tag-latest kept', 90_000);
    assert.ok(doc.isDirty, 'still not saved: the editor text was rendered, not the file');
    assert.match(readFileSync(doc.uri.fsPath, 'utf8'), /value: parallel/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
