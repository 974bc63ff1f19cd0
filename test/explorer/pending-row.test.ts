// A StatefulSet whose re-create is pending (journal exists, StatefulSet absent: between the orphan
// delete and the create) shows as a row `name — re-create pending (pods and PVCs kept)` under its
// namespace — even a namespace with no other StatefulSet — and the row goes once it is re-created.
// Real workflow and model against the simulator over HTTPS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderTree } from '../../client/src/cluster/tree';
import { TreeState } from '../../client/src/cluster/treeState';
import { FileJournal } from '../../client/src/cluster/workflows/journal';
import { preflight, runWorkflow } from '../../client/src/cluster/workflows/recreate';
import { headlessService, statefulSet } from '../../simulator/index';
import { setup, statefulSetReady, until, type Setup } from './helpers';

class Stop extends Error {}

describe('re-create pending row in the tree', { timeout: 120_000 }, () => {
  let s: Setup;
  let dir: string;
  let journal: FileJournal;
  before(async () => {
    s = await setup({ scenario: 'empty' });
    dir = mkdtempSync(join(tmpdir(), 'sts-pending-'));
    journal = new FileJournal(dir);
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('row under its namespace while the StatefulSet is absent; gone once re-created', async () => {
    const m = statefulSet({ name: 'web', replicas: 1, claims: [{ name: 'data', size: '1Gi' }] });
    s.api.create(headlessService('web'));
    s.api.create(structuredClone(m));
    await statefulSetReady(s.api, 'web', 1);
    await until(s.conn.model, () => s.conn.model.view('default/web'), 'web in the model');
    const tree = () => renderTree(s.conn.context, s.conn.server, s.conn.model, true, journal.list());
    const ROW = /^ {4}web — re-create pending \(pods and PVCs kept\)$/m;

    const file = structuredClone(m);
    file.spec.podManagementPolicy = 'Parallel';
    const pf = await preflight(s.conn.http, { cluster: s.conn.server, context: s.conn.context, namespace: 'default', manifest: file, workflow: 'recreate' });
    assert.deepEqual(pf.refusals, []);
    journal.save(pf.entry!);
    // journaled but the StatefulSet still exists: its own row, no pending row
    assert.doesNotMatch(tree(), ROW);
    await assert.rejects(
      runWorkflow(s.conn.http, journal, pf.entry!, {
        beforeStep: (stage) => {
          if (stage === 'create') throw new Stop('stopped before create');
        },
      }),
      Stop,
    );
    await until(s.conn.model, () => !s.conn.model.view('default/web'), 'web gone from the model');
    // all namespaces: `default` has no StatefulSet left but is shown, with the pending row under it
    const t = tree();
    assert.match(t, /^ {2}default — 0 StatefulSets\n {4}web — re-create pending \(pods and PVCs kept\)$/m, t);
    // the same row through the tree's node store (what VS Code is handed)
    const state = new TreeState(s.conn, () => journal.list());
    const [ctx] = state.children();
    const [ns] = state.children(ctx).filter((n) => n.kind === 'namespace');
    const rows = state.children(ns);
    assert.deepEqual(rows.map((r) => r.label), ['web — re-create pending (pods and PVCs kept)']);
    assert.equal(rows[0].contextValue, 'statefulsetStudio.pendingRecreate');
    assert.deepEqual(rows[0].command, { id: 'statefulsetStudio.finishRecreate', args: ['default/web'] });
    // a tree without journals does not show it
    assert.doesNotMatch(renderTree(s.conn.context, s.conn.server, s.conn.model), ROW);

    const entry = journal.load(s.conn.server, 'default', 'web')!;
    await runWorkflow(s.conn.http, journal, entry);
    await until(s.conn.model, () => s.conn.model.view('default/web'), 'web back in the model');
    assert.doesNotMatch(tree(), ROW);
    assert.match(tree(), /^ {4}web\b/m);
  });
});
