// The server's document store (server/src/lsp/documentStore.ts) against vscode-languageserver's own text
// document, and the analysis it feeds against a fresh one: random edit sequences (fast-check, fixed seed;
// FUZZ_SEED to replay another) of inserts, deletes and replacements anywhere, marker lines made and broken,
// multi-line pieces, CRLF and lone CR, reversed and out-of-range positions, several changes per
// notification and whole-text changes. After every step: the same text, the same documents as a split of
// it, the same positions, and the same findings, publish bytes and workspace index objects as a full analysis
// of the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Message, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { FileAnalyzer, fileDiagnostics, objectsOf } from '../../server/src/engine/analyzer';
import { splitDocuments } from '../../server/src/engine/split';
import { StoredDocument } from '../../server/src/lsp/documentStore';
import { encodeMessage } from '../../server/src/lsp/messageEncoder';
import { WorkspaceIndex } from '../../server/src/lsp/workspaceIndex';
import type { RuleEnvironment } from '../../server/src/rules/framework';
import { PDB, SERVICE, STS } from '../engine/helpers';

const URI = 'file:///ws/app.yaml';

function file(n: number, eol: string): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `web${i}`;
    docs.push(STS.replace(/web/g, name).replace('replicas: 3', i % 3 === 0 ? 'replicas: "3"' : 'replicas: 3'));
    if (i % 2 === 0) docs.push(SERVICE.replace(/web/g, name));
    if (i % 4 === 1) docs.push(PDB.replace(/web/g, name));
  }
  return docs.join('---\n').replace(/\n/g, eol);
}

const STARTS = [file(4, '\n'), file(3, '\r\n'), file(2, '\n') + '---', file(2, '\r') + '\n---\n' + file(2, '\n'), '', 'a: 1'];
const PIECES = ['---\n', '---', '\n---\n', '...\n', '\n', '\r', '\r\n', '-', '--', 'x', ' ', ': ', '"', '{', '  ', 'replicas: "3"\n', 'kind: Service\n', 'kind: StatefulSet\nmetadata:\n  name: w\n', 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web1\r\n', '  namespace: other\n', 'é', '😀'];

/** A change as a client sends it: at offsets of the text (or raw positions, possibly out of range or reversed). */
const change = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  atEnd: fc.boolean(),
  del: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 400 })),
  piece: fc.oneof(fc.constantFrom(...PIECES), fc.constant(''), fc.string({ maxLength: 6 })),
  raw: fc.option(fc.record({ line: fc.integer({ min: -1, max: 400 }), character: fc.integer({ min: -1, max: 90 }), lines: fc.integer({ min: -2, max: 3 }), character2: fc.integer({ min: 0, max: 90 }) }), { freq: 6 }),
  whole: fc.integer({ min: 0, max: 29 }),
  // at a place that matters to other documents (names, kinds, selectors): the changes that cross-document rules see
  near: fc.option(fc.constantFrom('name: web', 'kind: Service', 'kind: StatefulSet', 'serviceName: ', 'app: web', 'clusterIP: ', 'namespace: '), { freq: 2 }),
});

type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function toChange(ref: TextDocument, c: Change): TextDocumentContentChangeEvent {
  const text = ref.getText();
  if (c.whole === 0) return { text: text.slice(0, Math.floor(c.at * text.length)) + c.piece };
  if (c.raw) {
    const start = { line: c.raw.line, character: c.raw.character };
    return { range: { start, end: { line: c.raw.line + c.raw.lines, character: c.raw.character2 } }, text: c.piece };
  }
  let from = c.atEnd ? Math.max(0, text.length - Math.floor(c.at * 6)) : Math.floor(c.at * text.length);
  if (c.near) {
    // the first occurrence after the random place (else the first one), just after it
    const i = text.indexOf(c.near, from) >= 0 ? text.indexOf(c.near, from) : text.indexOf(c.near);
    if (i >= 0) from = i + c.near.length;
  }
  const to = Math.min(text.length, from + c.del);
  return { range: { start: ref.positionAt(from), end: ref.positionAt(to) }, text: c.piece };
}

const simple = (d: ReturnType<typeof fileDiagnostics>) => JSON.parse(JSON.stringify(d));

