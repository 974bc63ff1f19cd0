// "Pause sync, do it, resume" around a journaled workflow (resize, re-create, restore) that is cut half-way: the
// owner stays paused — resumed then, Argo CD / Flux would re-create the orphan-deleted StatefulSet under the
// workflow — both when the workflow fails (keepPausedOnError) and when the next connection resumes what a crash
// left paused (resumePending keeps it); resumeFor() resumes it once the workflow has finished. Simulator, HTTPS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, until } from './helpers';
import { resourceByKind } from '../../simulator/resources';
import { PauseJournal, pauseEntry, resumeFor, resumePending, withOwnerPaused } from '../../client/src/cluster/owners/pause';

const KS = resourceByKind('Kustomization');
const STS = resourceByKind('StatefulSet');

test('a workflow cut half-way keeps Flux suspended (no re-create under it); resumed by resumeFor when it finished', async () => {
  const s = await setup({ scenario: 'managed' });
  const dir = mkdtempSync(join(tmpdir(), 'owner-pause-kept-'));
  try {
    s.api.owners.reconcileDelayMs = 100;
    const journal = new PauseJournal(join(dir, 'owner-pauses'));
    const m = s.conn.model;
    const v = await until(m, () => { const x = m.view('managed/search'); return x?.owner?.read === 'read' ? x : undefined; }, 'owner read');
    const entry = await pauseEntry(s.conn.http, s.conn.server, s.conn.context, v.owner!, 'Resize storage of managed/search', { namespace: 'managed', name: 'search' });
    assert.deepEqual(entry.statefulSet, { namespace: 'managed', name: 'search' });
    // the workflow orphan-deletes the StatefulSet, then fails (its journal keeps the step)
    const pending = 'the resize of managed/search is pending at step "create"';
    await assert.rejects(
      withOwnerPaused(s.conn.http, journal, entry, async () => {
        await s.conn.http.request('DELETE', '/apis/apps/v1/namespaces/managed/statefulsets/search', { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' } });
        throw new Error('the API server went away');
      }, { keepPausedOnError: () => pending }),
      { message: `the API server went away Flux Kustomization flux-system/apps stays paused (${pending}) and is resumed when that finishes.` },
    );
    assert.equal(s.api.store.peek(KS, 'flux-system', 'apps')!.spec.suspend, true);
    assert.equal(journal.list().length, 1);
    // the next connection: kept, not resumed, while the workflow is pending
    const r = await resumePending(s.conn.http, journal, s.conn.server, (e) => (e.statefulSet?.name === 'search' ? pending : undefined));
    assert.deepEqual(r.resumed, []);
    assert.deepEqual(r.kept.map((k) => k.reason), [pending]);
    await new Promise((res) => setTimeout(res, 400));
    assert.equal(s.api.store.peek(STS, 'managed', 'search'), undefined, 'Flux did not re-create it under the workflow');
    // the workflow finished (here: the StatefulSet back as it was): resumeFor resumes Flux
    assert.deepEqual(await resumeFor(s.conn.http, journal, s.conn.server, 'managed', 'other'), []);
    assert.deepEqual(await resumeFor(s.conn.http, journal, s.conn.server, 'managed', 'search'), ['Flux Kustomization flux-system/apps']);
    const ks = s.api.store.peek(KS, 'flux-system', 'apps')!;
    assert.equal('suspend' in ks.spec, false, 'suspend removed, as it was absent before');
    assert.equal(journal.list().length, 0);
    // resumed, Flux re-creates what git has
    await s.api.waitFor(() => !!s.api.store.peek(STS, 'managed', 'search'), 10_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await s.close();
  }
});

test('without a pending workflow a failing command still resumes the owner (keepPausedOnError says nothing)', async () => {
  const s = await setup({ scenario: 'managed' });
  const dir = mkdtempSync(join(tmpdir(), 'owner-pause-kept-'));
  try {
    const journal = new PauseJournal(join(dir, 'owner-pauses'));
    const m = s.conn.model;
    const v = await until(m, () => { const x = m.view('managed/search'); return x?.owner?.read === 'read' ? x : undefined; }, 'owner read');
    const entry = await pauseEntry(s.conn.http, s.conn.server, s.conn.context, v.owner!, 'Scale of managed/search', { namespace: 'managed', name: 'search' });
    await assert.rejects(withOwnerPaused(s.conn.http, journal, entry, async () => { throw new Error('boom'); }, { keepPausedOnError: () => undefined }), { message: 'boom' });
    assert.equal('suspend' in s.api.store.peek(KS, 'flux-system', 'apps')!.spec, false);
    assert.equal(journal.list().length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await s.close();
  }
});
