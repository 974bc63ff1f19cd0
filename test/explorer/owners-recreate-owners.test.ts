// "The owner re-creates it" with the other owners, against the simulator over HTTPS (owners-recreate.test.ts
// covers Argo CD): the operator, whose CR's storage is raised first — it grows the PVCs itself and, when the
// workflow orphan-deletes its StatefulSet, re-creates it from the CR with the new claim size; and Flux, whose
// git has the larger claim, with the workflow killed while it waits for Flux: the journal keeps the step and the
// mode, and the next run (a new journal reader, as after a restart) waits on and verifies the adoption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, withClaimSize, type Setup } from './helpers';
import { resourceByKind } from '../../simulator/resources';
import { RMQ } from '../../simulator/owners/controller';
import { FileJournal } from '../../client/src/cluster/workflows/journal';
import { preflight, runWorkflow } from '../../client/src/cluster/workflows/recreate';
import { recreatable } from '../../client/src/cluster/workflows/restore';
import type { Obj } from '../../simulator/index';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const KS = resourceByKind('Kustomization');

function ids(api: { store: { listRaw(t: unknown, ns: string): Obj[] } }, sts: string): string[] {
  return [...api.store.listRaw(POD, 'managed'), ...api.store.listRaw(PVC, 'managed')]
    .filter((o) => new RegExp(`-${sts}-\\d$`).test(o.metadata.name))
    .map((o) => `${o.kind}/${o.metadata.name}=${o.metadata.uid}`)
    .sort();
}

/** The managed scenario and a journal folder, both gone after `body`. */
async function inManaged(prefix: string, body: (s: Setup, dir: string) => Promise<void>): Promise<void> {
  const s = await setup({ scenario: 'managed', volumeResizeStepMs: 10 });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    await body(s, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await s.close();
  }
}

/** Resize Storage's plan for `file` in namespace managed (it must pass the preflight). */
async function resizePlan(s: Setup, file: Obj) {
  const pf = await preflight(s.conn.http, { cluster: s.conn.server, context: s.conn.context, namespace: 'managed', manifest: file, workflow: 'resize' });
  assert.ok(pf.ok, pf.refusals.join());
  return pf.entry!;
}

const managers = (o: Obj) => [...new Set((o.metadata.managedFields ?? []).map((f: Obj) => f.manager as string))].filter((m) => m !== 'statefulset-controller' && m !== 'kube-controller-manager');

test('operator: the CR storage raised → it grows the PVCs; Resize Storage "let the owner re-create it" → it re-creates from the CR, same pods and PVCs', () =>
  inManaged('owner-recreate-op-', async (s, dir) => {
    s.api.owners.reconcileDelayMs = 100;
    const before = ids(s.api, 'mq-server');
    const live = s.api.store.peek(STS, 'managed', 'mq-server')!;
    // the user changes the CR first (as the refusal says): the operator grows each PVC; the claim template cannot change
    const cr = structuredClone(s.api.store.peek(RMQ, 'managed', 'mq')!);
    delete cr.metadata.resourceVersion;
    cr.spec.persistence.storage = '20Gi';
    s.api.store.update(RMQ, cr);
    await s.api.waitFor(() => s.api.store.listRaw(PVC, 'managed').filter((p: Obj) => /^persistence-mq-server-\d$/.test(p.metadata.name) && p.status?.capacity?.storage === '20Gi').length === 3, 10_000);
    assert.equal(s.api.store.peek(STS, 'managed', 'mq-server')!.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '10Gi', 'the StatefulSet keeps the old template');
    assert.equal(s.api.store.peek(STS, 'managed', 'mq-server')!.metadata.uid, live.metadata.uid);
    // Resize Storage from the live object with the CR's size, the operator re-creating it (2.5 s after the delete)
    s.api.owners.reconcileDelayMs = 2500;
    const entry = await resizePlan(s, withClaimSize(recreatable(s.api.store.peek(STS, 'managed', 'mq-server')!), '20Gi'));
    assert.deepEqual(entry.resizes, [], 'the PVCs are grown already');
    entry.ownerRecreates = { owner: 'RabbitmqCluster mq', timeoutMs: 10_000 };
    const said: string[] = [];
    const r = await runWorkflow(s.conn.http, new FileJournal(dir), entry, { onProgress: (t) => said.push(t) });
    assert.equal(r.samePods, true);
    assert.equal(r.samePvcs, true);
    const sts = s.api.store.peek(STS, 'managed', 'mq-server')!;
    assert.notEqual(sts.metadata.uid, live.metadata.uid);
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '20Gi');
    assert.deepEqual(managers(sts), ['rabbitmq-cluster-operator'], 'created by the operator, not by us');
    assert.ok(said.includes('waiting for RabbitmqCluster mq to re-create mq-server'), said.join(' | '));
    assert.ok(!said.some((t) => t.startsWith('creating mq-server')));
    assert.deepEqual(ids(s.api, 'mq-server'), before, 'same pod and PVC UIDs');
  }));

