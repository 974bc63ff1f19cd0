// Recognises partial documents: Kustomize strategic-merge patches (and other overlays) that state only
// the fields they change. Checks that need the whole object (required fields, selector vs template,
// volume references, containers present) skip them; checks of the values that are there still run.
import type { ParsedDocument } from './document';

/** Strategic-merge-patch directives: a document with any of these keys is a patch. */
const DIRECTIVE = /^\$(patch|setElementOrder\/.+|retainKeys|deleteFromPrimitiveList\/.+)$/;

const MAX_WALK = 5000;

/** Is this map key a strategic-merge-patch directive (`$patch`, `$setElementOrder/containers` …)? */
export function isPatchDirectiveKey(key: string): boolean {
  return key.startsWith('$') && DIRECTIVE.test(key);
}

function hasDirective(v: unknown, budget: { n: number }): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (--budget.n < 0) return false;
  if (Array.isArray(v)) return v.some((x) => hasDirective(x, budget));
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (DIRECTIVE.test(k)) return true;
    if (hasDirective(x, budget)) return true;
  }
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isParsed(d: unknown): d is ParsedDocument {
  return isRecord(d) && 'lines' in d && 'ours' in d && 'text' in d;
}

const parsedCache = new WeakMap<object, boolean>();

/**
 * Is this a partial document (a patch) rather than a whole object?
 * - it has a strategic-merge directive (`$patch`, `$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…`), or
 * - it is a StatefulSet without `spec.selector` that also lacks template labels or a container with an
 *   image: a whole StatefulSet needs all of these (the API server refuses it otherwise), so such a
 *   document is an overlay, like Kustomize's `metadata.name` + `spec.replicas` patch or a patch that adds
 *   a pod label or sets a container's resources. A whole StatefulSet that only forgot its selector still
 *   has template labels and containers with images, and is checked in full.
 */
export function isPartialDocument(doc: ParsedDocument | Record<string, unknown> | undefined): boolean {
  if (!doc) return false;
  let value: unknown = doc;
  if (isParsed(doc)) {
    const cached = parsedCache.get(doc);
    if (cached !== undefined) return cached;
    try {
      value = doc.yaml && !doc.template ? doc.yaml.toJS({ maxAliasCount: 100 }) : undefined;
    } catch {
      value = undefined;
    }
    const r = isPartialValue(value);
    parsedCache.set(doc, r);
    return r;
  }
  return isPartialValue(value);
}

function isPartialValue(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (hasDirective(v, { n: MAX_WALK })) return true;
  if (v.kind !== 'StatefulSet') return false;
  const spec = isRecord(v.spec) ? v.spec : undefined;
  if (spec && spec.selector !== undefined && spec.selector !== null) return false;
  const template = spec && isRecord(spec.template) ? spec.template : undefined;
  const meta = template && isRecord(template.metadata) ? template.metadata : undefined;
  const labels = meta && isRecord(meta.labels) ? meta.labels : undefined;
  if (!labels || Object.keys(labels).length === 0) return true;
  const podSpec = template && isRecord(template.spec) ? template.spec : undefined;
  const containers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  return !containers.some((c) => isRecord(c) && typeof c.image === 'string' && c.image !== '');
}