test('the document store keeps the text, its documents and positions as TextDocument does, and the analysis it feeds equals a full one (random edit sequences)', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261207);
  let steps = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: STARTS.length - 1 }), fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 }), (start, notifications) => {
      let ref = TextDocument.create(URI, 'yaml', 1, STARTS[start]);
      const doc = new StoredDocument(URI, 'yaml', 1, STARTS[start]);
      // the server's index and environment (another file holds a Service the rules look up)
      const index = new WorkspaceIndex();
      index.setText('file:///ws/other.yaml', SERVICE.replace(/web/g, 'web1'));
      const env: RuleEnvironment = { workspace: (kind) => index.objects(kind, URI), live: () => undefined, version: () => index.versionExcluding(URI), roots: ['file:///ws'] };
      const analyzer = new FileAnalyzer();
      // the same settings object on every call, as the server's (what it reuses findings for)
      const settings = {};
      let version = 1;
      for (const batch of notifications) {
        const changes: TextDocumentContentChangeEvent[] = [];
        // each change of a notification is relative to the text after the one before it
        for (const c of batch) {
          const ch = toChange(ref, c);
          changes.push(ch);
          // (a text document made afresh after each change: its line table goes wrong after a range past the end)
          ref = TextDocument.create(URI, 'yaml', version + 1, TextDocument.update(ref, [ch], version + 1).getText());
        }
        doc.update(changes, ++version);
        const text = ref.getText();
        const at = `after ${steps} steps, text ${JSON.stringify(text.length < 400 ? text : text.slice(0, 200) + '…')}`;
        assert.equal(doc.version, version);
        assert.equal(doc.getText(), text, at);
        assert.equal(doc.lineCount, ref.lineCount, at);
        assert.deepEqual(doc.chunks.map((k) => [k.startLine, k.startOffset, k.text]), splitDocuments(text).map((k) => [k.startLine, k.startOffset, k.text]), at);
        for (const f of [0, 0.13, 0.5, 0.77, 1]) {
          const off = Math.floor(f * text.length);
          assert.deepEqual(doc.positionAt(off), ref.positionAt(off), `${at}: positionAt(${off})`);
          const pos = ref.positionAt(off);
          for (const p of [pos, { line: pos.line, character: pos.character + 3 }, { line: pos.line + 1, character: 200 }]) assert.equal(doc.offsetAt(p), ref.offsetAt(p), `${at}: offsetAt(${JSON.stringify(p)})`);
        }
        // the analysis of the store's documents, as the server runs it (the index updated from it)
        const inc = analyzer.analyzeChunks(doc.chunks).file;
        const incDiagnostics = fileDiagnostics(inc, { uri: URI, env, settings });
        index.setObjects(URI, objectsOf(inc, URI));
        // … and a full one of the same text, from nothing (its own index and environment)
        const freshIndex = new WorkspaceIndex();
        freshIndex.setText('file:///ws/other.yaml', SERVICE.replace(/web/g, 'web1'));
        const full = new FileAnalyzer().analyze(text);
        freshIndex.setObjects(URI, objectsOf(full, URI));
        const freshEnv: RuleEnvironment = { workspace: (kind) => freshIndex.objects(kind, URI), live: () => undefined, version: () => freshIndex.versionExcluding(URI), roots: ['file:///ws'] };
        assert.deepEqual(inc.documents.map((d) => [d.chunk.startLine, d.chunk.startOffset, d.chunk.text]), full.documents.map((d) => [d.chunk.startLine, d.chunk.startOffset, d.chunk.text]), at);
        assert.deepEqual(simple(incDiagnostics), simple(fileDiagnostics(full, { uri: URI, env: freshEnv })), `${at}: findings`);
        // … and the publish's bytes (the encoder keeps the last body per file and re-encodes only what changed)
        const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, version, diagnostics: incDiagnostics } } as Message;
        assert.equal(encodeMessage(msg).toString('utf8'), JSON.stringify(msg), `${at}: the publish`);
        for (const kind of ['StatefulSet', 'Service', 'PodDisruptionBudget']) {
          const shape = (os: ReturnType<typeof objectsOf>) => os.map((o) => JSON.stringify([o.uri, o.kind, o.name, o.namespace, o.fileNamespace, o.apiVersion, o.value]));
          assert.deepEqual(shape(index.objects(kind)), shape(freshIndex.objects(kind)), `${at}: index objects of kind ${kind}`);
        }
        steps++;
      }
    }),
    { seed, numRuns: Number(process.env.STORE_RUNS ?? 150) },
  );
  assert.ok(steps > 200, `${steps} steps`);
});

