// Quick fixes as plain data: each test analyses a text, asks for the code actions of one diagnostic,
// applies the chosen action's edits and analyses the result again: the diagnostic is gone, and the fix
// broke nothing (no YAML error, no new error of any kind).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../server/src/engine/analyzer';
import { quickFixes } from '../../server/src/engine/quickfix';
import { SERVICE, PDB, edit } from '../engine/helpers';

const URI = 'file:///work/web.yaml';

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(URI, 'yaml', 1, text), edits);
}

function diagnostics(text: string): Diagnostic[] {
  return analyzeText(text, { uri: URI }).diagnostics;
}

function errors(text: string): string[] {
  return diagnostics(text)
    .filter((d) => d.severity === 1)
    .map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`);
}

function actionsFor(text: string, code: string): { diag: Diagnostic; actions: CodeAction[] } {
  const diag = diagnostics(text).find((d) => d.code === code);
  assert.ok(diag, `expected a ${code} diagnostic in:\n${text}\ngot ${JSON.stringify(diagnostics(text).map((d) => d.code))}`);
  // the client sends the diagnostic back as JSON
  const sent = JSON.parse(JSON.stringify(diag)) as Diagnostic;
  return { diag, actions: quickFixes(URI, [sent], text) };
}

/** Apply the action whose title matches, and return the new text. */
function fix(text: string, code: string, title: RegExp): string {
  const { actions } = actionsFor(text, code);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action ${title} for ${code}; have ${JSON.stringify(actions.map((a) => a.title))}`);
  const edits = action.edit?.changes?.[URI];
  assert.ok(edits && edits.length > 0);
  const out = applyEdits(text, edits);
  for (const d of parseAllDocuments(out)) assert.deepEqual(d.errors.map((e) => e.message), [], `the fixed text is valid YAML:\n${out}`);
  assert.doesNotMatch(edits.map((e) => e.newText).join(''), /[&*]a\d/, 'no YAML anchors or aliases in inserted text');
  return out;
}

function codes(text: string): string[] {
  return diagnostics(text).map((d) => String(d.code));
}

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: frontend
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - name: http
          containerPort: 80
        - name: metrics
          containerPort: 9113
        resources:
          requests:
            cpu: 100m
          limits:
            memory: 128Mi
