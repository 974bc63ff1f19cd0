// Target Kubernetes version: fields a version lacks, feature gates off by default, hover "since",
// completion filtered by version, and the version parsing the setting, the CLI and the cluster use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/engine/analyzer';
import { complete } from '../../server/src/engine/completion';
import { hover } from '../../server/src/engine/hover';
import { bundledVersions, newestVersion, parseKubernetesVersion, targetVersion } from '../../server/src/schema/versions';
import { FEATURE_GATES } from '../../server/src/schema/featureStages';
import { schema, typeDef } from '../../server/src/schema';
import { atCursor, edit, STS } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

const WITH_ORDINALS = edit(STS, '  replicas: 3\n', '  replicas: 3\n  ordinals:\n    start: 1\n');
const WITH_MAX_UNAVAILABLE = edit(STS, '  replicas: 3\n', '  replicas: 3\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 2\n');

function findings(text: string, version: string | undefined, code: string) {
  return analyzeText(text, { kubernetesVersion: version === undefined ? undefined : targetVersion(version) }).diagnostics.filter((d) => d.code === code);
}

test('bundled: every minor from 1.25 to the newest, each with the package it comes from', () => {
  assert.equal(bundledVersions[0], '1.25');
  const minors = bundledVersions.map((v) => Number(v.split('.')[1]));
  for (let i = 1; i < minors.length; i++) assert.equal(minors[i], minors[i - 1] + 1, `no minor missing after ${bundledVersions[i - 1]}`);
  assert.equal(newestVersion, bundledVersions[bundledVersions.length - 1]);
  assert.ok(Number(newestVersion.split('.')[1]) >= 34, newestVersion);
  const pinned = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const all = { ...pinned.dependencies, ...pinned.devDependencies };
  for (const v of schema.versions) {
    if (v.source.startsWith('feature-stage table')) continue;
    // each source is an exactly pinned package: by name, or by an npm alias k8s-schema-1.NN
    const [, name, version] = /^(@?[^@]+)@(.+)$/.exec(v.source)!;
    const pinnedHere = all[name] === version || Object.values(all).includes(`npm:${name}@${version}`);
    assert.ok(pinnedHere, `${v.version} comes from ${v.source}, pinned in package.json`);
  }
});

test('a field a version lacks is an error there (ordinals in 1.25), and not in versions that have it', () => {
  const d = findings(WITH_ORDINALS, '1.25', 'field-not-in-version');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 1);
  assert.match(d[0].message, /spec\.ordinals is not in the Kubernetes 1\.25 API \(it was added in 1\.26\)/);
  assert.equal(d[0].range.start.line, 7, 'on the ordinals key');
  for (const v of ['1.26', '1.27', '1.31', newestVersion]) assert.deepEqual(findings(WITH_ORDINALS, v, 'field-not-in-version'), [], v);
  // nothing inside the refused field is reported on its own
  assert.deepEqual(findings(WITH_ORDINALS, '1.25', 'unknown-field'), []);
});

test('a pod template field: resizePolicy needs 1.27, sleep 1.29, Volume.image 1.31 (the minor no package carries)', () => {
  const withResize = edit(STS, '        image: nginx:1.27\n', '        image: nginx:1.27\n        resizePolicy:\n        - resourceName: cpu\n          restartPolicy: NotRequired\n');
  assert.equal(findings(withResize, '1.26', 'field-not-in-version').length, 1);
  assert.equal(findings(withResize, '1.27', 'field-not-in-version').length, 0);
  const withImage = edit(STS, '      containers:\n', '      volumes:\n      - name: tools\n        image:\n          reference: busybox:1.36\n      containers:\n');
  assert.match(findings(withImage, '1.30', 'field-not-in-version')[0]?.message ?? '', /volumes\[0\]\.image is not in the Kubernetes 1\.30 API \(it was added in 1\.31\)/);
  assert.deepEqual(findings(withImage, '1.31', 'field-not-in-version'), []);
});

