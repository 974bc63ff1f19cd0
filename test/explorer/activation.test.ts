// The explorer's VS Code side, activated in plain Node against a stand-in `vscode` module (bundled
// with esbuild): untrusted workspace → no request reaches the server and the view says why; trusted →
// tree, status bar, context keys, live objects for the language server, commands with answered prompts.
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startApiServer, type ApiServer } from '../../simulator/index';
import { bundleExplorer, waitUntil, type Bundled, type ExplorerApi, type Stub } from './standIn';

describe('explorer activation (stand-in vscode)', () => {
  let api: ApiServer;
  let dir: string;
  let stub: Stub;
  let mod: Bundled['mod'];
  let ctx: Bundled['ctx'];
  let bundled: Bundled | undefined;
  let explorerApi: ExplorerApi;

  before(async () => {
    process.env.STATEFULSET_STUDIO_TEST = '1';
    api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 5 });
    bundled = await bundleExplorer('sts-explorer-act-', { globalStorage: false });
    ({ dir, mod, stub, ctx } = bundled);
  });
  after(async () => {
    explorerApi?.explorer.dispose();
    for (const d of ctx?.subscriptions ?? []) d.dispose();
    await api?.stop();
    bundled?.remove();
  });

  test('untrusted workspace: no request reaches the server, the view and status bar say why', () => {
    stub.trusted = false;
    stub.config['statefulsetStudio.kubeconfig'] = api.kubeconfigPath;
    const before = api.requests.length;
    explorerApi = mod.activateExplorer(ctx);
    assert.equal(api.requests.length, before, 'no request in an untrusted workspace');
    assert.equal(stub.contextKeys['statefulsetStudio.state'], 'untrusted');
    assert.match(stub.treeViews[0].message!, /Untrusted workspace: StatefulSet Studio makes no cluster call/);
    assert.match(stub.statusBars[0].text, /untrusted workspace/);
    assert.deepEqual(stub.treeViews[0].provider.getChildren(), []);
    assert.ok(stub.logLines.some((l) => l.includes('untrusted workspace: no cluster connection')));
  });

  test('trust granted → connects; tree, status bar, live objects for the language server', async () => {
    const live: unknown[][] = [];
    explorerApi.onLiveStatefulSets((o) => live.push(o));
    stub.trusted = true;
    for (const l of stub.grantTrust) l();
    await waitUntil(() => stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected');
    assert.equal(stub.statusBars[0].text, '$(database) simulator/default');
    const provider = stub.treeViews[0].provider;
    const [ctxNode] = provider.getChildren();
    assert.equal(ctxNode.label, 'simulator');
    // it opens on the kubeconfig context's namespace, and its first row says how to see the others
    const [hint, nsNode] = provider.getChildren(ctxNode);
    assert.equal(`${hint.label} — ${hint.description}`, 'Only namespace "default" is shown — click to show all namespaces');
    assert.deepEqual(provider.getTreeItem(hint).command, { command: 'statefulsetStudio.selectNamespace', title: hint.label, arguments: ['*'] });
    assert.equal(stub.treeViews[0].description, 'namespace default · Switch Namespace… for all');
    assert.equal(nsNode.label, 'default');
    assert.deepEqual(provider.getChildren(nsNode).map((n) => `${n.label} — ${n.description}`), [
      'cache — 4/4 ready · updating 2/4, partition 2 · OrderedReady',
      'queue — 2/2 ready · OrderedReady',
      'web — 3/3 ready · OrderedReady',
    ]);
    const objs = await waitUntil(() => live.at(-1)?.length === 3 && live.at(-1), 'live objects');
    for (const o of objs as Array<{ kind: string; apiVersion: string; metadata: { name: string }; spec: unknown }>) {
      assert.equal(o.kind, 'StatefulSet');
      assert.equal(o.apiVersion, 'apps/v1');
      assert.ok(o.spec);
    }
    // the cluster's version, for the language server's default target Kubernetes version
    const explorer = explorerApi.explorer as unknown as { clusterVersion?: string };
    assert.equal(await waitUntil(() => explorer.clusterVersion, 'cluster version'), 'v1.32.0-simulator');
  });

  test('the status bar item opens the cluster menu; Switch Namespace… there, or the hint row, shows every namespace', async () => {
    const run = (id: string, ...a: unknown[]) => Promise.resolve(stub.commands.get(id)!(...a));
    const sb = stub.statusBars[0];
    assert.equal(sb.command, 'statefulsetStudio.switchContextOrNamespace');
    // what a click on the status bar item runs: the cluster menu, then the namespace picker
    await run('statefulsetStudio.test.getPrompts');
    await run('statefulsetStudio.test.setAnswers', { quickPick: ['Switch Namespace…', 'All namespaces'] });
    await run(sb.command!);
    const asked = (await run('statefulsetStudio.test.getPrompts')) as Array<{ kind: string; message?: string; items?: string[] }>;
    assert.deepEqual(asked[0].items, ['Switch Context…', 'Switch Namespace…', 'Refresh', 'Show Log']);
    assert.deepEqual(asked[1].items, ['All namespaces', 'databases', 'default', 'kube-node-lease', 'kube-public', 'kube-system']);
    await waitUntil(() => sb.text === '$(database) simulator/all' && /^  databases — 1 StatefulSet$/m.test(explorerApi.explorer.renderTree()), 'all namespaces');
    assert.equal(stub.treeViews[0].description, 'all namespaces');
    assert.doesNotMatch(explorerApi.explorer.renderTree(), /Only namespace/);
    assert.match(explorerApi.explorer.renderTree(), /^    postgres — 3\/3 ready/m);
    // back to one namespace; the hint row's own command (what a click runs) shows all of them again
    await run('statefulsetStudio.selectNamespace', 'default');
    await waitUntil(() => sb.text === '$(database) simulator/default', 'default again');
    const provider = stub.treeViews[0].provider;
    const hint = provider.getChildren(provider.getChildren()[0])[0];
    const { command } = provider.getTreeItem(hint);
    await run(command!.command, ...(command!.arguments ?? []));
    await waitUntil(() => sb.text === '$(database) simulator/all' && /^  databases — 1 StatefulSet$/m.test(explorerApi.explorer.renderTree()), 'all namespaces from the hint');
    await run('statefulsetStudio.selectNamespace', 'default');
    await waitUntil(() => sb.text === '$(database) simulator/default' && stub.contextKeys['statefulsetStudio.state'] === 'connected', 'default again');
  });

  test('Scale… with prompts answered through the test hooks: the scale-down modal names pods and PVC fate', async () => {
    const run = (id: string, ...a: unknown[]) => Promise.resolve(stub.commands.get(id)!(...a));
    await run('statefulsetStudio.test.getPrompts');
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['1'], warning: ['Scale down'] });
    assert.equal(await run('statefulsetStudio.scale', 'default/web'), 1);
    const asked = (await run('statefulsetStudio.test.getPrompts')) as Array<{ kind: string; message: string; detail?: string; value?: string; items?: string[] }>;
    assert.deepEqual(asked.map((p) => p.kind), ['inputBox', 'warning', 'info']);
    assert.equal(asked[0].value, '3', 'prefilled with the current replicas');
    assert.equal(asked[1].message, 'Scale web from 3 to 1?');
    assert.deepEqual(asked[1].items, ['Scale down']);
    assert.equal(asked[1].detail!.split('\n').slice(1, 3).join('\n'), '• web-2: www-web-2 (1Gi) kept\n• web-1: www-web-1 (1Gi) kept');
    assert.equal(asked[2].message, 'web scaled to 1');
    assert.match((await run('statefulsetStudio.test.getTree')) as string, /web — 1\/1 ready/);
    // scale to 0 needs the second, explicit confirmation: dismissing it changes nothing
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['0'], warning: ['Scale down', null] });
    assert.equal(await run('statefulsetStudio.scale', 'default/web'), undefined);
    const asked0 = (await run('statefulsetStudio.test.getPrompts')) as Array<{ kind: string; message: string; items?: string[] }>;
    assert.deepEqual(asked0.filter((p) => p.kind === 'warning').map((p) => p.items), [['Scale down'], ['Scale to 0']]);
    // an invalid entry is refused by the validation
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['-2'] });
    assert.equal(await run('statefulsetStudio.scale', 'default/web'), undefined);
    const bad = (await run('statefulsetStudio.test.getPrompts')) as Array<{ validationMessage?: string }>;
    assert.match(bad[0].validationMessage!, /whole number/);
    const web = await api.waitFor(() => api.store.peek({ group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true } as never, 'default', 'web'));
    assert.equal((web as { spec: { replicas: number } }).spec.replicas, 1);
  });

  test('Rollback… to the current template says so and changes nothing', async () => {
    const run = (id: string, ...a: unknown[]) => Promise.resolve(stub.commands.get(id)!(...a));
    await run('statefulsetStudio.test.setAnswers', { quickPick: ['revision 1'] });
    assert.equal(await run('statefulsetStudio.rollback', 'default/web'), 'skipped');
    const asked = (await run('statefulsetStudio.test.getPrompts')) as Array<{ kind: string; message: string }>;
    assert.match(asked.at(-1)!.message, /already matches revision 1; nothing to do/);
  });

  test('Restore from Snapshot… cut between the orphan delete and the create: the view says so; from the palette it continues', async () => {
    const run = (id: string, ...a: unknown[]) => Promise.resolve(stub.commands.get(id)!(...a));
    const { ClusterConnection } = await import('../../client/src/cluster/connection');
    const { Logger } = await import('../../client/src/cluster/log');
    const { planSnapshots, takeSnapshots } = await import('../../client/src/cluster/snapshots');
    const { RestoreJournal, restorePreflight, runRestore } = await import('../../client/src/cluster/workflows/restore');
    const conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: new Logger(() => {}) });
    // the explorer's journal folder where the extension has no global storage (this stand-in's context)
    const journalDir = join(tmpdir(), 'statefulset-studio', 'restore-journal');
    try {
      api.snapshots.writeMarker('default', 'data-queue-1', 'queue rows at the snapshot');
      const [s] = await takeSnapshots(conn.http, planSnapshots('default', 'queue', [{ pvc: 'data-queue-1', template: 'data', ordinal: 1 }], undefined), { timeoutMs: 10_000 });
      assert.ok(s.ready, s.error);
      api.snapshots.writeMarker('default', 'data-queue-1', 'queue rows written after');
      const pf = await restorePreflight(conn.http, { cluster: conn.server, context: conn.context, namespace: 'default', statefulSet: 'queue', ordinal: 1, pvc: 'data-queue-1', snapshot: s.name });
      assert.ok(pf.ok, pf.plan);
      // "VS Code is killed" right before the StatefulSet is created again
      await assert.rejects(runRestore(conn.http, new RestoreJournal(journalDir), pf.entry!, { beforeStep: (st) => { if (st === 'create-sts') throw new Error('killed'); } }), /killed/);
      // a new connection (as after a restart) says what is pending
      await run('statefulsetStudio.selectNamespace', 'default');
      await waitUntil(() => /default\/data-queue-1: restore from snapshot pending/.test(stub.treeViews[0].message ?? ''), 'pending restore in the view');
      await run('statefulsetStudio.test.getPrompts');
      await run('statefulsetStudio.test.setAnswers', { warning: ['Continue Restore'] });
      const out = (await run('statefulsetStudio.restoreSnapshot')) as { result?: { pod: string; otherPodsRecreated: string[] } };
      assert.equal(out.result?.pod, 'queue-1');
      assert.deepEqual(out.result?.otherPodsRecreated, []);
      const asked = (await run('statefulsetStudio.test.getPrompts')) as Array<{ kind: string; message: string }>;
      assert.match(asked[0].message, /A restore of data-queue-1 from .* is pending at step "create-sts"/);
      assert.equal(api.snapshots.markerOf('default', 'data-queue-1'), 'queue rows at the snapshot');
      await waitUntil(() => !/restore from snapshot pending/.test(stub.treeViews[0].message ?? ''), 'pending line gone');
    } finally {
      conn.stop();
      rmSync(join(tmpdir(), 'statefulset-studio'), { recursive: true, force: true });
    }
  });

  test('switch context (restricted user): a node names the missing permission, the rest keeps working', async () => {
    const run = (id: string, ...a: unknown[]) => Promise.resolve(stub.commands.get(id)!(...a));
    await run('statefulsetStudio.selectContext', 'simulator-restricted');
    const text = await waitUntil(() => {
      const t = stub.contextKeys['statefulsetStudio.state'] === 'connected' && explorerApi.explorer.renderTree();
      return t && /missing permission/.test(t) && /web — /.test(t) ? t : undefined;
    }, 'restricted tree');
    assert.match(text, /^simulator-restricted — default$/m);
    assert.match(text, /^  missing permission: list, watch persistentvolumeclaims in namespace "default" — 403$/m);
    assert.match(text, /^      web-0 — Running · ready/m);
    assert.equal(stub.statusBars[0].text, '$(database) simulator-restricted/default');
    // an operation the user may not do: the error shown is the API server's Status message
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['2'], warning: ['Scale down'] });
    await run('statefulsetStudio.scale', 'default/cache');
    const asked = (await run('statefulsetStudio.test.getPrompts')) as Array<{ kind: string; message: string }>;
    assert.match(asked.at(-1)!.message, /^statefulsets.apps "cache" is forbidden: User "restricted" cannot patch resource "statefulsets\/scale"/);
    await run('statefulsetStudio.selectContext', 'simulator');
    await waitUntil(() => stub.statusBars[0].text === '$(database) simulator/default', 'back to the admin context');
  });

  test('no kubeconfig → welcome state; unreachable cluster → welcome state with "disconnected — retrying"; file fixed → reconnects by itself', async () => {
    const fire = () => { for (const l of (stub as unknown as { configListeners: Array<(e: unknown) => void> }).configListeners) l({ affectsConfiguration: (k: string) => k === 'statefulsetStudio.kubeconfig' }); };
    const kc = join(dir, 'user-kubeconfig');
    stub.config['statefulsetStudio.kubeconfig'] = kc; // does not exist yet
    fire();
    assert.equal(stub.contextKeys['statefulsetStudio.state'], 'noKubeconfig');
    assert.match(stub.treeViews[0].message!, /No kubeconfig found \(looked at .*user-kubeconfig\)/);
    assert.deepEqual(stub.treeViews[0].provider.getChildren(), []);
    // a kubeconfig whose server is down (the simulator's, pointing at a closed port)
    writeFileSync(kc, api.kubeconfig.replace(api.url, 'https://127.0.0.1:1'));
    await waitUntil(() => stub.contextKeys['statefulsetStudio.state'] === 'unreachable', 'unreachable (kubeconfig appeared, watched folder)');
    await waitUntil(() => /^Disconnected — retrying\. Cannot reach https:\/\/127\.0\.0\.1:1: ECONNREFUSED$/.test(stub.treeViews[0].message ?? ''), 'view message');
    assert.match(stub.statusBars[0].text, /disconnected — retrying/);
    assert.deepEqual(stub.treeViews[0].provider.getChildren(), [], 'the welcome view shows');
    // the user fixes the file (e.g. after re-authenticating): the explorer reconnects by itself
    writeFileSync(kc + '.tmp', api.kubeconfig);
    renameSync(kc + '.tmp', kc);
    await waitUntil(() => stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected after the file changed');
    assert.ok(stub.logLines.some((l) => /kubeconfig changed .*: reconnecting/.test(l)));
    stub.config['statefulsetStudio.kubeconfig'] = api.kubeconfigPath;
    fire();
  });

  test('tokens never reach the log channel', () => {
    const text = stub.logLines.join('\n');
    for (const t of Object.values(api.tokens)) assert.ok(!text.includes(t));
    assert.ok(stub.logLines.some((l) => /GET \/apis\/apps\/v1\/namespaces\/default\/statefulsets\?limit=500 → 200/.test(l)));
  });
});
