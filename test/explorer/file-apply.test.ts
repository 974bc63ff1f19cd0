// From file to cluster in plain Node, against the simulator over HTTPS: documents and their offsets,
// dependency order, server dry run, diff (changed fields), server-side apply with the field manager,
// 409 conflicts as (field, manager), Status causes mapped onto the right ranges of the file, and the
// immutable-change classification that picks Resize Storage… or Re-create….
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments, stringify, type Node } from 'yaml';
import { ClusterConnection } from '../../client/src/cluster/connection';
import { KubeError } from '../../client/src/cluster/errors';
import { changedFields, conflictsOf, dependencyOrder, diffDocument, FIELD_MANAGER, parseFileDocuments, serverApply, documentAt } from '../../client/src/cluster/fileApply';
import { Logger } from '../../client/src/cluster/log';
import { locateField, parseFieldPath, statusProblems } from '../../client/src/cluster/statusRanges';
import { immutableChanges } from '../../client/src/cluster/workflows/immutable';
import { startApiServer, statefulSet, headlessService, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';

const STS = resourceByKind('StatefulSet');

function fileOf(...objs: Obj[]): string {
  return objs.map((o) => stringify(o)).join('---\n');
}

describe('file → cluster (plain Node)', { timeout: 120_000 }, () => {
  let api: ApiServer;
  let conn: ClusterConnection;
  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5 });
    conn = new ClusterConnection({ source: { path: api.kubeconfigPath }, logger: new Logger(() => {}) });
  });
  after(async () => {
    await api.stop();
  });

  test('documents with offsets; the one under the cursor; dependency order puts the StatefulSet last', () => {
    const sts = statefulSet({ name: 'web', replicas: 2 });
    const text = fileOf(sts, headlessService('web'), { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } });
    const docs = parseFileDocuments(text);
    assert.deepEqual(docs.map((d) => [d.index, d.kind, d.name]), [
      [0, 'StatefulSet', 'web'],
      [1, 'Service', 'web'],
      [2, 'PodDisruptionBudget', 'web'],
    ]);
    assert.equal(text.slice(docs[1].start, docs[1].start + 'apiVersion: v1'.length), 'apiVersion: v1');
    assert.equal(documentAt(docs, text.indexOf('clusterIP'))?.kind, 'Service');
    assert.deepEqual(dependencyOrder(docs).map((d) => d.kind), ['Service', 'PodDisruptionBudget', 'StatefulSet']);
    const broken = parseFileDocuments('kind: StatefulSet\nmetadata: {name: x\n');
    assert.equal(broken.length, 1);
    assert.ok(broken[0].errors.length > 0);
  });

  test('dry run creates nothing; apply creates with field manager statefulset-studio; diff counts changed fields', async () => {
    const sts = statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    const [doc] = parseFileDocuments(fileOf(sts));
    const dry = await serverApply(conn.http, doc.obj, 'default', { dryRun: true });
    assert.equal(dry.spec.replicas, 2);
    assert.equal(api.store.peek(STS, 'default', 'db'), undefined);
    const d0 = await diffDocument(conn.http, doc, 'default');
    assert.equal(d0.live, undefined);
    await serverApply(conn.http, doc.obj, 'default');
    const stored = api.store.get(STS, 'default', 'db');
    assert.ok(stored.metadata.managedFields.some((e: Obj) => e.manager === FIELD_MANAGER && e.operation === 'Apply'));
    await api.waitFor(() => api.store.peek(STS, 'default', 'db')?.status?.readyReplicas === 2);
    const same = await diffDocument(conn.http, doc, 'default');
    assert.deepEqual(same.changed, []);
    const changed = structuredClone(sts);
    changed.spec.replicas = 3;
    changed.spec.template.spec.containers[0].image = 'nginx:1.27';
    const [doc2] = parseFileDocuments(fileOf(changed));
    const d = await diffDocument(conn.http, doc2, 'default');
    assert.deepEqual(d.changed, ['spec.replicas', 'spec.template.spec.containers[0].image']);
    assert.equal(api.store.get(STS, 'default', 'db').spec.replicas, 2, 'the diff changed nothing');
  });

  test('a 409 conflict lists each field and its manager; force takes it', async () => {
    const sts = statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    // another manager (an Update, like kubectl scale) now owns spec.replicas
    await conn.http.request('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/db/scale', { body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'hpa-controller' } });
    const err = await serverApply(conn.http, sts, 'default', { dryRun: true }).catch((e) => e);
    assert.ok(err instanceof KubeError);
    assert.deepEqual(conflictsOf(err), [{ field: '.spec.replicas', manager: 'hpa-controller" with subresource "scale' }]);
    const forced = await serverApply(conn.http, sts, 'default', { force: true });
    assert.equal(forced.spec.replicas, 2);
  });

  test('dry-run errors become problems on the fields the Status causes name', async () => {
    const sts = statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    sts.spec.serviceName = 'renamed';
    const bad = statefulSet({ name: 'broken', replicas: 1 });
    bad.spec.template.spec.containers[0].image = '';
    bad.spec.podManagementPolicy = 'Sometimes';
    const text = fileOf(headlessService('db'), sts, bad);
    const docs = parseFileDocuments(text);
    const e1 = await serverApply(conn.http, docs[1].obj, 'default', { dryRun: true }).catch((e) => e);
    const p1 = statusProblems(text, 1, e1);
    assert.equal(p1.length, 1);
    assert.match(p1[0].message, /^spec: Forbidden: updates to statefulset spec/);
    assert.equal(text.slice(p1[0].start, p1[0].start + 4), 'spec');
    assert.ok(p1[0].start > docs[1].start && p1[0].start < docs[1].end, 'in the second document');
    const e2 = await serverApply(conn.http, docs[2].obj, 'default', { dryRun: true }).catch((e) => e);
    const p2 = statusProblems(text, 2, e2);
    const byField = Object.fromEntries(p2.map((p) => [p.field, text.slice(p.start, p.end)]));
    assert.equal(byField['spec.podManagementPolicy'], 'podManagementPolicy: Sometimes');
    assert.equal(byField['spec.template.spec.containers[0].image'], 'image: ""');
    assert.ok(p2.every((p) => p.exact));
    // conflict causes use the ".spec.x" form and list items by key
    const t = stringify(statefulSet({ name: 'x', replicas: 1 }));
    const at = locateField(parseFileDocumentsRoot(t), '.spec.template.spec.containers[name="x"].image')!;
    assert.equal(t.slice(at.start, at.end), 'image: registry.k8s.io/nginx-slim:0.24');
    const missing = locateField(parseFileDocumentsRoot(t), 'spec.volumeClaimTemplates[0].spec')!;
    assert.equal(missing.exact, false);
    assert.equal(t.slice(missing.start, missing.end), 'spec', 'the nearest ancestor the file has');
    assert.deepEqual(parseFieldPath('spec.resources[storage]'), [{ key: 'spec' }, { key: 'resources' }, { key: 'storage' }]);
    // an error without causes sits on the kind line
    const p3 = statusProblems(text, 2, new KubeError(500, 'boom'));
    assert.equal(text.slice(p3[0].start, p3[0].end), 'kind: StatefulSet');
  });

  test('immutable changes: storage growth only → resize; serviceName or a new template → recreate; shrink → refuse', () => {
    const live = structuredClone(api.store.get(STS, 'default', 'db'));
    const file = statefulSet({ name: 'db', replicas: 2, claims: [{ name: 'data', size: '1Gi' }] });
    assert.equal(immutableChanges(live, file).kind, 'none', 'defaults the server added do not count');
    const bigger = structuredClone(file);
    bigger.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '10Gi';
    const r = immutableChanges(live, bigger);
    assert.equal(r.kind, 'resize');
    assert.deepEqual(r.resizes, [{ template: 'data', from: '1Gi', to: '10Gi' }]);
    const smaller = structuredClone(file);
    smaller.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '512Mi';
    assert.equal(immutableChanges(live, smaller).kind, 'refuse');
    const svc = structuredClone(bigger);
    svc.spec.serviceName = 'other';
    const c = immutableChanges(live, svc);
    assert.equal(c.kind, 'recreate');
    assert.deepEqual(c.changes, ['spec.serviceName: db → other', 'claim template data: storage 1Gi → 10Gi']);
    assert.deepEqual(changedFields({ a: [1, 2] }, { a: [1, 3], b: 1 }), ['a[1]', 'b']);
  });
});

/** The YAML root node of the first document, as statusProblems uses it. */
function parseFileDocumentsRoot(text: string): Node | null {
  return parseAllDocuments(text)[0].contents as Node | null;
}