test('operator: the CR unchanged → it re-creates the old claim size: the race is reported, nothing deleted', () =>
  inManaged('owner-recreate-op-', async (s, dir) => {
    s.api.owners.reconcileDelayMs = 2500;
    const before = ids(s.api, 'mq-server');
    const entry = await resizePlan(s, withClaimSize(recreatable(s.api.store.peek(STS, 'managed', 'mq-server')!), '20Gi'));
    entry.ownerRecreates = { owner: 'RabbitmqCluster mq', timeoutMs: 10_000 };
    const journal = new FileJournal(dir);
    await assert.rejects(runWorkflow(s.conn.http, journal, entry), /mq-server was re-created by someone else \(rabbitmq-cluster-operator\) differently from the file: .*10Gi → 20Gi.*Nothing was deleted/s);
    assert.equal(journal.list()[0]?.stage, 'create');
    assert.deepEqual(ids(s.api, 'mq-server'), before);
  }));

test('Flux: killed while waiting for Flux to re-create it; the next run resumes the wait from the journal and verifies the adoption', () =>
  inManaged('owner-recreate-flux-', async (s, dir) => {
    s.api.owners.reconcileDelayMs = 100;
    const [d] = s.api.owners.gitOf('Kustomization', 'flux-system', 'apps');
    const file = withClaimSize(d, '40Gi');
    // git has the larger claim: Flux cannot apply it onto the live object (immutable) and says so
    s.api.owners.setGit('Kustomization', 'flux-system', 'apps', [file]);
    await s.api.waitFor(() => s.api.store.peek(KS, 'flux-system', 'apps')?.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'False'), 5000);
    const before = ids(s.api, 'search');
    const oldUid = s.api.store.peek(STS, 'managed', 'search')!.metadata.uid;
    s.api.owners.reconcileDelayMs = 2500;
    const plan = await resizePlan(s, file);
    plan.ownerRecreates = { owner: 'Flux Kustomization flux-system/apps', timeoutMs: 10_000 };
    // first run: killed at the wait step (the signal stands for the process going away)
    const ac = new AbortController();
    const first = runWorkflow(s.conn.http, new FileJournal(dir), plan, {
      signal: ac.signal,
      onProgress: (t) => {
        if (t.startsWith('waiting for Flux')) ac.abort();
      },
    });
    await assert.rejects(first);
    assert.ok(!s.api.store.peek(STS, 'managed', 'search'), 'deleted (orphan), not re-created yet');
    // the next run reads the journal afresh: the step and the owner mode are there
    const journal = new FileJournal(dir);
    const [entry] = journal.list();
    assert.equal(entry.stage, 'create');
    assert.deepEqual(entry.ownerRecreates, { owner: 'Flux Kustomization flux-system/apps', timeoutMs: 10_000 });
    const said: string[] = [];
    const r = await runWorkflow(s.conn.http, journal, entry, { onProgress: (t) => said.push(t) });
    assert.equal(r.samePods, true);
    assert.equal(r.samePvcs, true);
    const sts = s.api.store.peek(STS, 'managed', 'search')!;
    assert.notEqual(sts.metadata.uid, oldUid);
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '40Gi');
    assert.deepEqual(managers(sts), ['kustomize-controller'], 'created by Flux, not by us');
    assert.ok(said.includes('waiting for Flux Kustomization flux-system/apps to re-create search'), said.join(' | '));
    assert.ok(!said.some((t) => t.startsWith('creating search')));
    assert.deepEqual(ids(s.api, 'search'), before);
    assert.equal(journal.list().length, 0);
  }));
