// Server-side apply and field ownership (metadata.managedFields), the part of the API server's
// structured-merge-diff that clients see: each manager owns the fields it set (operation Apply for
// application/apply-patch+yaml, Update for create/update/patch); an apply that changes a field
// another manager owns is a 409 Conflict naming each field and its owner unless force=true; fields a
// manager applied before and no longer applies are removed when nobody else owns them.
import { parse as parseYaml } from 'yaml';
import { mergeKeyFor, strategicMerge } from './patch';
import { ApiError, badRequest, type Obj } from './status';

/** A field path: elements "f:name" (map key) and "k:{...}" (list item by merge key). */
type Path = string[];

const IGNORED_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

function isMap(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyOf(item: Obj, key: string): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

/** Every field path set in `obj` (leaves, plus list items as members of their own). */
export function fieldPaths(obj: Obj, opts: { includeStatus?: boolean } = {}): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path, field: string): void => {
    if (isMap(v)) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      if (entries.length === 0) out.push(path);
      for (const [k, x] of entries) walk(x, [...path, `f:${k}`], k);
      return;
    }
    if (Array.isArray(v)) {
      const key = mergeKeyFor(field, v);
      if (key && v.length && v.every((x) => isMap(x) && x[key] !== undefined)) {
        for (const item of v as Obj[]) {
          const p = [...path, keyOf(item, key)];
          out.push(p);
          for (const [k, x] of Object.entries(item)) if (x !== undefined) walk(x, [...p, `f:${k}`], k);
        }
        return;
      }
    }
    out.push(path); // scalar or atomic list
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && !opts.includeStatus) continue;
    if (k === 'metadata') {
      if (!isMap(v)) continue;
      for (const [mk, mv] of Object.entries(v)) if (!IGNORED_METADATA.has(mk) && mv !== undefined) walk(mv, ['f:metadata', `f:${mk}`], mk);
      continue;
    }
    walk(v, [`f:${k}`], k);
  }
  return out;
}

const enc = (p: Path): string => JSON.stringify(p);
const dec = (s: string): Path => JSON.parse(s);

