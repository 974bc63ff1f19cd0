// Reads a Kustomize overlay as plain data: each kustomization.yaml of the tree (the overlay, its bases,
// its components), what each one references (resources, patch files, generator inputs…) and where each
// entry sits in its file, so that a rendered finding can be put back on the line that caused it.
// No Kustomize semantics beyond what the mapping needs; kustomize itself renders (render.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { LineIndex, type Range } from '../../engine/diagnostic';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Reads a file's text (the LSP gives the open editor's text first); undefined when it cannot be read. */
export type ReadText = (file: string) => string | undefined;

export const readDisk: ReadText = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The kustomization file of a folder, if it has one. */
export function kustomizationFileIn(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const f = path.join(dir, name);
    try {
      if (fs.statSync(f).isFile()) return f;
    } catch {
      // not this name
    }
  }
  return undefined;
}

/** An entry of a kustomization with its place in that file. */
export interface Entry {
  value: string;
  range: Range;
}

export interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
  group?: string;
  version?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A patch of a kustomization: in a file of its own, or inline (its text sits in the kustomization). */
export interface Patch {
  /** The patch file (absolute), when the patch is in a file. */
  file?: string;
  /** The inline patch's text, and the kustomization line its first line is on (block scalars; else the key's line). */
  inline?: { text: string; firstLine: number; exact: boolean };
  /** Where the entry is in the kustomization (the `path:`/`patch:` value). */
  range: Range;
  target?: PatchTarget;
}

/** A transformer entry that sets one kind of field (`replicas:`, `images:`, `namePrefix`…), with its range. */
export interface ReplicaEntry {
  name: string;
  range: Range;
}
export interface ImageEntry {
  name: string;
  newName?: string;
  range: Range;
}

