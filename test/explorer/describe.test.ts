// Describe against the simulator: a crashlooping pod (states, last state, conditions, volumes, events oldest
// first with counts), its StatefulSet and a PVC (Used By, provisioning event).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statefulSet, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { describeObject, eventsSection } from '../../client/src/cluster/describe';
import { setup, type Setup } from './helpers';

const POD = resourceByKind('Pod');

describe('Describe', { timeout: 60_000 }, () => {
  let s: Setup;
  before(async () => {
    s = await setup({ scenario: 'empty', namespace: 'default' });
    s.api.create(statefulSet({ name: 'web', replicas: 1, image: 'example.com/app:crashloop', claims: [{ name: 'www', size: '1Gi' }] }));
    await s.api.waitFor(() => s.api.store.peek(POD, 'default', 'web-0')?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
  });
  after(async () => {
    await s.close();
  });

  test('pod: container state and last state, conditions, claim, events oldest first with counts', async () => {
    const text = await describeObject(s.conn.http, 'Pod', 'default', 'web-0');
    assert.match(text, /^Name:\s+web-0\nNamespace:\s+default\nNode:\s+simulator-node\/10\.0\.0\.10/);
    assert.match(text, /Controlled By:\s+StatefulSet\/web/);
    assert.match(text, /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    assert.match(text, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    assert.match(text, /Restart Count:\s+3/);
    assert.match(text, /Ready\s+False \(ContainersNotReady/);
    assert.match(text, /ClaimName:\s+www-web-0/);
    const ev = text.slice(text.indexOf('Events:')).split('\n');
    assert.match(ev[1], /^\s+Type\s+Reason\s+Age\s+From\s+Message$/);
    const reasons = ev.slice(3).filter(Boolean).map((l) => l.trim().split(/\s+/)[1]);
    assert.deepEqual(reasons, ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'BackOff'], 'oldest first');
    assert.match(text, /Warning\s+BackOff\s+\S+ \(x4 over \S+\)\s+kubelet\s+Back-off restarting failed container web in pod web-0_default/);
  });

  test('StatefulSet and PVC', async () => {
    const sts = await describeObject(s.conn.http, 'StatefulSet', 'default', 'web');
    assert.match(sts, /Replicas:\s+1 desired \| 1 total/);
    assert.match(sts, /Pods Status:\s+1 Running \/ 0 Waiting/);
    assert.match(sts, /Image:\s+example.com\/app:crashloop/);
    assert.match(sts, /Normal\s+SuccessfulCreate\s+\S+\s+statefulset-controller\s+create Claim www-web-0 Pod web-0 in StatefulSet web success/);
    const pvc = await describeObject(s.conn.http, 'PersistentVolumeClaim', 'default', 'www-web-0');
    assert.match(pvc, /Status:\s+Bound/);
    assert.match(pvc, /Used By:\s+web-0/);
    assert.match(pvc, /Normal\s+ProvisioningSucceeded/);
  });

  test('no events: said as kubectl does', () => {
    assert.deepEqual(eventsSection([]), ['Events:  <none>']);
    const e: Obj = { type: 'Warning', reason: 'BackOff', message: 'm', count: 5, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:10:00Z', source: { component: 'kubelet' } };
    const rows = eventsSection([e], Date.parse('2026-01-01T00:13:00Z'));
    assert.match(rows[3], /Warning\s+BackOff\s+3m \(x5 over 13m\)\s+kubelet\s+m/);
  });
});
