// The simulated owners, proven with the real kubectl: done the naive way (kubectl scale / patch on
// the StatefulSet), a change is reverted by the operator, by Argo CD with selfHeal and by Flux; it
// stands with selfHeal off, with ignoreDifferences, with Flux suspended and with the per-object
// reconcile annotation; turning selfHeal back on puts git back; the operator re-creates a deleted
// StatefulSet; Helm's release Secret is there.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startApiServer, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { HAS_KUBECTL, kubectl, NO_KUBECTL } from './testkit';

const STS = resourceByKind('StatefulSet');
const NS = 'managed';

describe('owners in the simulator, with the real kubectl', { timeout: 120_000, skip: HAS_KUBECTL ? false : NO_KUBECTL }, () => {
  let api: ApiServer;
  const k = async (...args: string[]) => {
    const r = await kubectl(api, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const replicas = (name: string) => api.store.peek(STS, NS, name)?.spec.replicas;
  const waitReplicas = (name: string, n: number) => api.waitFor(() => replicas(name) === n, 10_000);
  /** the owner had its chance: its delay passed and nothing is scheduled */
  const ownersDone = async () => {
    await new Promise((r) => setTimeout(r, api.owners.reconcileDelayMs + 100));
    await api.waitFor(() => api.owners.idle, 10_000);
  };

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5, scenario: 'managed' });
    api.owners.reconcileDelayMs = 150;
  });
  after(async () => {
    await api?.stop();
  });

  test('kubectl sees the owners: the CR, the Application, the Kustomization, the Helm release Secret', async () => {
    assert.match(await k('get', 'rabbitmqclusters', '-n', NS), /^mq\s/m);
    assert.match(await k('get', 'applications.argoproj.io', '-n', 'argocd'), /^payments\s/m);
    assert.match(await k('get', 'kustomizations', '-n', 'flux-system'), /^apps\s/m);
    const owner = JSON.parse(await k('get', 'sts', 'mq-server', '-n', NS, '-o', 'json')).metadata.ownerReferences[0];
    assert.deepEqual([owner.kind, owner.name, owner.controller], ['RabbitmqCluster', 'mq', true]);
    const secret = JSON.parse(await k('get', 'secret', 'sh.helm.release.v1.sessions.v1', '-n', NS, '-o', 'json'));
    const release = JSON.parse(gunzipSync(Buffer.from(Buffer.from(secret.data.release, 'base64').toString(), 'base64')).toString());
    assert.equal(release.name, 'sessions');
    assert.equal(release.info.status, 'deployed');
  });

  test('operator: kubectl scale is reverted to the CR; scaling the CR sticks; a deleted StatefulSet comes back', async () => {
    assert.equal(replicas('mq-server'), 3);
    await k('scale', 'sts', 'mq-server', '-n', NS, '--replicas=5');
    await waitReplicas('mq-server', 3);
    assert.ok(api.owners.reverts.some((r) => r.startsWith('RabbitmqCluster managed/mq → StatefulSet managed/mq-server')));
    await k('patch', 'rabbitmqcluster', 'mq', '-n', NS, '--type=merge', '-p', '{"spec":{"replicas":4}}');
    await waitReplicas('mq-server', 4);
    const uid = api.store.peek(STS, NS, 'mq-server')!.metadata.uid;
    await k('delete', 'sts', 'mq-server', '-n', NS, '--cascade=orphan');
    const back = await api.waitFor(() => { const s = api.store.peek(STS, NS, 'mq-server'); return s && s.metadata.uid !== uid ? s : false; }, 10_000);
    assert.equal(back.spec.replicas, 4);
    assert.ok(back.metadata.managedFields.some((f: Obj) => f.manager === 'rabbitmq-cluster-operator'));
  });

  test('Argo CD: selfHeal reverts kubectl scale; selfHeal off → it stands; back on → git wins; ignoreDifferences → it stands', async () => {
    assert.equal(replicas('payments-db'), 2);
    await k('scale', 'sts', 'payments-db', '-n', NS, '--replicas=4');
    await waitReplicas('payments-db', 2);
    await k('patch', 'application', 'payments', '-n', 'argocd', '--type=merge', '-p', '{"spec":{"syncPolicy":{"automated":{"selfHeal":false}}}}');
    await k('scale', 'sts', 'payments-db', '-n', NS, '--replicas=4');
    await ownersDone();
    assert.equal(replicas('payments-db'), 4);
    await k('patch', 'application', 'payments', '-n', 'argocd', '--type=merge', '-p', '{"spec":{"syncPolicy":{"automated":{"selfHeal":true}}}}');
    await waitReplicas('payments-db', 2);
    await k('patch', 'application', 'payments', '-n', 'argocd', '--type=merge', '-p', '{"spec":{"ignoreDifferences":[{"group":"apps","kind":"StatefulSet","jsonPointers":["/spec/replicas"]}]}}');
    await k('scale', 'sts', 'payments-db', '-n', NS, '--replicas=3');
    await ownersDone();
    assert.equal(replicas('payments-db'), 3);
    // an image change is still reverted
    await k('set', 'image', 'sts/payments-db', '-n', NS, 'payments-db=postgres:17.0');
    await api.waitFor(() => api.store.peek(STS, NS, 'payments-db')!.spec.template.spec.containers[0].image === 'postgres:16.4', 10_000);
  });

  test('Flux: a live change is reverted; suspended or reconcile: disabled → it stands; resumed → git wins', async () => {
    await k('scale', 'sts', 'search', '-n', NS, '--replicas=5');
    await waitReplicas('search', 2);
    await k('patch', 'kustomization', 'apps', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":true}}');
    await k('scale', 'sts', 'search', '-n', NS, '--replicas=5');
    await ownersDone();
    assert.equal(replicas('search'), 5);
    await k('patch', 'kustomization', 'apps', '-n', 'flux-system', '--type=merge', '-p', '{"spec":{"suspend":false}}');
    await waitReplicas('search', 2);
    await k('annotate', 'sts', 'search', '-n', NS, 'kustomize.toolkit.fluxcd.io/reconcile=disabled');
    await k('scale', 'sts', 'search', '-n', NS, '--replicas=3');
    await ownersDone();
    assert.equal(replicas('search'), 3);
  });

  test('Helm: nothing reverts a live change (until the next helm upgrade)', async () => {
    await k('scale', 'sts', 'sessions', '-n', NS, '--replicas=2');
    await ownersDone();
    assert.equal(replicas('sessions'), 2);
  });
});

