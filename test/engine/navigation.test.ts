// The navigation engine over plain data: outline, folding and selection ranges, go to definition, find
// references and label rename, on the fixture workspace test/fixtures/navigation (a StatefulSet and the
// Services, PDB, ConfigMap, Secret and PVC it relates to, spread over files and folders).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileAnalyzer, objectsOf, type FileAnalysis } from '../../server/src/engine/analyzer';
import { definition, references } from '../../server/src/engine/definition';
import { foldingRanges } from '../../server/src/engine/folding';
import type { WorkspaceView } from '../../server/src/engine/related';
import { prepareRename, rename, RenameRefused } from '../../server/src/engine/rename';
import { selectionRanges } from '../../server/src/engine/selectionRange';
import { documentSymbols } from '../../server/src/engine/symbols';
import type { IndexedObject } from '../../server/src/rules/framework';

const DIR = path.join(__dirname, '..', 'fixtures', 'navigation');
const uriOf = (rel: string) => pathToFileURL(path.join(DIR, rel)).toString();
const texts: Record<string, string> = {};
for (const rel of ['app.yaml', 'config.yaml', 'net/services.yaml']) texts[uriOf(rel)] = fs.readFileSync(path.join(DIR, rel), 'utf8');
const files: Record<string, FileAnalysis> = Object.fromEntries(Object.entries(texts).map(([u, t]) => [u, new FileAnalyzer().analyze(t)]));
const ws: WorkspaceView = {
  objects: (kind, from) => Object.entries(files).flatMap(([u, f]) => (u === from ? [] : objectsOf(f, u).filter((o: IndexedObject) => o.kind === kind))),
  file: (u) => files[u],
};
const APP = uriOf('app.yaml');
const app = files[APP];

