// Cross-file resolution picks the object a person means: the same file wins, then the same folder,
// then the nearest folder up (a Kustomize overlay and its base), then the rest of the workspace; an
// object without a namespace takes its file's, else its namespace is unknown and matches only in the
// same folder tree; messages of cross-file findings name the other file. Through the real engine,
// with the objects of the other files as the analyzer itself extracts them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, objectsOf } from '../../server/src/engine/analyzer';
import type { IndexedObject, RuleEnvironment } from '../../server/src/rules/framework';
import { nearness, relativeFile } from '../../server/src/rules/practices/resolve';
import { edit, PDB, SERVICE, STS } from '../engine/helpers';

const NOT_HEADLESS = edit(SERVICE, '  clusterIP: None\n', '');
const STS_PDB = `${STS}---\n${PDB}`; // the PDB travels with it: only the Service questions remain

/** The workspace: other files' texts by URI, objects extracted by the engine (as the index and the CLI do). */
function workspace(files: Record<string, string>): RuleEnvironment {
  const all: IndexedObject[] = Object.entries(files).flatMap(([uri, text]) => objectsOf(analyzeText(text).file, uri));
  return { workspace: (kind) => all.filter((o) => o.kind === kind), live: () => undefined, roots: ['file:///ws'] };
}

function findings(uri: string, text: string, files: Record<string, string>, code: string) {
  return analyzeText(text, { uri, env: workspace(files) }).diagnostics.filter((d) => d.code === code);
}

describe('which object a StatefulSet means', () => {
  test('the same file wins: its non-headless Service is flagged although a headless one of that name is elsewhere', () => {
    const got = findings('file:///ws/app/web.yaml', `${STS_PDB}---\n${NOT_HEADLESS}`, { 'file:///ws/app/other.yaml': SERVICE }, 'service-not-headless');
    assert.equal(got.length, 1);
    assert.match(got[0].message, /^Service "web" is not headless/, 'the Service of this file, so no file named');
    // and the other way round: the headless Service in the file wins over a broken one next to it
    assert.deepEqual(findings('file:///ws/app/web.yaml', `${STS_PDB}---\n${SERVICE}`, { 'file:///ws/app/other.yaml': NOT_HEADLESS }, 'service-not-headless'), []);
  });

  test('then the same folder, then the nearest folder up (Kustomize base next to the overlay), then the rest', () => {
    const uri = 'file:///ws/app/overlays/prod/statefulset.yaml';
    // same folder beats the base
    let got = findings(uri, STS_PDB, { 'file:///ws/app/overlays/prod/service.yaml': NOT_HEADLESS, 'file:///ws/app/base/service.yaml': SERVICE }, 'service-not-headless');
    assert.equal(got.length, 1);
    assert.match(got[0].message, /Service "web" \(in service\.yaml\) is not headless/);
    // the base (under app/) beats a same-named Service of another application
    assert.deepEqual(findings(uri, STS_PDB, { 'file:///ws/app/base/service.yaml': SERVICE, 'file:///ws/other-app/service.yaml': NOT_HEADLESS }, 'service-not-headless'), []);
    got = findings(uri, STS_PDB, { 'file:///ws/app/base/service.yaml': NOT_HEADLESS, 'file:///ws/other-app/service.yaml': SERVICE }, 'service-not-headless');
    assert.equal(got.length, 1);
    assert.match(got[0].message, /Service "web" \(in \.\.\/\.\.\/base\/service\.yaml\) is not headless/);
    // a folder up counts too
    got = findings(uri, STS_PDB, { 'file:///ws/app/service.yaml': NOT_HEADLESS, 'file:///ws/zzz/service.yaml': SERVICE }, 'service-not-headless');
    assert.match(got[0]?.message ?? '', /\(in \.\.\/\.\.\/service\.yaml\)/);
  });

  test('when several remain equally near, one is used and the message names its file', () => {
    const prod = (t: string) => t.replace(/  name: (web|web-pdb)\n/g, '  name: $1\n  namespace: prod\n');
    const got = findings('file:///ws/a/sts.yaml', prod(STS_PDB), { 'file:///ws/b/service.yaml': prod(NOT_HEADLESS), 'file:///ws/c/service.yaml': prod(SERVICE) }, 'service-not-headless');
    assert.equal(got.length, 1);
    assert.match(got[0].message, /\(in \.\.\/b\/service\.yaml\)/);
  });

  test('the selector check uses the same Service and names its file', () => {
    const other = edit(SERVICE, '    app: web', '    app: db');
    const got = findings('file:///ws/app/sts.yaml', STS_PDB, { 'file:///ws/app/svc/service.yaml': other, 'file:///ws/zzz/service.yaml': SERVICE }, 'service-selector-mismatch');
    assert.equal(got.length, 1);
    assert.match(got[0].message, /Service "web" \(in svc\/service\.yaml\) selects app=db/);
  });
});