test('a field removed from the API is an error in later versions: resourceClaims[].source until 1.30', () => {
  const text = edit(STS, '      containers:\n', '      resourceClaims:\n      - name: gpu\n        source:\n          resourceClaimName: gpu\n      containers:\n');
  assert.deepEqual(findings(text, '1.30', 'field-not-in-version'), []);
  const d = findings(text, '1.31', 'field-not-in-version');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /resourceClaims\[0\]\.source is not in the Kubernetes 1\.31 API \(it was removed after 1\.30\)/);
  // the default target is the newest bundled version
  assert.equal(findings(text, undefined, 'field-not-in-version').length, 1);
});

test('a field whose feature gate is off by default gets a warning that the API server drops it', () => {
  const d = findings(WITH_MAX_UNAVAILABLE, '1.30', 'feature-gate-off');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 2);
  assert.match(d[0].message, /maxUnavailable needs the feature gate MaxUnavailableStatefulSet, which is alpha and off by default in Kubernetes 1\.30: .*silently drops this field/);
  // beta and on by default from 1.35: no warning (gates are judged at the requested version even past the newest schema)
  assert.deepEqual(findings(WITH_MAX_UNAVAILABLE, '1.35', 'feature-gate-off'), []);
  // ordinals: alpha (off) in 1.26, beta (on) in 1.27
  assert.match(findings(WITH_ORDINALS, '1.26', 'feature-gate-off')[0]?.message ?? '', /StatefulSetStartOrdinal, which is alpha and off by default in Kubernetes 1\.26/);
  assert.deepEqual(findings(WITH_ORDINALS, '1.27', 'feature-gate-off'), []);
  // an unset value (null) is not a setting that gets dropped
  assert.deepEqual(findings(edit(WITH_MAX_UNAVAILABLE, 'maxUnavailable: 2', 'maxUnavailable:'), '1.30', 'feature-gate-off'), []);
});

test('beta but off by default counts too: hostUsers in 1.30–1.32, on from 1.33; the gate name of the version (renamed in 1.28)', () => {
  const text = edit(STS, '      containers:\n', '      hostUsers: false\n      containers:\n');
  assert.match(findings(text, '1.30', 'feature-gate-off')[0]?.message ?? '', /UserNamespacesSupport, which is beta and off by default/);
  assert.match(findings(text, '1.26', 'feature-gate-off')[0]?.message ?? '', /UserNamespacesStatelessPodsSupport, which is alpha/);
  assert.deepEqual(findings(text, '1.33', 'feature-gate-off'), []);
});

test('version findings follow the rule settings and suppression comments like every check', () => {
  const text = WITH_ORDINALS;
  const off = analyzeText(text, { kubernetesVersion: targetVersion('1.25'), settings: { 'field-not-in-version': 'off' } }).diagnostics;
  assert.deepEqual(off.filter((d) => d.code === 'field-not-in-version'), []);
  const suppressed = edit(text, '  ordinals:\n', '  # statefulset-studio-disable-next-line field-not-in-version\n  ordinals:\n');
  assert.deepEqual(findings(suppressed, '1.25', 'field-not-in-version'), []);
});

test('hover says since when a field appeared, and the gate stage in the target version', () => {
  const at = (text: string, needle: string, version?: string) => {
    const i = text.indexOf(needle) + 1;
    const before = text.slice(0, i).split('\n');
    const h = hover(text, { line: before.length - 1, character: before[before.length - 1].length }, version ? targetVersion(version) : undefined);
    return (h?.contents as { value: string } | undefined)?.value ?? '';
  };
  assert.match(at(WITH_ORDINALS, 'ordinals:'), /Since Kubernetes 1\.26\./);
  assert.match(at(WITH_ORDINALS, 'ordinals:', '1.25'), /Not in Kubernetes 1\.25/);
  assert.match(at(WITH_MAX_UNAVAILABLE, 'maxUnavailable:', '1.30'), /Feature gate `MaxUnavailableStatefulSet`: alpha, off by default in Kubernetes 1\.30: unless the cluster enables it/);
  // a field every bundled version has says no "since"
  assert.doesNotMatch(at(STS, 'replicas:'), /Since Kubernetes/);
});

