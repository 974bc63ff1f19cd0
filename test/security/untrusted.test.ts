// An untrusted workspace makes no cluster request and cannot point the extension at a kubeconfig or
// an exec plugin; a workspace-level statefulsetStudio.kubeconfig is ignored even once trusted.
// The exec plugin is a script that touches a marker file: the marker proves whether it ran (and a
// positive control proves that it does run when the user's own setting names it).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { startApiServer, type ApiServer } from '../../simulator/index';
import { loadStandIn, waitUntil, type StandIn } from './standin';

describe('untrusted workspace and workspace-controlled kubeconfig', () => {
  let api: ApiServer; // the cluster the user's own kubeconfig (KUBECONFIG) points at
  let evil: ApiServer; // the cluster a workspace-supplied kubeconfig points at (through an exec plugin)
  let dir: string;
  let marker: string;
  let execKubeconfig: string;
  let s: StandIn;
  const savedKubeconfigEnv = process.env.KUBECONFIG;

  before(async () => {
    [api, evil] = await Promise.all([startApiServer({ scenario: 'demo', podReadyDelayMs: 5 }), startApiServer({ scenario: 'demo', podReadyDelayMs: 5 })]);
    dir = mkdtempSync(join(tmpdir(), 'sts-untrusted-'));
    marker = join(dir, 'exec-plugin-ran');
    const plugin = join(dir, 'exec-plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\ntouch '${marker}'\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${evil.tokens.admin}"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const kc = parse(evil.kubeconfig);
    kc.users = [{ name: 'admin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, args: [], interactiveMode: 'Never' } } }];
    kc.contexts = [kc.contexts[0]];
    execKubeconfig = join(dir, 'workspace-kubeconfig.yaml');
    writeFileSync(execKubeconfig, stringify(kc));
    s = await loadStandIn();
  });

  after(async () => {
    s?.dispose();
    if (savedKubeconfigEnv === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfigEnv;
    await Promise.all([api?.stop(), evil?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('untrusted: no request reaches any cluster and no exec plugin runs, whatever the settings and commands', async () => {
    s.stub.trusted = false;
    // every way a kubeconfig could be named: user setting, workspace setting, KUBECONFIG
    s.stub.config['statefulsetStudio.kubeconfig'] = execKubeconfig;
    s.workspaceConfig['statefulsetStudio.kubeconfig'] = execKubeconfig;
    process.env.KUBECONFIG = execKubeconfig;
    const before = [api.requests.length, evil.requests.length];
    const ex = s.activate();
    assert.equal(ex.explorer.state, 'untrusted');
    // every command a user (or a workspace task) could run
    for (const [id, ...args] of [
      ['statefulsetStudio.refresh'],
      ['statefulsetStudio.selectContext', 'simulator'],
      ['statefulsetStudio.selectNamespace', 'default'],
      ['statefulsetStudio.scale', 'default/web', 1],
      ['statefulsetStudio.rollback', 'default/web', 1],
      ['statefulsetStudio.restart', 'default/web'],
      ['statefulsetStudio.delete', 'default/web'],
      ['statefulsetStudio.deletePod', 'default/web-0'],
      ['statefulsetStudio.history', 'default/web'],
      ['statefulsetStudio.openManifest', 'default/web'],
      ['statefulsetStudio.canaryStep', 'default/web', 0],
    ] as Array<[string, ...unknown[]]>) {
      await s.run(id, ...args);
    }
    s.fireConfig('statefulsetStudio.kubeconfig');
    assert.equal(ex.explorer.state, 'untrusted');
    assert.deepEqual([api.requests.length, evil.requests.length], before, 'no request in an untrusted workspace');
    assert.equal(existsSync(marker), false, 'the exec plugin never ran');
    const errors = (await s.takePrompts()).filter((p) => p.kind === 'error').map((p) => p.message);
    assert.ok(errors.length >= 8 && errors.every((m) => m === 'Cluster access is disabled in an untrusted workspace'), errors.join('\n'));
  });

  test('trusted, kubeconfig named only by the workspace setting: ignored; the user\'s KUBECONFIG is used and the exec plugin never runs', async () => {
    s.stub.config['statefulsetStudio.kubeconfig'] = undefined;
    s.workspaceConfig['statefulsetStudio.kubeconfig'] = execKubeconfig;
    process.env.KUBECONFIG = api.kubeconfigPath;
    const evilBefore = evil.requests.length;
    s.stub.trusted = true;
    for (const l of s.stub.grantTrust) l();
    await waitUntil(() => s.stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected');
    assert.ok(api.requests.length > 0);
    assert.equal(evil.requests.length, evilBefore, 'the workspace kubeconfig\'s cluster got no request');
    assert.equal(existsSync(marker), false, 'the exec plugin named by the workspace kubeconfig never ran');
    // a change of the workspace setting reconnects with the same (user) kubeconfig
    s.fireConfig('statefulsetStudio.kubeconfig');
    await waitUntil(() => s.stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected again');
    assert.equal(evil.requests.length, evilBefore);
    assert.equal(existsSync(marker), false);
  });

  test('control: the same kubeconfig in the user (machine) setting does run the exec plugin', async () => {
    s.stub.config['statefulsetStudio.kubeconfig'] = execKubeconfig;
    s.fireConfig('statefulsetStudio.kubeconfig');
    await waitUntil(() => existsSync(marker) && s.stub.contextKeys['statefulsetStudio.state'] === 'connected' && evil.requests.length > 0, 'connected through the exec plugin');
    s.stub.config['statefulsetStudio.kubeconfig'] = undefined;
    s.workspaceConfig['statefulsetStudio.kubeconfig'] = undefined;
    s.fireConfig('statefulsetStudio.kubeconfig');
  });

  test('the setting is machine-scoped and restricted in untrusted workspaces (package.json)', async () => {
    const pkg = JSON.parse((await import('node:fs')).readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(Object.assign({}, ...pkg.contributes.configuration.map((g: { properties: object }) => g.properties))['statefulsetStudio.kubeconfig'].scope, 'machine');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('statefulsetStudio.kubeconfig'));
  });
});
