// Tokens and client keys never appear in logs, errors or the output channel. The kubeconfig's bearer
// tokens are unique markers (SECRET-MARKER-<random>) and its users carry a client certificate and key
// (a real, freshly made key: its PEM body is the marker). Connect, 401, 403, 500, unreachable,
// failing scale/rollback/restart/delete pod are driven through the explorer's commands, and everything
// captured is searched: log channel lines, shown messages and prompts, thrown errors' messages,
// anything written to stdout/stderr by this process.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { generateCerts } from '../../simulator/certs';
import { DEFAULT_USERS, startApiServer, type ApiServer } from '../../simulator/index';
import { loadStandIn, waitUntil, type StandIn } from './standin';

const marker = () => `SECRET-MARKER-${randomBytes(12).toString('hex')}`;

describe('no credential in logs, errors or the output channel', () => {
  let api: ApiServer;
  let dir: string;
  let s: StandIn;
  const adminToken = marker();
  const restrictedToken = marker();
  const staleToken = marker(); // unknown to the server: 401
  const execToken = marker(); // printed by broken exec plugins
  const client = generateCerts(); // a matching cert/key pair used as a client certificate
  const keyBody = client.serverKey.split('\n').filter((l) => l && !l.startsWith('-----'));
  const keyData = Buffer.from(client.serverKey).toString('base64');
  const secrets = [adminToken, restrictedToken, staleToken, execToken, keyData, ...keyBody.slice(1, -1)];
  const captured: string[] = [];
  const thrown: string[] = [];
  const restoreWrites: Array<() => void> = [];

  before(async () => {
    const [admin, restricted] = DEFAULT_USERS();
    api = await startApiServer({
      scenario: 'demo',
      podReadyDelayMs: 5,
      users: [
        { ...admin, token: adminToken },
        { ...restricted, token: restrictedToken },
      ],
    });
    const kc = parse(api.kubeconfig);
    const certData = Buffer.from(client.serverCert).toString('base64');
    for (const u of kc.users) Object.assign(u.user, { 'client-certificate-data': certData, 'client-key-data': keyData });
    kc.users.push({ name: 'stale', user: { token: staleToken, 'client-certificate-data': certData, 'client-key-data': keyData } });
    kc.users.push({ name: 'keyonly', user: { 'client-certificate-data': certData, 'client-key-data': keyData } });
    const cluster = kc.clusters[0].name;
    kc.clusters.push({ name: 'down', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority-data': kc.clusters[0].cluster['certificate-authority-data'] } });
    kc.contexts.push(
      { name: 'stale', context: { cluster, user: 'stale', namespace: 'default' } },
      { name: 'keyonly', context: { cluster, user: 'keyonly', namespace: 'default' } },
      { name: 'down', context: { cluster: 'down', user: 'admin', namespace: 'default' } },
    );
    dir = mkdtempSync(join(tmpdir(), 'sts-secrets-'));
    // exec plugins that fail: truncated ExecCredential JSON with the token in it; the token on stdout and exit 1
    const truncated = join(dir, 'exec-truncated.sh');
    writeFileSync(truncated, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${execToken}","clientKeyData":"${keyData}"'\n`, { mode: 0o755 });
    const failing = join(dir, 'exec-failing.sh');
    writeFileSync(failing, `#!/bin/sh\necho '${execToken}'\necho 'error: the refresh token expired; run "login" again' >&2\nexit 1\n`, { mode: 0o755 });
    const exec = (command: string) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args: [], interactiveMode: 'Never' } });
    kc.users.push({ name: 'exec-truncated', user: exec(truncated) }, { name: 'exec-failing', user: exec(failing) });
    kc.contexts.push(
      { name: 'exec-truncated', context: { cluster, user: 'exec-truncated', namespace: 'default' } },
      { name: 'exec-failing', context: { cluster, user: 'exec-failing', namespace: 'default' } },
    );
    const kcPath = join(dir, 'kubeconfig');
    writeFileSync(kcPath, stringify(kc), { mode: 0o600 });
    for (const stream of [process.stdout, process.stderr]) {
      const orig = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restoreWrites.push(() => (stream.write = orig));
    }
    s = await loadStandIn();
    s.stub.trusted = true;
    s.stub.config['statefulsetStudio.kubeconfig'] = kcPath;
  });

  after(async () => {
    for (const r of restoreWrites) r();
    s?.dispose();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a command, keeping the message of anything it throws (the command wrapper should catch). */
  async function run(id: string, ...args: unknown[]): Promise<unknown> {
    try {
      return await s.run(id, ...args);
    } catch (e) {
      thrown.push(e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
      return undefined;
    }
  }
  const state = () => s.stub.contextKeys['statefulsetStudio.state'];
  const errorsShown = async () => (await s.takePrompts()).filter((p) => p.kind === 'error').map((p) => p.message);

  test('connect (token + client certificate and key)', async () => {
    s.activate();
    await waitUntil(() => state() === 'connected', 'connected');
    assert.ok(api.requests.some((r) => r.user === 'admin'), 'the marker token authenticated');
  });

  test('500 on scale, rollback, restart, delete pod: one readable message each', async () => {
    const fail = (verb: string, pathIncludes: string) => api.faults.failNext(1, 500, { verb, pathIncludes, message: 'etcdserver: request timed out' });
    await s.takePrompts();
    fail('patch', '/scale');
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['1'], warning: ['Scale down'] });
    await run('statefulsetStudio.scale', 'default/web');
    fail('patch', '/statefulsets/cache');
    await run('statefulsetStudio.rollback', 'default/cache', 1);
    fail('patch', '/statefulsets/queue');
    await run('statefulsetStudio.test.setAnswers', { warning: ['Restart'] });
    await run('statefulsetStudio.restart', 'default/queue');
    fail('delete', '/pods/web-0');
    await run('statefulsetStudio.test.setAnswers', { warning: ['Delete Pod'] });
    await run('statefulsetStudio.deletePod', 'default/web-0');
    assert.deepEqual(await errorsShown(), Array(4).fill('etcdserver: request timed out'));
  });

  test('403 (restricted context): scale forbidden', async () => {
    await run('statefulsetStudio.selectContext', 'simulator-restricted');
    await waitUntil(() => state() === 'connected', 'restricted connected');
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['5'] });
    await run('statefulsetStudio.scale', 'default/web');
    const errs = await errorsShown();
    assert.equal(errs.length, 1);
    assert.match(errs[0], /forbidden: User "restricted" cannot patch resource "statefulsets\/scale"/);
  });

  test('401 (a token the server does not know) and a client key without a token', async () => {
    await run('statefulsetStudio.selectContext', 'stale');
    await waitUntil(() => state() === 'unauthorized', 'unauthorized');
    await run('statefulsetStudio.test.setAnswers', { inputBox: ['2'], warning: ['Scale down'] });
    await run('statefulsetStudio.scale', 'default/web');
    await run('statefulsetStudio.selectContext', 'keyonly');
    await waitUntil(() => state() === 'unauthorized', 'unauthorized (client certificate not accepted by the simulator)');
    const errs = await errorsShown();
    assert.ok(errs.some((m) => /^Unauthorized \(401\) on context "stale": re-authenticate/.test(m)), errs.join('\n'));
  });

  test('exec plugins that fail (truncated credential JSON with the token; token on stdout and exit 1)', async () => {
    await run('statefulsetStudio.selectContext', 'exec-truncated');
    await waitUntil(() => state() === 'unauthorized', 'unauthorized (truncated exec output)');
    await run('statefulsetStudio.selectContext', 'exec-failing');
    await waitUntil(() => state() === 'unauthorized', 'unauthorized (failing exec plugin)');
    const errs = await errorsShown();
    assert.ok(errs.some((m) => /Authentication failed: error: the refresh token expired; run "login" again/.test(m)), errs.join('\n'));
  });

  test('unreachable server', async () => {
    await run('statefulsetStudio.selectContext', 'down');
    await waitUntil(() => state() === 'unreachable', 'unreachable');
    await run('statefulsetStudio.history', 'default/web');
    await run('statefulsetStudio.selectContext', 'simulator');
    await waitUntil(() => state() === 'connected', 'back');
  });

  test('no marker anywhere: log channel, messages, prompts, tree, status bar, thrown errors, stdout/stderr', async () => {
    await s.takePrompts();
    const everything = [
      ...s.stub.logLines,
      ...s.stub.shown.map((x) => JSON.stringify(x)),
      ...s.prompts.map((p) => JSON.stringify(p)),
      ...s.warnings.map((w) => JSON.stringify(w)),
      ...s.stub.treeViews.map((t) => t.message ?? ''),
      ...s.stub.statusBars.map((b) => `${b.text} ${b.tooltip ?? ''}`),
      ...thrown,
      ...captured,
    ].join('\n');
    // the scenarios above did happen and were logged
    assert.match(everything, /→ 401/);
    assert.match(everything, /→ 403/);
    assert.match(everything, /→ 500/);
    assert.match(everything, /ECONNREFUSED/);
    for (const secret of secrets) assert.ok(!everything.includes(secret), `a credential leaked: ${secret.slice(0, 20)}…`);
    assert.doesNotMatch(everything, /SECRET-MARKER/);
    assert.doesNotMatch(everything, /PRIVATE KEY/);
    assert.doesNotMatch(everything, /bearer\s+[a-z0-9]/i);
  });
});