/** The value at a path (undefined when absent). */
export function valueAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (el.startsWith('f:')) {
      if (!isMap(cur)) return undefined;
      cur = cur[el.slice(2)];
    } else {
      if (!Array.isArray(cur)) return undefined;
      const want = JSON.parse(el.slice(2)) as Obj;
      const [k, v] = Object.entries(want)[0];
      cur = cur.find((x) => isMap(x) && JSON.stringify(x[k]) === JSON.stringify(v));
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Remove the field at a path (a list item by key removes the item). */
function removeAt(obj: Obj, path: Path): void {
  let cur: unknown = obj;
  for (let i = 0; i < path.length - 1; i++) {
    cur = valueAt(cur, [path[i]]);
    if (cur === undefined) return;
  }
  const last = path[path.length - 1];
  if (last.startsWith('f:') && isMap(cur)) delete cur[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(cur)) {
    const idx = cur.findIndex((x) => x === valueAt(cur, [last]));
    if (idx >= 0) cur.splice(idx, 1);
  }
}

/** ".spec.template.spec.containers[name="web"].image", as the API server writes conflicting fields. */
export function pathString(path: Path): string {
  return path
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      const o = JSON.parse(el.slice(2)) as Obj;
      return `[${Object.entries(o)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** fieldsV1 (the nested {"f:spec":{"f:replicas":{}}} form) from paths, and back. */
export function toFieldsV1(paths: Path[]): Obj {
  const root: Obj = {};
  for (const p of paths) {
    let cur = root;
    for (const el of p) cur = cur[el] ??= {};
    if (p.length && p[p.length - 1].startsWith('k:')) cur['.'] = {};
  }
  return root;
}

export function fromFieldsV1(f: Obj | undefined): Path[] {
  const out: Path[] = [];
  const walk = (node: Obj, path: Path): void => {
    const keys = Object.keys(node).filter((k) => k !== '.');
    if ('.' in node || keys.length === 0) if (path.length) out.push(path);
    for (const k of keys) walk(node[k], [...path, k]);
  };
  if (f) walk(f, []);
  return out;
}

interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

function entries(obj: Obj | undefined): Entry[] {
  return Array.isArray(obj?.metadata?.managedFields) ? structuredClone(obj!.metadata.managedFields) : [];
}

function isLeafEqual(a: unknown, b: unknown): boolean {
  if (isMap(a) && isMap(b)) return true; // containers (map/list item members) never conflict themselves
  return JSON.stringify(a) === JSON.stringify(b);
}

function put(list: Entry[], e: Omit<Entry, 'fieldsType' | 'fieldsV1'>, paths: Path[]): Entry[] {
  const rest = list.filter((x) => !(x.manager === e.manager && x.operation === e.operation && (x.subresource ?? '') === (e.subresource ?? '')));
  if (paths.length === 0) return rest;
  const entry: Entry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths), ...(e.subresource ? { subresource: e.subresource } : {}) };
  const idx = list.findIndex((x) => x.manager === e.manager && x.operation === e.operation && (x.subresource ?? '') === (e.subresource ?? ''));
  if (idx >= 0) {
    const out = [...rest];
    out.splice(Math.min(idx, out.length), 0, entry);
    return out;
  }
  return [...rest, entry];
}

function withoutPaths(list: Entry[], drop: Set<string>, except?: (e: Entry) => boolean): Entry[] {
  const out: Entry[] = [];
  for (const e of list) {
    if (except?.(e)) {
      out.push(e);
      continue;
    }
    const kept = fromFieldsV1(e.fieldsV1).filter((p) => !drop.has(enc(p)));
    if (kept.length) out.push({ ...e, fieldsV1: toFieldsV1(kept) });
  }
  return out;
}

/** Record an Update by `manager`: the fields it changed become its own (and no one else's). */
export function trackUpdate(old: Obj | undefined, next: Obj, manager: string, time: string, subresource?: string): void {
  const before = new Map((old ? fieldPaths(old, { includeStatus: subresource === 'status' }) : []).map((p) => [enc(p), p]));
  const after = fieldPaths(next, { includeStatus: subresource === 'status' });
  const afterSet = new Set(after.map(enc));
  const changed = after.filter((p) => !before.has(enc(p)) || !isLeafEqual(valueAt(old, p), valueAt(next, p)));
  const removed = [...before.keys()].filter((k) => !afterSet.has(k));
  let list = entries(old);
  if (changed.length || removed.length) {
    const drop = new Set([...changed.map(enc), ...removed]);
    list = withoutPaths(list, drop);
    const mine = list.find((e) => e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? ''));
    const paths = [...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed];
    list = put(list, { manager, operation: 'Update', apiVersion: next.apiVersion ?? old?.apiVersion, time, subresource }, dedupe(paths));
  }
  next.metadata ??= {};
  if (list.length) next.metadata.managedFields = list;
  else delete next.metadata.managedFields;
}

function dedupe(paths: Path[]): Path[] {
  const m = new Map(paths.map((p) => [enc(p), p]));
  return [...m.values()];
}

/** Parse an apply-patch body (YAML or JSON). */
export function parseApplyBody(body: string): Obj {
  let o: unknown;
  try {
    o = parseYaml(body);
  } catch (e) {
    throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (!isMap(o)) throw badRequest('apply patch must be a single YAML or JSON object');
  return o;
}

export interface ApplyResult {
  object: Obj;
  created: boolean;
}

export interface Conflict {
  field: string;
  manager: string;
  apiVersion: string;
}

function conflictError(kind: string, name: string, conflicts: Conflict[]): ApiError {
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) byManager.set(`${c.manager}\u0000${c.apiVersion}`, [...(byManager.get(`${c.manager}\u0000${c.apiVersion}`) ?? []), c]);
  const parts = [...byManager.values()].map((cs) =>
    cs.length === 1
      ? `conflict with "${cs[0].manager}" using ${cs[0].apiVersion}: ${cs[0].field}`
      : `conflicts with "${cs[0].manager}" using ${cs[0].apiVersion}:\n${cs.map((c) => `- ${c.field}`).join('\n')}`,
  );
  const n = conflicts.length;
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.field })),
    ...(name ? { name } : {}),
    kind,
  });
}

/**
 * Server-side apply of `config` by `manager` onto `live` (undefined: the object does not exist).
 * Returns the object to store (validation is the caller's), or throws the 409 Conflict.
 */
export function serverSideApply(
  live: Obj | undefined,
  config: Obj,
  manager: string,
  force: boolean,
  time: string,
  resource: string,
  /** The API server's defaulting: conflicts compare the defaulted result with the live object. */
  defaults: (o: Obj) => void = () => {},
): ApplyResult {
  if (!manager) throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', { causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] });
  if (config.metadata?.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  const applied = dedupe(fieldPaths(config));
  const apiVersion = String(config.apiVersion ?? live?.apiVersion ?? '');
  const mineKey = (e: Entry) => e.manager === manager && e.operation === 'Apply';
  if (!live) {
    const object = structuredClone(config);
    object.metadata ??= {};
    object.metadata.managedFields = put([], { manager, operation: 'Apply', apiVersion, time }, applied);
    return { object, created: true };
  }
  let list = entries(live);
  const { metadata: _m, ...configRest } = config;
  const merged = strategicMerge(live, { ...configRest, metadata: metadataPatch(config.metadata) }) as Obj;
  const defaulted = structuredClone(merged);
  defaults(defaulted);
  const conflicts: Conflict[] = [];
  const taken = new Set<string>();
  for (const e of list) {
    if (mineKey(e)) continue; // the same manager's Update entries are other managers here, as in the API server
    const owned = new Set(fromFieldsV1(e.fieldsV1).map(enc));
    for (const p of applied) {
      if (!owned.has(enc(p))) continue;
      if (isLeafEqual(valueAt(live, p), valueAt(defaulted, p))) continue;
      conflicts.push({ field: pathString(p), manager: e.subresource ? `${e.manager}" with subresource "${e.subresource}` : e.manager, apiVersion: e.apiVersion });
      taken.add(enc(p));
    }
  }
  if (conflicts.length && !force) throw conflictError(resource, live.metadata?.name ?? '', conflicts);
  if (taken.size) list = withoutPaths(list, taken, mineKey);
  const previous = list.find(mineKey);
  const appliedSet = new Set(applied.map(enc));
  const object = merged;
  object.metadata.name = live.metadata.name;
  // fields this manager applied before and no longer does: gone, unless someone else owns them
  if (previous) {
    const others = new Set(list.filter((e) => !mineKey(e)).flatMap((e) => fromFieldsV1(e.fieldsV1).map(enc)));
    const dropped = fromFieldsV1(previous.fieldsV1)
      .filter((p) => !appliedSet.has(enc(p)) && !others.has(enc(p)))
      // deepest first so that a list item goes after its fields
      .sort((a, b) => b.length - a.length);
    for (const p of dropped) if (!applied.some((q) => q.length > p.length && enc(q.slice(0, p.length)) === enc(p))) removeAt(object, p);
  }
  object.metadata.managedFields = put(list, { manager, operation: 'Apply', apiVersion, time }, applied);
  return { object, created: false };
}

function metadataPatch(md: Obj | undefined): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(md ?? {})) if (!IGNORED_METADATA.has(k)) out[k] = v;
  return out;
}