/** Position of the n-th occurrence of `needle` in a file (plus `delta` characters). */
function at(uri: string, needle: string, n = 0, delta = 0): { line: number; character: number } {
  const text = texts[uri];
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" #${n} not in ${uri}`);
  }
  const before = text.slice(0, i + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
/** `file:line:text` of each location, for readable assertions. */
function show(locs: Array<{ uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>): string[] {
  return locs.map((l) => {
    const line = texts[l.uri].split('\n')[l.range.start.line];
    return `${path.relative(DIR, new URL(l.uri).pathname)}:${l.range.start.line + 1}:${line.slice(l.range.start.character, l.range.end.line === l.range.start.line ? l.range.end.character : undefined)}`;
  });
}

test('outline: every object as Kind name with its namespace; a StatefulSet lists containers, volumes, claim templates', () => {
  const syms = documentSymbols(app);
  assert.deepEqual(syms.map((s) => [s.name, s.detail]), [['StatefulSet db', 'data'], ['PodDisruptionBudget db-pdb', 'data']]);
  assert.deepEqual(syms[0].children!.map((c) => `${c.name} (${c.detail})`), ['container postgres (postgres:17)', 'volume config (configMap db-config)', 'volume backup (persistentVolumeClaim db-backup)', 'claim template data (10Gi)']);
  // ranges: the object spans its document, the selection is its name; children lie inside their parent
  assert.deepEqual(syms[0].selectionRange, { start: at(APP, 'db', 0), end: at(APP, 'db', 0, 2) });
  assert.equal(syms[0].range.start.line, 1);
  assert.equal(syms[1].range.start.line, at(APP, 'apiVersion: policy/v1').line);
  for (const c of syms[0].children!) assert.ok(c.range.start.line >= syms[0].range.start.line && c.range.end.line <= syms[0].range.end.line);
  const services = documentSymbols(files[uriOf('net/services.yaml')]);
  assert.deepEqual(services.map((s) => `${s.name} (${s.detail})`), ['Service db-headless (data)', 'Service db-read (data)', 'Service db-headless (staging)']);
});

test('outline: broken and foreign YAML give what can be read, never a throw', () => {
  const f = new FileAnalyzer().analyze('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a list\n---\nkind: [\n---\nkind: Service\n');
  assert.deepEqual(documentSymbols(f).map((s) => s.name), ['ConfigMap a', 'Service']);
});

test('folding: documents, mappings and sequences from the parser (a block scalar folds, a flow list on one line does not)', () => {
  const text = 'a:\n  b: 1\n  c:\n  - x\n  - y\nd: |\n  line 1\n  line 2\ne: [1, 2]\n---\nf:\n  g: 1\n';
  const folds = foldingRanges(new FileAnalyzer().analyze(text)).map((r) => `${r.startLine}-${r.endLine}`);
  assert.deepEqual(folds, ['0-8', '2-4', '5-7', '9-11', '10-11']);
  // a comment-indented oddity that indentation would misread: the parser's ranges are used
  const odd = foldingRanges(new FileAnalyzer().analyze('k:\n# comment at column 0\n  v: 1\n  w: 2\n')).map((r) => `${r.startLine}-${r.endLine}`);
  assert.deepEqual(odd, ['0-3']);
});

test('selection ranges grow from the scalar to its entry, its mapping, … the document', () => {
  const [sel] = selectionRanges(app, [at(APP, 'postgres:17', 0, 3)]);
  const chain: string[] = [];
  for (let s: typeof sel | undefined = sel; s; s = s.parent) chain.push(`${s.range.start.line}:${s.range.start.character}-${s.range.end.line}:${s.range.end.character}`);
  const img = at(APP, 'postgres:17');
  assert.equal(chain[0], `${img.line}:${img.character}-${img.line}:${img.character + 11}`); // the value
  assert.equal(chain[1], `${img.line}:${img.character - 7}-${img.line}:${img.character + 11}`); // image: postgres:17
  const last = sel; let outer = last; while (outer.parent) outer = outer.parent;
  assert.equal(outer.range.start.line, 0); // the whole first document, from its first line
  for (let s: typeof sel | undefined = sel; s?.parent; s = s.parent) {
    const p = s.parent.range;
    assert.ok(p.start.line < s.range.start.line || (p.start.line === s.range.start.line && p.start.character <= s.range.start.character), 'parents contain their children');
  }
  assert.ok(chain.length >= 8, chain.join(' '));
});

test('definition: serviceName → the Service in another folder, same namespace only', () => {
  assert.deepEqual(show(definition(app, APP, at(APP, 'db-headless', 0, 2), ws)), ['net/services.yaml:4:db-headless']);
});

test('definition and references on the serviceName KEY (and claimName\'s) find the object its value names', () => {
  assert.deepEqual(show(definition(app, APP, at(APP, 'serviceName: db-headless', 0, 3), ws)), ['net/services.yaml:4:db-headless']);
  assert.deepEqual(show(definition(app, APP, at(APP, 'serviceName: db-headless', 0, 0), ws)), ['net/services.yaml:4:db-headless'], 'at the first character');
  assert.deepEqual(show(references(app, APP, at(APP, 'serviceName: db-headless', 0, 5), ws, false)), ['app.yaml:8:db-headless']);
  assert.deepEqual(show(definition(app, APP, at(APP, 'claimName: db-backup', 0, 2), ws)), ['config.yaml:20:db-backup']);
  // a key that names nothing still resolves to nothing; a serviceName without a value likewise
  assert.deepEqual(definition(app, APP, at(APP, 'replicas: 3', 0, 2), ws), []);
  const empty = new FileAnalyzer().analyze(texts[APP].replace('serviceName: db-headless', 'serviceName:'));
  assert.deepEqual(definition(empty, APP, at(APP, 'serviceName: db-headless', 0, 3), ws), []);
});

test('definition: volumeMounts name → the claim template or the pod volume', () => {
  assert.deepEqual(show(definition(app, APP, at(APP, '- name: data', 0, 9), ws)), ['app.yaml:65:data']);
  assert.deepEqual(show(definition(app, APP, at(APP, '- name: config', 0, 9), ws)), ['app.yaml:57:config']);
});

test('definition: configMapRef, secretKeyRef, configMap volume and claimName → the objects in the workspace', () => {
  assert.deepEqual(show(definition(app, APP, at(APP, 'name: db-config', 0, 7), ws)), ['config.yaml:4:db-config']);
  assert.deepEqual(show(definition(app, APP, at(APP, 'name: db-config', 1, 7), ws)), ['config.yaml:4:db-config']);
  assert.deepEqual(show(definition(app, APP, at(APP, 'name: db-secret', 0, 7), ws)), ['config.yaml:12:db-secret']);
  assert.deepEqual(show(definition(app, APP, at(APP, 'claimName: db-backup', 0, 12), ws)), ['config.yaml:20:db-backup']);
  // keys and unrelated values resolve to nothing
  assert.deepEqual(definition(app, APP, at(APP, 'image: postgres', 0, 2), ws), []);
  assert.deepEqual(definition(app, APP, at(APP, 'replicas: 3', 0, 10), ws), []);
});

test('definition: an env var’s secretKeyRef key → the key in the Secret’s stringData', () => {
  assert.deepEqual(show(definition(app, APP, at(APP, 'key: password', 0, 6), ws)), ['config.yaml:15:password']);
  // a key the Secret does not have: nowhere to go
  const other = new FileAnalyzer().analyze(texts[APP].replace('key: password', 'key: nope'));
  assert.deepEqual(definition(other, APP, at(APP, 'key: password', 0, 6), ws), []);
});

test('references: a StatefulSet’s name → the Services and PDB that serve it (not the other namespace’s)', () => {
  assert.deepEqual(show(references(app, APP, at(APP, 'name: db', 0, 6), ws, false)), ['net/services.yaml:4:db-headless', 'net/services.yaml:17:db-read', 'app.yaml:75:db-pdb']);
});

test('definition: matchLabels ↔ template labels', () => {
  assert.deepEqual(show(definition(app, APP, at(APP, 'tier: storage', 0, 8), ws)), ['app.yaml:18:storage']);
  assert.deepEqual(show(definition(app, APP, at(APP, 'tier: storage', 1, 1), ws)), ['app.yaml:13:tier']);
  // from a Service's selector: the template labels of the StatefulSets it selects
  const SVC = uriOf('net/services.yaml');
  assert.deepEqual(show(definition(files[SVC], SVC, at(SVC, 'tier: storage', 0, 1), ws)), ['app.yaml:18:tier']);
});

test('references: a Service → the StatefulSets it serves; a PDB likewise; a ConfigMap → every use', () => {
  const SVC = uriOf('net/services.yaml');
  assert.deepEqual(show(references(files[SVC], SVC, at(SVC, 'db-headless', 0, 1), ws, true)), ['net/services.yaml:4:db-headless', 'app.yaml:8:db-headless']);
  // db-read selects the pods without being their serviceName: the StatefulSet's name
  assert.deepEqual(show(references(files[SVC], SVC, at(SVC, 'db-read', 0, 1), ws, false)), ['app.yaml:5:db']);
  // the staging Service serves nothing (other namespace)
  assert.deepEqual(references(files[SVC], SVC, at(SVC, 'db-headless', 1, 1), ws, false), []);
  assert.deepEqual(show(references(app, APP, at(APP, 'db-pdb', 0, 1), ws, false)), ['app.yaml:5:db']);
  const CFG = uriOf('config.yaml');
  assert.deepEqual(show(references(files[CFG], CFG, at(CFG, 'db-config', 0, 1), ws, false)), ['app.yaml:42:db-config', 'app.yaml:59:db-config']);
  // from a use: the declaration and every use
  assert.deepEqual(show(references(app, APP, at(APP, 'name: db-config', 0, 7), ws, true)), ['config.yaml:4:db-config', 'app.yaml:42:db-config', 'app.yaml:59:db-config']);
  // a volume: its declarations and mounts
  assert.deepEqual(show(references(app, APP, at(APP, '- name: config', 1, 9), ws, true)), ['app.yaml:57:config', 'app.yaml:52:config']);
});

test('rename a label value: selector, template, anti-affinity (matchLabels and matchExpressions), Services and the PDB of the app, one edit', () => {
  const pos = at(APP, 'app: db', 0, 6);
  const db = at(APP, 'app: db', 0, 5);
  assert.deepEqual(prepareRename(app, APP, pos, ws, () => false), { range: { start: db, end: { line: db.line, character: db.character + 2 } }, placeholder: 'db' });
  const edit = rename(app, APP, pos, 'postgres', ws, () => false)!;
  const got = Object.entries(edit.changes!).flatMap(([u, edits]) => show(edits.map((e) => ({ uri: u, range: e.range }))).map((s, i) => `${s} → ${edits[i].newText}`));
  assert.deepEqual(got.sort(), [
    'app.yaml:12:db → postgres', // selector
    'app.yaml:17:db → postgres', // template labels
    'app.yaml:27:db → postgres', // anti-affinity matchLabels
    'app.yaml:36:db → postgres', // anti-affinity matchExpressions values: [db]
    'app.yaml:81:db → postgres', // PDB
    'net/services.yaml:9:db → postgres', // headless Service
    'net/services.yaml:21:db → postgres', // db-read
  ].sort());
  // the staging Service (other namespace) is untouched
  assert.ok(!got.some((g) => g.startsWith('net/services.yaml:35')));
});

test('rename a label key from the Service selector; quoting is kept and added where YAML needs it', () => {
  const SVC = uriOf('net/services.yaml');
  const edit = rename(files[SVC], SVC, at(SVC, 'tier: storage', 0, 1), 'layer', ws, () => false)!;
  const got = Object.entries(edit.changes!).flatMap(([u, edits]) => show(edits.map((e) => ({ uri: u, range: e.range }))).map((s, i) => `${s} → ${edits[i].newText}`));
  assert.deepEqual(got.sort(), ['app.yaml:13:tier → layer', 'app.yaml:18:tier → layer', 'net/services.yaml:22:tier → layer'].sort());
  // "17" is quoted; a rename to 18 stays a string
  const v = rename(app, APP, at(APP, '"17"', 0, 1), '18', ws, () => false)!;
  assert.deepEqual(Object.values(v.changes!).flat().map((e) => e.newText), ['"18"']);
  assert.deepEqual(Object.values(rename(app, APP, at(APP, 'tier: storage', 1, 7), 'true', ws, () => false)!.changes!).flat().map((e) => e.newText), ['"true"', '"true"', '"true"']);
});

test('rename refuses: a StatefulSet live in the cluster (immutable selector), an invalid label, a non-label', () => {
  const live = (ns: string | undefined, name: string) => ns === 'data' && name === 'db';
  assert.throws(() => prepareRename(app, APP, at(APP, 'app: db', 0, 6), ws, live), (e: Error) => e instanceof RenameRefused && /StatefulSet data\/db exists in the connected cluster and its spec\.selector is immutable/.test(e.message));
  // a template label the selector does not use may change on a live StatefulSet
  assert.ok(prepareRename(app, APP, at(APP, 'version: "17"', 0, 1), ws, live));
  assert.throws(() => rename(app, APP, at(APP, 'app: db', 0, 6), 'not valid!', ws, () => false), /not a valid label value/);
  assert.throws(() => rename(app, APP, at(APP, 'app: db', 0, 1), '-bad', ws, () => false), /not a valid label key/);
  assert.equal(prepareRename(app, APP, at(APP, 'image: postgres', 0, 8), ws, () => false), undefined);
});
