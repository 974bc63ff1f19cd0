import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileAnalyzer, fileDiagnostics, objectsOf } from '../../server/src/engine/analyzer';
import { splitDocuments } from '../../server/src/engine/split';
import { STS } from './helpers';

test('documents split at --- and ... marker lines, never inside a line', () => {
  const chunks = splitDocuments('a: 1\n---\nb: 2\n--- # c\nc: |\n  ---not a marker\n...\n');
  assert.deepEqual(chunks.map((c) => [c.startLine, c.text]), [
    [0, 'a: 1\n'],
    [1, '---\nb: 2\n'],
    [3, '--- # c\nc: |\n  ---not a marker\n'],
    [6, '...\n'],
  ]);
  assert.equal(splitDocuments('').length, 1);
});

test('an edit re-analyses only the document it touched, and positions follow moved documents', () => {
  const docs = Array.from({ length: 20 }, (_, i) => STS.replace(/web/g, `web${i}`));
  const analyzer = new FileAnalyzer();
  const first = analyzer.analyze(docs.join('---\n'));
  assert.equal(first.parsed, 20);
  // break document 5 and add a line to it: only it is parsed again
  docs[5] = docs[5].replace('replicas: 3', 'replicas: "3"\n  minReadySeconds: 5');
  const second = analyzer.analyze(docs.join('---\n'));
  assert.equal(second.parsed, 1);
  const diag = fileDiagnostics(second).find((d) => d.code === 'invalid-type')!;
  assert.equal(diag.range.start.line, 5 * (STS.split('\n').length) + 6);
  // documents after it moved down by one line; a new error in document 10 is reported at its new place
  docs[10] = docs[10].replace('replicas: 3', 'replicas: "3"');
  const third = analyzer.analyze(docs.join('---\n'));
  assert.equal(third.parsed, 1);
  const lines = fileDiagnostics(third).filter((d) => d.code === 'invalid-type').map((d) => d.range.start.line);
  assert.deepEqual(lines, [5 * STS.split('\n').length + 6, 10 * STS.split('\n').length + 1 + 6]);
  // nothing changed: nothing parsed
  assert.equal(analyzer.analyze(docs.join('---\n')).parsed, 0);
});

test('incremental analysis agrees with a fresh one after any edit (markers made and broken, line breaks of every kind)', () => {
  // a fixed-seed stream of small edits at random places, near the end of the file too (where a lone
  // `---` line may be extended into `---x` and stop being a marker)
  let seed = 20261129;
  const rnd = (n: number) => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
  };
  const pieces = ['---\n', '\n', '\r', '\r\n', '-', 'x', '...\n', '\n---', '---', ' ', ': ', '"', '{', '  ', 'replicas: "3"\n'];
  const many = (n: number, sep = '---\n') => Array.from({ length: n }, (_, i) => STS.replace(/web/g, `web${i}`)).join(sep);
  const starts = [many(8), many(8) + '---', many(8, '---\r\n').replace(/\n/g, '\r\n'), many(3).replace(/\n/g, '\r') + '\n---\n' + many(5)];
  let edits = 0;
  for (const start of starts) {
    for (let trial = 0; trial < 10; trial++) {
      let text = start;
      const analyzer = new FileAnalyzer();
      analyzer.analyze(text);
      for (let i = 0; i < 15; i++) {
        // one or two edits, then the analysis (the documents it keeps found by comparing text)
        for (let e = rnd(3) === 0 ? 2 : 1; e > 0; e--) {
          const at = Math.max(0, rnd(4) === 0 ? text.length - rnd(4) : rnd(text.length + 1));
          const del = Math.min(text.length - at, rnd(3) === 0 ? rnd(12) : 0);
          const piece = rnd(4) === 0 ? '' : pieces[rnd(pieces.length)];
          text = text.slice(0, at) + piece + text.slice(at + del);
        }
        const file = analyzer.analyze(text);
        const chunks = file.documents.map((d) => [d.chunk.startLine, d.chunk.startOffset, d.chunk.text]);
        assert.deepEqual(chunks, splitDocuments(text).map((c) => [c.startLine, c.startOffset, c.text]), `documents after edit ${i} of ${JSON.stringify(text)}`);
        // the findings too (a fresh analysis parses every document: at the end of each trial)
        if (i === 14) assert.deepEqual(fileDiagnostics(file, { uri: 'file:///a.yaml' }), fileDiagnostics(new FileAnalyzer().analyze(text), { uri: 'file:///a.yaml' }));
        edits++;
      }
    }
  }
  assert.equal(edits, 4 * 10 * 15);
});

