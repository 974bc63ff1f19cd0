// Puts a finding on a rendered object back where it was written: the base file's line of that field
// (the object's config.kubernetes.io/origin), the strategic-merge patch file's line, the op of an inline
// or file JSON 6902 patch, or the transformer entry (`replicas:`, `images:`, `namePrefix`, `namespace`,
// labels) that set it. Each source that holds the field is a candidate; the one that holds most of the
// field's path wins, a later one (a patch over its base) on a tie. A JSON 6902 op owns everything under its
// path. Nothing finer known: the base document's `kind:` line, else the overlay's kustomization file.
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node, type Pair } from 'yaml';
import { FileAnalyzer, type AnalyzedDocument, type FileAnalysis } from '../../engine/analyzer';
import { LineIndex, type Diagnostic, type Range } from '../../engine/diagnostic';
import { nodeRange, valueAt } from '../../engine/yamlNodes';
import type { Segment } from '../../schema';
import type { Kustomization, OverlayTree, Patch, ReadText } from './kustomization';
import type { RenderedObject } from './render';

/** Where a finding landed: the file, the range, and how exactly. */
export interface Placement {
  file: string;
  range: Range;
  /** exact: the field itself; partial: its nearest written parent; fallback: the object's `kind:` line or the kustomization. */
  how: 'exact' | 'partial' | 'fallback';
  /** What produced it: 'base', 'patch', 'json6902', 'replicas', 'images', 'namePrefix', 'namespace', 'labels', 'kustomization'. */
  via: string;
}

interface Candidate {
  file: string;
  depth: number;
  range: Range;
  via: string;
  order: number;
  /** Owns the whole subtree (a JSON 6902 op replaced it). */
  owns?: boolean;
  /** Set the finding's value itself: a scalar at the full path, a transformer, an owning op. */
  leaf?: boolean;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What identifies a list item across base, patch and render: its name (containers, volumes, env, ports, claim templates). */
function identity(item: unknown): string | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.name === 'string') return `name=${o.name}`;
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta.name === 'string') return `name=${meta.name}`;
  if (typeof o.containerPort === 'number') return `containerPort=${o.containerPort}`;
  if (typeof o.mountPath === 'string') return `mountPath=${o.mountPath}`;
  return undefined;
}

function nodeIdentity(n: unknown): string | undefined {
  if (!isMap(n)) return undefined;
  const get = (m: unknown, k: string) => (isMap(m) ? m.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === k)?.value : undefined);
  const name = get(n, 'name');
  if (isScalar(name) && typeof name.value === 'string') return `name=${name.value}`;
  const mname = get(get(n, 'metadata'), 'name');
  if (isScalar(mname) && typeof mname.value === 'string') return `name=${mname.value}`;
  const port = get(n, 'containerPort');
  if (isScalar(port) && typeof port.value === 'number') return `containerPort=${port.value}`;
  const mp = get(n, 'mountPath');
  if (isScalar(mp) && typeof mp.value === 'string') return `mountPath=${mp.value}`;
  return undefined;
}

/** How far a written document holds the rendered path, and the range of the deepest part it holds. */
function walk(root: Node | null, rendered: unknown, target: readonly Segment[]): { depth: number; node: Node | null; pair?: Pair } {
  let node = root;
  let pair: Pair | undefined;
  let depth = 0;
  for (let i = 0; i < target.length; i++) {
    const seg = target[i];
    if (typeof seg === 'number') {
      if (!isSeq(node)) break;
      const want = identity(valueAt(rendered, target.slice(0, i + 1)));
      const item = want ? node.items.find((x) => nodeIdentity(x) === want) : node.items[seg];
      if (!item) break;
      node = item as Node;
      pair = undefined;
    } else {
      if (!isMap(node)) break;
      const p = node.items.find((x) => isPair(x) && isScalar(x.key) && String(x.key.value) === seg) as Pair | undefined;
      if (!p) break;
      pair = p;
      node = p.value as Node | null;
    }
    depth++;
  }
  return { depth, node, pair };
}

