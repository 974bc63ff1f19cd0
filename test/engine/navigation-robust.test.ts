// The navigation features on every fixture of the repository and on truncated copies of them (broken
// YAML, half documents): they never throw (a refused rename is an answer), and what they return is
// well formed — ranges inside the text, children inside parents, folds that span lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentSymbol, Range } from 'vscode-languageserver-types';
import { FileAnalyzer, objectsOf, type FileAnalysis } from '../../server/src/engine/analyzer';
import { definition, references } from '../../server/src/engine/definition';
import { foldingRanges } from '../../server/src/engine/folding';
import type { WorkspaceView } from '../../server/src/engine/related';
import { prepareRename, rename, RenameRefused } from '../../server/src/engine/rename';
import { selectionRanges } from '../../server/src/engine/selectionRange';
import { documentSymbols } from '../../server/src/engine/symbols';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const within = (inner: Range, outer: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);

function checkRange(r: Range, lines: string[], what: string): void {
  assert.ok(before(r.start, r.end), `${what}: start after end`);
  for (const p of [r.start, r.end]) {
    assert.ok(p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} outside the text`);
    assert.ok(p.character >= 0 && p.character <= lines[p.line].length + 1, `${what}: character ${p.character} outside line ${p.line}`);
  }
}

function checkSymbols(syms: DocumentSymbol[], lines: string[], parent?: DocumentSymbol): void {
  for (const s of syms) {
    checkRange(s.range, lines, s.name);
    assert.ok(within(s.selectionRange, s.range), `${s.name}: selection outside its range`);
    if (parent) assert.ok(within(s.range, parent.range), `${s.name} outside ${parent.name}: ${JSON.stringify([s.range, parent.range])}\n${lines.join("\n")}`);
    checkSymbols(s.children ?? [], lines, s);
  }
}

test('every fixture and truncated copies: navigation features answer with well-formed results', () => {
  const files = yamlFiles(FIXTURES);
  assert.ok(files.length > 50, `${files.length} fixtures`);
  let asked = 0;
  for (const f of files) {
    const full = fs.readFileSync(f, 'utf8');
    // whole, and cut in the middle with broken YAML after it (most of the time goes to the analysis itself)
    const cuts = [full, full.slice(0, Math.floor(full.length / 2)) + '\n  - ]: {\n   x: - y'];
    for (const text of cuts) {
      const file: FileAnalysis = new FileAnalyzer().analyze(text);
      const uri = 'file:///robust/' + path.basename(f);
      const ws: WorkspaceView = { objects: (kind) => objectsOf(file, 'file:///robust/other.yaml').filter((o) => o.kind === kind), file: () => file };
      const lines = text.split('\n');
      checkSymbols(documentSymbols(file), lines);
      for (const r of foldingRanges(file)) assert.ok(r.startLine < r.endLine && r.endLine < lines.length, `${f}: fold ${r.startLine}-${r.endLine}`);
      // every 3rd line, at the key and inside the value
      const positions = lines.flatMap((l, line) => (line % 3 ? [] : [{ line, character: l.length - l.trimStart().length + 1 }, { line, character: Math.max(0, l.length - 1) }]));
      for (const s of selectionRanges(file, positions)) for (let x: typeof s | undefined = s; x; x = x.parent) checkRange(x.range, lines, `${f} selection`);
      for (const pos of positions) {
        asked++;
        for (const l of [...definition(file, uri, pos, ws), ...references(file, uri, pos, ws, true)]) checkRange(l.range, lines, `${f} location`);
        try {
          const prep = prepareRename(file, uri, pos, ws, () => true);
          if (prep) checkRange(prep.range, lines, `${f} prepareRename`);
          const edit = rename(file, uri, pos, 'renamed', ws, () => false);
          for (const edits of Object.values(edit?.changes ?? {})) for (const e of edits) checkRange(e.range, lines, `${f} rename`);
        } catch (e) {
          assert.ok(e instanceof RenameRefused, `${f}: ${(e as Error).stack}`);
        }
      }
    }
  }
  assert.ok(asked > 1000, `${asked} positions`);
});
