// Forbidden updates: which changes between a StatefulSet file and the live object the API server
// refuses. Plain data in (the file's object, the live object), plain data out; the rule below puts
// each change at its position in the document.
import { quantityValue } from '../../engine/quantity';
import { typeDef, type Segment } from '../../schema';
import { obj, str, type Rule } from '../framework';
import { isPartial } from './util';
import { liveOwnerNote } from './liveOwner';

/** Spec fields an update may change (apps/v1 ValidateStatefulSetUpdate; newer servers also revisionHistoryLimit). */
export const MUTABLE_SPEC_FIELDS: readonly string[] = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
  'revisionHistoryLimit',
];

/** The API server's own words (k8s.io/kubernetes pkg/apis/apps/validation). */
export function forbiddenMessage(name: string): string {
  return (
    `StatefulSet.apps "${name}" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ` +
    `'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`
  );
}

/** Spec fields the schema knows that an update may not change (selector, serviceName, podManagementPolicy, volumeClaimTemplates …). */
export const IMMUTABLE_SPEC_FIELDS: readonly string[] = Object.keys(typeDef('apps.v1.StatefulSetSpec').properties).filter(
  (k) => !MUTABLE_SPEC_FIELDS.includes(k),
);

export interface ForbiddenChange {
  /** Path in the file's object (may not exist in the file when the change is a removal). */
  path: Segment[];
  /** The value in the file (undefined: absent) and in the live object, after defaulting. */
  file: unknown;
  live: unknown;
  message: string;
}

const MAX_CHANGES = 20;

type Json = unknown;

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Drops absent-equivalent values (null, {}, []) so that "not set" and "set empty" compare equal. */
function prune(v: Json): Json {
  if (Array.isArray(v)) {
    const a = v.map(prune);
    return a.length ? a : undefined;
  }
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null || v === '' ? undefined : v;
}

function canonicalQuantities(m: unknown): unknown {
  if (!isObj(m)) return m;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    const n = typeof v === 'string' || typeof v === 'number' ? quantityValue(v) : undefined;
    out[k] = n === undefined ? v : { quantity: n, text: v };
  }
  return out;
}

/** A claim template as the API server stores it: defaulted, without status and creation noise. */
function normalizeClaimTemplate(t: unknown): Json {
  if (!isObj(t)) return t;
  const c: Record<string, unknown> = { ...t };
  if (c.apiVersion === 'v1') delete c.apiVersion;
  if (c.kind === 'PersistentVolumeClaim') delete c.kind;
  delete c.status;
  if (isObj(c.metadata)) {
    const m = { ...c.metadata };
    for (const k of ['creationTimestamp', 'resourceVersion', 'uid', 'generation', 'managedFields', 'selfLink']) delete m[k];
    c.metadata = m;
  }
  if (isObj(c.spec)) {
    const s: Record<string, unknown> = { ...c.spec };
    if (s.volumeMode === undefined || s.volumeMode === null) s.volumeMode = 'Filesystem';
    if (isObj(s.resources)) s.resources = { ...s.resources, requests: canonicalQuantities(s.resources.requests), limits: canonicalQuantities(s.resources.limits) };
    c.spec = s;
  }
  return c;
}

/** The value of an immutable spec field after API-server defaulting. */
function normalizeField(field: string, v: unknown): Json {
  switch (field) {
    case 'podManagementPolicy':
      return v === undefined || v === null || v === '' ? 'OrderedReady' : v;
    case 'volumeClaimTemplates':
      return Array.isArray(v) ? prune(v.map(normalizeClaimTemplate)) : prune(v);
    case 'selector':
      if (isObj(v) && isObj(v.matchLabels)) {
        // label values are strings on the wire; YAML may give numbers
        const ml: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v.matchLabels)) ml[k] = x === null || typeof x === 'object' ? x : String(x);
        return prune({ ...v, matchLabels: ml });
      }
      return prune(v);
    default:
      return prune(v);
  }
}

function sameLeaf(a: unknown, b: unknown): boolean {
  if (isObj(a) && isObj(b) && 'quantity' in a && 'quantity' in b) return a.quantity === b.quantity;
  return a === b;
}

/** Leaf-level differences between the file's and the live value. */
function diff(a: Json, b: Json, path: Segment[], out: Array<{ path: Segment[]; file: unknown; live: unknown }>): void {
  if (out.length >= MAX_CHANGES) return;
  if (isObj(a) && isObj(b) && !('quantity' in a && 'quantity' in b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], [...path, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diff(x, b[i], [...path, i], out));
    return;
  }
  if (sameLeaf(a, b)) return;
  out.push({ path, file: a, live: b });
}

