// The keystroke inside one plain value, re-parsed without the parser (server/src/engine/scalarEdit.ts), against
// a fresh parse of the edited text: random one-place edits (fast-check, fixed seed; FUZZ_SEED to replay
// another) of realistic and awkward documents (anchors, comments, block and multi-line scalars, flow
// collections, YAML 1.1 values, CRLF). Whenever the fast path answers, every node must be what the parser
// makes of the new text: the same kinds, ranges, values, tags, sources and comments, the same JS value and
// the same kubectl findings; and the analysis the server keeps after a run of such keystrokes equals a fresh one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAlias, isCollection, isMap, isPair, isScalar, visit, type Document } from 'yaml';
import { reparseValueEdit } from '../../server/src/engine/scalarEdit';
import { kubectlYamlFindings, parseLikeKubectl } from '../../server/src/engine/kubectlYaml';
import { FileAnalyzer, fileDiagnostics, objectsOf } from '../../server/src/engine/analyzer';
import { StoredDocument } from '../../server/src/lsp/documentStore';
import { statefulSetDoc } from '../../bench/generate';
import { PDB, SERVICE, STS } from './helpers';

/** The generator's StatefulSet alone (statefulSetDoc gives its Service, ---, then it): one document, as the analyzer parses. */
const sts = (i: number) => statefulSetDoc(i).split('---\n')[1];

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);

const AWKWARD = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db # the name
  labels: &labels
    app: db
    tier: data
  annotations:
    note: first line
      second line
    script: |
      replicas: 3
      x: y
spec:
  replicas: 3
  minReadySeconds: 010
  serviceName: "db"
  podManagementPolicy: 'Parallel'
  selector:
    matchLabels: *labels
  template:
    spec:
      enableServiceLinks: yes
      containers:
      - name: db
        image: postgres:17.2
        args: [--port, 5432]
        command:
        - run
        - 1:30
        - 0x1F
        - 1.50
        ports:
        - containerPort: 5432
          # a comment before
          protocol: TCP
