// Shared helpers of the best-practice rules: label selection, the pod template's containers, and
// finding related objects (Services, PodDisruptionBudgets) in the file and the workspace.
import { isPartialDocument } from '../../engine/partial';
import type { Segment } from '../../schema';
import { arr, keptObjects, obj, str, type DocumentContext, type FileEnvironment, type IndexedObject } from '../framework';
import { fileNamespaceOf, namespaceMatches, nearest } from './resolve';

export type Labels = Record<string, string>;

/** A label map as strings (YAML may give numbers or booleans as values). */
export function labelsOf(v: unknown): Labels {
  const out: Labels = {};
  const o = obj(v);
  if (!o) return out;
  for (const [k, x] of Object.entries(o)) if (x !== null && x !== undefined && typeof x !== 'object') out[k] = String(x);
  return out;
}

export function templateLabels(ctx: DocumentContext): Labels {
  return labelsOf(ctx.get(['spec', 'template', 'metadata', 'labels']));
}

/** `a=1, b=2` for messages. */
export function showLabels(l: Labels): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** Does a map selector (a Service's spec.selector) select pods with these labels? Empty selects nothing. */
export function mapSelects(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/**
 * Does a metav1.LabelSelector select pods with these labels? An empty selector selects everything,
 * null (absent) nothing, as for a policy/v1 PodDisruptionBudget. Unknown operators select nothing.
 */
export function labelSelectorSelects(selector: unknown, labels: Labels): boolean {
  const s = obj(selector);
  if (!s) return false;
  for (const [k, v] of Object.entries(labelsOf(s.matchLabels))) if (labels[k] !== v) return false;
  for (const e of arr(s.matchExpressions)) {
    const x = obj(e);
    const key = str(x?.key);
    if (!x || key === undefined) return false;
    const values = arr(x.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (x.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The replicas the StatefulSet asks for (absent means 1, as the API server defaults it). */
export function replicasOf(ctx: DocumentContext): number | undefined {
  const r = ctx.get(['spec', 'replicas']);
  if (r === undefined || r === null) return 1;
  return typeof r === 'number' && Number.isInteger(r) ? r : undefined;
}

export interface ContainerRef {
  path: Segment[];
  name: string;
  value: Record<string, unknown>;
  init: boolean;
}

/** The template's containers (and init containers when asked), with their paths. */
export function containersOf(ctx: DocumentContext, withInit: boolean): ContainerRef[] {
  const out: ContainerRef[] = [];
  const lists: Array<['containers' | 'initContainers', boolean]> = withInit ? [['initContainers', true], ['containers', false]] : [['containers', false]];
  for (const [list, init] of lists) {
    arr(ctx.get(['spec', 'template', 'spec', list])).forEach((c, i) => {
      const value = obj(c);
      if (value) out.push({ path: ['spec', 'template', 'spec', list, i], name: str(value.name) ?? `#${i + 1}`, value, init });
    });
  }
  return out;
}

/** Report inside a container: at `field` if it exists, else at the container's name. */
export function containerAnchor(ctx: DocumentContext, c: ContainerRef, field: Segment[]): Segment[] {
  const full = [...c.path, ...field];
  for (let n = full.length; n > c.path.length; n--) {
    if (ctx.node(full.slice(0, n))) return full.slice(0, n);
  }
  return ctx.node([...c.path, 'name']) ? [...c.path, 'name'] : c.path;
}

/** Namespaces match when equal, or when either is unset (it takes the namespace kubectl applies it to). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Per array of a file's objects, its objects of each kind asked for. */
const ofKindCache = new WeakMap<readonly IndexedObject[], Map<string, IndexedObject[]>>();

/**
 * The objects of a kind among a file's: the same array as for the file's objects before an edit when the
 * edit changed no object of that kind (framework.ts keptObjects), so what is cached for it stays.
 */
function ofKind(objects: readonly IndexedObject[], kind: string): IndexedObject[] {
  let byKind = ofKindCache.get(objects);
  if (!byKind) ofKindCache.set(objects, (byKind = new Map()));
  let list = byKind.get(kind);
  if (list) return list;
  const kept = keptObjects(objects);
  const before = kept && ofKindCache.get(kept.before)?.get(kind);
  if (kept && before) {
    const changed = (xs: readonly IndexedObject[], from: number, to: number) => {
      for (let i = from; i < to; i++) if (xs[i].kind === kind) return true;
      return false;
    };
    if (!changed(kept.before, kept.head, kept.before.length - kept.tail) && !changed(objects, kept.head, objects.length - kept.tail)) list = before;
  }
  list ??= objects.filter((x) => x.kind === kind);
  byKind.set(kind, list);
  return list;
}

/** Per list of a file's objects of a kind, the file's and the workspace's together, while the workspace is the same (its version). */
const allCache = new WeakMap<readonly IndexedObject[], { version: () => number; at: number; uri: string; all: IndexedObject[] }>();

/** Objects of a kind in this file and the workspace (other files), in every namespace. */
export function allNamespaces(env: FileEnvironment, kind: string): IndexedObject[] {
  const mine = ofKind(env.fileObjects, kind);
  const at = env.version?.();
  const known = allCache.get(mine);
  // (the same environment function, the same version: the workspace has not changed since)
  if (known && env.version === known.version && at === known.at && known.uri === env.uri) return known.all;
  const others = env.workspace(kind).filter((x) => x.uri !== env.uri && x.kind === kind);
  const all = others.length ? [...mine, ...others] : mine;
  if (env.version && at !== undefined) allCache.set(mine, { version: env.version, at, uri: env.uri, all });
  return all;
}

/**
 * Objects of a kind in this file and the workspace that may be in the namespace `ns` of the document
 * (unset: its file's namespace, else unknown, which matches only within the same folder tree).
 */
export function related(env: FileEnvironment, kind: string, ns: string | undefined): IndexedObject[] {
  const mine = ns ?? fileNamespaceOf(env.fileObjects);
  return allNamespaces(env, kind).filter((o) => namespaceMatches(env.uri, mine, o, env.roots));
}

const namedCache = new WeakMap<IndexedObject[], Map<string, IndexedObject[]>>();

/**
 * The object of a kind named `name` that the document means, in its namespace `ns`: the one in the
 * same file, else the nearest (resolve.ts). Several when equally near; the first is the one to use
 * (and to name in messages).
 */
export function relatedNamed(env: FileEnvironment, kind: string, ns: string | undefined, name: string): IndexedObject[] {
  const all = allNamespaces(env, kind);
  let byName = namedCache.get(all);
  if (!byName) {
    byName = new Map();
    for (const o of all) if (o.name !== undefined) byName.set(o.name, [...(byName.get(o.name) ?? []), o]);
    namedCache.set(all, byName);
  }
  const mine = ns ?? fileNamespaceOf(env.fileObjects);
  return nearest(env.uri, (byName.get(name) ?? []).filter((o) => namespaceMatches(env.uri, mine, o, env.roots)));
}

export function namespaceOf(ctx: DocumentContext): string | undefined {
  return str(ctx.get(['metadata', 'namespace']));
}

export function nameOf(ctx: DocumentContext): string | undefined {
  return str(ctx.get(['metadata', 'name']));
}

/** A Kustomize patch or other overlay: rules that need the whole object (containers, affinity, labels) skip it. */
export function isPartial(ctx: DocumentContext): boolean {
  return isPartialDocument(ctx.doc);
}

/**
 * What the StatefulSet says about its replica count: a number, 'unset' (an autoscaler or the
 * operator may own it, so it may be more than one), or undefined when it is not an integer.
 */
export function declaredReplicas(ctx: DocumentContext): number | 'unset' | undefined {
  const r = ctx.get(['spec', 'replicas']);
  if (r === undefined || r === null) return 'unset';
  return typeof r === 'number' && Number.isInteger(r) ? r : undefined;
}

/** "3 replicas" or "replicas not set (an autoscaler may scale it)" for messages. */
export function showReplicas(r: number | 'unset'): string {
  return r === 'unset' ? 'replicas is not set (an autoscaler or operator may scale it past one)' : `${r} replicas`;
}

/** A sidecar: an init container with restartPolicy Always runs for the pod's whole life. */
export function isSidecar(c: ContainerRef): boolean {
  return c.init && c.value.restartPolicy === 'Always';
}

/** The container's securityContext field, else the pod's (for the fields a PodSecurityContext has). */
export function securityField(ctx: DocumentContext, c: ContainerRef, field: string, podLevel: boolean): unknown {
  const own = obj(c.value.securityContext)?.[field];
  if (own !== undefined && own !== null) return own;
  return podLevel ? obj(ctx.get(['spec', 'template', 'spec', 'securityContext']))?.[field] : undefined;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and 2 more`. */
export function showNames(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  if (q.length <= 1) return q.join('');
  if (q.length <= 3) return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
  return `${q.slice(0, 2).join(', ')} and ${q.length - 2} more`;
}

/** The role of a container in messages: a short init container, a sidecar (restartPolicy Always) or a container. */
export function roleOf(c: ContainerRef): 'init container' | 'sidecar' | 'container' {
  return !c.init ? 'container' : isSidecar(c) ? 'sidecar' : 'init container';
}

/** Every name quoted, none left out: `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function listNames(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/**
 * The containers named in a message, grouped by role in document order of the roles' first members:
 * `container "a"`, `containers "a" and "b", init container "c"`. With `capital`, the first letter is upper case.
 */
export function describeContainers(cs: readonly ContainerRef[], capital = false): string {
  const groups = new Map<string, string[]>();
  for (const c of cs) {
    const role = roleOf(c);
    groups.set(role, [...(groups.get(role) ?? []), c.name]);
  }
  const parts = [...groups].map(([role, names]) => `${role}${names.length > 1 ? 's' : ''} ${listNames(names)}`);
  const s = parts.join(', ');
  return capital ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** `a`, `a and b`, `a, b and c`. */
export function listPhrases(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Reports a resource finding once per StatefulSet, naming every container (containers, sidecars and
 * init containers) that lacks it; the finding sits on the first of them.
 */
export function reportResource(
  ctx: DocumentContext,
  lacks: (c: ContainerRef) => boolean,
  field: Segment[],
  message: (what: string, plural: boolean) => string,
): void {
  const all = containersOf(ctx, true).filter(lacks);
  if (!all.length) return;
  ctx.report(containerAnchor(ctx, all[0], field), message(describeContainers(all, true), all.length > 1));
}
