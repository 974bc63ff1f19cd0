// Values files read with positions: the line of a key path, in the file that wins for it (helm's precedence:
// later -f files over earlier ones over the chart's values.yaml; a subchart's values under its name in the parent).
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { LineIndex } from '../../engine/diagnostic';
import type { Seg } from './template';

export interface ValuesSource {
  file: string;
  text: string;
  /** Where the chart's values sit in this file ([] for the chart's own; ['sub'] for a subchart in its parent's). */
  prefix: string[];
}

interface Parsed {
  doc: Document.Parsed;
  lines: LineIndex;
}

const parsedCache = new WeakMap<ValuesSource, Parsed | null>();

function parsed(s: ValuesSource): Parsed | null {
  let p = parsedCache.get(s);
  if (p === undefined) {
    try {
      const doc = parseDocument(s.text, { keepSourceTokens: false });
      p = doc.errors.length ? null : { doc, lines: new LineIndex(s.text) };
    } catch {
      p = null;
    }
    parsedCache.set(s, p);
  }
  return p;
}

export interface ValuesLocation {
  file: string;
  /** 0-based. */
  line: number;
  col: number;
  endCol: number;
  /** How many segments of the asked path the file holds (the location is the deepest of them). */
  depth: number;
  /** The values path of that key (element choices resolved). */
  path: Seg[];
}

/**
 * The line of `path` (below the chart's values) in the winning file: the file holding most of the path, the
 * later file on ties. `-1` segments (a `range` element) pick the element whose `name` is in `names`, or the only one.
 * Only locations holding at least `minDepth` segments count.
 */
export function locateValue(sources: readonly ValuesSource[], path: readonly Seg[], names: ReadonlySet<string>, minDepth: number): ValuesLocation | undefined {
  let best: ValuesLocation | undefined;
  for (const s of sources) {
    const p = parsed(s);
    if (!p) continue;
    let node = p.doc.contents as Node | null;
    let keyRange: [number, number] | undefined;
    let depth = 0;
    const full = [...s.prefix, ...path];
    const resolved: Seg[] = [];
    for (let i = 0; i < full.length; i++) {
      const seg = full[i];
      let found = false;
      if (isSeq(node)) {
        let idx = typeof seg === 'number' ? seg : -2;
        if (idx === -1) {
          idx = node.items.findIndex((it) => isMap(it) && names.has(String((it.get('name') as unknown) ?? '')));
          if (idx < 0 && node.items.length === 1) idx = 0;
        }
        const it = idx >= 0 ? node.items[idx] : undefined;
        if (it) {
          node = it as Node;
          const r = (it as { range?: [number, number, number] }).range;
          if (r) keyRange = [r[0], r[0]];
          found = true;
          resolved.push(idx);
        }
      } else if (isMap(node)) {
        const pair = node.items.find((x) => isPair(x) && isScalar(x.key) && String(x.key.value) === String(seg));
        if (pair && isPair(pair)) {
          node = pair.value as Node | null;
          const r = (pair.key as { range?: [number, number, number] }).range;
          if (r) keyRange = [r[0], r[1]];
          found = true;
          resolved.push(seg);
        }
      }
      if (!found) break;
      if (i >= s.prefix.length) depth++;
    }
    if (!keyRange || depth < minDepth || depth === 0) continue;
    if (best && depth < best.depth) continue;
    const pos = p.lines.position(keyRange[0]);
    const lineText = p.lines.lineText(pos.line);
    best = { file: s.file, line: pos.line, col: pos.character, endCol: lineText.replace(/\s+(#.*)?$/, '').length || lineText.length, depth, path: resolved.slice(s.prefix.length) };
  }
  return best;
}

/** The values of a file as plain data (undefined when it does not parse). */
export function valuesData(s: ValuesSource): unknown {
  const p = parsed(s);
  return p ? p.doc.toJS() : undefined;
}