/** The range to show for a walk: the key of the deepest pair (a value of a scalar when the finding is on a value). */
function walkRange(d: { range(n: unknown): Range | undefined }, w: { depth: number; node: Node | null; pair?: Pair }, full: boolean, onKey: boolean): Range | undefined {
  if (full && !onKey && isScalar(w.node)) return d.range(w.node);
  if (w.pair) return d.range(w.pair.key);
  // a list item: its first line
  const r = d.range(w.node);
  return r ? { start: r.start, end: r.start.line === r.end.line ? r.end : { line: r.start.line, character: r.start.character + 1 } } : undefined;
}

/** JSON pointer → segments. */
function pointer(p: string): Segment[] {
  return p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function imageRepo(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

function nameMatches(pattern: string | undefined, names: string[]): boolean {
  if (pattern === undefined) return true;
  if (names.includes(pattern)) return true;
  try {
    const re = new RegExp(`^(?:${pattern})$`);
    return names.some((n) => re.test(n));
  } catch {
    return false;
  }
}

export class OverlayMapper {
  private analyses = new Map<string, FileAnalysis | null>();
  private parsedPatches = new Map<Patch, ReturnType<typeof parseAllDocuments> | null>();

  constructor(
    private readonly tree: OverlayTree,
    private readonly read: ReadText,
  ) {}

  private analysis(file: string): FileAnalysis | undefined {
    let a = this.analyses.get(file);
    if (a === undefined) {
      const text = this.read(file);
      a = text === undefined ? null : new FileAnalyzer().analyze(text);
      this.analyses.set(file, a);
    }
    return a ?? undefined;
  }

  /** The base document an object was rendered from: its origin file's document of that kind whose name the rendered name contains. */
  baseDocument(o: RenderedObject): { doc: AnalyzedDocument; name?: string } | undefined {
    if (!o.origin) return undefined;
    const a = this.analysis(o.origin);
    if (!a) return undefined;
    const ofKind = a.documents.filter((d) => d.value && d.value.kind === o.kind);
    let best: { doc: AnalyzedDocument; name?: string } | undefined;
    for (const d of ofKind) {
      const name = (d.value?.metadata as Record<string, unknown> | undefined)?.name;
      if (typeof name === 'string' && o.name?.includes(name) && (!best?.name || name.length > best.name.length)) best = { doc: d, name };
    }
    return best ?? (ofKind.length === 1 ? { doc: ofKind[0] } : undefined);
  }

  private patchDocs(p: Patch): ReturnType<typeof parseAllDocuments> | undefined {
    let docs = this.parsedPatches.get(p);
    if (docs === undefined) {
      const text = p.file ? this.read(p.file) : p.inline?.text;
      try {
        docs = text === undefined ? null : parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
        if (docs && !Array.isArray(docs)) docs = null; // an empty stream
      } catch {
        docs = null;
      }
      this.parsedPatches.set(p, docs);
    }
    return docs ?? undefined;
  }

  /** Where a finding at `target` of rendered object `o` (its plain value `value`) was written. */
  place(o: RenderedObject, value: Record<string, unknown>, target: readonly Segment[], onKey: boolean): Placement {
    const candidates: Candidate[] = [];
    let order = 0;
    const base = this.baseDocument(o);
    const names = [o.name, base?.name].filter((n): n is string => typeof n === 'string');
    if (base && o.origin) {
      const w = walk(base.doc.doc.yaml?.contents as Node | null, value, target);
      const range = walkRange({ range: (n) => nodeRange(base.doc, n) }, w, w.depth === target.length, onKey);
      if (range) candidates.push({ file: o.origin, depth: w.depth, range, via: 'base', order: order++, leaf: w.depth === target.length && isScalar(w.node) });
    }
    // kustomizations apply bases first, the overlay last
    const applying = [...this.tree.kustomizations].reverse().filter((k) => o.configuredIn.length === 0 || o.configuredIn.includes(k.file));
    for (const k of applying) {
      for (const p of k.patches) this.patchCandidates(k, p, o, names, value, target, onKey, candidates, () => order++);
      this.transformerCandidates(k, value, names, target, candidates, () => order++);
    }
    // most of the path first; on a tie, a source that set the value itself (a scalar, a transformer, a
    // JSON 6902 op) over one that only holds the parent, the later of those (a patch over its base), else
    // the earlier (a patch that touches a container does not make the base's container its own)
    let best: Candidate | undefined;
    const depthOf = (c: Candidate) => (c.owns ? target.length : c.depth);
    for (const c of candidates) {
      if (depthOf(c) === 0) continue;
      if (!best) best = c;
      else if (depthOf(c) !== depthOf(best)) best = depthOf(c) > depthOf(best) ? c : best;
      else if (!!c.leaf !== !!best.leaf) best = c.leaf ? c : best;
      else if (c.leaf) best = c.order > best.order ? c : best;
    }
    if (best) return { file: best.file, range: best.range, how: best.owns || best.depth === target.length ? 'exact' : 'partial', via: best.via };
    if (base && o.origin) {
      const kindPair = isMap(base.doc.doc.yaml?.contents) ? base.doc.doc.yaml!.contents.items.find((p) => isScalar(p.key) && p.key.value === 'kind') : undefined;
      return { file: o.origin, range: (kindPair && nodeRange(base.doc, kindPair.key)) ?? ZERO, how: 'fallback', via: 'base' };
    }
    return { file: this.tree.root.file, range: ZERO, how: 'fallback', via: 'kustomization' };
  }

  private patchCandidates(
    k: Kustomization,
    p: Patch,
    o: RenderedObject,
    names: string[],
    value: Record<string, unknown>,
    target: readonly Segment[],
    onKey: boolean,
    out: Candidate[],
    next: () => number,
  ): void {
    if (p.target && ((p.target.kind && p.target.kind !== o.kind) || !nameMatches(p.target.name, names))) return;
    const docs = this.patchDocs(p);
    if (!docs) return;
    const file = p.file ?? k.file;
    // positions in the patch text → the file: a patch file's own lines, or the kustomization's lines below `patch: |`
    const inFile = (r: Range): Range => {
      if (p.file || !p.inline) return r;
      if (!p.inline.exact) return p.range;
      const indent = /^[ \t]*/.exec(k.lines.lineText(p.inline.firstLine))?.[0].length ?? 0;
      const shift = (x: { line: number; character: number }) => ({ line: x.line + p.inline!.firstLine, character: x.character + indent });
      return { start: shift(r.start), end: shift(r.end) };
    };
    const text = textOf(p, this.read);
    const lineIndex = { range: (n: unknown) => rangeOfNode(text, n) };
    for (const doc of docs) {
      const root = doc.contents as Node | null;
      if (isSeq(root)) {
        // JSON 6902: each op that writes the finding's path or one of its parents owns it
        for (const op of root.items) {
          if (!isMap(op)) continue;
          const get = (key: string) => op.items.find((x) => isPair(x) && isScalar(x.key) && x.key.value === key) as Pair | undefined;
          const opName = get('op')?.value;
          const pathPair = get('path');
          if (!isScalar(pathPair?.value) || typeof pathPair.value.value !== 'string') continue;
          const kindOf = isScalar(opName) ? String(opName.value) : '';
          if (kindOf === 'test') continue;
          const segs = pointer(pathPair.value.value);
          const prefix = segs.length <= target.length && segs.every((s, i) => s === target[i] || (s === '-' && typeof target[i] === 'number'));
          if (!prefix) continue;
          const valuePair = get('value');
          let r: Range | undefined;
          if (segs.length === target.length && isScalar(valuePair?.value)) r = lineIndex.range(valuePair!.value);
          else if (segs.length < target.length && valuePair && (isMap(valuePair.value) || isSeq(valuePair.value))) {
            // the op's value is the subtree: the finding's field inside it
            const rest = target.slice(segs.length);
            const w = walk(valuePair.value as Node, valueAt(value, target.slice(0, segs.length)), rest);
            r = w.depth > 0 ? walkRange(lineIndex, w, w.depth === rest.length, onKey) : undefined;
          }
          r ??= lineIndex.range(pathPair.value);
          if (r) out.push({ file, depth: segs.length, range: inFile(r), via: 'json6902', order: next(), ...(kindOf === 'add' || kindOf === 'replace' || kindOf === 'copy' || kindOf === 'move' ? { owns: true, leaf: true } : {}) });
        }
        continue;
      }
      if (!isMap(root)) continue;
      // strategic merge: the patch names its object unless the entry has a target
      if (!p.target) {
        const v = doc.toJS() as Record<string, unknown> | null;
        const meta = v?.metadata as Record<string, unknown> | undefined;
        if (v?.kind !== o.kind || typeof meta?.name !== 'string' || !names.includes(meta.name)) continue;
      }
      const w = walk(root, value, target);
      if (w.depth === 0) continue;
      const r = walkRange(lineIndex, w, w.depth === target.length, onKey);
      // a list item's name and the object's name only say what the patch merges into: not values it sets
      const mergeKey = (target[target.length - 1] === 'name' && typeof target[target.length - 2] === 'number') || (target.length === 2 && target[0] === 'metadata' && target[1] === 'name');
      if (r) out.push({ file, depth: w.depth, range: inFile(r), via: 'patch', order: next(), leaf: w.depth === target.length && isScalar(w.node) && !mergeKey });
    }
  }

  private transformerCandidates(k: Kustomization, value: Record<string, unknown>, names: string[], target: readonly Segment[], out: Candidate[], next: () => number): void {
    const full = target.length;
    const is = (...segs: Segment[]) => segs.length === target.length && segs.every((s, i) => s === target[i]);
    if (is('spec', 'replicas')) {
      const e = k.replicas.find((r) => names.includes(r.name));
      if (e) out.push({ file: k.file, depth: full, range: e.range, via: 'replicas', order: next(), leaf: true });
    }
    const last = target[target.length - 1];
    if (last === 'image' && target.some((s) => s === 'containers' || s === 'initContainers')) {
      const image = valueAt(value, target);
      if (typeof image === 'string') {
        const repo = imageRepo(image);
        const e = k.images.find((i) => (i.newName ?? i.name) === repo || i.name === repo);
        if (e) out.push({ file: k.file, depth: full, range: e.range, via: 'images', order: next(), leaf: true });
      }
    }
    // only where the rendered value shows the transformer's work (kustomize renames a serviceName only
    // when the Service it names is renamed with it)
    if (is('metadata', 'name') || is('spec', 'serviceName')) {
      const v = valueAt(value, target);
      const e = typeof v !== 'string' ? undefined : k.namePrefix && v.startsWith(k.namePrefix.value) ? k.namePrefix : k.nameSuffix && v.endsWith(k.nameSuffix.value) ? k.nameSuffix : undefined;
      if (e) out.push({ file: k.file, depth: full, range: e.range, via: e === k.namePrefix ? 'namePrefix' : 'nameSuffix', order: next(), leaf: true });
    }
    if (is('metadata', 'namespace') && k.namespace && valueAt(value, target) === k.namespace.value) {
      out.push({ file: k.file, depth: full, range: k.namespace.range, via: 'namespace', order: next(), leaf: true });
    }
    const parent = target[target.length - 2];
    // commonLabels (and labels with includeSelectors) also reach label selectors: a Service's spec.selector, matchLabels
    if (typeof last === 'string' && (parent === 'labels' || parent === 'matchLabels' || parent === 'selector')) {
      const e = k.labels.find((l) => l.key === last && (l.selectors || parent === 'labels'));
      if (e) out.push({ file: k.file, depth: full, range: e.range, via: 'labels', order: next(), leaf: true });
    }
  }
}

const textCache = new WeakMap<Patch, string>();
function textOf(p: Patch, read: ReadText): string {
  let t = textCache.get(p);
  if (t === undefined) {
    t = (p.file ? read(p.file) : p.inline?.text) ?? '';
    textCache.set(p, t);
  }
  return t;
}

const lineIndexes = new Map<string, LineIndex>();
function rangeOfNode(text: string, n: unknown): Range | undefined {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  if (!r) return undefined;
  let li = lineIndexes.get(text);
  if (!li) {
    if (lineIndexes.size > 64) lineIndexes.clear();
    li = new LineIndex(text);
    lineIndexes.set(text, li);
  }
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1])) end--;
  return li.range(r[0], end);
}

/** A short name for an overlay folder in messages: relative to `from` when below it. */
export function overlayLabel(dir: string, from?: string): string {
  if (!from) return dir;
  const rel = path.relative(from, dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : rel === '' ? '.' : dir;
}

export type { Diagnostic };