describe('namespaces', () => {
  const inNs = (text: string, ns: string) => edit(text, '  name: web\n', `  name: web\n  namespace: ${ns}\n`);
  const CONFIG_PROD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: prod\n';

  test('an object without a namespace is in the namespace of its file\'s other objects', () => {
    const sts = `${STS_PDB}---\n${CONFIG_PROD}`; // the StatefulSet is in prod through its file
    assert.equal(findings('file:///ws/a/sts.yaml', sts, { 'file:///ws/a/svc.yaml': inNs(SERVICE, 'dev') }, 'service-not-found').length, 1, 'dev is not prod, even next door');
    assert.deepEqual(findings('file:///ws/a/sts.yaml', sts, { 'file:///ws/far/away/svc.yaml': inNs(SERVICE, 'prod') }, 'service-not-found'), [], 'prod matches anywhere');
    // and the same for the Service's side: a Service without namespace in a file of prod objects
    assert.deepEqual(findings('file:///ws/a/sts.yaml', inNs(STS_PDB, 'prod'), { 'file:///ws/far/svc.yaml': `${SERVICE}---\n${CONFIG_PROD}` }, 'service-not-found'), []);
    assert.equal(findings('file:///ws/a/sts.yaml', inNs(STS_PDB, 'dev'), { 'file:///ws/far/svc.yaml': `${SERVICE}---\n${CONFIG_PROD}` }, 'service-not-found').length, 1);
  });

  test('an unknown namespace matches only within the same folder tree', () => {
    const uri = 'file:///ws/app/sts.yaml';
    assert.deepEqual(findings(uri, STS_PDB, { 'file:///ws/app/svc.yaml': SERVICE }, 'service-not-found'), [], 'same folder');
    assert.deepEqual(findings(uri, STS_PDB, { 'file:///ws/app/base/svc.yaml': SERVICE }, 'service-not-found'), [], 'below');
    assert.deepEqual(findings('file:///ws/app/base/sts.yaml', STS_PDB, { 'file:///ws/app/svc.yaml': SERVICE }, 'service-not-found'), [], 'above');
    assert.equal(findings(uri, STS_PDB, { 'file:///ws/other/svc.yaml': SERVICE }, 'service-not-found').length, 1, 'another tree: not the same application');
    assert.equal(findings(uri, STS_PDB, { 'file:///ws/other/svc.yaml': inNs(SERVICE, 'prod') }, 'service-not-found').length, 1, 'a known namespace against an unknown one, in another tree');
    assert.deepEqual(findings(uri, STS_PDB, { 'file:///ws/app/x/svc.yaml': inNs(SERVICE, 'prod') }, 'service-not-found'), [], 'the same, in the same tree');
    // a Kustomize overlay and its base share the application's folder below the workspace folder
    assert.deepEqual(findings('file:///ws/app/overlays/prod/sts.yaml', STS_PDB, { 'file:///ws/app/base/svc.yaml': SERVICE }, 'service-not-found'), []);
    const noRoots = (files: Record<string, string>) => ({ ...workspace(files), roots: undefined });
    const d = analyzeText(STS_PDB, { uri: 'file:///ws/app/overlays/prod/sts.yaml', env: noRoots({ 'file:///ws/app/base/svc.yaml': SERVICE }) }).diagnostics;
    assert.ok(d.some((x) => x.code === 'service-not-found'), 'without workspace folders, only a folder that holds the other counts');
  });

  test('PodDisruptionBudgets follow the same namespace rules', () => {
    const uri = 'file:///ws/app/sts.yaml';
    const sts = `${STS}---\n${SERVICE}`;
    assert.deepEqual(findings(uri, sts, { 'file:///ws/app/pdb.yaml': PDB }, 'missing-pod-disruption-budget'), []);
    assert.equal(findings(uri, sts, { 'file:///ws/other/pdb.yaml': PDB }, 'missing-pod-disruption-budget').length, 1);
    assert.deepEqual(findings(uri, inNs(sts, 'prod'), { 'file:///ws/other/pdb.yaml': inNs(PDB.replace('name: web-pdb', 'name: web'), 'prod') }, 'missing-pod-disruption-budget'), []);
  });
});

test('nearness and relative file names', () => {
  const from = 'file:///ws/app/overlays/prod/sts.yaml';
  const order = ['file:///ws/app/overlays/prod/sts.yaml', 'file:///ws/app/overlays/prod/svc.yaml', 'file:///ws/app/overlays/prod/x/svc.yaml', 'file:///ws/app/overlays/svc.yaml', 'file:///ws/app/base/svc.yaml', 'file:///ws/svc.yaml'];
  for (let i = 1; i < order.length; i++) assert.ok(nearness(from, order[i - 1]) >= nearness(from, order[i]), `${order[i - 1]} before ${order[i]}`);
  assert.ok(nearness(from, order[1]) > nearness(from, order[2]), 'the same folder before a folder below');
  assert.equal(relativeFile(from, { uri: 'file:///ws/app/base/svc.yaml' }), '../../base/svc.yaml');
  assert.equal(relativeFile(from, { uri: 'file:///ws/app/overlays/prod/my%20svc.yaml' }), 'my svc.yaml');
  assert.equal(relativeFile('/repo/a/sts.yaml', { uri: '/repo/b/svc.yaml' }), '../b/svc.yaml');
});
