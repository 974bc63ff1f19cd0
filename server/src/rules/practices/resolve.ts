// Which object a person means when a StatefulSet names a Service (or a PodDisruptionBudget selects
// its pods) and several files hold one: the same file wins; then the same folder; then the nearest
// folder up whose tree holds one (a Kustomize overlay finds its base next door before a same-named
// object elsewhere); then the rest of the workspace. Namespaces: an object without one is in the
// namespace of its file's other objects (when they agree on one), else its namespace is unknown, and
// an unknown namespace matches only within the same folder tree.
import type { IndexedObject } from '../framework';

/** A file URI or path with forward slashes. */
function slashed(uri: string): string {
  return uri.includes('\\') ? uri.replace(/\\/g, '/') : uri;
}

/** The folder part of a file URI or path. */
export function folderOf(uri: string): string {
  const u = slashed(uri);
  const i = u.lastIndexOf('/');
  return i < 0 ? '' : u.slice(0, i);
}

function normalRoot(r: string): string {
  const s = slashed(r).replace(/\/+$/, '').replace(/^\.\//, '');
  return s === '.' ? '' : s;
}

/**
 * Are two files in the same folder tree? When one's folder holds the other's, or when they share a
 * folder below a workspace folder (a Kustomize overlay and its base under the same application).
 */
export function sameTree(a: string, b: string, roots: readonly string[] = []): boolean {
  const x = folderOf(a);
  const y = folderOf(b);
  if (x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`)) return true;
  const xs = x.split('/');
  const ys = y.split('/');
  let n = 0;
  while (n < xs.length && n < ys.length && xs[n] === ys[n]) n++;
  const common = xs.slice(0, n).join('/');
  if (!common) return false;
  return roots.some((r) => {
    const root = normalRoot(r);
    return root === '' ? !/^(file:\/\/)?$/.test(common) && !common.startsWith('/') : common.startsWith(`${root}/`);
  });
}

/**
 * How near `to` is to `from`: the same file beats everything, then the same folder, then the deeper
 * the folder both sit under, the nearer.
 */
export function nearness(from: string, to: string): number {
  if (from === to) return Number.POSITIVE_INFINITY;
  const a = folderOf(from).split('/');
  const b = folderOf(to).split('/');
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n * 2 + (n === a.length && n === b.length ? 1 : 0);
}

/** The namespace the objects of a file agree on (those that state one), if exactly one. */
export function fileNamespaceOf(objects: readonly Pick<IndexedObject, 'namespace'>[]): string | undefined {
  let ns: string | undefined;
  for (const o of objects) {
    if (o.namespace === undefined) continue;
    if (ns !== undefined && ns !== o.namespace) return undefined;
    ns = o.namespace;
  }
  return ns;
}

/** An object's namespace: its own, else its file's, else unknown. */
export function namespaceOfObject(o: IndexedObject): string | undefined {
  return o.namespace ?? o.fileNamespace;
}

/** Can `o` be in the namespace `ns` of an object of file `fromUri` (undefined: unknown)? */
export function namespaceMatches(fromUri: string, ns: string | undefined, o: IndexedObject, roots?: readonly string[]): boolean {
  const theirs = namespaceOfObject(o);
  if (ns !== undefined && theirs !== undefined) return ns === theirs;
  return o.uri === fromUri || sameTree(fromUri, o.uri, roots);
}

/** The nearest of the candidates (all of them when equally near, in a stable order; the first is the one used). */
export function nearest(fromUri: string, candidates: readonly IndexedObject[]): IndexedObject[] {
  let best = Number.NEGATIVE_INFINITY;
  let out: IndexedObject[] = [];
  for (const o of candidates) {
    const n = nearness(fromUri, o.uri);
    if (n > best) {
      best = n;
      out = [o];
    } else if (n === best) out.push(o);
  }
  return out.length > 1 ? [...out].sort((x, y) => (x.uri < y.uri ? -1 : x.uri > y.uri ? 1 : 0)) : out;
}

function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return slashed(uri);
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The file of `o` relative to the folder of `fromUri`, for messages ("../base/service.yaml"). */
export function relativeFile(fromUri: string, o: Pick<IndexedObject, 'uri'>): string {
  const from = folderOf(pathOf(fromUri)).split('/');
  const to = pathOf(o.uri).split('/');
  let n = 0;
  while (n < from.length && n < to.length - 1 && from[n] === to[n]) n++;
  const up = from.length - n;
  if (n === 0 && from.length > 1) return pathOf(o.uri); // nothing in common: the whole path
  return [...Array(up).fill('..'), ...to.slice(n)].join('/');
}

/** " (in ../base/service.yaml)" when the object is in another file, else "". */
export function inOtherFile(fromUri: string, o: Pick<IndexedObject, 'uri'>): string {
  return o.uri === fromUri ? '' : ` (in ${relativeFile(fromUri, o)})`;
}