function show(v: unknown): string {
  if (v === undefined) return 'not set';
  if (isObj(v) && 'text' in v) return JSON.stringify(v.text);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function showPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function claimNames(v: unknown): string[] {
  return Array.isArray(v) ? v.map((t) => str(obj(obj(t)?.metadata)?.name) ?? '?') : [];
}

/**
 * The changes from `live` to `file` that the API server forbids on update, each with the API server's
 * message. Allowed changes (replicas, template, update strategy …) and API-server defaulting produce nothing.
 */
export function forbiddenUpdates(file: Record<string, unknown>, live: Record<string, unknown>): ForbiddenChange[] {
  const name = str(obj(live.metadata)?.name) ?? str(obj(file.metadata)?.name) ?? '';
  const fileSpec = obj(file.spec) ?? {};
  const liveSpec = obj(live.spec) ?? {};
  const refused = forbiddenMessage(name);
  const how = `Revert it, or delete the StatefulSet with --cascade=orphan (pods and PVCs stay) and create it again.`;
  const out: ForbiddenChange[] = [];
  for (const field of IMMUTABLE_SPEC_FIELDS) {
    const a = normalizeField(field, fileSpec[field]);
    const b = normalizeField(field, liveSpec[field]);
    if (field === 'volumeClaimTemplates') {
      const fa = claimNames(a);
      const fb = claimNames(b);
      if (fa.join('\u0000') !== fb.join('\u0000')) {
        const added = fa.filter((n) => !fb.includes(n));
        const removed = fb.filter((n) => !fa.includes(n));
        const what = [added.length ? `adds ${added.map((n) => `"${n}"`).join(', ')}` : '', removed.length ? `removes ${removed.map((n) => `"${n}"`).join(', ')}` : '']
          .filter(Boolean)
          .join(' and ') || 'reorders them';
        const firstAdded = added.length ? fa.indexOf(added[0]) : -1;
        out.push({
          path: firstAdded >= 0 ? ['spec', 'volumeClaimTemplates', firstAdded] : ['spec', 'volumeClaimTemplates'],
          file: fa,
          live: fb,
          message: `This file ${what} in spec.volumeClaimTemplates (live: ${fb.length ? fb.map((n) => `"${n}"`).join(', ') : 'none'}), and claim templates cannot change: kubectl apply fails with: ${refused}. ${how}`,
        });
        continue;
      }
    }
    const changes: Array<{ path: Segment[]; file: unknown; live: unknown }> = [];
    diff(a, b, ['spec', field], changes);
    for (const c of changes) {
      if (out.length >= MAX_CHANGES) break;
      const storage = c.path.length >= 2 && c.path[c.path.length - 2] === 'requests' && c.path[c.path.length - 1] === 'storage' && field === 'volumeClaimTemplates';
      const fix = storage
        ? `To grow the volumes, resize each PVC instead (its StorageClass must allow expansion), then delete the StatefulSet with --cascade=orphan and create it with the new size.`
        : how;
      out.push({
        ...c,
        message: `${showPath(c.path)} is ${show(c.file)} here but ${show(c.live)} in the live StatefulSet, and ${field} cannot change: kubectl apply fails with: ${refused}. ${fix}`,
      });
    }
  }
  return out;
}

export const forbiddenUpdate: Rule = {
  id: 'forbidden-update',
  severity: 'error',
  title: 'Change to an immutable StatefulSet field',
  doc:
    'Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds (and revisionHistoryLimit) may change on a live StatefulSet. ' +
    'Changing selector, serviceName, podManagementPolicy or volumeClaimTemplates (even a storage size) makes kubectl apply fail.',
  kinds: ['StatefulSet'],
  checkWithEnvironment(ctx, env) {
    if (isPartial(ctx)) return;
    const name = str(ctx.get(['metadata', 'name']));
    if (!name) return;
    const live = env.live('StatefulSet', str(ctx.get(['metadata', 'namespace'])), name);
    if (!live) return;
    // a managed live object: say so (the owner reverts a live apply anyway)
    const managed = liveOwnerNote(live);
    for (const c of forbiddenUpdates(ctx.value, live)) {
      const exists = ctx.node(c.path);
      const scalar = exists && c.file !== undefined && (typeof c.file !== 'object' || (c.file !== null && 'quantity' in (c.file as object)));
      ctx.report(c.path, managed ? `${c.message} The live object is ${managed}.` : c.message, { at: scalar ? 'value' : 'key' });
    }
  },
};