test('a lone CR ends a line as LSP clients count lines: positions after it are right', () => {
  // old Mac line endings: the YAML parser reads `\r` as part of a line (here, of a comment), an LSP
  // client as a line break
  const text = STS.replace('  replicas: 3\n', '  # scaled by hand\r  # see the runbook\n  replicas: "3"\n');
  const lines = text.split(/\r\n|\r|\n/);
  const diags = fileDiagnostics(new FileAnalyzer().analyze(text));
  const bad = diags.find((d) => d.code === 'invalid-type')!;
  assert.ok(bad, 'replicas: "3" is reported');
  assert.equal(bad.range.start.line, lines.findIndex((l) => l.includes('replicas')), 'on the line the client shows it on');
  assert.equal(lines[bad.range.start.line].slice(bad.range.start.character, bad.range.end.character), '"3"');
  // documents after a lone CR start on the client's line
  const two = `${text}---\n${STS}`;
  const chunks = new FileAnalyzer().analyze(two).documents.map((d) => d.chunk.startLine);
  assert.equal(chunks[1], two.split(/\r\n|\r|\n/).indexOf('---'));
});

test('a cold analysis stopped at its deadline goes on where it stopped and ends as a whole one would (the text changed in between too)', () => {
  const docs = Array.from({ length: 30 }, (_, i) => STS.replace(/web/g, `web${i}`).replace('replicas: 3', i % 7 === 0 ? 'replicas: "3"' : 'replicas: 3'));
  const text = docs.join('---\n');
  const whole = fileDiagnostics(new FileAnalyzer().analyze(text), { uri: 'file:///a.yaml' });
  const analyzer = new FileAnalyzer();
  assert.equal(analyzer.started, false);
  // a deadline already past: one document per call, from the top
  const first = analyzer.analyzeUntil(text, 0);
  assert.equal(first.complete, false);
  assert.equal(first.file.documents.length, 1);
  assert.equal(first.file.documents[0].chunk.startLine, 0);
  assert.equal(analyzer.started, false);
  // its own findings only (localOnly): the first document's invalid-type, no rule that needs the others
  const partial = fileDiagnostics(first.file, { uri: 'file:///a.yaml', localOnly: true });
  assert.ok(partial.some((d) => d.code === 'invalid-type'));
  assert.ok(!partial.some((d) => d.code === 'service-not-found' || d.code === 'missing-pod-disruption-budget'));
  assert.ok(partial.every((d) => d.range.start.line < STS.split('\n').length));
  let calls = 1;
  let r = first;
  while (!r.complete && calls < 10) {
    r = analyzer.analyzeUntil(text, 0);
    calls++;
    assert.equal(r.file.parsed, 1, 'one new document per call; those done come from the cache');
  }
  assert.equal(calls, 10);
  // the text changes half way (a document near the top): the rest of the work is not lost, and the end is right
  docs[1] = docs[1].replace('replicas: 3', 'replicas: "three"');
  const changed = docs.join('---\n');
  r = analyzer.analyzeUntil(changed, 0);
  assert.equal(r.complete, false);
  r = analyzer.analyzeUntil(changed, Number.POSITIVE_INFINITY);
  assert.equal(r.complete, true);
  assert.equal(analyzer.started, true);
  assert.equal(r.file.parsed, 30 - 10, 'the documents done before the change were not parsed again (but the changed one)');
  const fresh = fileDiagnostics(new FileAnalyzer().analyze(changed), { uri: 'file:///a.yaml' });
  assert.deepEqual(fileDiagnostics(r.file, { uri: 'file:///a.yaml' }), fresh);
  assert.notDeepEqual(fresh, whole);
  // and a later edit takes the usual incremental path
  assert.equal(analyzer.analyze(changed.replace('replicas: "three"', 'replicas: 3')).parsed, 1);
});

test('the objects of a file after edits do not keep those of every earlier version alive', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const many = Array.from({ length: 12 }, (_, i) => STS.replace(/web/g, `web${i}`));
  const analyzer = new FileAnalyzer();
  const uri = 'file:///a.yaml';
  const first = new WeakRef(objectsOf(analyzer.analyze(many.join('---\n')), uri));
  let now: unknown;
  for (let e = 0; e < 8; e++) {
    many[e % many.length] = many[e % many.length].replace(/replicas: \d+/, `replicas: ${(e % 5) + 4}`);
    const file = analyzer.analyze(many.join('---\n'));
    assert.ok(file.kept && file.kept.head + file.kept.tail === many.length - 1, `edit ${e}: one document changed`);
    now = objectsOf(file, uri);
  }
  for (let i = 0; i < 5 && first.deref(); i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  assert.ok(now, 'the newest objects are alive');
  assert.equal(first.deref(), undefined, 'the first version\'s objects were collected');
});
