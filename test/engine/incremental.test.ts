import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileAnalyzer, fileDiagnostics } from '../../server/src/engine/analyzer';
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
