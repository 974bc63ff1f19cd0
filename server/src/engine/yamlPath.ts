// Where in the YAML tree a cursor is, read from indentation alone: it works on half-typed and broken
// documents, where the parser cannot say (a lone `rep` under `spec:`, an empty `key: `).
import type { Segment } from '../schema';

export interface LineShape {
  /** Column of the first non-blank character. */
  indent: number;
  /** Columns of the `- ` sequence markers at the start of the line (nested `- - ` gives several). */
  dashes: number[];
  /** Column where the key (or scalar) after the dashes starts. */
  contentCol: number;
  /** The mapping key on this line, if any. */
  key?: string;
  /** Column right after `key:`. */
  afterColon?: number;
  /** The text after `key:` with comments stripped, trimmed. */
  value?: string;
  /** Blank or comment-only line. */
  blank: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]}][^:#]*?|[^\s#'"{[\]}]?)[ \t]*:(?=[ \t]|$)/;

export function lineShape(line: string): LineShape {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  const indent = i;
  if (i >= line.length || line[i] === '#') return { indent, dashes: [], contentCol: i, blank: true };
  const dashes: number[] = [];
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    dashes.push(i);
    i++;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  }
  const shape: LineShape = { indent, dashes, contentCol: i, blank: false };
  const m = KEY.exec(line.slice(i));
  if (m && m[1].length > 0) {
    let key = m[1].trim();
    if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) key = key.slice(1, -1);
    shape.key = key;
    shape.afterColon = i + m[0].length;
    shape.value = stripComment(line.slice(shape.afterColon)).trim();
  }
  return shape;
}

function stripComment(s: string): string {
  // a # starts a comment at the start or after a space, outside quotes
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i);
  }
  return s;
}

/** One open key or sequence item of the indentation stack (also read by server/src/sources/helm/template.ts). */
export interface Frame {
  col: number;
  seg: Segment;
  kind: 'key' | 'item';
  /** `key: |` or `key: >`: lines indented deeper are scalar text, not YAML structure. */
  blockScalar?: boolean;
  /** Sequence items seen so far under a key (to number them). */
  items?: number;
}

/** Closes the frames a line at `col` ends (an item at a key's column stays inside that key). */
export function popFor(stack: Frame[], col: number, isItem: boolean): void {
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.col > col) stack.pop();
    else if (top.col === col && !(top.kind === 'key' && isItem)) stack.pop();
    else break;
  }
}

/** Opens a sequence item at `col`, numbered under its key. */
export function pushItem(stack: Frame[], col: number): void {
  const parent = stack[stack.length - 1];
  const index = parent && parent.kind === 'key' ? (parent.items = (parent.items ?? -1) + 1) : 0;
  stack.push({ col, seg: index, kind: 'item' });
}

function applyLine(stack: Frame[], s: LineShape): void {
  const top = stack[stack.length - 1];
  if (top?.blockScalar && s.indent > top.col) return;
  for (const d of s.dashes) {
    popFor(stack, d, true);
    pushItem(stack, d);
  }
  if (s.key !== undefined) {
    popFor(stack, s.contentCol, false);
    stack.push({ col: s.contentCol, seg: s.key, kind: 'key', blockScalar: /^[|>][-+0-9]*$/.test(s.value ?? '') });
  } else if (s.dashes.length === 0) {
    // a bare scalar line (e.g. a half-typed key): it sits at its column, so close deeper frames
    popFor(stack, s.contentCol, false);
  }
}

export interface CursorContext {
  /** Path of the mapping that contains the cursor's key position (for key completion). */
  path: Segment[];
  /** The line's shape up to the cursor. */
  line: LineShape;
  /** The key being edited or hovered, with the path of its value (for value completion / hover). */
  key?: string;
  keyPath?: Segment[];
  /** The cursor is in the value part of `key: |`. */
  inValue: boolean;
  /** The cursor is after `- ` of a list item with nothing else (value completion for scalar lists). */
  inItemValue: boolean;
  /** Keys already present in the mapping around the cursor. */
  siblings: Set<string>;
  /** Column where keys of the mapping around the cursor start. */
  keyCol: number;
}

/**
 * The YAML path at (line, character) in `lines` (one document), from indentation.
 * `lines` is the document's text split on newlines.
 */
export function cursorContext(lines: readonly string[], line: number, character: number): CursorContext {
  const stack: Frame[] = [];
  for (let i = 0; i < line && i < lines.length; i++) {
    const s = lineShape(lines[i]);
    if (s.blank) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(lines[i])) {
      stack.length = 0;
      continue;
    }
    applyLine(stack, s);
  }
  const full = lines[line] ?? '';
  const before = full.slice(0, character);
  const shape = lineShape(before);
  const fullShape = lineShape(full);
  // open the items on this line
  for (const d of shape.dashes) {
    popFor(stack, d, true);
    pushItem(stack, d);
  }
  const keyCol = shape.blank ? character : shape.contentCol;
  popFor(stack, keyCol, false);
  // a scalar-block parent: we are inside text, nothing to offer
  const path = stack.map((f) => f.seg);
  const ctx: CursorContext = {
    path,
    line: shape,
    inValue: false,
    inItemValue: false,
    siblings: new Set(),
    keyCol,
  };
  const key = shape.key ?? (fullShape.key !== undefined && fullShape.contentCol === shape.contentCol && character <= (fullShape.afterColon ?? 0) ? fullShape.key : undefined);
  if (key !== undefined) {
    ctx.key = key;
    ctx.keyPath = [...path, key];
    ctx.inValue = shape.key !== undefined && character >= (shape.afterColon ?? Infinity) - 0;
  } else if (shape.dashes.length > 0 && before.slice(shape.contentCol).trim() === before.slice(shape.contentCol).trimStart() && !/[:]/.test(before.slice(shape.contentCol))) {
    // `- Read|` under a scalar list: value of the item
    ctx.inItemValue = before.slice(shape.contentCol).length === 0 || /^[^\s:]*$/.test(before.slice(shape.contentCol));
  }
  ctx.siblings = siblingKeys(lines, line, keyCol);
  return ctx;
}

/** Keys at `col` in the mapping block that contains `line` (above and below it). */
function siblingKeys(lines: readonly string[], line: number, col: number): Set<string> {
  const keys = new Set<string>();
  const visit = (i: number): boolean => {
    const s = lineShape(lines[i]);
    if (s.blank) return true;
    if (/^(---|\.\.\.)(\s|$)/.test(lines[i])) return false;
    if (s.contentCol < col) {
      // the item line that opens this mapping (`- name: x` with key at col) is part of it
      if (s.dashes.length && s.contentCol === col && s.key) keys.add(s.key);
      return false;
    }
    if (s.contentCol === col && s.key !== undefined) {
      keys.add(s.key);
      if (s.dashes.length) return false; // first key of the item: the block starts here
    }
    return true;
  };
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) if (!visit(i)) break; // (a cursor may be past the last line)
  for (let i = line + 1; i < lines.length; i++) {
    const s = lineShape(lines[i]);
    if (!s.blank && s.dashes.length && s.dashes[0] < col) break; // next list item
    if (!visit(i)) break;
  }
  return keys;
}
