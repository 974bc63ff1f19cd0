// "The owner re-creates it" mode of Resize Storage against the simulator over HTTPS: the PVCs are grown, the
// StatefulSet orphan-deleted, and Argo CD (selfHeal) re-creates it from git; the workflow waits for that instead
// of creating it and verifies the adoption (same pods, same PVCs). When the owner re-creates it differently
// (git not changed), the race is reported, nothing deleted, the journal keeps the step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from './helpers';
import { resourceByKind } from '../../simulator/resources';
import { FileJournal } from '../../client/src/cluster/workflows/journal';
import { preflight, runWorkflow } from '../../client/src/cluster/workflows/recreate';
import type { Obj } from '../../simulator/index';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const APP = resourceByKind('Application');

function ids(api: { store: { listRaw(t: unknown, ns: string): Obj[] } }): string[] {
  return [...api.store.listRaw(POD, 'managed'), ...api.store.listRaw(PVC, 'managed')]
    .filter((o) => /payments-db-\d$/.test(o.metadata.name))
    .map((o) => `${o.kind}/${o.metadata.name}=${o.metadata.uid}`)
    .sort();
}

for (const changedInGit of [true, false]) {
  test(changedInGit ? 'git has the larger claim: Argo CD re-creates it, the workflow waits, same pods and PVCs' : 'git unchanged: Argo CD re-creates the old spec — race reported, nothing deleted', async () => {
    const s = await setup({ scenario: 'managed', volumeResizeStepMs: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'owner-recreate-'));
    try {
      s.api.owners.reconcileDelayMs = 100;
      const journal = new FileJournal(dir);
      const [d] = s.api.owners.gitOf('Application', 'argocd', 'payments');
      const file = structuredClone(d);
      file.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '8Gi';
      if (changedInGit) {
        s.api.owners.setGit('Application', 'argocd', 'payments', [file]);
        // Argo CD cannot sync it onto the live object (immutable field): its status says so, nothing is written
        await s.api.waitFor(() => s.api.store.peek(APP, 'argocd', 'payments')?.status?.operationState?.phase === 'Failed', 5000);
      }
      const before = ids(s.api);
      const oldUid = s.api.store.peek(STS, 'managed', 'payments-db')!.metadata.uid;
      // Argo CD heals 2.5 s after the delete: the workflow's create step is waiting by then
      s.api.owners.reconcileDelayMs = 2500;
      const pf = await preflight(s.conn.http, { cluster: s.conn.server, context: s.conn.context, namespace: 'managed', manifest: file, workflow: 'resize' });
      assert.ok(pf.ok, pf.refusals.join());
      pf.entry!.ownerRecreates = { owner: 'Argo CD app payments', timeoutMs: 10_000 };
      const said: string[] = [];
      const run = runWorkflow(s.conn.http, journal, pf.entry!, { onProgress: (t) => said.push(t) });
      if (changedInGit) {
        const r = await run;
        assert.equal(r.samePods, true);
        assert.equal(r.samePvcs, true);
        assert.deepEqual(r.restartedPods, []);
        const sts = s.api.store.peek(STS, 'managed', 'payments-db')!;
        assert.notEqual(sts.metadata.uid, oldUid);
        assert.deepEqual([...new Set(sts.metadata.managedFields.map((f: Obj) => f.manager))].filter((m) => m !== 'statefulset-controller' && m !== 'kube-controller-manager'), ['argocd-controller'], 'created by Argo CD, not by us');
        assert.ok(said.includes('waiting for Argo CD app payments to re-create payments-db'), said.join(' | '));
        assert.ok(!said.some((t) => t.startsWith('creating payments-db')));
        assert.deepEqual(ids(s.api), before);
        assert.equal(journal.list().length, 0);
      } else {
        await assert.rejects(run, /payments-db was re-created by someone else \(argocd-controller\) differently from the file: .*5Gi → 8Gi.*Nothing was deleted/s);
        assert.equal(journal.list()[0]?.stage, 'create', 'the journal keeps the step');
        // pods and PVCs intact (the PVCs grown already): same UIDs
        assert.deepEqual(ids(s.api), before);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await s.close();
    }
  });
}
