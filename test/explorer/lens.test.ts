// The CodeLens text of a StatefulSet document, from the explorer's live model (no request of its
// own): live state, `file differs: N fields` counting only fields the file sets, absent objects, and
// which guided path (resize / re-create) an immutable change calls for.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestCount } from '../../client/src/cluster/http';
import { fieldsDifferingFromLive, lensInfo } from '../../client/src/cluster/lens';
import { statefulSet, headlessService } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { setup, until, type Setup } from './helpers';

describe('CodeLens text from live objects', { timeout: 60_000 }, () => {
  let s: Setup;
  const file = () => statefulSet({ name: 'lens', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
  before(async () => {
    s = await setup({ scenario: 'empty' });
    s.api.create(headlessService('lens'));
    s.api.create(file());
    await until(s.conn.model, () => s.conn.model.view('default/lens')?.ready === 2, 'lens ready');
  });
  after(async () => {
    await s.close();
  });

  test('live and matching; differing fields counted; absent; guided path for immutable changes', async () => {
    const requests = requestCount;
    const v = s.conn.model.view('default/lens')!;
    const same = lensInfo(v, file());
    assert.equal(same.state, `2/2 ready · revision ${v.currentRevision}`);
    assert.match(v.currentRevision!, /^lens-/);
    assert.equal(same.differs, 'file matches the cluster');
    assert.equal(same.guided, undefined);
    const changed = file();
    changed.spec.replicas = 3;
    changed.spec.template.spec.containers[0].image = 'nginx:1.27';
    const d = lensInfo(v, changed);
    assert.equal(d.differs, 'file differs: 2 fields');
    assert.deepEqual(d.fields, ['spec.replicas', 'spec.template.spec.containers[0].image']);
    const bigger = file();
    bigger.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi';
    assert.equal(lensInfo(v, bigger).guided, 'resize');
    const svc = file();
    svc.spec.serviceName = 'other';
    assert.equal(lensInfo(v, svc).guided, 'recreate');
    // a cluster known to update claim templates in place (KEP-4650): a plain Apply, but only when nothing
    // else immutable changes
    assert.equal(lensInfo(v, bigger, true).guided, 'in-place');
    const both = file();
    both.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi';
    both.spec.serviceName = 'other';
    assert.equal(lensInfo(v, both, true).guided, 'recreate');
    assert.equal(lensInfo(v, svc, true).guided, 'recreate');
    assert.deepEqual(lensInfo(undefined, file()), { state: 'not in the cluster', fields: [] });
    // objects from a list carry no apiVersion/kind: that is no difference
    const { apiVersion: _a, kind: _k, ...listed } = v.sts;
    assert.equal(lensInfo({ ...v, sts: listed }, file()).differs, 'file matches the cluster');
    assert.equal(requestCount, requests, 'no request was made');
    assert.deepEqual(fieldsDifferingFromLive({ metadata: { name: 'a', labels: { x: '1' } } }, { metadata: { name: 'a', uid: 'u', labels: { x: '1', y: '2' } } }), []);
  });

  test('a rollout with a partition shows in the state', async () => {
    const next = file();
    next.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    next.spec.template.spec.containers[0].image = 'nginx:1.27';
    const STS = resourceByKind('StatefulSet');
    const sts = s.api.store.get(STS, 'default', 'lens');
    sts.spec = { ...sts.spec, updateStrategy: next.spec.updateStrategy, template: { ...sts.spec.template, spec: { ...sts.spec.template.spec, containers: [{ ...sts.spec.template.spec.containers[0], image: 'nginx:1.27' }] } } };
    s.api.store.update(STS, sts);
    const v = await until(s.conn.model, () => {
      const x = s.conn.model.view('default/lens');
      return x && x.updating && x.updated === 1 && x.ready === 2 ? x : undefined;
    }, 'partitioned rollout');
    assert.equal(lensInfo(v, next).state, '2/2 ready · updating 1/2, partition 1');
  });
});