describe('owners in the simulator: git fetched vs committed', () => {
  test('a commit not fetched yet: drift is healed to what was fetched; a refresh (Application changed) syncs the commit', async () => {
    const api = await startApiServer({ podReadyDelayMs: 5, scenario: 'managed' });
    try {
      api.owners.reconcileDelayMs = 50;
      const replicas = () => api.store.peek(STS, NS, 'payments-db')!.spec.replicas;
      const [d] = api.owners.gitOf('Application', 'argocd', 'payments');
      api.owners.setGit('Application', 'argocd', 'payments', [{ ...d, spec: { ...d.spec, replicas: 4 } }], { fetch: false });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(replicas(), 2, 'not fetched: nothing happens');
      const live = api.store.peek(STS, NS, 'payments-db')!;
      api.store.update(STS, { ...live, metadata: { ...live.metadata, resourceVersion: undefined }, spec: { ...live.spec, replicas: 3 } });
      await api.waitFor(() => replicas() === 2, 5000);
      const app = api.store.peek(resourceByKind('Application'), 'argocd', 'payments')!;
      api.store.update(resourceByKind('Application'), { ...app, metadata: { ...app.metadata, resourceVersion: undefined }, spec: { ...app.spec, syncPolicy: { automated: { selfHeal: true, prune: false } } } });
      await api.waitFor(() => replicas() === 4, 5000);
    } finally {
      await api.stop();
    }
  });
});

describe('owners in the simulator: an immutable field in git', () => {
  test('git asks for another claim size than live: the sync fails on the owner status, nothing is written (as real Argo CD / Flux)', async () => {
    const api = await startApiServer({ podReadyDelayMs: 5, scenario: 'managed' });
    try {
      const [d] = api.owners.gitOf('Kustomization', 'flux-system', 'apps');
      const bigger = structuredClone(d);
      bigger.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '30Gi';
      const rv = api.store.peek(STS, NS, 'search')!.metadata.resourceVersion;
      api.owners.setGit('Kustomization', 'flux-system', 'apps', [bigger]);
      const ks = await api.waitFor(() => { const k = api.store.peek(resourceByKind('Kustomization'), 'flux-system', 'apps'); return k?.status?.conditions?.[0]?.status === 'False' ? k : false; }, 5000);
      assert.match(ks.status.conditions[0].message, /Forbidden: updates to statefulset spec .* \(volumeClaimTemplates\)/);
      assert.equal(api.store.peek(STS, NS, 'search')!.metadata.resourceVersion, rv);
      assert.equal(api.owners.failures.length, 1);
    } finally {
      await api.stop();
    }
  });
});
