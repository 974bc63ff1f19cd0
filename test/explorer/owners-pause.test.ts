// "Pause sync, do it, resume" against the simulator over HTTPS: selfHeal off / suspend while the
// command runs, restored afterwards; a failing command resumes too; a run killed after any step is
// resumed from its journal by the next connection (resumePending), leaving the owner as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, until } from './helpers';
import { resourceByKind } from '../../simulator/resources';
import * as ops from '../../client/src/cluster/operations';
import { PauseJournal, pauseEntry, resumePending, withOwnerPaused, type PauseHooks } from '../../client/src/cluster/owners/pause';

const APP = resourceByKind('Application');
const KS = resourceByKind('Kustomization');
const STS = resourceByKind('StatefulSet');
const STEPS = ['saved', 'paused', 'acting', 'acted', 'resuming', 'resumed'] as const;

function tempJournal(): { journal: PauseJournal; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'owner-pause-'));
  return { journal: new PauseJournal(join(dir, 'owner-pauses')), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('Argo CD: selfHeal is off while the scale runs and restored after; the journal is empty after', async () => {
  const s = await setup({ scenario: 'managed' });
  const j = tempJournal();
  try {
    s.api.owners.reconcileDelayMs = 100;
    const m = s.conn.model;
    const v = await until(m, () => { const x = m.view('managed/payments-db'); return x?.owner?.read === 'read' ? x : undefined; }, 'owner read');
    const seen: boolean[] = [];
    const entry = await pauseEntry(s.conn.http, s.conn.server, s.conn.context, v.owner!, 'Scale of managed/payments-db to 3');
    assert.deepEqual(entry.previous, { selfHeal: true });
    await withOwnerPaused(s.conn.http, j.journal, entry, async () => {
      seen.push(s.api.store.peek(APP, 'argocd', 'payments')!.spec.syncPolicy.automated.selfHeal);
      assert.equal(j.journal.list().length, 1);
      await ops.scale(s.conn.http, 'managed', 'payments-db', 3);
      // while paused, the owner leaves it
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(s.api.store.peek(STS, 'managed', 'payments-db')!.spec.replicas, 3);
    });
    assert.deepEqual(seen, [false]);
    const app = s.api.store.peek(APP, 'argocd', 'payments')!;
    assert.equal(app.spec.syncPolicy.automated.selfHeal, true);
    assert.equal(app.spec.syncPolicy.automated.prune, true, 'the rest of syncPolicy is untouched');
    assert.equal(j.journal.list().length, 0);
    // resumed: git (replicas 2) wins again, as Argo CD does — unless git has the change
    await s.api.waitFor(() => s.api.store.peek(STS, 'managed', 'payments-db')!.spec.replicas === 2, 10_000);
  } finally {
    j.done();
    await s.close();
  }
});

test('a failing command resumes the owner and rethrows', async () => {
  const s = await setup({ scenario: 'managed' });
  const j = tempJournal();
  try {
    const m = s.conn.model;
    const v = await until(m, () => { const x = m.view('managed/search'); return x?.owner?.read === 'read' ? x : undefined; }, 'owner read');
    const entry = await pauseEntry(s.conn.http, s.conn.server, s.conn.context, v.owner!, 'Scale of managed/search');
    assert.deepEqual(entry.previous, { suspend: null });
    await assert.rejects(withOwnerPaused(s.conn.http, j.journal, entry, async () => { throw new Error('422 from the server'); }), /422 from the server/);
    const ks = s.api.store.peek(KS, 'flux-system', 'apps')!;
    assert.equal(ks.spec.suspend, undefined, 'suspend removed again (it was absent)');
    assert.equal(j.journal.list().length, 0);
  } finally {
    j.done();
    await s.close();
  }
});

for (const kind of ['argocd', 'flux'] as const) {
  test(`${kind}: killed after any step, the next connection resumes the owner from the journal`, async () => {
    const s = await setup({ scenario: 'managed' });
    try {
      const m = s.conn.model;
      const key = kind === 'argocd' ? 'managed/payments-db' : 'managed/search';
      const v = await until(m, () => { const x = m.view(key); return x?.owner?.read === 'read' ? x : undefined; }, 'owner read');
      const paused = () => (kind === 'argocd' ? s.api.store.peek(APP, 'argocd', 'payments')!.spec.syncPolicy.automated.selfHeal === false : s.api.store.peek(KS, 'flux-system', 'apps')!.spec.suspend === true);
      for (const at of STEPS) {
        const j = tempJournal();
        try {
          const entry = await pauseEntry(s.conn.http, s.conn.server, s.conn.context, v.owner!, `Scale of ${key}`);
          // the "process" stops for good after step `at`: its promise is abandoned, only the journal file remains
          let reached!: () => void;
          const killed = new Promise<void>((r) => (reached = r));
          const hooks: PauseHooks = { step: (st) => (st === at ? (reached(), new Promise<void>(() => {})) : undefined) };
          void withOwnerPaused(s.conn.http, j.journal, entry, () => ops.scale(s.conn.http, 'managed', key.split('/')[1], 3), hooks);
          await killed;
          const files = readdirSync(j.journal.dir);
          assert.equal(files.length, 1, `${at}: the journal holds the run`);
          assert.equal(paused(), ['paused', 'acting', 'acted', 'resuming'].includes(at), `${at}: paused as the step says`);
          // a new process: a fresh journal object over the same folder
          const again = new PauseJournal(j.journal.dir);
          assert.equal(again.list().length, 1, `${at}: a new process reads the entry`);
          const r = await resumePending(s.conn.http, again, s.conn.server);
          assert.equal(r.resumed.length, 1, at);
          assert.equal(r.failed.length, 0, at);
          assert.equal(paused(), false, `${at}: resumed`);
          assert.equal(again.list().length, 0, `${at}: journal empty`);
          if (kind === 'argocd') assert.equal(s.api.store.peek(APP, 'argocd', 'payments')!.spec.syncPolicy.automated.selfHeal, true);
          else assert.equal(s.api.store.peek(KS, 'flux-system', 'apps')!.spec.suspend, undefined);
          // another cluster's entries are left alone
          assert.deepEqual((await resumePending(s.conn.http, again, 'https://other.example')).resumed, []);
        } finally {
          j.done();
        }
      }
    } finally {
      await s.close();
    }
  });
}