`;




describe('quick fix: selector and template labels agree', () => {
  const mismatched = [SERVICE, PDB, edit(STS, '        app: web\n        tier: frontend\n', '        app: web2\n        tier: frontend\n')].join('---\n');

  test('two actions, the template one preferred (the selector of a live StatefulSet cannot change)', () => {
    const { actions } = actionsFor(mismatched, 'selector-template-mismatch');
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ["Add the selector's labels to the pod template (app=web)", true],
        ["Change the selector to match the pod template's labels (app=web2)", false],
      ],
    );
  });

  test('template ← selector: the differing value changes, the other labels stay', () => {
    const out = fix(mismatched, 'selector-template-mismatch', /pod template \(/);
    assert.ok(!codes(out).includes('selector-template-mismatch'), out);
    assert.match(out, /      labels:\n        app: web\n        tier: frontend\n/);
    assert.deepEqual(errors(out), []);
  });

  test('selector ← template: the selector asks for the template value of the keys it had', () => {
    const out = fix(mismatched, 'selector-template-mismatch', /Change the selector/);
    assert.ok(!codes(out).includes('selector-template-mismatch'), out);
    assert.match(out, /  selector:\n    matchLabels:\n      app: web2\n  template:/);
    assert.deepEqual(errors(out), []);
  });

  test('a selector key the template lacks is added to the template, after its other labels', () => {
    const text = edit(STS, '    matchLabels:\n      app: web\n', '    matchLabels:\n      app: web\n      role: db\n');
    const out = fix(text, 'selector-template-mismatch', /pod template/);
    assert.match(out, /      labels:\n        app: web\n        tier: frontend\n        role: db\n    spec:/);
    assert.ok(!codes(out).includes('selector-template-mismatch'));
    // the other way: the selector drops the key the template does not have
    const back = fix(text, 'selector-template-mismatch', /Change the selector/);
    assert.match(back, /    matchLabels:\n      app: web\n  template:/);
    assert.ok(!codes(back).includes('selector-template-mismatch'));
  });

  test('template without labels: `labels:` is inserted under its metadata', () => {
    const text = edit(STS, '    metadata:\n      labels:\n        app: web\n        tier: frontend\n', '    metadata:\n      annotations:\n        note: x\n');
    const out = fix(text, 'selector-template-mismatch', /pod template/);
    assert.match(out, /    metadata:\n      annotations:\n        note: x\n      labels:\n        app: web\n    spec:/);
    assert.ok(!codes(out).includes('selector-template-mismatch'));
    assert.deepEqual(errors(out), []);
  });

  test('flow-style labels and values YAML would misread are quoted', () => {
    const text = edit(
      edit(STS, '    matchLabels:\n      app: web\n', '    matchLabels:\n      app: web\n      enabled: "true"\n'),
      '      labels:\n        app: web\n        tier: frontend\n',
      '      labels: {app: web}\n',
    );
    const out = fix(text, 'selector-template-mismatch', /pod template/);
    assert.ok(!codes(out).includes('selector-template-mismatch'), out);
    assert.deepEqual(errors(out), []);
  });
});

describe('quick fix: append the missing headless Service', () => {
  test('after the StatefulSet, before the next document: selector from matchLabels, ports from the containers', () => {
    const text = [STS, PDB].join('---\n');
    assert.ok(codes(text).includes('service-not-found'));
    const out = fix(text, 'service-not-found', /headless Service "web"/);
    const c = codes(out);
    for (const code of ['service-not-found', 'service-not-headless', 'service-selector-mismatch']) assert.ok(!c.includes(code), `${code} in\n${out}`);
    assert.deepEqual(errors(out), []);
    const docs = parseAllDocuments(out).map((d) => d.toJS() as Record<string, unknown>);
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['StatefulSet', 'Service', 'PodDisruptionBudget'],
    );
    assert.deepEqual(docs[1], {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        clusterIP: 'None',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9113, targetPort: 'metrics' },
        ],
      },
    });
  });

  test('at the end of a file without a final newline, in the StatefulSet namespace', () => {
    const text = edit(STS, '  name: web\nspec:', '  name: web\n  namespace: shop\nspec:').replace(/\n$/, '');
    const out = fix(text, 'service-not-found', /headless Service/);
    assert.ok(!codes(out).includes('service-not-found'), out);
    const svc = parseAllDocuments(out)[1].toJS() as { metadata: { namespace: string } };
    assert.equal(svc.metadata.namespace, 'shop');
  });

  test('works from the document alone when the client dropped Diagnostic.data', () => {
    const text = STS;
    const { diag } = actionsFor(text, 'service-not-found');
    const actions = quickFixes(URI, [{ ...diag, data: undefined }], text);
    const a = actions.find((x) => /headless Service/.test(x.title));
    assert.ok(a);
    assert.ok(!codes(applyEdits(text, a.edit!.changes![URI])).includes('service-not-found'));
  });
});

describe('quick fix: add a PodDisruptionBudget', () => {
  test('maxUnavailable 1 with the StatefulSet selector (matchExpressions too)', () => {
    const text = [
      SERVICE,
      edit(STS, '    matchLabels:\n      app: web\n', '    matchLabels:\n      app: web\n    matchExpressions:\n    - key: tier\n      operator: In\n      values: [frontend]\n'),
    ].join('---\n');
    const out = fix(text, 'missing-pod-disruption-budget', /PodDisruptionBudget "web-pdb"/);
    assert.ok(!codes(out).includes('missing-pod-disruption-budget'), out);
    assert.deepEqual(errors(out), []);
    const pdb = parseAllDocuments(out)[2].toJS();
    assert.deepEqual(pdb, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend'] }] } },
    });
  });
});

describe('quick fix: insert a missing required field', () => {
  test('spec.selector, filled from the template labels', () => {
    const text = [SERVICE, PDB, edit(STS, '  selector:\n    matchLabels:\n      app: web\n', '')].join('---\n');
    const missing = diagnostics(text).find((d) => d.code === 'missing-required');
    assert.deepEqual((missing?.data as { missing: string }).missing, 'selector');
    const out = fix(text, 'missing-required', /"selector"/);
    assert.ok(!codes(out).includes('missing-required'), out);
    assert.match(out, /  selector:\n    matchLabels:\n      app: web\n      tier: frontend\n/);
    assert.deepEqual(errors(out), []);
  });

  test('spec.template, labelled with the selector, with a container skeleton', () => {
    const text = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n`;
    const out = fix(text, 'missing-required', /"template"/);
    assert.ok(!diagnostics(out).some((d) => d.code === 'missing-required' && (d.data as { missing: string }).missing === 'template'), out);
    assert.ok(!codes(out).includes('selector-template-mismatch'), out);
    const v = parseAllDocuments(out)[0].toJS();
    assert.deepEqual(v.spec.template, { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: '' }] } });
  });

  test("a container's name, inside a list item", () => {
    const text = [SERVICE, PDB, edit(STS, '      - name: nginx\n        image:', '      - image:')].join('---\n');
    const out = fix(text, 'missing-required', /"name"/);
    assert.ok(!codes(out).includes('missing-required'), out);
    assert.match(out, /      - image: registry\.k8s\.io\/nginx-slim:0\.24\n[\s\S]*?\n        name: web\n/);
    assert.deepEqual(errors(out), []);
  });

  test('a field of a key with nothing after it (`selector:` empty)', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  ports:\n  - name: http\n    targetPort: 80\n`;
    const out = fix(text, 'missing-required', /"port"/);
    assert.ok(!codes(out).includes('missing-required'), out);
    assert.match(out, /  - name: http\n    targetPort: 80\n    port: 1\n/);
  });

  test('a flow map gets the field inside its braces', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  ports: [{name: http, targetPort: 80}]\n`;
    const out = fix(text, 'missing-required', /"port"/);
    assert.ok(!codes(out).includes('missing-required'), out);
    assert.match(out, /ports: \[\{name: http, targetPort: 80, port: 1\}\]/);
  });
});

