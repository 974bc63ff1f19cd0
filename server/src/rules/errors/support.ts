// Shared helpers of the error rules: Kubernetes name syntax (apimachinery's validation package),
// label selectors, walking a StatefulSet's pod template. Plain functions, no state.
import type { Segment } from '../../schema';
import { arr, obj, str, type DocumentContext } from '../framework';
import { isPartialDocument } from '../../engine/partial';

/** How a bad pod template fails, for messages about template-level problems. */
export const TEMPLATE_FAILS =
  'rejected at create time by API servers ≥ 1.34 (which validate the pod template); older servers accept the StatefulSet but every pod creation fails';

/** The same for the claim templates (PVCs are created before the pods that use them). */
export const CLAIM_TEMPLATE_FAILS =
  'rejected at create time by API servers ≥ 1.34 (which validate the claim templates); older servers accept the StatefulSet but every PVC creation fails, so no pod starts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why a string is not a DNS-1123 label (≤ 63, lowercase alphanumerics and '-'), or undefined. */
export function dnsLabelProblem(s: string): string | undefined {
  if (s.length === 0) return 'it is empty';
  if (s.length > 63) return `it has ${s.length} characters (at most 63)`;
  if (!DNS1123_LABEL.test(s)) return 'it may contain only lowercase letters, digits and "-", and must start and end with a letter or digit';
  return undefined;
}

/** Why a string is not a DNS-1123 subdomain (≤ 253, dot-separated labels), or undefined. */
export function dnsSubdomainProblem(s: string): string | undefined {
  if (s.length === 0) return 'it is empty';
  if (s.length > 253) return `it has ${s.length} characters (at most 253)`;
  if (!DNS1123_SUBDOMAIN.test(s)) return 'it may contain only lowercase letters, digits, "-" and ".", and must start and end with a letter or digit';
  return undefined;
}

/** Why a string is not a DNS-1035 label (a DNS-1123 label that starts with a letter), or undefined. */
export function dns1035Problem(s: string): string | undefined {
  if (s.length === 0) return 'it is empty';
  if (s.length > 63) return `it has ${s.length} characters (at most 63)`;
  if (!DNS1035_LABEL.test(s)) return 'it may contain only lowercase letters, digits and "-", must start with a letter and end with a letter or digit';
  return undefined;
}

/** Why a string is not a qualified name (label/annotation key: optional DNS prefix + '/' + name), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  let name = key;
  if (parts.length > 2) return 'it may contain at most one "/" (an optional DNS prefix, then a name)';
  if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) return 'the prefix before "/" is empty';
    const p = dnsSubdomainProblem(prefix);
    if (p) return `its prefix "${prefix}" must be a DNS subdomain: ${p}`;
  }
  if (name.length === 0) return 'the name part is empty';
  if (name.length > 63) return `the name part has ${name.length} characters (at most 63)`;
  if (!QUALIFIED_NAME.test(name)) return 'the name part may contain only letters, digits, "-", "_" and ".", and must start and end with a letter or digit';
  return undefined;
}

/** Why a string is not a valid label value (≤ 63, same charset as a name, or empty), or undefined. */
export function labelValueProblem(v: string): string | undefined {
  if (v.length > 63) return `it has ${v.length} characters (at most 63)`;
  if (!LABEL_VALUE.test(v)) return 'it may contain only letters, digits, "-", "_" and ".", and must start and end with a letter or digit (or be empty)';
  return undefined;
}

/** Why a port name is not an IANA_SVC_NAME (≤ 15, lowercase alphanumerics and '-', one letter at least), or undefined. */
export function portNameProblem(n: string): string | undefined {
  if (n.length === 0) return 'it is empty';
  if (n.length > 15) return `it has ${n.length} characters (at most 15)`;
  if (!/^[-a-z0-9]+$/.test(n)) return 'it may contain only lowercase letters, digits and "-"';
  if (!/[a-z]/.test(n)) return 'it must contain at least one letter';
  if (n.startsWith('-') || n.endsWith('-')) return 'it may not start or end with "-"';
  if (n.includes('--')) return 'it may not contain "--"';
  return undefined;
}

/** Integer that is not a valid port number (1–65535)? */
export function badPortNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && (v < 1 || v > 65535);
}

