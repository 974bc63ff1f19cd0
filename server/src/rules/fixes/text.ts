// Text surgery for quick fixes: find the document a diagnostic is in, locate a path in its YAML, and
// build edits that insert a field, replace a map, or append a document, in the file's own layout.
// Plain data: a file's text in, LSP TextEdits out.
import { isMap, isPair, isScalar, isSeq, stringify, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../../engine/diagnostic';
import { parseChunk, type ParsedDocument } from '../../engine/document';
import { splitDocuments, type Chunk } from '../../engine/split';
import { plainValue } from '../framework';
import type { Segment } from '../../schema';

/** One fix: a title and the edits that make it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

/** The file with one of its documents parsed: offsets in the document plus `chunk.startOffset` are file offsets. */
export interface FileDoc {
  text: string;
  lines: LineIndex;
  chunk: Chunk;
  doc: ParsedDocument;
  value: Record<string, unknown> | undefined;
}

/**
 * The last file split and indexed, its parsed documents, and what fixes ask about the whole file (its
 * line breaks, its sequence style): a code-action request for many findings pays for the file once,
 * not once per finding (500 findings of a 10 MB file were 500 passes over it).
 */
let memo: { text: string; chunks: Chunk[]; lines: LineIndex; docs: Map<Chunk, FileDoc | undefined>; crlf?: boolean; seqIndent?: boolean } | undefined;

function fileMemo(text: string): NonNullable<typeof memo> {
  if (!memo || memo.text !== text) memo = { text, chunks: splitDocuments(text), lines: new LineIndex(text), docs: new Map() };
  return memo;
}

/** Does the file use CRLF line breaks (once per file text)? */
export function usesCrlf(text: string): boolean {
  const m = fileMemo(text);
  return (m.crlf ??= text.includes('\r\n'));
}

/** A document already parsed elsewhere (the language server's analysis), by its chunk's text. */
export type ParsedLookup = (chunkText: string) => ParsedDocument | undefined;

/**
 * The document that holds line `line` of the file, parsed (once per file text and document; `parsed`
 * may hand over a document the analysis already parsed).
 */
export function documentAt(text: string, line: number, parsed?: ParsedLookup): FileDoc | undefined {
  const memo = fileMemo(text);
  // the last chunk starting at or before the line (chunks are in order)
  let lo = 0;
  let hi = memo.chunks.length - 1;
  if (hi < 0 || memo.chunks[0].startLine > line) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (memo.chunks[mid].startLine <= line) lo = mid;
    else hi = mid - 1;
  }
  const chunk = memo.chunks[lo];
  if (memo.docs.has(chunk)) return memo.docs.get(chunk);
  const doc = parsed?.(chunk.text) ?? parseChunk(chunk);
  let result: FileDoc | undefined;
  if (doc.yaml && !doc.template) result = { text, lines: memo.lines, chunk, doc, value: plainValue(doc) };
  memo.docs.set(chunk, result);
  return result;
}

function rangeAt(f: FileDoc, start: number, end = start): Range {
  return f.lines.range(f.chunk.startOffset + start, f.chunk.startOffset + end);
}

export interface Located {
  /** The value node (null for `key:` with nothing after it). */
  node: Node | null;
  /** The pair holding it, when it is a mapping value. */
  pair?: Pair;
}

/** The node at a path in the document, or undefined if the path does not exist. */
export function locate(f: FileDoc, path: readonly Segment[]): Located | undefined {
  let cur: Located = { node: (f.doc.yaml?.contents ?? null) as Node | null };
  for (const s of path) {
    const node = cur.node;
    if (typeof s === 'number' && isSeq(node)) {
      const it = node.items[s];
      if (it === undefined) return undefined;
      cur = { node: it as Node | null };
    } else if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(s));
      if (!pair) return undefined;
      cur = { node: pair.value as Node | null, pair: pair as Pair };
    } else return undefined;
  }
  return cur;
}

/** Column of a document offset. */
function column(f: FileDoc, offset: number): number {
  return f.doc.lines.position(offset).character;
}

/** Is the value empty: `key:` with nothing, or `~` / `null`? */
function isEmptyValue(node: Node | null): boolean {
  return node === null || (isScalar(node) && (node.value === null || node.value === undefined));
}

/** Does the file put `- ` of a block sequence at its parent key's column (kubectl's style)? */
export function sequencesIndented(text: string): boolean {
  if (memo?.text === text) return (memo.seqIndent ??= sequencesIndentedIn(text));
  return sequencesIndentedIn(text);
}