describe('quickFixes', () => {
  test('without the document text: only the replacements (did-you-mean), as before', () => {
    const text = edit(STS, '  replicas: 3', '  replica: 3');
    const d = diagnostics(text).filter((x) => x.code === 'unknown-field' || x.code === 'service-not-found');
    const actions = quickFixes(URI, d);
    assert.deepEqual(actions.map((a) => a.title), ['Rename to "replicas"']);
    assert.ok(quickFixes(URI, d, text).some((a) => /headless Service/.test(a.title)));
  });

  test('a stale diagnostic (the text changed under it) yields no broken edit', () => {
    const text = STS;
    const { diag } = actionsFor(text, 'service-not-found');
    assert.deepEqual(quickFixes(URI, [{ ...diag, code: 'missing-required', data: { missing: 'selector', path: ['nope', 3] } }], text), []);
    assert.deepEqual(quickFixes(URI, [diag], ''), []);
  });

  test('a CRLF file stays CRLF', () => {
    const text = [STS, PDB].join('---\n').replace(/\n/g, '\r\n');
    const out = fix(text, 'service-not-found', /headless Service/);
    assert.ok(!/[^\r]\n/.test(out), 'every newline is CRLF');
    assert.ok(!codes(out).includes('service-not-found'));
    const sel = fix(edit(STS, '  selector:\n    matchLabels:\n      app: web\n', '').replace(/\n/g, '\r\n'), 'missing-required', /"selector"/);
    assert.ok(!/[^\r]\n/.test(sel));
    assert.ok(!codes(sel).includes('missing-required'), sel);
  });

  test('diagnostics of other sources are ignored', () => {
    const { diag } = actionsFor(STS, 'service-not-found');
    assert.deepEqual(quickFixes(URI, [{ ...diag, source: 'yaml' }], STS), []);
  });
});
