// Disks inside code-server against the demo cluster (run: node test/run.mjs e2e/disks): usage on the PVC rows,
// Snapshot Volumes…, Restore from Snapshot… on ordinal 1, Delete Snapshot, and the CRDs absent.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import * as vscode from 'vscode';
import { screenshot, waitFor, workbench } from './util';

const state = () => vscode.commands.executeCommand<any>('statefulsetStudio.test.getState');
const tree = () => vscode.commands.executeCommand<string>('statefulsetStudio.test.getTree');
const prompts = () => vscode.commands.executeCommand<any[]>('statefulsetStudio.test.getPrompts');
const answer = (a: object) => vscode.commands.executeCommand('statefulsetStudio.test.setAnswers', a);
const rows = () => workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map((e) => e.textContent ?? '')`);
const click = (prefix: string) =>
  workbench<boolean>(`(() => { const r = [...document.querySelectorAll('.monaco-list-row')].find((e) => (e.textContent ?? '').replace(/\\s+/g, '').startsWith(${JSON.stringify(prefix)})); if (r) r.click(); return !!r; })()`);

/** The simulator: its control endpoint and the API, with the admin token. */
function sim(method: string, path: string, body?: unknown): Promise<any> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${process.env.E2E_SIM_URL}${path}`, { method, ca: readFileSync(process.env.E2E_SIM_CA!, 'utf8'), headers: { Authorization: `Bearer ${process.env.E2E_SIM_TOKEN}`, 'Content-Type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve(data ? JSON.parse(data) : {}) : reject(new Error(`${method} ${path}: ${res.statusCode} ${data}`))));
    });
    req.on('error', reject);
    req.end(text);
  });
}
const podUid = async (name: string) => (await sim('GET', `/api/v1/namespaces/default/pods/${name}`)).metadata.uid;

