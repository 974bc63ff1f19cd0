// Stuck-rollout detection and rollout "done" as plain functions: true and false cases for the
// partition, OnDelete, Parallel and minReadySeconds (client/src/cluster/trouble.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildView } from '../../client/src/cluster/model';
import { podNotReady, rolloutState } from '../../client/src/cluster/trouble';
import type { Pod, StatefulSet } from '../../client/src/cluster/types';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const GRACE = 60_000;

type PodState = 'ready' | 'crash' | 'pending';
interface Opts {
  replicas?: number;
  partition?: number;
  strategy?: 'RollingUpdate' | 'OnDelete';
  policy?: 'OrderedReady' | 'Parallel';
  minReadySeconds?: number;
  current?: string;
  update?: string;
  /** per ordinal: [revision, state, seconds not ready] */
  pods: Array<[string, PodState, number?]>;
}

function pod(i: number, rev: string, st: PodState, notReadyFor = 0): Pod {
  const ready = st === 'ready';
  return {
    metadata: { name: `web-${i}`, namespace: 'default', uid: `pod-${i}`, creationTimestamp: ago(3600), labels: { 'controller-revision-hash': rev }, ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: 'sts', controller: true }] },
    spec: { nodeName: 'n1', containers: [{ name: 'web', image: 'x' }] },
    status: {
      phase: st === 'pending' ? 'Pending' : 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(ready ? 3600 : notReadyFor) } as never],
      containerStatuses: [
        st === 'crash'
          ? ({ name: 'web', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } } as never)
          : st === 'pending'
            ? { name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }
            : { name: 'web', ready: true, restartCount: 0, state: { running: {} } },
      ],
    },
  };
}

function state(o: Opts) {
  const sts: StatefulSet = {
    metadata: { name: 'web', namespace: 'default', uid: 'sts', generation: 2 },
    spec: {
      replicas: o.replicas ?? o.pods.length,
      podManagementPolicy: o.policy,
      minReadySeconds: o.minReadySeconds,
      updateStrategy: o.strategy === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: o.partition !== undefined ? { partition: o.partition } : undefined },
    },
    status: { observedGeneration: 2, currentRevision: o.current ?? 'old', updateRevision: o.update ?? 'new' },
  };
  const pods = o.pods.map(([rev, st, s], i) => pod(i, rev, st, s));
  const v = buildView(sts, new Map([['sts', pods]]), new Map(), new Map());
  return rolloutState(v, NOW, GRACE, (ord) => (ord.pod ? podNotReady(ord.pod.pod, { now: NOW }) : undefined));
}

describe('stuck rollout detection', () => {
  test('OrderedReady + RollingUpdate: the new pod crashlooping past the grace → stuck, with the reason and the time', () => {
    const r = state({ pods: [['old', 'ready'], ['old', 'ready'], ['new', 'crash', 300]] });
    assert.equal(r.kind, 'stuck');
    assert.equal(r.stuckAt, 'web-2');
    assert.equal(r.text, 'rollout stuck at web-2: CrashLoopBackOff (5 restarts, exit 1) (5 min)');
    assert.equal(r.done, false);
  });
  test('not Ready for less than minReadySeconds + grace → updating, and a recheck when it would become stuck', () => {
    const r = state({ minReadySeconds: 120, pods: [['old', 'ready'], ['new', 'crash', 150]] });
    assert.equal(r.kind, 'updating');
    assert.equal(r.recheckAt, NOW - 150_000 + 120_000 + GRACE + 1);
    const later = state({ minReadySeconds: 120, pods: [['old', 'ready'], ['new', 'crash', 181]] });
    assert.equal(later.kind, 'stuck');
  });
  test('partition: a broken pod below the partition does not make the rollout stuck; at or above it does', () => {
    const below = state({ partition: 2, pods: [['old', 'crash', 900], ['old', 'ready'], ['new', 'ready'], ['new', 'ready']] });
    assert.equal(below.kind, 'complete', 'ordinals ≥ 2 are updated and Ready: done, whatever web-0 does');
    assert.equal(below.done, true);
    const above = state({ partition: 2, pods: [['old', 'ready'], ['old', 'ready'], ['old', 'ready'], ['new', 'crash', 900]] });
    assert.equal(above.kind, 'stuck');
    assert.equal(above.stuckAt, 'web-3');
    assert.match(above.text, /^rollout stuck at web-3/);
  });
  test('partition: done when every ordinal ≥ partition runs the update revision and is Ready (currentRevision stays old)', () => {
    const done = state({ partition: 3, pods: [['old', 'ready'], ['old', 'ready'], ['old', 'ready'], ['new', 'ready'], ['new', 'ready']] });
    assert.deepEqual([done.kind, done.done, done.targets, done.updatedReady], ['complete', true, 2, 2]);
    const half = state({ partition: 3, pods: [['old', 'ready'], ['old', 'ready'], ['old', 'ready'], ['old', 'ready'], ['new', 'ready']] });
    assert.deepEqual([half.kind, half.done, half.text], ['updating', false, 'updating 1/2, partition 3']);
  });
  test('Parallel never halts: a crashlooping pod is not "stuck"', () => {
    const r = state({ policy: 'Parallel', pods: [['old', 'ready'], ['new', 'crash', 3600]] });
    assert.equal(r.kind, 'updating');
    assert.equal(r.stuckAt, undefined);
  });
  test('OnDelete: pods on an old revision are said as such, highest ordinal first; none → complete', () => {
    const r = state({ strategy: 'OnDelete', pods: [['old', 'ready'], ['old', 'ready'], ['old', 'ready'], ['new', 'ready']] });
    assert.equal(r.kind, 'outdated');
    assert.equal(r.text, '3 pods on an old revision (OnDelete)');
    assert.deepEqual(r.outdated, ['web-2', 'web-1', 'web-0']);
    const none = state({ strategy: 'OnDelete', current: 'new', pods: [['new', 'ready'], ['new', 'ready']] });
    assert.equal(none.kind, 'complete');
    assert.equal(none.done, true);
  });
  test('no rollout in progress: nothing is stuck even when every pod is ready on the same revision', () => {
    const r = state({ current: 'new', pods: [['new', 'ready'], ['new', 'ready']] });
    assert.equal(r.kind, 'complete');
    assert.equal(r.text, '');
  });
  test('a pod still being created (Pending, within the grace) is updating, not stuck', () => {
    const r = state({ pods: [['old', 'ready'], ['new', 'pending', 10]] });
    assert.equal(r.kind, 'updating');
  });
});
