// missing-service-name (issue 24): a StatefulSet without serviceName is accepted by the API server, but its pods get
// no stable DNS names. The warning, where it points, what it proposes, and its quick fix (serviceName + the headless
// Service, reusing the service-not-found fix), applied and analysed again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../server/src/engine/analyzer';
import { quickFixes } from '../../server/src/engine/quickfix';
import { targetVersion } from '../../server/src/schema/versions';
import { PDB, STS, edit } from '../engine/helpers';

const URI = 'file:///work/web.yaml';
const NO_NAME = edit(STS, '  serviceName: web\n', '');
const diagnostics = (text: string, o: { version?: string } = {}): Diagnostic[] =>
  analyzeText(text, { uri: URI, ...(o.version ? { kubernetesVersion: targetVersion(o.version, 'flag') } : {}) }).diagnostics;
const mine = (text: string, o: { version?: string } = {}) => diagnostics(text, o).filter((d) => d.code === 'missing-service-name');
const codes = (text: string) => diagnostics(text).map((d) => String(d.code));
const errors = (text: string) => diagnostics(text).filter((d) => d.severity === 1).map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`);

function applyFix(text: string, title: RegExp): { out: string; edits: TextEdit[] } {
  const [d] = mine(text);
  assert.ok(d, `no missing-service-name finding in:\n${text}`);
  const actions = quickFixes(URI, [JSON.parse(JSON.stringify(d)) as Diagnostic], text);
  const a = actions.find((x) => title.test(x.title));
  assert.ok(a, `no action ${title}; have ${JSON.stringify(actions.map((x) => x.title))}`);
  const edits = a.edit!.changes![URI];
  const out = TextDocument.applyEdits(TextDocument.create(URI, 'yaml', 1, text), edits);
  for (const doc of parseAllDocuments(out)) assert.deepEqual(doc.errors.map((e) => e.message), [], `valid YAML:\n${out}`);
  return { out, edits };
}

describe('missing-service-name', () => {
  test('no serviceName: a warning on spec that says the pods get no stable DNS names', () => {
    const [d, more] = mine(NO_NAME);
    assert.ok(d, 'no finding');
    assert.equal(more, undefined);
    assert.equal(d.severity, 2, 'a warning');
    const specLine = NO_NAME.split('\n').indexOf('spec:');
    assert.deepEqual(d.range, { start: { line: specLine, character: 0 }, end: { line: specLine, character: 4 } });
    assert.match(d.message, /No serviceName: its pods get no stable DNS names \(<pod>\.<service>\.<namespace>\.svc\)/);
    assert.match(d.message, /add a headless Service \(clusterIP: None\).*"web"/);
    // accepted by the API server: a warning, not an error; nothing else errs
    assert.deepEqual(errors(NO_NAME), []);
  });

  test('the same with --kubernetes-version 1.30 (and 1.25): the rule does not depend on the schema version', () => {
    for (const v of ['1.30', '1.25']) assert.equal(mine(NO_NAME, { version: v }).length, 1, v);
  });

  test('serviceName: "" or serviceName: (null) means unset: flagged on the key', () => {
    for (const v of ['""', '']) {
      const text = edit(STS, '  serviceName: web\n', `  serviceName: ${v}\n`.replace(': \n', ':\n'));
      const [d] = mine(text);
      assert.ok(d, v);
      assert.equal(d.range.start.line, text.split('\n').findIndex((l) => l.startsWith('  serviceName:')), v);
    }
  });

  test('with serviceName set, and in a Kustomize patch without one, nothing', () => {
    assert.deepEqual(mine(STS), []);
    const patch = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 5\n';
    assert.deepEqual(mine(patch), []);
  });

  test('quick fix: sets serviceName: web and appends the headless Service; nothing about the Service is left', () => {
    const text = [NO_NAME, PDB].join('---\n');
    const { out, edits } = applyFix(text, /Set serviceName: web and add the headless Service "web"/);
    assert.equal(edits.length, 2);
    const c = codes(out);
    for (const code of ['missing-service-name', 'service-not-found', 'service-not-headless', 'service-selector-mismatch']) assert.ok(!c.includes(code), `${code} in\n${out}`);
    assert.deepEqual(errors(out), []);
    const docs = parseAllDocuments(out).map((d) => d.toJS() as Record<string, any>);
    assert.deepEqual(docs.map((d) => d.kind), ['StatefulSet', 'Service', 'PodDisruptionBudget']);
    assert.equal(docs[0].spec.serviceName, 'web');
    assert.equal(docs[1].metadata.name, 'web');
    assert.equal(docs[1].spec.clusterIP, 'None');
    assert.deepEqual(docs[1].spec.selector, { app: 'web' });
  });

  test('a headless Service that selects the pods exists: the message names it, the fix only sets serviceName', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-peers\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n';
    const text = [svc, NO_NAME].join('---\n');
    const [d] = mine(text);
    assert.match(d.message, /The headless Service "web-peers" selects these pods: set serviceName: web-peers/);
    const { out, edits } = applyFix(text, /Set serviceName: web-peers/);
    assert.equal(edits.length, 1, 'no second Service');
    const docs = parseAllDocuments(out).map((x) => x.toJS() as Record<string, any>);
    assert.deepEqual(docs.map((x) => x.kind), ['Service', 'StatefulSet']);
    assert.equal(docs[1].spec.serviceName, 'web-peers');
    assert.ok(!codes(out).some((c) => c.startsWith('service-') || c === 'missing-service-name'), codes(out).join(', '));
  });

  test('a Service named like the StatefulSet that is not headless (a client Service): the proposal is web-headless', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
    const text = [svc, NO_NAME].join('---\n');
    assert.match(mine(text)[0].message, /"web-headless"/);
    const { out } = applyFix(text, /Set serviceName: web-headless and add the headless Service "web-headless"/);
    const docs = parseAllDocuments(out).map((x) => x.toJS() as Record<string, any>);
    assert.deepEqual(docs.map((x) => `${x.kind}/${x.metadata.name}`), ['Service/web', 'StatefulSet/web', 'Service/web-headless']);
    assert.ok(!codes(out).includes('service-not-headless'), codes(out).join(', '));
  });

  test('the fix also works when the client dropped Diagnostic.data, and not on an empty serviceName: ""', () => {
    const [d] = mine(NO_NAME);
    const actions = quickFixes(URI, [{ ...d, data: undefined }], NO_NAME);
    assert.ok(actions.some((a) => /Set serviceName: web and add/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
    const empty = edit(STS, '  serviceName: web\n', '  serviceName: ""\n');
    assert.deepEqual(quickFixes(URI, mine(empty), empty).filter((a) => /serviceName/.test(a.title)), []);
  });
});