/** Does a label selector (matchLabels + matchExpressions) select this label set? */
export function selectorMatches(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  const ml = obj(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(ml)) if (!has(k) || String(labels[k]) !== String(v)) return false;
  for (const e of arr(selector.matchExpressions)) {
    const r = obj(e);
    const key = str(r?.key);
    if (!r || key === undefined) return false;
    const values = arr(r.values).map(String);
    switch (r.operator) {
      case 'In':
        if (!has(key) || !values.includes(String(labels[key]))) return false;
        break;
      case 'NotIn':
        if (has(key) && values.includes(String(labels[key]))) return false;
        break;
      case 'Exists':
        if (!has(key)) return false;
        break;
      case 'DoesNotExist':
        if (has(key)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Is a label selector empty (selects everything, or nothing for some kinds)? */
export function selectorEmpty(selector: Record<string, unknown>): boolean {
  const ml = obj(selector.matchLabels);
  return (!ml || Object.keys(ml).length === 0) && arr(selector.matchExpressions).length === 0;
}

/** A matchExpressions entry of a label selector: what the API server says about it, if anything. */
export function labelSelectorRequirementProblems(
  r: Record<string, unknown>,
): Array<{ field: 'key' | 'operator' | 'values'; message: string }> {
  const out: Array<{ field: 'key' | 'operator' | 'values'; message: string }> = [];
  const key = str(r.key);
  if (key !== undefined) {
    const p = qualifiedNameProblem(key);
    if (p) out.push({ field: 'key', message: `The key "${key}" is not a valid label key: ${p}.` });
  }
  const op = r.operator;
  const values = r.values;
  const n = Array.isArray(values) ? values.length : 0;
  if (op === 'In' || op === 'NotIn') {
    if (n === 0) out.push({ field: values === undefined ? 'operator' : 'values', message: `Operator ${op} needs at least one value in "values".` });
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (n > 0) out.push({ field: 'values', message: `Operator ${op} takes no "values"; remove them.` });
  } else if (typeof op === 'string') {
    out.push({ field: 'operator', message: `"${op}" is not a label selector operator; use In, NotIn, Exists or DoesNotExist (case-sensitive).` });
  }
  if (Array.isArray(values)) {
    for (const v of values) {
      if (typeof v !== 'string') continue;
      const p = labelValueProblem(v);
      if (p) out.push({ field: 'values', message: `The value "${v}" is not a valid label value: ${p}.` });
    }
  }
  return out;
}

/** A container of the pod template with its path. */
export interface ContainerAt {
  c: Record<string, unknown>;
  path: Segment[];
  /** 'containers' | 'initContainers' */
  list: string;
}

export const POD_SPEC: Segment[] = ['spec', 'template', 'spec'];

/** The pod template's containers and init containers (ephemeral containers are not in templates). */
export function containersOf(ctx: DocumentContext): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of ['initContainers', 'containers']) {
    arr(ctx.get([...POD_SPEC, list])).forEach((c, i) => {
      const o = obj(c);
      if (o) out.push({ c: o, path: [...POD_SPEC, list, i], list });
    });
  }
  return out;
}

/** A message fragment with its first letter capitalised. */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How a container is named in messages: container "db", or containers[2]. */
export function containerLabel(at: ContainerAt): string {
  const n = str(at.c.name);
  return n ? `${at.list === 'initContainers' ? 'init container' : 'container'} "${n}"` : `${at.list}[${String(at.path[at.path.length - 1])}]`;
}

const partialCache = new WeakMap<object, boolean>();

/** Is this document a partial one (a Kustomize patch)? Rules that need the whole object skip it. */
export function isPartial(ctx: DocumentContext): boolean {
  let p = partialCache.get(ctx.value);
  if (p === undefined) {
    p = isPartialDocument(ctx.value);
    partialCache.set(ctx.value, p);
  }
  return p;
}

/** Negative integer? (Non-integers are the schema check's business.) */
export function negativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v < 0;
}

// Probes and lifecycle handlers of a container, with their paths.
export const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
export const HOOKS = ['postStart', 'preStop'] as const;

export interface HandlerAt {
  h: Record<string, unknown>;
  path: Segment[];
  /** livenessProbe … or postStart/preStop */
  name: string;
  probe: boolean;
}

export function handlersOf(at: ContainerAt): HandlerAt[] {
  const out: HandlerAt[] = [];
  for (const p of PROBES) {
    const h = obj(at.c[p]);
    if (h) out.push({ h, path: [...at.path, p], name: p, probe: true });
  }
  const lc = obj(at.c.lifecycle);
  for (const p of HOOKS) {
    const h = obj(lc?.[p]);
    if (h) out.push({ h, path: [...at.path, 'lifecycle', p], name: `lifecycle.${p}`, probe: false });
  }
  return out;
}
