// Cluster explorer inside code-server against the demo cluster (run: node test/run.mjs e2e/explorer).
// Drives the commands with their prompts answered through
// statefulsetStudio.test.setAnswers, reads the tree (model text and the real DOM rows).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, waitFor, workbench } from './util';

const state = () => vscode.commands.executeCommand<any>('statefulsetStudio.test.getState');
const tree = () => vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');

describe('explorer smoke (explorer in the editor)', () => {
  it('activates', async () => {
    const ext = vscode.extensions.getExtension('statefulset-studio.statefulset-studio')!;
    await ext.activate();
    const cmds = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('statefulsetStudio.test.'));
    assert.ok(cmds.includes('statefulsetStudio.test.setAnswers'));
  });
  it('connects and shows the demo cluster by ordinal', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.statefulsetStudio');
    await waitFor(async () => ((await state())?.state === 'connected' ? true : undefined), 'connected', 60_000);
    const t = await waitFor(async () => { const x = await tree(); return /web — 3\/3 ready/.test(x) ? x : undefined; }, 'web in tree');
    console.log('TREE\n' + t);
    const rows = await waitFor(async () => {
      const r = await workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);
      return r.some((x) => x.includes('web')) ? r : undefined;
    }, 'rows');
    console.log('ROWS ' + JSON.stringify(rows));
    // expand web, its first ordinal and queue (single click toggles a tree row; "retained after scale-down" starts expanded)
    const click = (prefix: string) => workbench<boolean>(`(() => { const r = [...document.querySelectorAll('.monaco-list-row')].find((e) => (e.textContent ?? '').replace(/\\s+/g, '').startsWith(${JSON.stringify(prefix)})); if (r) r.click(); return !!r; })()`);
    for (const prefix of ['web3/3', 'web-0', 'queue2/2']) {
      await waitFor(async () => ((await click(prefix)) ? true : undefined), `row ${prefix}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    await waitFor(async () => {
      const r = await workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);
      return r.some((x) => x.startsWith('www-web-0')) && r.some((x) => x.startsWith('data-queue-4')) ? r : undefined;
    }, 'expanded rows', 5000).catch(async (e) => { console.log('EXPROWS ' + JSON.stringify(await workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`))); throw e; });
    await screenshot('explorer-tree', { publish: true });
    const s = await state();
    console.log('STATE ' + JSON.stringify(s));
    assert.match(s.statusBar, /simulator\/all|simulator\/default/);
  });
  it('scales up and down with answered prompts', async () => {
    await vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', { inputBox: ['4'] });
    const r = await vscode.commands.executeCommand('statefulsetStudio.scale', 'default/web');
    assert.equal(r, 4);
    await waitFor(async () => (/web — 4\/4 ready/.test(await tree()) ? true : undefined), 'web 4/4');
    await vscode.commands.executeCommand('statefulsetStudio.test.getPrompts');
    await vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', { inputBox: ['2'], warning: ['Scale down'] });
    const r2 = await vscode.commands.executeCommand('statefulsetStudio.scale', 'default/web');
    assert.equal(r2, 2);
    const prompts = await vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');
    console.log('PROMPTS ' + JSON.stringify(prompts));
    const modal = prompts.find((p) => p.kind === 'warning');
    assert.match(modal.detail, /• web-3: www-web-3 \(1Gi\) kept/);
    await waitFor(async () => (/retained after scale-down — 2 PVCs/.test(await tree()) ? true : undefined), 'orphans');
    const t0 = Date.now();
    const rows = await waitFor(async () => {
      const r = await workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);
      return r.some((x) => /web2\/2ready/.test(x.replace(/\s+/g, ''))) ? r : undefined;
    }, 'DOM web 2/2', 4_000).catch(async (e) => {
      console.log('STATE-AFTER ' + JSON.stringify(await state()));
      console.log('ROWS-BEFORE ' + JSON.stringify(await workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`)));
      await vscode.commands.executeCommand('statefulsetStudio.refresh');
      await new Promise((r) => setTimeout(r, 1500));
      console.log('ROWS-AFTER-REFRESH ' + JSON.stringify(await workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`)));
      throw e; });
    console.log('DOM refreshed after ' + (Date.now() - t0) + ' ms ' + JSON.stringify(rows));
    await screenshot('explorer-after-scale', { publish: true });
  });
  it('history and manifest documents open', async () => {
    const text = await vscode.commands.executeCommand<string>('statefulsetStudio.history', 'default/cache');
    assert.match(text, /REVISION/);
    const uri = await vscode.commands.executeCommand<string>('statefulsetStudio.openManifest', 'default/web');
    assert.match(uri, /^statefulset-studio:/);
    console.log('LIVE ' + (await state()).liveObjects);
  });
});