`;

const DOCS = [sts(3), sts(4), STS, SERVICE, PDB, AWKWARD, '---\n' + STS, STS.replace(/\n/g, '\r\n'), 'a: 1\nb: 2', 'replicas: 3'];
const PIECES = ['1', '9', '0', 'x', 'Gi', 'yes', 'no', '~', 'null', '.5', '0o7', '07', '1e3', '-', ':', ': ', ' ', '#', '"', "'", '[', '{', '&a', '*a', '!', '|', '>', ',', '\n', '12:30', 'true', '.inf', '_', '/', 'é'];

/** Offsets inside or at the end of the text after `: ` or `- ` up to the line's end: where typing a value happens. */
const VALUE_OFFSETS = new Map(
  DOCS.map((d) => {
    const out: number[] = [];
    const re = /(?:: |- )([^\n]*)/g;
    for (let m = re.exec(d); m; m = re.exec(d)) for (let i = 0; i <= m[1].length; i++) out.push(m.index + m[0].length - m[1].length + i);
    return [d, out] as const;
  }),
);

/** What a parse says: each node's kind, range, value and how it was written, in document order. */
function shape(doc: Document.Parsed): unknown[] {
  const out: unknown[] = [doc.range, doc.errors.length, doc.warnings.length, doc.comment, doc.commentBefore];
  visit(doc, (key, node) => {
    if (isPair(node)) return void out.push(['pair', key]);
    if (!node || typeof node !== 'object') return;
    const n = node as unknown as Record<string, unknown>;
    const kind = isScalar(node) ? 'scalar' : isMap(node) ? 'map' : isCollection(node) ? 'seq' : isAlias(node) ? 'alias' : 'other';
    out.push([kind, n.range, isScalar(node) ? node.value : undefined, n.type, n.tag, n.source, n.format, n.minFractionDigits, n.comment, n.commentBefore, n.spaceBefore, n.anchor, n.flow]);
  });
  out.push(doc.toJS());
  return out;
}

test('an edit inside a plain value: the fast re-parse equals a fresh parse whenever it answers (random edits)', () => {
  let answered = 0;
  let edits = 0;
  fc.assert(
    fc.property(fc.constantFrom(...DOCS), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.integer({ min: 0, max: 4 }), fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), (before, at, inValue, del, piece) => {
      // anywhere, or (half the time) in or at the end of a value after `key: ` or `- `
      const values = VALUE_OFFSETS.get(before)!;
      const p = inValue && values.length ? values[Math.floor(at * values.length)] : Math.floor(at * before.length);
      const after = before.slice(0, p) + piece + before.slice(p + del);
      const doc = parseLikeKubectl(before);
      edits++;
      const fast = reparseValueEdit(before, doc, after);
      if (!fast) return;
      answered++;
      const fresh = parseLikeKubectl(after);
      assert.deepEqual(shape(fast), shape(fresh), JSON.stringify({ before: before.slice(Math.max(0, p - 30), p + 30), piece, del }));
      assert.deepEqual(kubectlYamlFindings(after, fast), kubectlYamlFindings(after, fresh));
      assert.deepEqual(shape(doc), shape(parseLikeKubectl(before)), 'the parse it started from is left as it was');
    }),
    { seed: SEED, numRuns: 3000 },
  );
  // (most random edits are not inside a value; enough of them must be for the property to say something)
  assert.ok(answered > 150, `the fast path answered ${answered} of ${edits} edits`);
});

test('typing a value digit by digit, a tag, a size: the fast path answers; a key, a comment, a quote, a flow item: it does not', () => {
  const doc = sts(0);
  const yes = [
    ['replicas: 3', 'replicas: 4'],
    ['replicas: 3', 'replicas: 30'],
    ['replicas: 3', 'replicas: yes'],
    ['image: postgres:17.2', 'image: postgres:17.3'],
    ['storage: 10Gi', 'storage: 20Gi'],
    ['cpu: 500m', 'cpu: 1'],
    ['- name: sql', '- name: sql2'],
    ['replicas: 3', 'replicas: "3"'],
    ['replicas: 3', "replicas: '3 x'"],
    ['mountPath: /var/lib/postgresql/data', 'mountPath: "/var/lib/postgres ql/data"'],
  ];
  for (const [from, to] of yes) {
    const after = doc.replace(from, to);
    const fast = reparseValueEdit(doc, parseLikeKubectl(doc), after);
    assert.ok(fast, `${from} → ${to}`);
    assert.deepEqual(shape(fast), shape(parseLikeKubectl(after)), `${from} → ${to}`);
  }
  const no = [
    ['replicas: 3', 'replica: 3'], // a key
    ['replicas: 3', 'replicas: 3 # three'], // a comment
    ['replicas: 3', 'replicas: "3\\n"'], // an escape
    ['replicas: 3', 'replicas: "3" # c'], // a comment after a quote
    ['replicas: 3', 'replicas: "3'], // a quote left open
    ['replicas: 3', 'replicas: '], // no value any more
    ['command: ["pg_isready"', 'command: ["pg_ready"'], // a flow collection
    ['replicas: 3', 'replicas: 3\n  x: 1'], // a new line
    ['replicas: 3', 'replicas: [3]'],
  ];
  for (const [from, to] of no) assert.equal(reparseValueEdit(doc, parseLikeKubectl(doc), doc.replace(from, to)), undefined, `${from} → ${to}`);
  // the bench's mistake mended: a quoted number made a number
  const quoted = sts(4);
  const mended = quoted.replace('replicas: "3"', 'replicas: 3');
  const fast = reparseValueEdit(quoted, parseLikeKubectl(quoted), mended);
  assert.ok(fast);
  assert.deepEqual(shape(fast), shape(parseLikeKubectl(mended)));
});

test("the server's analysis after a run of value keystrokes equals a fresh analysis of the text", () => {
  const text = [statefulSetDoc(0), statefulSetDoc(1), statefulSetDoc(4), AWKWARD].join('---\n');
  const store = new StoredDocument('file:///ws/a.yaml', 'yaml', 1, text);
  const analyzer = new FileAnalyzer();
  analyzer.analyzeChunks(store.chunks);
  const lines = text.split('\n');
  const targets = lines.flatMap((l, i) => (/^ *(replicas|image|storage|minReadySeconds|enableServiceLinks): /.test(l) ? [i] : []));
  const values = ['1', '12', '"3"', 'postgres:18', '5Gi', 'yes', 'off', '010', '3', '0x10', '1 Gi', ''];
  for (let i = 0; i < 60; i++) {
    const line = targets[(i * 5) % targets.length];
    const old = lines[line];
    const colon = old.indexOf(': ') + 2;
    lines[line] = old.slice(0, colon) + values[i % values.length];
    store.update([{ range: { start: { line, character: colon }, end: { line, character: old.length } }, text: lines[line].slice(colon) }], store.version + 1);
    const incremental = analyzer.analyzeChunks(store.chunks).file;
    const fresh = new FileAnalyzer().analyze(lines.join('\n'));
    assert.equal(store.getText(), lines.join('\n'));
    const settings = {};
    assert.deepEqual(fileDiagnostics(incremental, { uri: 'file:///ws/a.yaml', settings }), fileDiagnostics(fresh, { uri: 'file:///ws/a.yaml', settings }), `after edit ${i}: ${lines[line]}`);
    assert.deepEqual(objectsOf(incremental, 'file:///ws/a.yaml').map((o) => o.value), objectsOf(fresh, 'file:///ws/a.yaml').map((o) => o.value));
    assert.deepEqual(incremental.documents.map((d) => [d.doc.syntax, d.doc.kindName, d.value]), fresh.documents.map((d) => [d.doc.syntax, d.doc.kindName, d.value]));
  }
});
