// Troubleshooting inside code-server (run: node test/run.mjs e2e/trouble): a crashlooping image set with the real
// kubectl → the tree says `stuck` and the ordinal row CrashLoopBackOff → Describe (BackOff event) → Logs (the pod's
// lines) → Forced Rollback… with its prompts answered → every ordinal Ready again.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { screenshot, waitFor, workbench } from './util';

const state = () => vscode.commands.executeCommand<any>('statefulsetStudio.test.getState');
const tree = () => vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');
const answers = (a: object) => vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', a);
const prompts = () => vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');
const rows = () => workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);
const line = (t: string, re: RegExp) => t.split('\n').find((l) => re.test(l));

function kubectl(...args: string[]): Promise<string> {
  const dir = process.env.E2E_KUBECTL_DIR!;
  return new Promise((resolve, reject) =>
    execFile(process.env.E2E_KUBECTL!, ['--kubeconfig', process.env.KUBECONFIG!, '--cache-dir', join(dir, 'kubectl-cache'), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HOME: dir } }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

async function showDoc(uri: string): Promise<string> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc.getText();
}

describe('troubleshooting (editor)', () => {
  it('connects and sees web Ready', async () => {
    await vscode.extensions.getExtension('statefulset-studio.statefulset-studio')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.statefulsetStudio');
    await waitFor(async () => ((await state())?.state === 'connected' ? true : undefined), 'connected', 60_000);
    await waitFor(async () => (/web — 3\/3 ready/.test(await tree()) ? true : undefined), 'web in the tree');
  });
  it('kubectl sets a crashlooping image → the StatefulSet row says stuck, the ordinal row CrashLoopBackOff', async () => {
    const out = await kubectl('set', 'image', 'statefulset/web', 'web=example.com/app:crashloop');
    console.log('KUBECTL ' + out.trim());
    const t = await waitFor(async () => {
      const x = await tree();
      return /web — rollout stuck at web-2: CrashLoopBackOff/.test(x) && /web-2 — CrashLoopBackOff/.test(x) ? x : undefined;
    }, 'stuck in the tree', 60_000).catch(async (e) => { console.log('TREE\n' + (await tree())); throw e; });
    console.log('TREE\n' + t);
    assert.match(line(t, /^\s*web — /)!, /^\s*web — rollout stuck at web-2: CrashLoopBackOff \(\d+ restarts?, exit 1\) \(\d+ s\) · 2\/3 ready/);
    assert.match(line(t, /^\s*web-2 — /)!, /web-2 — CrashLoopBackOff \(\d+ restarts?, exit 1\)/);
    assert.match(line(t, /^\s*web-1 — /)!, /web-1 — Running · ready/);
    // the real rows: expand web so the ordinals show, then the screenshot
    const click = (pred: string) => workbench<boolean>(`(() => { const r = [...document.querySelectorAll('.monaco-list-row')].find((e) => { const x = (e.textContent ?? '').replace(/\\s+/g, ''); return ${pred}; }); if (r) r.click(); return !!r; })()`);
    await waitFor(async () => ((await click(`x.startsWith('web') && x.includes('stuck')`)) ? true : undefined), 'web row');
    const shown = await waitFor(async () => {
      const r = await rows();
      return r.some((x) => x.replace(/\s+/g, '').startsWith('web-2') && x.includes('CrashLoopBackOff')) && r.some((x) => /stuck/.test(x)) ? r : undefined;
    }, 'stuck and CrashLoopBackOff rows', 10_000).catch(async (e) => { console.log('ROWS ' + JSON.stringify(await rows())); throw e; });
    console.log('ROWS ' + JSON.stringify(shown));
    await screenshot('stuck');
  });
  it('Describe of the pod shows the BackOff event', async () => {
    const uri = await vscode.commands.executeCommand<string>('statefulsetStudio.describe', 'default/web-2');
    const text = await showDoc(uri);
    console.log('DESCRIBE\n' + text);
    assert.match(text, /web-2/);
    assert.match(text, /Warning\s+BackOff\s.*Back-off restarting failed container web in pod web-2_default/);
    // scroll the Events table into view for the screenshot
    const at = text.split('\n').findIndex((l) => /Warning\s+BackOff/.test(l));
    vscode.window.activeTextEditor!.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.InCenter);
    await screenshot('describe');
  });
  it('Logs of the pod shows its lines', async () => {
    await prompts();
    await answers({ quickPick: ['web'] }); // the running instance, not "(previous)"
    const uri = await vscode.commands.executeCommand<string>('statefulsetStudio.logs', 'default/web-2');
    console.log('LOGS-PROMPTS ' + JSON.stringify(await prompts()));
    const text = await waitFor(async () => {
      const x = await showDoc(uri);
      return /panic: simulated crash/.test(x) ? x : undefined;
    }, 'log lines', 20_000);
    console.log('LOGS\n' + text);
    assert.match(text, /starting web \(image example\.com\/app:crashloop\) in pod web-2, ordinal 2/);
    assert.match(text, /exit status 1/);
    await screenshot('logs');
  });
  it('Forced Rollback…: revision 1 by default, web-2 deleted, every ordinal Ready', async () => {
    await prompts();
    await answers({ quickPick: ['revision 1'], warning: ['Roll back and delete 1 pod'] });
    const r = await vscode.commands.executeCommand<string>('statefulsetStudio.forcedRollback', 'default/web');
    const asked = await prompts();
    console.log('FORCED ' + JSON.stringify(r) + ' PROMPTS ' + JSON.stringify(asked));
    const pick = asked.find((p) => p.kind === 'quickPick');
    assert.match(pick.items[0], /^revision 1/, 'the default (the last revision whose pods were all Ready) is offered first');
    const modal = asked.find((p) => p.kind === 'warning');
    assert.match(modal.detail, /web-2 \(revision web-\w+, CrashLoopBackOff\)/);
    assert.match(modal.detail, /No PVC is deleted/);
    assert.equal(r, 'done');
    const t = await waitFor(async () => {
      const x = await tree();
      return /web — 3\/3 ready/.test(x) && ['web-0', 'web-1', 'web-2'].every((n) => new RegExp(`${n} — Running · ready`).test(x)) ? x : undefined;
    }, 'every ordinal Ready', 30_000).catch(async (e) => { console.log('TREE\n' + (await tree())); throw e; });
    console.log('TREE-AFTER\n' + t);
    assert.doesNotMatch(t, /stuck|CrashLoopBackOff/);
  });
});
