// YAML as kubectl reads it: every case of test/fixtures/yaml-kubectl/ states kubectl's verdict in its
// second line ("# kubectl: accepted." / "# kubectl: refused."). The verdict is checked against the real
// kubectl (create --dry-run=client against the simulator, which kubectl needs for the REST mapping),
// and our engine must agree: where kubectl accepts, no error and the same data; where it refuses,
// exactly one syntax error (the first), nothing after it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeText } from '../../server/src/engine/analyzer';
import { splitDocuments } from '../../server/src/engine/split';
import { startApiServer, type ApiServer } from '../../simulator/index';
import { HAS_KUBECTL, kubectl } from '../simulator/testkit';

const dir = join(__dirname, '..', 'fixtures', 'yaml-kubectl');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    const verdict = /^# kubectl: (accepted|refused)\./m.exec(text)?.[1] as 'accepted' | 'refused' | undefined;
    return { file: f, text, verdict };
  });

const ERROR = 1;
const show = (ds: ReturnType<typeof analyzeText>['diagnostics']) => ds.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`);

/** The object as kubectl sends it, without what kubectl adds (the namespace). */
function comparable(v: Record<string, unknown>): unknown {
  const { namespace: _ns, ...metadata } = (v.metadata ?? {}) as Record<string, unknown>;
  return JSON.parse(JSON.stringify({ ...v, metadata }));
}

test('the corpus covers quoting, flow and scalar indentation, tabs, YAML 1.1 scalars and duplicate keys', () => {
  assert.ok(cases.length >= 25, `${cases.length} cases`);
  for (const c of cases) assert.ok(c.verdict, `${c.file} states kubectl's verdict in its header`);
  for (const topic of ['quote', 'flow', 'tab', 'yaml11', 'duplicate-key', 'plain-multiline']) {
    assert.ok(cases.some((c) => c.file.includes(topic)), topic);
  }
  assert.ok(cases.some((c) => c.verdict === 'accepted') && cases.some((c) => c.verdict === 'refused'));
});

describe('our engine gives kubectl\'s verdict', () => {
  for (const c of cases) {
    test(`${c.file}: kubectl ${c.verdict}`, () => {
      const { diagnostics, file } = analyzeText(c.text, { uri: c.file });
      const errors = diagnostics.filter((d) => d.severity === ERROR);
      if (c.verdict === 'accepted') {
        assert.deepEqual(show(errors), [], 'kubectl accepts this: no error');
        const notes = diagnostics.filter((d) => d.code === 'yaml-compat');
        assert.equal(notes.length > 0, /yaml-compat note/.test(c.text), `a yaml-compat note exactly where the header says so: ${JSON.stringify(show(notes))}`);
        assert.ok(notes.every((d) => (d.severity ?? 0) > 2), 'a note, not a warning or error');
        const dups = diagnostics.filter((d) => d.code === 'duplicate-key');
        assert.equal(dups.length > 0, /We warn \(duplicate-key\)/.test(c.text));
        assert.ok(dups.every((d) => d.severity === 2 && /keeps only the last value/.test(d.message)));
      } else {
        const syntax = errors.filter((d) => d.code === 'yaml-syntax');
        assert.equal(syntax.length, 1, `only the first syntax error: ${JSON.stringify(show(diagnostics))}`);
        const at = syntax[0].range.start;
        // within the broken document (the other documents of the file are checked as usual)
        const chunk = splitDocuments(c.text).filter((k) => k.startLine <= at.line).pop()!;
        const end = chunk.startLine + chunk.text.split('\n').length;
        const after = diagnostics.filter((d) => d !== syntax[0] && d.range.start.line < end && (d.range.start.line > at.line || (d.range.start.line === at.line && d.range.start.character > at.character)));
        assert.deepEqual(show(after), [], 'nothing reported after the syntax error (no cascade)');
      }
      assert.ok(file.documents.length >= 1);
    });
  }
});

describe('the real kubectl gives the verdict the corpus states', { timeout: 180_000, skip: HAS_KUBECTL ? false : 'kubectl is not installed' }, () => {
  let api: ApiServer;
  before(async () => {
    api = await startApiServer({});
  });
  after(async () => {
    await api?.stop();
  });

  for (const c of cases) {
    test(`${c.file}: kubectl create --dry-run=client -o json`, async () => {
      const r = await kubectl(api, ['create', '--dry-run=client', '-o', 'json', '-f', join(dir, c.file)]);
      assert.equal(r.code === 0 ? 'accepted' : 'refused', c.verdict, `kubectl said: ${r.stderr}`);
      if (r.code !== 0) return;
      // where kubectl accepts, we read the same data it sends to the API server
      const theirs = JSON.parse(r.stdout) as Record<string, unknown>;
      const doc = analyzeText(c.text).file.documents.find((d) => d.value)!;
      assert.deepEqual(comparable(doc.value!), comparable(theirs));
    });
  }

  test('Kustomize (kubectl kustomize, go-yaml v3) refuses the duplicate keys that kubectl apply -f accepts', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'yaml-kubectl-'));
    try {
      for (const c of cases.filter((x) => x.file.startsWith('duplicate-key'))) {
        writeFileSync(join(tmp, 'sts.yaml'), c.text);
        writeFileSync(join(tmp, 'kustomization.yaml'), 'resources:\n- sts.yaml\n');
        const r = await kubectl(api, ['kustomize', tmp]);
        assert.notEqual(r.code, 0, c.file);
        assert.match(r.stderr, /already defined/, c.file);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

test('a broken document does not stop the analysis of the other documents of the file', () => {
  const good = readFileSync(join(dir, 'escapes-ok.yaml'), 'utf8').replace('  serviceName: web\n', '  serviceName: web\n  replicas: "3"\n');
  const broken = readFileSync(join(dir, 'unclosed-quote.yaml'), 'utf8');
  const { diagnostics } = analyzeText(`${broken}---\n${good}---\n${broken}`);
  const codes = diagnostics.map((d) => d.code);
  assert.equal(codes.filter((c) => c === 'yaml-syntax').length, 2, 'one per broken document');
  assert.ok(diagnostics.some((d) => d.code === 'invalid-type' && /replicas/.test(d.message)), 'the good document in between is still checked');
});

test('a long document broken near the top gives one syntax error, not a cascade', () => {
  const base = readFileSync(join(dir, 'escapes-ok.yaml'), 'utf8');
  const env = Array.from({ length: 150 }, (_, i) => `        - name: V${i}\n          value: "x${i}"\n`).join('');
  const text = base.replace('  name: web\n', '  name: web\n\tlabels: {}\n') + `        env:\n${env}`;
  const { diagnostics } = analyzeText(text);
  assert.equal(diagnostics.filter((d) => d.severity === ERROR).length, 1, JSON.stringify(show(diagnostics).slice(0, 5)));
});
