// The commonest keystroke re-parsed without the parser: typing in a value (`replicas: 3` → `replicas: 4`, an
// image tag, a storage size, `"3"` → `3`). When the edit lies inside one scalar, plain or quoted on one line
// without escapes, that stands alone after `key: ` or `- ` on its line, the document's structure cannot
// change, so its new parse is the old one with that scalar resolved again and every later position moved by
// the edit's length. Anything else (a key, an escape, a comment, a flow collection, a multi-line value, a
// document with YAML errors) returns undefined and the caller parses the document in full. A fresh parse gives the same document: test/engine/scalarEdit.test.ts
// compares the two on random edits.
import { Alias, isAlias, isCollection, isDocument, isPair, isScalar, Pair, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { parseLikeKubectl } from './kubectlYaml';

/** A value the fast path takes: plain, one word, no indicator that could start or end a structure… */
const TOKEN = /^[A-Za-z0-9_/](?:[A-Za-z0-9_./:+-]*[A-Za-z0-9_./+-])?$/;
/** …or quoted on one line, with no escape and no quote inside. */
const QUOTED = /^(?:"[^"\\\r\n]*"|'[^'\r\n]*')$/;
const TYPES = new Set(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE']);
/** A block line whose value is one token: `  key: value`, `  - key: value`, `  - value`. */
const VALUE_LINE = /^( *)(?:- +)?(?:[A-Za-z0-9_][A-Za-z0-9_./-]*: +)?(?=[^ ])/;

/** Where a value token starts and ends on a line of text (offsets in the text), if the line is one of those. */
function valueOnLine(text: string, lineStart: number, lineEnd: number): { start: number; end: number } | undefined {
  const line = text.slice(lineStart, lineEnd);
  const m = VALUE_LINE.exec(line);
  if (!m || m[0].length === m[1].length) return undefined; // (an indentation alone, or nothing before the value: a top-level scalar)
  const token = line.slice(m[0].length);
  if (!TOKEN.test(token) && !QUOTED.test(token)) return undefined;
  return { start: lineStart + m[0].length, end: lineEnd };
}

/**
 * The parse of `text`, given the parse of `before` (the same document before one edit), when the edit only
 * changed one value; undefined when the caller must parse.
 */
export function reparseValueEdit(before: string, doc: Document.Parsed | undefined, text: string): Document.Parsed | undefined {
  if (!doc || doc.errors.length || doc.warnings.length || before === text) return undefined;
  // the edit: what lies between the common start and the common end of the two texts
  const max = Math.min(before.length, text.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === text.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && before.charCodeAt(before.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
  const oldEnd = before.length - q;
  const delta = text.length - before.length;
  // the line it is on, before and after, each with one value token that holds the whole edit (a token holds
  // no line break: an edit that makes or removes one, or a CRLF line, is not taken)
  const lineStart = before.lastIndexOf('\n', p - 1) + 1;
  let oldLineEnd = before.indexOf('\n', p);
  if (oldLineEnd < 0) oldLineEnd = before.length;
  const oldToken = valueOnLine(before, lineStart, oldLineEnd);
  const newToken = valueOnLine(text, lineStart, oldLineEnd + delta);
  if (!oldToken || !newToken || oldToken.start !== newToken.start || p < oldToken.start || oldEnd > oldToken.end) return undefined;
  const source = text.slice(newToken.start, newToken.end);
  // the new value resolved as the parser resolves it (YAML 1.1 as kubectl: 010 is 8, yes is true)
  const alone = parseLikeKubectl(source);
  const resolved = alone.contents;
  if (alone.errors.length || alone.warnings.length || !isScalar(resolved) || !TYPES.has(resolved.type!) || resolved.range?.[0] !== 0 || resolved.range[1] !== source.length) return undefined;
  // a copy of the document with the later positions moved and the value's node replaced; the old node
  // must be that token exactly: a scalar of its own (not part of a multi-line scalar or of a block scalar's
  // text; a key cannot stand there, with no `: ` after it)
  const shift = (r: Range): Range => [r[0] >= oldToken.end ? r[0] + delta : r[0], r[1] >= oldToken.end ? r[1] + delta : r[1], r[2] >= oldToken.end ? r[2] + delta : r[2]];
  let replaced = false;
  const copyNode = (n: unknown): unknown => {
    if (isPair(n)) {
      const c = shallow(n);
      c.key = copyNode(n.key);
      c.value = copyNode(n.value);
      return c;
    }
    if (isCollection(n)) {
      const c = shallow(n);
      c.items = n.items.map(copyNode);
      if (n.range) c.range = shift(n.range);
      return c;
    }
    if (isScalar(n) || isAlias(n)) {
      if (n.range?.[0] === oldToken.start) {
        const old = n as Scalar;
        if (!isScalar(n) || !TYPES.has(old.type!) || old.range![1] !== oldToken.end || old.anchor || old.tag) throw NOT_A_VALUE;
        const fresh = shallow(resolved);
        fresh.range = [old.range![0], newToken.end, old.range![2] + delta];
        for (const k of ['comment', 'commentBefore', 'spaceBefore'] as const) if (old[k] !== undefined) (fresh as unknown as Record<string, unknown>)[k] = old[k];
        replaced = true;
        return fresh;
      }
      const c = shallow(n);
      if (n.range) c.range = shift(n.range);
      return c;
    }
    return n;
  };
  let contents: unknown;
  try {
    contents = copyNode(doc.contents);
  } catch (e) {
    if (e === NOT_A_VALUE) return undefined;
    throw e;
  }
  if (!replaced) return undefined;
  const copy = shallow(doc);
  copy.contents = contents as Document.Parsed['contents'];
  copy.errors = [];
  copy.warnings = [];
  if (doc.range) copy.range = shift(doc.range);
  return copy;
}

type Range = [number, number, number];
const NODE_TYPE = Symbol.for('yaml.node.type'); // (how the yaml package tells its node types apart: isScalar, isMap…)
const NOT_A_VALUE = new Error('not a value');

/**
 * A copy of a yaml node made by its own constructor (the same shape of object as the parser makes) with its
 * fields; Document.clone and Node.clone copy field descriptors one by one, which costs half a parse.
 * Nodes of other classes (!!omap, !!set…) are not copied: the caller parses.
 */
function shallow<T extends object>(n: T): T {
  const C = n.constructor;
  const o = n as unknown as { value: unknown; key: unknown; schema: never; source: string };
  let c: object;
  if (C === Scalar) c = new Scalar(o.value);
  else if (C === Pair) c = new Pair(o.key, o.value);
  else if (C === YAMLMap) c = new YAMLMap(o.schema);
  else if (C === YAMLSeq) c = new YAMLSeq(o.schema);
  else if (C === Alias) c = new Alias(o.source);
  else if (isDocument(n)) {
    c = Object.create(Object.getPrototypeOf(n));
    Object.defineProperty(c, NODE_TYPE, { value: (n as Record<symbol, unknown>)[NODE_TYPE] });
  } else throw NOT_A_VALUE;
  return Object.assign(c, n) as T;
}
