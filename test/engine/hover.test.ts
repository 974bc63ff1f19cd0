import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/engine/hover';
import { STS } from './helpers';

const at = (text: string, needle: string, offset = 1) => {
  const i = text.indexOf(needle);
  const before = text.slice(0, i + offset).split('\n');
  return hover(text, { line: before.length - 1, character: before[before.length - 1].length });
};
const md = (h: ReturnType<typeof hover>) => (h?.contents as { value: string } | undefined)?.value ?? '';

test('hover on a key shows the official description, type and a link to the API reference', () => {
  const h = at(STS, 'replicas:');
  assert.match(md(h), /^\*\*replicas\*\* · `integer \(int32\)`/);
  assert.match(md(h), /replicas is the desired number of replicas/);
  assert.match(md(h), /Default: `1`/);
  assert.match(md(h), /kubernetes-api\/v1\.34\/#statefulsetspec-v1-apps/);
  assert.deepEqual(h!.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 10 } });
});

test('selector, serviceName, podManagementPolicy and volumeClaimTemplates say they cannot change', () => {
  for (const k of ['selector:', 'serviceName:', 'volumeClaimTemplates:']) assert.match(md(at(STS, k)), /Cannot be changed after the StatefulSet is created/, k);
  assert.doesNotMatch(md(at(STS, 'replicas:')), /Cannot be changed/);
  const pmp = STS.replace('  replicas: 3', '  replicas: 3\n  podManagementPolicy: Parallel');
  const h = md(at(pmp, 'podManagementPolicy'));
  assert.match(h, /Cannot be changed/);
  assert.match(h, /`OrderedReady`: will create pods in strictly increasing order/);
  assert.match(h, /Default: `OrderedReady`/);
});

test('hover works deep in the pod template and in list items', () => {
  assert.match(md(at(STS, 'containerPort')), /Number of port to expose on the pod's IP address/);
  assert.match(md(at(STS, 'mountPath')), /Path within the container at which the volume should be mounted/);
  assert.match(md(at(STS, 'accessModes')), /ReadWriteOncePod/);
  assert.match(md(at(STS, 'storage:')), /quantity/);
});

test('no hover for unknown keys, values-only lines, or other kinds', () => {
  assert.equal(at(STS.replace('replicas', 'replicaz'), 'replicaz'), undefined);
  assert.equal(at('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\n', 'replicas'), undefined);
});

test('every field shows its own description: top-level apiVersion/kind are not managedFields\' or an object reference\'s', () => {
  const text = STS.replace('  name: web\n', '  name: web\n  managedFields:\n  - apiVersion: apps/v1\n    manager: kubectl\n  ownerReferences:\n  - kind: Foo\n    apiVersion: v1\n    name: x\n    uid: "1"\n');
  const own: Array<[string, number, RegExp, RegExp?]> = [
    ['apiVersion: apps/v1\nkind', 1, /APIVersion defines the versioned schema of this representation of an object/, /field set applies to/],
    ['kind: StatefulSet', 1, /Kind is a string value representing the REST resource this object represents/, /Kind of the referent/],
    ['- apiVersion: apps/v1\n    manager', 3, /APIVersion defines the version of this resource that this field set applies to/],
    ['manager: kubectl', 1, /Manager is an identifier of the workflow managing these fields/],
    ['- kind: Foo', 3, /Kind of the referent/],
    ['serviceName:', 1, /serviceName is the name of the service that governs this StatefulSet/],
    ['replicas:', 1, /replicas is the desired number of replicas/],
    ['containerPort:', 1, /Number of port to expose on the pod's IP address/],
  ];
  for (const [needle, offset, want, not] of own) {
    const m = md(at(text, needle, offset));
    assert.match(m, want, needle);
    if (not) assert.doesNotMatch(m, not, needle);
  }
  // the same for a Service and a PodDisruptionBudget
  for (const doc of ['apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n', 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n']) {
    assert.match(md(at(doc, 'apiVersion')), /versioned schema of this representation/);
    assert.match(md(at(doc, 'kind:')), /REST resource this object represents/);
  }
});
