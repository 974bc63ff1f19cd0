// Selection ranges (expand / shrink selection) by YAML structure: the scalar under the cursor, its
// key-value pair, the mapping or sequence item around it, its parent entry … up to the whole document.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { SelectionRange } from 'vscode-languageserver-types';
import type { FileAnalysis } from './analyzer';
import type { Range } from './diagnostic';
import { documentAt, nodeRange, offsetIn, pairRange, type Position } from './yamlNodes';

type Ranged = { range?: [number, number, number] | null };

function within(node: unknown, offset: number): boolean {
  const r = (node as Ranged | null)?.range;
  return !!r && r[0] <= offset && offset <= r[1];
}

const inside = (a: Range, b: Range) =>
  (a.start.line > b.start.line || (a.start.line === b.start.line && a.start.character >= b.start.character)) &&
  (a.end.line < b.end.line || (a.end.line === b.end.line && a.end.character <= b.end.character));
const same = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** Ranges around one position, outermost first. */
function chain(file: FileAnalysis, pos: Position): Range[] {
  const d = documentAt(file, pos.line);
  const root = d?.doc.yaml?.contents as Node | null | undefined;
  if (!d || !root) return [];
  const offset = offsetIn(d, pos);
  const out: Range[] = [];
  const add = (r: Range | undefined) => {
    if (!r) return;
    const last = out[out.length - 1];
    if (last && (same(last, r) || !inside(r, last))) return;
    out.push(r);
  };
  // the whole document (with its `---` marker), then its content
  const rootRange = nodeRange(d, root);
  if (rootRange) add({ start: { line: d.chunk.startLine, character: 0 }, end: rootRange.end });
  let node: Node | null = root;
  for (;;) {
    add(nodeRange(d, node));
    let next: Node | null | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (within(pair.key, offset) || within(pair.value, offset)) {
          add(pairRange(d, pair));
          next = within(pair.key, offset) ? (pair.key as Node) : (pair.value as Node | null);
          break;
        }
      }
    } else if (isSeq(node)) {
      next = node.items.find((it) => within(it, offset)) as Node | undefined;
    }
    if (!next || isScalar(node)) break;
    node = next;
  }
  return out;
}

export function selectionRanges(file: FileAnalysis, positions: Position[]): SelectionRange[] {
  return positions.map((p) => {
    let sel: SelectionRange | undefined;
    for (const range of chain(file, p)) sel = sel ? { range, parent: sel } : { range };
    // nothing parsed there: the position itself
    return sel ?? { range: { start: p, end: p } };
  });
}