test('completion offers only the fields the target version has', () => {
  const { text, line, character } = atCursor('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  |\n');
  const labels = (v: string) => complete(text, { line, character }, targetVersion(v)).map((i) => i.label);
  assert.ok(!labels('1.25').includes('ordinals'));
  assert.ok(labels('1.26').includes('ordinals'));
  assert.ok(labels('1.25').includes('persistentVolumeClaimRetentionPolicy') && labels('1.25').includes('minReadySeconds'));
  const pod = atCursor('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      |\n');
  const podLabels = (v?: string) => complete(pod.text, { line: pod.line, character: pod.character }, v ? targetVersion(v) : undefined).map((i) => i.label);
  assert.ok(!podLabels('1.31').includes('resources') && podLabels('1.32').includes('resources'), 'pod-level resources from 1.32');
  assert.ok(!podLabels('1.25').includes('schedulingGates') && podLabels('1.26').includes('schedulingGates'));
  assert.ok(podLabels().includes('hostnameOverride'), 'the default is the newest bundled');
  // the documentation of an item says since when
  const item = complete(text, { line, character }, targetVersion('1.30')).find((i) => i.label === 'ordinals');
  assert.match((item?.documentation as { value: string }).value, /Since Kubernetes 1\.26/);
});

test('versions as users and clusters write them', () => {
  assert.equal(parseKubernetesVersion('1.30'), '1.30');
  assert.equal(parseKubernetesVersion('v1.32.0'), '1.32');
  assert.equal(parseKubernetesVersion('v1.32.0-simulator'), '1.32');
  assert.equal(parseKubernetesVersion('v1.29.8-eks-a737599'), '1.29');
  assert.equal(parseKubernetesVersion('v1.30.5-gke.1014001'), '1.30');
  assert.equal(parseKubernetesVersion({ major: '1', minor: '28+' }), '1.28');
  assert.equal(parseKubernetesVersion('2.1'), undefined);
  assert.equal(parseKubernetesVersion('latest'), undefined);
  assert.throws(() => targetVersion('1.x'), /not a Kubernetes version/);
  assert.deepEqual(targetVersion(''), { requested: newestVersion, schema: newestVersion, origin: 'default' });
  const old = targetVersion('1.20');
  assert.equal(old.schema, '1.25');
  assert.match(old.note!, /older than the oldest bundled/);
  const future = targetVersion('1.99');
  assert.equal(future.schema, newestVersion);
  assert.equal(future.requested, '1.99');
});

test('the feature-stage table names real schema fields and its stages go forward', () => {
  for (const g of FEATURE_GATES) {
    for (const f of g.fields) {
      const dot = f.lastIndexOf('.');
      assert.ok(typeDef(f.slice(0, dot)).properties[f.slice(dot + 1)], `${g.gate}: ${f}`);
    }
    for (let i = 1; i < g.stages.length; i++) {
      const [a, b] = [g.stages[i - 1].since, g.stages[i].since].map((v) => Number(v.split('.')[1]));
      assert.ok(b > a, `${g.gate} stages in order`);
    }
  }
});

test('docs/kubernetes-versions.md shows the feature-stage table as the code has it', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'kubernetes-versions.md'), 'utf8');
  for (const g of FEATURE_GATES) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${g.gate}\``));
    assert.ok(row, `${g.gate} has a row`);
    for (const s of g.stages) assert.ok(row.includes(`${s.stage === 'ga' ? 'GA' : s.stage}${s.stage === 'beta' ? (s.enabledByDefault ? ' (on)' : ' (off)') : ''} ${s.since}`), `${g.gate}: ${s.stage} ${s.since} in "${row}"`);
  }
  for (const v of schema.versions) assert.ok(doc.includes(`| ${v.version} | ${v.source.startsWith('feature-stage') ? 'feature-stage table' : `\`${v.source}\``}`), `${v.version} source row`);
});
