// The connected cluster's version (GET /version over real HTTPS against the simulator): what the
// extension sends the language server as its default target Kubernetes version.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverVersion } from '../../client/src/cluster/operations';
import { parseKubernetesVersion, targetVersion } from '../../server/src/schema/versions';
import { setup, type Setup } from './helpers';

let s: Setup;
before(async () => {
  s = await setup();
});
after(async () => {
  await s?.close();
});

test('serverVersion reads the gitVersion of /version, and the server takes its minor as the target', async () => {
  const v = await serverVersion(s.conn.http);
  assert.equal(v, 'v1.32.0-simulator');
  assert.equal(parseKubernetesVersion(v), '1.32');
  const t = targetVersion(v, 'cluster');
  assert.deepEqual([t.requested, t.schema, t.origin, t.note], ['1.32', '1.32', 'cluster', undefined]);
});
