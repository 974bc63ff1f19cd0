// The bundled schema is complete for StatefulSet and reproducible from the pinned package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fieldAt, kindFor, rootField, schema, typeDef, type FieldSchema } from '../../server/src/schema';

const root = path.join(__dirname, '..', '..');

/** Every (path, field) reachable from a kind's root, each type visited once. */
function reachable(typeName: string): Array<{ path: string; field: FieldSchema }> {
  const out: Array<{ path: string; field: FieldSchema }> = [];
  const seen = new Set<string>();
  const visit = (name: string, prefix: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const [k, f] of Object.entries(typeDef(name).properties)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.push({ path: p, field: f });
      let inner: FieldSchema | undefined = f;
      while (inner && (inner.kind === 'array' || inner.kind === 'map')) inner = inner.kind === 'array' ? inner.items : inner.values;
      if (inner?.kind === 'object' && inner.ref) visit(inner.ref, p);
    }
  };
  visit(typeName, '');
  return out;
}

test('every field reachable from StatefulSet has a type and the official description', () => {
  const fields = reachable('apps.v1.StatefulSet');
  assert.ok(fields.length > 500, `StatefulSet reaches ${fields.length} fields`);
  for (const { path: p, field } of fields) {
    assert.ok(field.kind, `${p} has a type`);
    assert.ok(field.description.length > 0, `${p} has a description`);
    if (field.kind === 'array') assert.ok(field.items?.kind, `${p} has an item type`);
    if (field.kind === 'map') assert.ok(field.values?.kind, `${p} has a value type`);
    if (field.kind === 'object') assert.ok(field.ref && schema.types[field.ref], `${p} refers to a known type`);
  }
});

test('the StatefulSet spec has the fields of Kubernetes ≥ 1.33, and 1.34 fields from @kubernetes/client-node', () => {
  const spec = typeDef('apps.v1.StatefulSetSpec').properties;
  for (const k of ['ordinals', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'podManagementPolicy', 'serviceName', 'volumeClaimTemplates', 'updateStrategy', 'revisionHistoryLimit']) {
    assert.ok(spec[k], `spec.${k}`);
  }
  const root = rootField(kindFor('apps/v1', 'StatefulSet')!);
  assert.equal(fieldAt(root, ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'])?.kind, 'int-or-string');
  assert.equal(fieldAt(root, ['spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage'])?.kind, 'quantity');
  assert.equal(fieldAt(root, ['spec', 'replicas'])?.format, 'int32');
  assert.equal(fieldAt(root, ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'])?.format, 'int64');
  assert.deepEqual(typeDef('apps.v1.StatefulSetSpec').required.sort(), ['selector', 'template']);
  assert.ok(typeDef('core.v1.Container').required.includes('name'));
  // the whole pod template: probes, affinity, tolerations, every volume source, security context
  const pod = typeDef('core.v1.PodSpec').properties;
  for (const k of ['affinity', 'tolerations', 'securityContext', 'volumes', 'initContainers', 'topologySpreadConstraints', 'dnsPolicy']) assert.ok(pod[k], `PodSpec.${k}`);
  // newer than the base package (1.33): added with the version that has them
  assert.equal(pod.hostnameOverride?.since, '1.34');
  assert.equal(typeDef('core.v1.Container').properties.restartPolicyRules?.since, '1.34');
  assert.equal(typeDef('core.v1.ContainerRestartRuleOnExitCodes').properties.values?.items?.format, 'int32', 'formats from client-node');
  const volume = Object.keys(typeDef('core.v1.Volume').properties);
  for (const k of ['configMap', 'secret', 'emptyDir', 'persistentVolumeClaim', 'projected', 'csi', 'ephemeral', 'hostPath', 'nfs', 'downwardAPI', 'image']) assert.ok(volume.includes(k), `Volume.${k}`);
});

test('enum fields carry their values', () => {
  const root = rootField(kindFor('apps/v1', 'StatefulSet')!);
  const enums: Array<[Array<string | number>, string[]]> = [
    [['spec', 'podManagementPolicy'], ['OrderedReady', 'Parallel']],
    [['spec', 'updateStrategy', 'type'], ['OnDelete', 'RollingUpdate']],
    [['spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled'], ['Delete', 'Retain']],
    [['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted'], ['Delete', 'Retain']],
    [['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'], ['Always', 'IfNotPresent', 'Never']],
    [['spec', 'template', 'spec', 'dnsPolicy'], ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']],
    [['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'protocol'], ['SCTP', 'TCP', 'UDP']],
    [['spec', 'volumeClaimTemplates', 0, 'spec', 'accessModes', 0], ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']],
  ];
  for (const [p, values] of enums) {
    const f = fieldAt(root, p);
    assert.deepEqual([...(f?.enum ?? [])].sort(), values, p.join('.'));
  }
  // no reachable enum is empty
  for (const { path: p, field } of reachable('apps.v1.StatefulSet')) if (field.enum) assert.ok(field.enum.length > 0, p);
});

test('Service, PersistentVolumeClaim and PodDisruptionBudget are recognised too', () => {
  assert.ok(kindFor('v1', 'Service'));
  assert.ok(kindFor('v1', 'PersistentVolumeClaim'));
  assert.ok(kindFor('policy/v1', 'PodDisruptionBudget'));
  assert.equal(kindFor('apps/v1', 'Deployment'), undefined);
  assert.equal(kindFor('apps/v1beta1', 'StatefulSet'), undefined);
});

test('the schema is reproduced exactly by scripts/generate-schema.ts from the pinned package', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-'));
  const out = path.join(tmp, 'k8s-schema.json');
  let regenerated: string;
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-schema.ts'], { cwd: root, env: { ...process.env, SCHEMA_OUT: out }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    regenerated = fs.readFileSync(out, 'utf8');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  assert.equal(regenerated, fs.readFileSync(path.join(root, 'server/src/schema/k8s-schema.json'), 'utf8'), 'byte for byte');
  assert.match(schema.source, /^kubernetes-models@\d+\.\d+\.\d+$/);
  const pinned = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies['kubernetes-models'];
  assert.equal(schema.source, `kubernetes-models@${pinned}`, 'generated from the pinned version');
});