export interface Kustomization {
  dir: string;
  file: string;
  text: string;
  lines: LineIndex;
  /** The YAML did not parse: kustomize will say why; we know nothing else about it. */
  broken?: string;
  isComponent: boolean;
  resources: Entry[];
  components: Entry[];
  patches: Patch[];
  replicas: ReplicaEntry[];
  images: ImageEntry[];
  namePrefix?: Entry;
  nameSuffix?: Entry;
  namespace?: Entry;
  /** Label keys set by commonLabels / labels, with the line of each key. */
  labels: Array<{ key: string; range: Range; selectors: boolean }>;
  /** Other local files it reads (generator inputs, configurations, crds, replacements…), absolute. */
  otherFiles: string[];
  /** Entries that name a remote location (git, http): never fetched. */
  remote: Entry[];
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|[?&]ref=|\.git(?:\/\/|$)/i;

/** Does a resource entry name a remote base (git or http), which rendering would have to fetch? */
export function isRemote(entry: string): boolean {
  return REMOTE.test(entry.trim());
}

function get(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

function scalarText(n: unknown): string | undefined {
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined;
}

export function loadKustomization(file: string, read: ReadText = readDisk): Kustomization | undefined {
  const text = read(file);
  if (text === undefined) return undefined;
  const dir = path.dirname(file);
  const lines = new LineIndex(text);
  const k: Kustomization = { dir, file, text, lines, isComponent: false, resources: [], components: [], patches: [], replicas: [], images: [], labels: [], otherFiles: [], remote: [] };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  } catch (e) {
    k.broken = (e as Error).message;
    return k;
  }
  if (doc.errors.length) {
    k.broken = doc.errors[0].message.split('\n')[0];
    return k;
  }
  const root = doc.contents as Node | null;
  if (!isMap(root)) return k;
  const rangeOf = (n: unknown, fallback?: unknown): Range => {
    const r = (n as { range?: [number, number, number] } | null)?.range ?? (fallback as { range?: [number, number, number] } | null)?.range;
    return r ? lines.range(r[0], r[1]) : lines.range(0, 0);
  };
  const entry = (n: unknown): Entry | undefined => {
    const v = scalarText(n);
    return v === undefined ? undefined : { value: v, range: rangeOf(n) };
  };
  const list = (key: string): Entry[] => {
    const p = get(root, key);
    if (!p || !isSeq(p.value)) return [];
    return p.value.items.map(entry).filter((e): e is Entry => e !== undefined);
  };
  const local = (e: Entry): string => path.resolve(dir, e.value);
  k.isComponent = scalarText(get(root, 'kind')?.value) === 'Component';
  for (const e of [...list('resources'), ...list('bases')]) (isRemote(e.value) ? k.remote : k.resources).push(e);
  for (const e of list('components')) (isRemote(e.value) ? k.remote : k.components).push(e);
  for (const e of [...list('crds'), ...list('configurations')]) k.otherFiles.push(local(e));
  // transformers:/generators:/validators: entries are files of transformer configs (or inline ones)
  for (const key of ['transformers', 'generators', 'validators']) {
    for (const e of list(key)) if (!e.value.includes('\n') && !isRemote(e.value)) k.otherFiles.push(local(e));
  }

  const targetOf = (n: unknown): PatchTarget | undefined => {
    if (!isMap(n)) return undefined;
    const t: PatchTarget = {};
    for (const key of ['kind', 'name', 'namespace', 'group', 'version', 'labelSelector', 'annotationSelector'] as const) {
      const v = scalarText(get(n, key)?.value);
      if (v !== undefined) t[key] = v;
    }
    return t;
  };
  const inlineOf = (n: Scalar): Patch['inline'] => {
    const r = (n as { range?: [number, number, number] }).range;
    const block = n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED';
    // a block scalar's content starts on the line after its header (`patch: |-`)
    const headerLine = r ? lines.position(r[0]).line : 0;
    return { text: String(n.value), firstLine: block ? headerLine + 1 : headerLine, exact: n.type === 'BLOCK_LITERAL' };
  };
  const addPatch = (item: unknown) => {
    if (isScalar(item)) {
      // patchesStrategicMerge: a file, or an inline patch
      const v = String(item.value);
      if (v.includes('\n') || /^\s*[{[]/.test(v) || v.includes(': ')) k.patches.push({ inline: inlineOf(item), range: rangeOf(item) });
      else k.patches.push({ file: path.resolve(dir, v), range: rangeOf(item) });
      return;
    }
    if (!isMap(item)) return;
    const p = get(item, 'path');
    const inline = get(item, 'patch');
    const target = targetOf(get(item, 'target')?.value);
    if (p && scalarText(p.value) !== undefined) k.patches.push({ file: path.resolve(dir, scalarText(p.value)!), range: rangeOf(p.value), target });
    else if (inline && isScalar(inline.value)) k.patches.push({ inline: inlineOf(inline.value), range: rangeOf(inline.key), target });
  };
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    const p = get(root, key);
    if (p && isSeq(p.value)) for (const item of p.value.items) addPatch(item);
  }

  const rp = get(root, 'replicas');
  if (rp && isSeq(rp.value)) {
    for (const item of rp.value.items) {
      const name = scalarText(get(item, 'name')?.value);
      if (name !== undefined) k.replicas.push({ name, range: rangeOf(get(item, 'count')?.value, item) });
    }
  }
  const ip = get(root, 'images');
  if (ip && isSeq(ip.value)) {
    for (const item of ip.value.items) {
      const name = scalarText(get(item, 'name')?.value);
      if (name === undefined) continue;
      const at = get(item, 'digest') ?? get(item, 'newTag') ?? get(item, 'newName');
      k.images.push({ name, newName: scalarText(get(item, 'newName')?.value), range: rangeOf(at?.value, item) });
    }
  }
  for (const key of ['namePrefix', 'nameSuffix', 'namespace'] as const) {
    const e = entry(get(root, key)?.value);
    if (e && e.value !== '') k[key] = e;
  }
  const cl = get(root, 'commonLabels');
  if (cl && isMap(cl.value)) for (const p of cl.value.items) if (isPair(p) && isScalar(p.key)) k.labels.push({ key: String(p.key.value), range: rangeOf(p.key), selectors: true });
  const lb = get(root, 'labels');
  if (lb && isSeq(lb.value)) {
    for (const item of lb.value.items) {
      const pairs = get(item, 'pairs');
      const selectors = get(item, 'includeSelectors')?.value;
      if (pairs && isMap(pairs.value)) {
        for (const p of pairs.value.items) {
          if (isPair(p) && isScalar(p.key)) k.labels.push({ key: String(p.key.value), range: rangeOf(p.key), selectors: isScalar(selectors) && selectors.value === true });
        }
      }
    }
  }
  for (const gen of ['configMapGenerator', 'secretGenerator']) {
    const g = get(root, gen);
    if (!g || !isSeq(g.value)) continue;
    for (const item of g.value.items) {
      for (const key of ['files', 'envs']) {
        const f = get(item, key);
        if (f && isSeq(f.value)) {
          for (const x of f.value.items) {
            const v = scalarText(x);
            if (v !== undefined) k.otherFiles.push(path.resolve(dir, v.includes('=') ? v.slice(v.indexOf('=') + 1) : v));
          }
        }
      }
      const env = scalarText(get(item, 'env')?.value);
      if (env) k.otherFiles.push(path.resolve(dir, env));
    }
  }
  const rep = get(root, 'replacements');
  if (rep && isSeq(rep.value)) for (const item of rep.value.items) {
    const p = scalarText(get(item, 'path')?.value);
    if (p) k.otherFiles.push(path.resolve(dir, p));
  }
  const oa = get(root, 'openapi');
  const oap = oa && scalarText(get(oa.value, 'path')?.value);
  if (oap) k.otherFiles.push(path.resolve(dir, oap));
  return k;
}

/** An overlay and everything it uses. */
export interface OverlayTree {
  root: Kustomization;
  /** Every kustomization of the tree, the root first (then bases and components, breadth first). */
  kustomizations: Kustomization[];
  /** Every local file the render reads: kustomization files, resources, patch files, generator inputs (absolute). */
  files: Set<string>;
  /** Entries that reference a remote base or a path that does not exist (kustomize reports the latter). */
  remote: Array<{ k: Kustomization; entry: Entry }>;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Reads an overlay folder and, recursively, the kustomizations it uses. */
export function loadOverlay(dir: string, read: ReadText = readDisk): OverlayTree | undefined {
  const file = kustomizationFileIn(dir);
  if (!file) return undefined;
  const root = loadKustomization(file, read);
  if (!root) return undefined;
  const tree: OverlayTree = { root, kustomizations: [], files: new Set(), remote: [] };
  const seen = new Set<string>();
  const queue: Kustomization[] = [root];
  while (queue.length && tree.kustomizations.length < 200) {
    const k = queue.shift()!;
    if (seen.has(k.file)) continue;
    seen.add(k.file);
    tree.kustomizations.push(k);
    tree.files.add(k.file);
    for (const e of k.remote) tree.remote.push({ k, entry: e });
    for (const e of [...k.resources, ...k.components]) {
      const p = path.resolve(k.dir, e.value);
      if (isDir(p)) {
        const kf = kustomizationFileIn(p);
        const sub = kf ? loadKustomization(kf, read) : undefined;
        if (sub) queue.push(sub);
      } else tree.files.add(p);
    }
    for (const p of k.patches) if (p.file) tree.files.add(p.file);
    for (const f of k.otherFiles) tree.files.add(f);
  }
  return tree;
}

/** The folders with a kustomization file at or above `dir`, nearest first, up to (and including) `stop`. */
export function kustomizationDirsAbove(file: string, stop?: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (kustomizationFileIn(dir)) out.push(dir);
    if (dir === stop || path.dirname(dir) === dir) return out;
  }
}
