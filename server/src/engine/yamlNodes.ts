// The parsed YAML tree of an analysed file, by position: which document and which nodes lie under a
// cursor, and the file ranges of nodes (the `yaml` package's own offsets, never indentation guesses).
// Shared by outline, folding, selection ranges, go to definition, references and rename.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { Segment } from '../schema';
import type { AnalyzedDocument, FileAnalysis } from './analyzer';
import { shiftRange, type Range } from './diagnostic';

export interface Position {
  line: number;
  character: number;
}

/** One step from the root towards the cursor: the segment, the pair it came through (for maps) and the node. */
export interface Step {
  seg: Segment;
  pair?: Pair;
  node: Node | null;
}

export interface NodePath {
  doc: AnalyzedDocument;
  /** Segments from the document root to the deepest node under the cursor. */
  path: Segment[];
  steps: Step[];
  /** The scalar under the cursor, and whether it is a mapping key (else a value). */
  scalar?: Scalar;
  onKey: boolean;
}

type Ranged = { range?: [number, number, number] | null };

/** The document of the file that contains a line. */
export function documentAt(file: FileAnalysis, line: number): AnalyzedDocument | undefined {
  let found: AnalyzedDocument | undefined;
  for (const d of file.documents) if (d.chunk.startLine <= line) found = d;
  return found;
}

/** A file range from offsets within a document. */
export function rangeIn(d: AnalyzedDocument, start: number, end: number): Range {
  return shiftRange(d.doc.lines.range(start, end), d.chunk.startLine);
}

/** The file range of a node (its value part, without trailing comments), or undefined when it has no position. */
export function nodeRange(d: AnalyzedDocument, node: unknown): Range | undefined {
  const r = (node as Ranged | null)?.range;
  return r ? rangeIn(d, r[0], trimEnd(d.doc.text, r[0], r[1])) : undefined;
}

/** The file range of a pair: from its key to the end of its value. */
export function pairRange(d: AnalyzedDocument, pair: Pair): Range | undefined {
  const k = (pair.key as Ranged | null)?.range;
  if (!k) return undefined;
  const v = (pair.value as Ranged | null)?.range;
  return rangeIn(d, k[0], trimEnd(d.doc.text, k[0], v ? v[1] : k[1]));
}

/** `end` moved back over trailing whitespace (block collections end after their last newline). */
export function trimEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

/** Offset within the document of a file position. */
export function offsetIn(d: AnalyzedDocument, pos: Position): number {
  return d.doc.lines.offset(pos.line - d.chunk.startLine, pos.character);
}

function contains(node: unknown, offset: number): boolean {
  const r = (node as Ranged | null)?.range;
  return !!r && r[0] <= offset && offset <= r[1];
}

/** The nodes under a file position, from the document root down. */
export function nodePathAt(file: FileAnalysis, pos: Position): NodePath | undefined {
  const d = documentAt(file, pos.line);
  const root = d?.doc.yaml?.contents as Node | null | undefined;
  if (!d || !root) return undefined;
  const offset = offsetIn(d, pos);
  const out: NodePath = { doc: d, path: [], steps: [], onKey: false };
  let node: Node | null = root;
  for (;;) {
    if (isScalar(node)) {
      out.scalar = node;
      return out;
    }
    let next: Step | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (contains(pair.key, offset)) {
          if (isScalar(pair.key)) {
            out.path.push(String(pair.key.value));
            out.steps.push({ seg: String(pair.key.value), pair, node: pair.value as Node | null });
            out.scalar = pair.key;
            out.onKey = true;
          }
          return out;
        }
        if (contains(pair.value, offset) && isScalar(pair.key)) {
          next = { seg: String(pair.key.value), pair, node: pair.value as Node | null };
          break;
        }
      }
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => contains(it, offset));
      if (i >= 0) next = { seg: i, node: node.items[i] as Node | null };
    }
    if (!next) return out;
    out.path.push(next.seg);
    out.steps.push(next);
    node = next.node;
  }
}

/** The node (and the pair holding it, in a map) at a path of a document. */
export function nodeAtPath(d: AnalyzedDocument, path: readonly Segment[]): { node: Node | null; pair?: Pair } | undefined {
  let node = (d.doc.yaml?.contents ?? null) as Node | null;
  let pair: Pair | undefined;
  for (const s of path) {
    if (typeof s === 'number' && isSeq(node)) {
      if (s >= node.items.length) return undefined;
      node = node.items[s] as Node | null;
      pair = undefined;
    } else if (isMap(node)) {
      const p = node.items.find((x) => isPair(x) && isScalar(x.key) && String(x.key.value) === String(s));
      if (!p) return undefined;
      pair = p as Pair;
      node = p.value as Node | null;
    } else return undefined;
  }
  return { node, pair };
}

/** Does `path` match `pattern`, where '*' matches any segment and '#' any sequence index? */
export function matches(path: readonly Segment[], pattern: readonly string[]): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((p, i) => p === '*' || (p === '#' ? typeof path[i] === 'number' : p === path[i]));
}

/** Plain value at a path of a plain object. */
export function valueAt(v: unknown, path: readonly Segment[]): unknown {
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}