function sequencesIndentedIn(text: string): boolean {
  const m = /^( *)[^\s#-][^:\n]*:[ \t]*\r?\n( *)- /m.exec(text);
  return m ? m[2].length > m[1].length : false;
}

/** YAML for a value, every line indented by `indent` spaces (no trailing newline). */
export function render(value: unknown, indent: number, seqIndent: boolean): string {
  const s = stringify(value, { version: '1.1', indentSeq: seqIndent, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
  const pad = ' '.repeat(indent);
  return s
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** End (document offset) of the last line of a node's content, before trailing blanks and newlines, at that line's end. */
function contentLineEnd(f: FileDoc, node: Node): number {
  const r = (node as { range?: [number, number, number] }).range;
  let end = r ? r[1] : 0;
  const t = f.doc.text;
  while (end > 0 && /[\s]/.test(t[end - 1])) end--;
  const nl = t.indexOf('\n', end);
  let lineEnd = nl < 0 ? t.length : nl;
  if (lineEnd > 0 && t[lineEnd - 1] === '\r') lineEnd--;
  return lineEnd;
}

/**
 * An edit that adds `fields` (key: value …) to the map at `path` (which must exist as a map, or be
 * empty): after the map's last line at its keys' column, on new lines after `key:` when the value is
 * empty, or inside the braces of a flow map. Path [] is the document's top level.
 */
export function insertFields(f: FileDoc, path: readonly Segment[], fields: Record<string, unknown>): TextEdit | undefined {
  const at = locate(f, path);
  if (!at) return undefined;
  const seq = sequencesIndented(f.text);
  const node = at.node;
  if (isMap(node) && node.flow) {
    const r = node.range!;
    const close = f.doc.text.lastIndexOf('}', r[1]);
    if (close < 0) return undefined;
    const inner = f.doc.text.slice(r[0] + 1, close).trim();
    const entries = Object.entries(fields).map(([k, v]) => `${stringify(k, { version: '1.1' }).trim()}: ${JSON.stringify(v)}`);
    return { range: rangeAt(f, close), newText: (inner ? ', ' : '') + entries.join(', ') };
  }
  if (isMap(node) && node.items.length > 0) {
    const first = node.items[0] as Pair;
    const indent = column(f, (first.key as Node).range![0]);
    const last = node.items[node.items.length - 1] as Pair;
    const end = contentLineEnd(f, (last.value as Node | null) ?? (last.key as Node));
    return { range: rangeAt(f, end), newText: `\n${render(fields, indent, seq)}` };
  }
  if (!isEmptyValue(node)) return undefined;
  if (path.length === 0) {
    // an empty document: start it after a leading `---` marker line, if any
    const m = /^(?:---[^\n]*\n)?/.exec(f.doc.text)!;
    return { range: rangeAt(f, m[0].length), newText: `${render(fields, 0, seq)}\n` };
  }
  if (!at.pair) return undefined; // an empty sequence item: too ambiguous
  const keyNode = at.pair.key as Node;
  const indent = column(f, keyNode.range![0]) + 2;
  const lineEnd = contentLineEnd(f, keyNode);
  // an explicit `~` or `null` after the key goes
  const vr = (node as { range?: [number, number, number] } | null)?.range;
  const [from, to] = vr && vr[1] > vr[0] ? [vr[0], vr[1]] : [lineEnd, lineEnd];
  return { range: rangeAt(f, from, to), newText: `\n${render(fields, indent, seq)}` };
}

/** An edit that replaces the map at `path` with `value` (rendered in the same layout). */
export function replaceMap(f: FileDoc, path: readonly Segment[], value: Record<string, unknown>): TextEdit | undefined {
  const at = locate(f, path);
  if (!at || !isMap(at.node)) return undefined;
  const node = at.node as YAMLMap;
  const r = node.range!;
  if (node.flow || node.items.length === 0) {
    const flow = stringify(value, { version: '1.1', lineWidth: 0, collectionStyle: 'flow', aliasDuplicateObjects: false }).trim();
    return { range: rangeAt(f, r[0], r[1]), newText: flow };
  }
  const indent = column(f, r[0]);
  const end = contentLineEnd(f, node);
  const rendered = render(value, indent, sequencesIndented(f.text)).slice(indent);
  return { range: rangeAt(f, r[0], end), newText: rendered };
}

/** An edit that appends a new document after the document `f` (before the next one, or at the end of the file). */
export function appendDocument(f: FileDoc, value: unknown): TextEdit {
  const end = f.chunk.startOffset + f.chunk.text.length;
  const pos = f.lines.position(end);
  const needsNewline = end > 0 && f.text[end - 1] !== '\n';
  const body = render(value, 0, sequencesIndented(f.text));
  return { range: { start: pos, end: pos }, newText: `${needsNewline ? '\n' : ''}---\n${body}\n` };
}