test('the document store cuts a change only where it is: untouched documents keep their chunk objects, moved ones their text', () => {
  const text = file(6, '\n');
  const doc = new StoredDocument(URI, 'yaml', 1, text);
  const before = doc.chunks;
  const ref = TextDocument.create(URI, 'yaml', 1, text);
  const at = text.indexOf('replicas: 3', text.indexOf('name: web4'));
  // same length: every chunk outside the edited one and its two neighbours is the same object
  doc.update([{ range: { start: ref.positionAt(at + 10), end: ref.positionAt(at + 11) }, text: '5' }], 2);
  const k = before.findIndex((c) => c.startOffset <= at && at < c.startOffset + c.text.length);
  doc.chunks.forEach((c, i) => {
    if (Math.abs(i - k) > 1) assert.equal(c, before[i], `chunk ${i} untouched`);
  });
  assert.notEqual(doc.chunks[k].text, before[k].text);
  // a line more: the chunks after it are moved (new objects), with the same text strings
  doc.update([{ range: { start: ref.positionAt(at), end: ref.positionAt(at) }, text: 'minReadySeconds: 5\n  ' }], 3);
  for (let i = k + 2; i < before.length; i++) {
    assert.equal(doc.chunks[i].startLine, before[i].startLine + 1);
    assert.equal(doc.chunks[i].text, before[i].text);
  }
  // a change that makes a marker line splits a document; breaking it joins them again
  const n = doc.chunks.length;
  const line = doc.positionAt(doc.chunks[k].startOffset + doc.chunks[k].text.indexOf('spec:')).line;
  doc.update([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '---\n' }], 4);
  assert.equal(doc.chunks.length, n + 1);
  doc.update([{ range: { start: { line, character: 3 }, end: { line, character: 3 } }, text: 'x' }], 5);
  assert.equal(doc.chunks.length, n);
  assert.equal(doc.getText().includes('---x\n'), true);
});

test('an edit that adds or removes characters but no line re-checks only its document, though every later document moved', () => {
  const docs = Array.from({ length: 30 }, (_, i) => (i % 2 ? SERVICE : STS).replace(/\bweb\b/g, `web${Math.floor(i / 2)}`));
  const text = docs.join('---\n');
  const doc = new StoredDocument(URI, 'yaml', 1, text);
  const index = new WorkspaceIndex();
  const env: RuleEnvironment = { workspace: (k) => index.objects(k, URI), live: () => undefined, version: () => index.versionExcluding(URI) };
  const analyzer = new FileAnalyzer();
  const settings = {};
  const first = fileDiagnostics(analyzer.analyzeChunks(doc.chunks).file, { uri: URI, env, settings });
  // a keystroke in the third document's replicas value: one character more, the same lines
  const line = text.split('\n').flatMap((l, i) => (/^\s*replicas: 3$/.test(l) ? [i] : []))[1];
  const lineText = doc.getText().split('\n')[line];
  for (const [v, t] of [[2, '33'], [3, '3'], [4, '1']] as const) {
    doc.update([{ range: { start: { line, character: lineText.length - 1 }, end: { line, character: doc.getText().split('\n')[line].length } }, text: t }], v);
    const stats = { rechecked: 0 };
    const analysis = analyzer.analyzeChunks(doc.chunks).file;
    // the documents after it moved (new objects) but count as kept: what is assembled from them is spliced
    assert.equal((analysis.kept?.head ?? 0) + (analysis.kept?.tail ?? 0), docs.length - 1, `version ${v}: all but the edited document kept`);
    const found = fileDiagnostics(analysis, { uri: URI, env, settings, stats });
    assert.equal(stats.rechecked, 1, `version ${v}: only the edited document is re-checked`);
    assert.deepEqual(found, fileDiagnostics(new FileAnalyzer().analyze(doc.getText()), { uri: URI, env: { ...env }, settings }), `version ${v}: the same findings as a full analysis`);
  }
  assert.ok(first.length > 0);
});