describe('disks (explorer in the editor)', () => {
  let snapshot = '';
  it('shows how full each PVC is; the near-full one and its StatefulSet in the error colour', async () => {
    await vscode.extensions.getExtension('statefulset-studio.statefulset-studio')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.statefulsetStudio');
    await waitFor(async () => ((await state())?.state === 'connected' ? true : undefined), 'connected', 60_000);
    const t = await waitFor(async () => {
      const x = await tree();
      return /www-web-1 — 9[12]% full · 9\d\d(\.\d)? MiB \/ 1 GiB · Bound · 1Gi · standard/.test(x) ? x : undefined;
    }, 'usage of www-web-1 in the tree', 30_000);
    console.log('TREE\n' + t);
    assert.match(t, /web — 3\/3 ready · disk 9[12]% full \(www-web-1\) · OrderedReady/);
    for (const prefix of ['web3/3', 'web-1']) {
      await waitFor(async () => ((await click(prefix)) ? true : undefined), `row ${prefix}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const r = await waitFor(async () => {
      const x = await rows();
      return x.some((s) => s.startsWith('www-web-1') && /9[12]% full/.test(s)) ? x : undefined;
    }, 'the www-web-1 row with its usage', 10_000);
    console.log('ROWS ' + JSON.stringify(r));
    await screenshot('disks', { publish: true });
  });

  it('Snapshot Volumes… on web: three snapshots, followed until ready, listed under the PVCs', async () => {
    await answer({ quickPick: ['All ordinals'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.snapshotVolumes', 'default/web');
    console.log('SNAPSHOTS ' + JSON.stringify(out));
    assert.equal(out.outcomes.length, 3);
    assert.ok(out.outcomes.every((o: any) => o.ready), JSON.stringify(out.outcomes));
    snapshot = out.outcomes.find((o: any) => o.pvc === 'www-web-1').name;
    const t = await waitFor(async () => {
      const x = await tree();
      return x.includes(`${snapshot} — ready · 1Gi · csi-hostpath-snapclass`) ? x : undefined;
    }, 'the snapshot under www-web-1');
    console.log('TREE\n' + t);
  });

  it('Restore from Snapshot… on ordinal 1: web-1 runs on the snapshot\'s data; web-0 and web-2 untouched', async () => {
    await sim('POST', '/_simulator/volumes/write', { namespace: 'default', name: 'www-web-1', marker: 'rows written after the snapshot' });
    const before = { 'web-0': await podUid('web-0'), 'web-1': await podUid('web-1'), 'web-2': await podUid('web-2') };
    await prompts();
    await answer({ quickPick: ['Restore without a snapshot of the current data'], warning: ['Restore'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.restoreSnapshot', { kind: 'pvc', stsKey: 'default/web', ordinal: 1, pvcName: 'www-web-1', namespace: 'default', snapshotName: snapshot });
    console.log('RESTORE ' + JSON.stringify(out.result));
    const asked = await prompts();
    const modal = asked.find((p) => p.kind === 'warning');
    assert.match(modal.detail, /Delete pod web-1/);
    assert.match(modal.detail, /web-0, web-2 are not touched/);
    assert.match(modal.detail, /THE DATA ON IT NOW IS LOST/);
    assert.match(modal.detail, /reclaimPolicy Delete of StorageClass standard/);
    assert.equal(out.result.pod, 'web-1');
    assert.deepEqual(out.result.otherPodsRecreated, []);
    const marker = await sim('POST', '/_simulator/volumes/marker', { namespace: 'default', name: 'www-web-1' });
    assert.equal(marker.marker, 'rows as of the snapshot');
    assert.equal(await podUid('web-0'), before['web-0']);
    assert.equal(await podUid('web-2'), before['web-2']);
    assert.notEqual(await podUid('web-1'), before['web-1']);
    await waitFor(async () => (/web — 3\/3 ready/.test(await tree()) ? true : undefined), 'web 3/3 again');
  });

  it('Resize Storage… from a PVC row suggests the next size and grows every ordinal\'s PVC', async () => {
    await prompts();
    await answer({ inputBox: ['2Gi'], warning: ['Resize'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.resizePvc', { kind: 'pvc', stsKey: 'default/web', ordinal: 1, pvcName: 'www-web-1', namespace: 'default' });
    assert.equal(out.suggested, '2Gi');
    const asked = await prompts();
    assert.equal(asked.find((p) => p.kind === 'inputBox').value, '2Gi');
    const modal = asked.find((p) => p.kind === 'warning');
    assert.deepEqual(modal.items, ['Resize', 'Snapshot Volumes, then Resize']);
    assert.match(modal.detail, /www-web-0 \(ordinal 0\): 1Gi → 2Gi/);
    assert.deepEqual(out.result.recreatedPods, []);
    for (const n of ['www-web-0', 'www-web-1', 'www-web-2']) assert.equal((await sim('GET', `/api/v1/namespaces/default/persistentvolumeclaims/${n}`)).status.capacity.storage, '2Gi');
  });

  it('Delete Snapshot states the deletionPolicy', async () => {
    await prompts();
    await answer({ warning: ['Delete Snapshot'] });
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.deleteSnapshot', { kind: 'snapshot', namespace: 'default', snapshotName: snapshot });
    assert.equal(out.policy, 'Delete');
    const modal = (await prompts()).find((p) => p.kind === 'warning');
    assert.match(modal.detail, /deletionPolicy Delete: the VolumeSnapshotContent and the snapshot data .* are DELETED/);
    await waitFor(async () => (!(await tree()).includes(snapshot) ? true : undefined), 'the snapshot gone from the tree');
  });

  it('without the snapshot CRDs the command says why it cannot run', async () => {
    await sim('POST', '/_simulator/snapshots/crds', { installed: false });
    await prompts();
    const out = await vscode.commands.executeCommand<any>('statefulsetStudio.snapshotVolumes', 'default/web');
    assert.equal(out.absent, true);
    const err = (await prompts()).find((p) => p.kind === 'error');
    assert.match(err.message, /Snapshot Volumes… cannot run: This cluster has no VolumeSnapshot API/);
  });
});
