// One label of an app as it appears in every place that must agree: the StatefulSet's selector and pod
// template labels, the Services and PodDisruptionBudgets that select its pods, and the (anti-)affinity and
// topology spread selectors of its own pod template. Used by go to definition (matchLabels ↔ template
// labels), find references and rename.
import type { IndexedObject } from '../rules/framework';
import { labelSelectorSelects, labelsOf, mapSelects } from '../rules/practices/util';
import type { Segment } from '../schema';
import { objectsOf, type AnalyzedDocument, type FileAnalysis } from './analyzer';
import { candidates, documentOf, expand, fileOf, siteAt, uniqueSites, type Site, type WorkspaceView } from './related';
import { matches, nodePathAt, valueAt, type Position } from './yamlNodes';

const POD = ['spec', 'template', 'spec'];
const TEMPLATE_LABELS = ['spec', 'template', 'metadata', 'labels'];
/** LabelSelectors of a StatefulSet: its own, and those of its pods' (anti-)affinity and spread constraints. */
const STS_SELECTORS = [
  ['spec', 'selector'],
  ...['podAntiAffinity', 'podAffinity'].flatMap((a) => [
    [...POD, 'affinity', a, 'requiredDuringSchedulingIgnoredDuringExecution', '#', 'labelSelector'],
    [...POD, 'affinity', a, 'preferredDuringSchedulingIgnoredDuringExecution', '#', 'podAffinityTerm', 'labelSelector'],
  ]),
  [...POD, 'topologySpreadConstraints', '#', 'labelSelector'],
];

export interface LabelTarget {
  key: string;
  value: string;
  /** Whether the cursor is on the label's key or its value. */
  part: 'key' | 'value';
  /** The scalar under the cursor. */
  origin: Site;
  /** The StatefulSets whose pods carry this label (whose selectors and selecting objects change with it). */
  anchors: Array<{ object: IndexedObject; doc: AnalyzedDocument }>;
  /** The origin is in a StatefulSet's pod template labels. */
  inTemplate: boolean;
}

function asLabel(v: unknown): string | undefined {
  return v !== null && v !== undefined && typeof v !== 'object' ? String(v) : undefined;
}

/** `path` is `<selector>.matchLabels.<key>` for one of the patterns. */
function inMatchLabels(path: readonly Segment[], selectors: string[][]): boolean {
  return selectors.some((p) => path.length === p.length + 2 && matches(path.slice(0, p.length), p) && path[p.length] === 'matchLabels');
}

/** StatefulSets (this file, then the workspace) in a namespace whose template labels satisfy `selects`. */
function statefulSets(file: FileAnalysis, uri: string, ws: WorkspaceView, ns: string | undefined, selects: (labels: Record<string, string>) => boolean): LabelTarget['anchors'] {
  const out: LabelTarget['anchors'] = [];
  for (const o of candidates(file, uri, ws, 'StatefulSet', ns)) {
    const f = fileOf(o, file, uri, ws);
    const doc = f && documentOf(f, o);
    if (doc?.value && selects(labelsOf(valueAt(doc.value, TEMPLATE_LABELS)))) out.push({ object: o, doc });
  }
  return out;
}

/** The label under the cursor, when it is one of an app's selectors or template labels. */
export function labelTarget(file: FileAnalysis, uri: string, pos: Position, ws: WorkspaceView): LabelTarget | undefined {
  const at = nodePathAt(file, pos);
  const v = at?.doc.value;
  if (!at || !v || !at.scalar) return undefined;
  const key = at.path[at.path.length - 1];
  const value = asLabel(valueAt(v, at.path));
  if (typeof key !== 'string' || value === undefined) return undefined;
  const origin = siteAt(uri, at.doc, at.path, at.onKey ? 'key' : 'value');
  if (!origin) return undefined;
  const ns = typeof valueAt(v, ['metadata', 'namespace']) === 'string' ? (valueAt(v, ['metadata', 'namespace']) as string) : undefined;
  const base = { key, value, part: at.onKey ? ('key' as const) : ('value' as const), origin };
  // this StatefulSet itself (no need to read the workspace)
  const self = (): LabelTarget['anchors'] => {
    const object = objectsOf(file, uri).find((o) => o.value === v);
    return object ? [{ object, doc: at.doc }] : [];
  };
  if (v.kind === 'StatefulSet') {
    const inTemplate = matches(at.path, [...TEMPLATE_LABELS, '*']);
    if (!inTemplate && !inMatchLabels(at.path, STS_SELECTORS)) return undefined;
    // an affinity selector of another app's pods is not this app's label
    const own = labelsOf(valueAt(v, TEMPLATE_LABELS))[key] === value;
    return { ...base, anchors: own ? self() : [], inTemplate };
  }
  if (v.kind === 'Service' && matches(at.path, ['spec', 'selector', '*'])) {
    const selector = labelsOf(valueAt(v, ['spec', 'selector']));
    return { ...base, anchors: statefulSets(file, uri, ws, ns, (l) => mapSelects(selector, l)), inTemplate: false };
  }
  if (v.kind === 'PodDisruptionBudget' && matches(at.path, ['spec', 'selector', 'matchLabels', '*'])) {
    const selector = valueAt(v, ['spec', 'selector']);
    return { ...base, anchors: statefulSets(file, uri, ws, ns, (l) => labelSelectorSelects(selector, l)), inTemplate: false };
  }
  return undefined;
}