describe('explorer commands (explorer in the editor)', () => {
  const answers = (a: object) => vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', a);
  const prompts = () => vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');
  it('rollback via quick pick, diff and modal', async () => {
    await prompts();
    await answers({ quickPick: ['revision 1'], warning: ['Roll back to revision 1'] });
    const r = await vscode.commands.executeCommand('statefulsetStudio.rollback', 'default/cache');
    const p = await prompts();
    console.log('ROLLBACK ' + JSON.stringify(p));
    assert.equal(r, 1);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    console.log('TABS ' + JSON.stringify(tabs));
    assert.ok(tabs.some((t) => /cache: current template ↔ revision 1/.test(t)));
    await screenshot('rollback-diff', { publish: true });
    await waitFor(async () => (/cache — 4\/4 ready · partition 2 · OrderedReady|cache — 4\/4 ready · OrderedReady/.test(await tree()) ? true : undefined), 'cache back on one revision', 20_000).catch(async (e) => { console.log('TREE ' + (await tree())); throw e; });
  });
  it('canary step and copy DNS', async () => {
    await answers({ quickPick: ['Advance to partition'], warning: ['Set partition'] });
    const r = await vscode.commands.executeCommand('statefulsetStudio.canaryStep', 'default/cache');
    console.log('CANARY ' + JSON.stringify(await prompts()));
    assert.equal(r, 1);
    const dns = await vscode.commands.executeCommand<string>('statefulsetStudio.copyPodDns', 'default/web-0');
    assert.equal(dns, 'web-0.web.default.svc.cluster.local');
    assert.equal(await vscode.env.clipboard.readText(), dns);
  });
  it('forbidden update flagged from the live object', async () => {
    const ws = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(ws, 'web.yaml');
    const text = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: default
spec:
  serviceName: web-changed
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.k8s.io/nginx-slim:0.24
  volumeClaimTemplates:
    - metadata:
        name: www
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const d = await waitFor(() => { const x = vscode.languages.getDiagnostics(uri).filter((q) => /forbidden|immutable|cannot change/i.test(q.message)); return x.length ? x : undefined; }, 'forbidden-update diagnostic', 20_000).catch((e) => { console.log('DIAGS ' + JSON.stringify(vscode.languages.getDiagnostics(uri).map((q) => [q.code, q.message]))); throw e; });
    console.log('FORBIDDEN ' + JSON.stringify(d.map((q) => [q.code, q.message])));
  });
  it('switch to all namespaces, then delete keeping PVCs', async () => {
    await vscode.commands.executeCommand('statefulsetStudio.selectNamespace', '*');
    await waitFor(async () => (/databases — 1 StatefulSet/.test(await tree()) ? true : undefined), 'all namespaces', 8000).catch(async (e) => { console.log('NSTREE ' + JSON.stringify(await tree()) + ' ' + JSON.stringify(await state()) + JSON.stringify(await prompts())); throw e; });
    const st = await state();
    assert.match(st.statusBar, /simulator\/all/);
    await answers({ quickPick: ['Delete pods, keep PVCs'], inputBox: ['queue'] });
    const r = await vscode.commands.executeCommand('statefulsetStudio.delete', 'default/queue');
    console.log('DELETE ' + JSON.stringify(await prompts()));
    assert.equal(r, 'keepPvcs');
    await waitFor(async () => (!/queue —/.test(await tree()) ? true : undefined), 'queue gone');
    const rowsNow = () => workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);
    const ok = await waitFor(async () => { const r = await rowsNow(); return r.some((x) => x.startsWith('simulatorall namespaces') && !x.includes('connecting')) && r.some((x) => x.startsWith('default2 StatefulSets')) ? r : undefined; }, 'DOM ctx/ns rows current', 5000).catch(async () => 'STALE ' + JSON.stringify(await rowsNow()));
    console.log('CTXROWS ' + JSON.stringify(ok) + ' STATS ' + JSON.stringify((await state()).tree));
    await screenshot('explorer-all-namespaces');
  });
});
