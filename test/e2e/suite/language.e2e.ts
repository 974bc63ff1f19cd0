// The language features, inside a real VS Code (code-server) with the packaged VSIX installed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { codeActions, env, hasBrowser, hoverText, isCancellation, openFile, ours, positionOf, screenshot, waitFor, workbench } from './util';

const BROKEN = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: "3"
  serviceName: web
  podManagementPolicy: parallel
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

const COMPLETION = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
${'  '}
  podManagementPolicy: 
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:17
`;

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(env.extensionId);
  assert.ok(ext, `extension ${env.extensionId} is not installed`);
  return ext;
}

async function completionLabels(uri: vscode.Uri, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
  return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

describe('StatefulSet Studio in a real VS Code (installed from the VSIX)', () => {
  it('runs the packaged extension from the extensions folder, not a dev folder', () => {
    const ext = extension();
    assert.ok(env.extensionsDir, 'E2E_EXTENSIONS_DIR is not set');
    const rel = relative(env.extensionsDir, ext.extensionPath);
    assert.ok(!rel.startsWith('..') && rel !== '', `extension loaded from ${ext.extensionPath}, not from ${env.extensionsDir}`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    // the package is bundled: dist/ present, no node_modules, no sources
    assert.ok(existsSync(join(ext.extensionPath, 'dist', 'client.js')), 'dist/client.js missing from the VSIX');
    assert.ok(existsSync(join(ext.extensionPath, 'dist', 'server.js')), 'dist/server.js missing from the VSIX');
    assert.ok(!existsSync(join(ext.extensionPath, 'node_modules')), 'the VSIX ships node_modules');
    assert.ok(!existsSync(join(ext.extensionPath, 'server', 'src')), 'the VSIX ships sources');
  });

  it('activates on a YAML file and the language client starts', async function () {
    this.timeout(60_000);
    const ext = extension();
    assert.equal(ext.isActive, false, 'activated before any YAML file was opened (activation is too broad)');
    const editor = await openFile('broken-sts.yaml', BROKEN);
    assert.equal(editor.document.languageId, 'yaml');
    await waitFor(() => ext.isActive, 'the extension to activate on a YAML file', 30_000);
    // the language server answers: its diagnostics arrive for the open document
    await waitFor(() => ours(editor.document.uri).length > 0, 'diagnostics from the language server', 30_000);
  });

  it('shows diagnostics for a broken StatefulSet (replicas: "3", podManagementPolicy: parallel)', async () => {
    const editor = await openFile('broken-sts.yaml', BROKEN);
    const doc = editor.document;
    const diags = await waitFor(() => {
      const d = ours(doc.uri);
      return d.length >= 2 ? d : undefined;
    }, 'two diagnostics', 30_000);
    const replicas = diags.find((d) => d.range.start.line === positionOf(doc, 'replicas').line);
    assert.ok(replicas, `no diagnostic on the replicas line; got ${diags.map((d) => `${d.range.start.line}:${d.message}`).join(' | ')}`);
    assert.equal(replicas.severity, vscode.DiagnosticSeverity.Error);
    assert.match(replicas.message, /integer/);
    const policy = diags.find((d) => d.range.start.line === positionOf(doc, 'podManagementPolicy').line);
    assert.ok(policy, 'no diagnostic on podManagementPolicy: parallel');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('diagnostics');
  });

  it('a quick fix applies and clears its diagnostic', async () => {
    const editor = await openFile('quickfix-sts.yaml', BROKEN);
    const doc = editor.document;
    const line = positionOf(doc, 'podManagementPolicy').line;
    const diag = await waitFor(() => ours(doc.uri).find((d) => d.range.start.line === line), 'the podManagementPolicy diagnostic', 30_000);
    const { actions } = await codeActions(doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /Parallel/.test(a.title));
    assert.ok(fix?.edit, `no quick fix offering "Parallel"; got ${(actions ?? []).map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(line).text, /podManagementPolicy: Parallel/);
    await waitFor(() => !ours(doc.uri).some((d) => d.range.start.line === line), 'the diagnostic to clear after the fix', 30_000);
  });

  it('a code action request VS Code cancels (a provider registered meanwhile) is asked again and gets the quick fix', async () => {
    // What a cold, loaded machine once showed as "Error: Canceled: Canceled": VS Code cancels a running code action
    // request when the set of providers for the document changes. Here a provider that holds the request open and a
    // second one registered meanwhile make that happen on purpose.
    const editor = await openFile('cancelled-sts.yaml', BROKEN);
    const doc = editor.document;
    const line = positionOf(doc, 'podManagementPolicy').line;
    const diag = await waitFor(() => ours(doc.uri).find((d) => d.range.start.line === line), 'the podManagementPolicy diagnostic', 30_000);
    const selector: vscode.DocumentSelector = { pattern: '**/cancelled-sts.yaml' };
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    const holder = vscode.languages.registerCodeActionsProvider(selector, {
      provideCodeActions: async (_d, _r, context) => {
        // the editor's own light bulb asks too (trigger Automatic): only the commands' requests count, the first held open
        if (context.triggerKind !== vscode.CodeActionTriggerKind.Invoke) return [];
        if (held++ === 0) await gate;
        return [];
      },
    });
    let late: vscode.Disposable | undefined;
    try {
      // the plain command fails the way the cold run did
      const plain = vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value)
        .then(() => 'answered', (e: unknown) => (isCancellation(e) ? 'Canceled' : `failed: ${String(e)}`));
      await waitFor(() => held > 0, 'the held provider to be asked', 10_000);
      late = vscode.languages.registerCodeActionsProvider(selector, { provideCodeActions: () => [] });
      assert.equal(await plain, 'Canceled', 'VS Code did not cancel the request when a provider was registered meanwhile');
      // the helper the tests use asks again, as the light bulb does, and gets our quick fix
      held = 0;
      const asked = codeActions(doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      await waitFor(() => held > 0, 'the held provider to be asked again', 10_000);
      late.dispose(); // the providers change again: VS Code cancels this request too
      late = undefined;
      await waitFor(() => held > 1, 'the helper to ask again after the cancellation', 10_000);
      release();
      const { actions, cancelled } = await asked;
      assert.ok(cancelled >= 1, 'the request was not cancelled');
      assert.ok(actions.some((a) => /Parallel/.test(a.title)), `no quick fix offering "Parallel" after the retry; got ${actions.map((a) => a.title).join(', ')}`);
    } finally {
      release();
      late?.dispose();
      holder.dispose();
    }
  });

  it('completes keys under spec: (podManagementPolicy, volumeClaimTemplates) and values (OrderedReady, Parallel)', async () => {
    const editor = await openFile('completion-sts.yaml', COMPLETION);
    const doc = editor.document;
    const keyPos = new vscode.Position(positionOf(doc, 'serviceName: db').line + 1, 2);
    const keys = await waitFor(async () => {
      const l = await completionLabels(doc.uri, keyPos);
      return l.includes('volumeClaimTemplates') ? l : undefined;
    }, 'key completion under spec:', 30_000);
    assert.ok(keys.includes('volumeClaimTemplates'), keys.join(', '));
    assert.ok(keys.includes('updateStrategy'), keys.join(', '));
    // podManagementPolicy is already present further down: it must not be offered twice... but in a spec without it, it is:
    const fresh = await openFile('completion-fresh.yaml', COMPLETION.replace('  podManagementPolicy: \n', ''));
    const freshKeys = await completionLabels(fresh.document.uri, new vscode.Position(positionOf(fresh.document, 'serviceName: db').line + 1, 2));
    assert.ok(freshKeys.includes('podManagementPolicy'), freshKeys.join(', '));
    assert.ok(freshKeys.includes('volumeClaimTemplates'), freshKeys.join(', '));
    await vscode.window.showTextDocument(doc);
    const valuePos = positionOf(doc, 'podManagementPolicy: ', 'podManagementPolicy: '.length);
    const values = await completionLabels(doc.uri, valuePos);
    assert.ok(values.includes('OrderedReady') && values.includes('Parallel'), `value completion: ${values.join(', ')}`);
  });

  it('hover on a field shows its description', async () => {
    const editor = await openFile('hover-sts.yaml', BROKEN);
    const doc = editor.document;
    const pos = positionOf(doc, 'serviceName', 3);
    const text = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const t = hoverText(h ?? []);
      return /governs this StatefulSet/.test(t) ? t : undefined;
    }, 'a hover describing serviceName', 30_000);
    assert.match(text, /network identity/);
    // show the hover in the workbench for the screenshot
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 800));
    await screenshot('hover');
  });

  it('every contributed snippet expands to a document with zero errors', async function () {
    this.timeout(120_000);
    const ext = extension();
    const snippetsFile = join(ext.extensionPath, 'snippets', 'statefulset.json');
    assert.ok(existsSync(snippetsFile), 'snippets/statefulset.json is not in the VSIX');
    const snippets = JSON.parse(readFileSync(snippetsFile, 'utf8')) as Record<string, { prefix: string | string[]; body: string[] }>;
    assert.ok(Object.keys(snippets).length >= 5, 'expected at least 5 snippets');
    for (const [name, s] of Object.entries(snippets)) {
      const editor = await openFile(`snippet-${[s.prefix].flat()[0]}.yaml`, '');
      // through the contribution (by name), the way a user picks it from "Insert Snippet"
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'yaml', name });
      await waitFor(() => editor.document.getText().length > 20, `snippet "${name}" to expand`, 10_000);
      await vscode.commands.executeCommand('leaveSnippet');
      await editor.document.save();
      const text = editor.document.getText();
      assert.doesNotMatch(text, /\$\{?\d/, `snippet "${name}" left a raw tab stop`);
      // let the server see the final text, then require zero errors
      await new Promise((r) => setTimeout(r, 1500));
      const errors = ours(editor.document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`), [], `snippet "${name}" expands to a document with errors:\n${text}`);
    }
  });

  it('the injected grammar gives quantities and the kind line their Kubernetes scopes (token inspector)', async function () {
    if (!hasBrowser()) this.skip();
    const editor = await openFile('grammar-sts.yaml', 'apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  storage: 10Gi\n');
    const inspect = async (needle: string, delta: number) => {
      const pos = positionOf(editor.document, needle, delta);
      editor.selection = new vscode.Selection(pos, pos);
      await vscode.commands.executeCommand('editor.action.inspectTMScopes');
      const text = await waitFor(() => workbench<string | null>(`document.querySelector('.token-inspect-widget')?.textContent ?? null`), 'the token inspector', 10_000);
      return text;
    };
    const quantity = await inspect('10Gi', 1);
    assert.match(quantity, /constant\.numeric\.kubernetes\.quantity/, quantity);
    await screenshot('grammar-quantity');
    await vscode.commands.executeCommand('editor.action.inspectTMScopes'); // toggles it off
    await waitFor(async () => !(await workbench<boolean>(`!!document.querySelector('.token-inspect-widget')`)), 'the inspector to close', 5_000);
    const kind = await inspect('StatefulSet', 2);
    assert.match(kind, /entity\.name\.type\.class\.kubernetes\.kind/, kind);
    await vscode.commands.executeCommand('editor.action.inspectTMScopes');
  });
});