/** Sites of the label in a LabelSelector at `path`: matchLabels entries with the same value, matchExpressions on the key. */
function selectorSites(t: LabelTarget, uri: string, d: AnalyzedDocument, path: readonly Segment[]): Site[] {
  const out: Array<Site | undefined> = [];
  if (asLabel(valueAt(d.value, [...path, 'matchLabels', t.key])) === t.value) out.push(siteAt(uri, d, [...path, 'matchLabels', t.key], t.part));
  for (const e of expand(valueAt(d.value, path), ['matchExpressions', '#'], [...path])) {
    if (valueAt(d.value, [...e, 'key']) !== t.key) continue;
    if (t.part === 'key') out.push(siteAt(uri, d, [...e, 'key']));
    else for (const vp of expand(valueAt(d.value, e), ['values', '#'], [...e])) if (asLabel(valueAt(d.value, vp)) === t.value) out.push(siteAt(uri, d, vp));
  }
  return out.filter((s): s is Site => !!s);
}

function mapSite(t: LabelTarget, uri: string, d: AnalyzedDocument, path: readonly Segment[]): Site[] {
  const s = asLabel(valueAt(d.value, [...path, t.key])) === t.value ? siteAt(uri, d, [...path, t.key], t.part) : undefined;
  return s ? [s] : [];
}

/** Every place of the label: the origin, and for each StatefulSet carrying it, its selectors, template labels and selecting Services/PDBs. */
export function labelSites(t: LabelTarget, file: FileAnalysis, uri: string, ws: WorkspaceView): Site[] {
  const out: Site[] = [t.origin];
  for (const a of t.anchors) {
    const labels = labelsOf(valueAt(a.doc.value, TEMPLATE_LABELS));
    if (labels[t.key] !== t.value) continue;
    out.push(...mapSite(t, a.object.uri, a.doc, TEMPLATE_LABELS));
    for (const p of STS_SELECTORS) for (const path of expand(a.doc.value, p)) out.push(...selectorSites(t, a.object.uri, a.doc, path));
    for (const svc of candidates(file, uri, ws, 'Service', a.object.namespace)) {
      const f = fileOf(svc, file, uri, ws);
      const d = f && documentOf(f, svc);
      if (d?.value && mapSelects(labelsOf(valueAt(d.value, ['spec', 'selector'])), labels)) out.push(...mapSite(t, svc.uri, d, ['spec', 'selector']));
    }
    for (const pdb of candidates(file, uri, ws, 'PodDisruptionBudget', a.object.namespace)) {
      const f = fileOf(pdb, file, uri, ws);
      const d = f && documentOf(f, pdb);
      if (d?.value && labelSelectorSelects(valueAt(d.value, ['spec', 'selector']), labels)) out.push(...selectorSites(t, pdb.uri, d, ['spec', 'selector']));
    }
  }
  return uniqueSites(out);
}

/** matchLabels → the pod template's label; a template label → the selector's matchLabels entry. */
export function labelDefinition(t: LabelTarget): Site[] {
  const out: Site[] = [];
  for (const a of t.anchors) {
    const sites = t.inTemplate ? selectorSites(t, a.object.uri, a.doc, ['spec', 'selector']) : mapSite(t, a.object.uri, a.doc, TEMPLATE_LABELS);
    out.push(...sites);
  }
  return out;
}
