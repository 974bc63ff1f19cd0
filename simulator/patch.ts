// The three patch types kubectl and @kubernetes/client-node send: JSON patch (RFC 6902, through
// fast-json-patch), JSON merge patch (RFC 7386) and the strategic-merge subset used for
// StatefulSets, pods and services ($patch: replace/delete, $retainKeys, $setElementOrder,
// $deleteFromPrimitiveList, lists merged by key such as containers by name).
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { badRequest, unsupportedMediaType, ApiError, type Obj } from './status';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function isMap(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Obj = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of lists by field name (the subset of the Kubernetes schema the simulator needs). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
  resourceClaims: 'name',
  topologySpreadConstraints: 'topologyKey',
};

export function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    // container ports merge by containerPort, service ports by port
    const first = items.find(isMap);
    if (first && 'containerPort' in first) return 'containerPort';
    if (first && 'port' in first) return 'port';
    return undefined;
  }
  return MERGE_KEYS[field];
}

/** Merges primitive lists of these fields as sets ($deleteFromPrimitiveList applies to them). */
const SET_LISTS = new Set(['finalizers']);

function smpList(field: string, orig: unknown, patch: unknown[]): unknown[] {
  const replaceIdx = patch.findIndex((x) => isMap(x) && x.$patch === 'replace');
  if (replaceIdx >= 0) return structuredClone(patch.filter((_, i) => i !== replaceIdx));
  const base = Array.isArray(orig) ? orig : [];
  if (SET_LISTS.has(field)) {
    const out = [...base];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = mergeKeyFor(field, [...patch, ...base]);
  if (!key) return structuredClone(patch);
  const out: unknown[] = base.map((x) => structuredClone(x));
  for (const item of patch) {
    if (!isMap(item)) {
      out.push(item);
      continue;
    }
    const idx = out.findIndex((o) => isMap(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(strategicMerge(undefined, item));
  }
  return out;
}

export function strategicMerge(orig: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return strategicMerge(undefined, rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Obj = isMap(orig) ? { ...orig } : {};
  const retainKeys: string[] | undefined = Array.isArray(patch.$retainKeys) ? patch.$retainKeys : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(v)) out[field] = out[field].filter((x: unknown) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    let next: unknown;
    if (Array.isArray(v)) next = smpList(k, out[k], v);
    else if (isMap(v)) next = strategicMerge(out[k], v);
    else next = v;
    if (next === undefined) delete out[k];
    else out[k] = next;
  }
  if (retainKeys) for (const k of Object.keys(out)) if (!retainKeys.includes(k) && !(k in patch)) delete out[k];
  return out;
}

export function jsonPatch(target: Obj, ops: unknown): Obj {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    return fastJsonPatch.applyPatch(structuredClone(target), ops as Operation[], true, false)
      .newDocument as Obj;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (/test/i.test(msg)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${msg}`);
    throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${msg}`);
  }
}

/** Apply a patch body of the given Content-Type to an object. */
export function applyPatch(target: Obj, contentType: string, body: string): Obj {
  const ct = contentType.split(';')[0].trim().toLowerCase();
  if (!PATCH_TYPES.includes(ct) || ct === 'application/apply-patch+yaml') {
    if (ct === 'application/apply-patch+yaml')
      throw new ApiError(415, 'UnsupportedMediaType', 'server-side apply is not supported by the simulator');
    throw unsupportedMediaType(ct, PATCH_TYPES);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw badRequest(`error decoding patch: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (ct === 'application/json-patch+json') return jsonPatch(target, parsed);
  if (!isMap(parsed)) throw badRequest('patch body must be a JSON object');
  if (ct === 'application/merge-patch+json') return mergePatch(target, parsed) as Obj;
  return strategicMerge(target, parsed) as Obj;
}
