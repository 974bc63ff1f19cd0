// The real-editor test of disks (issue 21): the packaged extension in code-server against the simulator's demo
// cluster. The near-full PVC (www-web-1, 91%) shows its usage and the error colour, so does web; Snapshot
// Volumes… on web → three snapshots ready, listed under the PVCs; more data written on www-web-1; Restore from
// Snapshot… on ordinal 1 → web-1 runs on a PVC whose data marker is the snapshot's, web-0 and web-2 keep their
// pod UIDs; Delete Snapshot states the deletionPolicy; with the snapshot CRDs removed the command says why it
// cannot run. Screenshot: docs/images/disks.png. Run alone: node test/run.mjs e2e/disks
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editorSkip, editorTest } from './harness';
import { startApiServer } from '../../simulator';
import { resourceByKind } from '../../simulator/resources';

test('the packaged extension works inside a real VS Code (code-server): PVC usage, snapshots, restore of one ordinal', { timeout: 20 * 60_000, skip: editorSkip() }, async (t) => {
  const api = await startApiServer({ scenario: 'demo', podReadyDelayMs: 50, snapshotReadyDelayMs: 100 });
  try {
    api.snapshots.writeMarker('default', 'www-web-1', 'rows as of the snapshot');
    const POD = resourceByKind('Pod');
    const uids = () => Object.fromEntries(['web-0', 'web-1', 'web-2'].map((p) => [p, api.store.peek(POD, 'default', p)?.metadata.uid]));
    const before = uids();
    await editorTest(t, {
      suites: ['disks.e2e.ts'],
      resultsName: 'disks',
      extraEnv: {
        STATEFULSET_STUDIO_TEST: '1',
        KUBECONFIG: api.kubeconfigPath,
        // the suite writes "data" and reads data markers through the simulator's control endpoint
        E2E_SIM_URL: api.url,
        E2E_SIM_TOKEN: api.tokens.admin,
        E2E_SIM_CA: api.caPath,
      },
    });
    // after the editor session: the simulator's own view
    assert.equal(api.snapshots.markerOf('default', 'www-web-1'), 'rows as of the snapshot');
    const after = uids();
    assert.equal(after['web-0'], before['web-0']);
    assert.equal(after['web-2'], before['web-2']);
    assert.notEqual(after['web-1'], before['web-1']);
  } finally {
    await api.stop();
  }
});
