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
