// Go to definition and find references for what a StatefulSet names: its governing Service, the volume
// or claim template a volumeMount uses, the PVC, ConfigMaps and Secrets its volumes and environment read
// (and the key an env var reads); from a Service or PodDisruptionBudget, the StatefulSets it serves, and from
// a StatefulSet's name, the Services and PDBs that serve it; matchLabels ↔ template labels.
import type { Location } from 'vscode-languageserver-types';
import { labelSelectorSelects, labelsOf, mapSelects, sameNamespace } from '../rules/practices/util';
import type { Segment } from '../schema';
import type { AnalyzedDocument, FileAnalysis } from './analyzer';
import { labelDefinition, labelSites, labelTarget } from './labels';
import { candidates, declarationOf, documentOf, expand, fileOf, siteAt, uniqueSites, type Site, type WorkspaceView } from './related';
import { matches, nodePathAt, valueAt, type Position } from './yamlNodes';

const POD = ['spec', 'template', 'spec'];
const CONTAINERS = ['containers', 'initContainers'];

/** Fields of a StatefulSet that name another object, by path pattern ('#' = any list index). */
export const OBJECT_REFERENCES: Array<{ kind: string; path: string[] }> = [
  { kind: 'Service', path: ['spec', 'serviceName'] },
  { kind: 'PersistentVolumeClaim', path: [...POD, 'volumes', '#', 'persistentVolumeClaim', 'claimName'] },
  { kind: 'ConfigMap', path: [...POD, 'volumes', '#', 'configMap', 'name'] },
  { kind: 'Secret', path: [...POD, 'volumes', '#', 'secret', 'secretName'] },
  { kind: 'ConfigMap', path: [...POD, 'volumes', '#', 'projected', 'sources', '#', 'configMap', 'name'] },
  { kind: 'Secret', path: [...POD, 'volumes', '#', 'projected', 'sources', '#', 'secret', 'name'] },
  ...CONTAINERS.flatMap((c) => [
    { kind: 'ConfigMap', path: [...POD, c, '#', 'envFrom', '#', 'configMapRef', 'name'] },
    { kind: 'Secret', path: [...POD, c, '#', 'envFrom', '#', 'secretRef', 'name'] },
    { kind: 'ConfigMap', path: [...POD, c, '#', 'env', '#', 'valueFrom', 'configMapKeyRef', 'name'] },
    { kind: 'Secret', path: [...POD, c, '#', 'env', '#', 'valueFrom', 'secretKeyRef', 'name'] },
  ]),
];

/** Kinds whose objects a StatefulSet can name (their metadata.name is a declaration). */
const REFERENCED_KINDS = new Set(OBJECT_REFERENCES.map((r) => r.kind));

const VOLUME_USES = CONTAINERS.flatMap((c) => [
  [...POD, c, '#', 'volumeMounts', '#', 'name'],
  [...POD, c, '#', 'volumeDevices', '#', 'name'],
]);
const VOLUME_DECLARATIONS = [
  [...POD, 'volumes', '#', 'name'],
  ['spec', 'volumeClaimTemplates', '#', 'metadata', 'name'],
];

/** env[].valueFrom.configMapKeyRef.key / secretKeyRef.key: a key of the ConfigMap's or Secret's data. */
const KEY_REFERENCES = CONTAINERS.flatMap((c) => [
  { kind: 'ConfigMap', path: [...POD, c, '#', 'env', '#', 'valueFrom', 'configMapKeyRef', 'key'], data: ['data', 'binaryData'] },
  { kind: 'Secret', path: [...POD, c, '#', 'env', '#', 'valueFrom', 'secretKeyRef', 'key'], data: ['data', 'stringData'] },
]);

type Target =
  | { type: 'object'; kind: string; name: string; namespace?: string }
  | { type: 'key'; kind: string; name: string; key: string; data: string[]; namespace?: string }
  | { type: 'statefulset'; doc: AnalyzedDocument; name: string; namespace?: string }
  | { type: 'volume'; doc: AnalyzedDocument; name: string }
  | { type: 'served'; kind: 'Service' | 'PodDisruptionBudget'; doc: AnalyzedDocument; name: string; namespace?: string };

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** What the cursor is on, when it is something we can resolve. */
function targetAt(file: FileAnalysis, pos: Position): Target | undefined {
  const at = nodePathAt(file, pos);
  const v = at?.doc.value;
  if (at && v && at.onKey && v.kind === 'StatefulSet') {
    // on the key of a reference (`serviceName:`, `claimName:` …): the object its value names
    const ref = OBJECT_REFERENCES.find((r) => matches(at.path, r.path));
    const named = ref && str(valueAt(v, at.path));
    if (ref && named) return { type: 'object', kind: ref.kind, name: named, namespace: str(valueAt(v, ['metadata', 'namespace'])) };
  }
  if (!at || !v || at.onKey || !at.scalar) return undefined;
  const text = String(at.scalar.value ?? '');
  const ns = str(valueAt(v, ['metadata', 'namespace']));
  if (v.kind === 'StatefulSet') {
    const ref = OBJECT_REFERENCES.find((r) => matches(at.path, r.path));
    if (ref) return { type: 'object', kind: ref.kind, name: text, namespace: ns };
    if ([...VOLUME_USES, ...VOLUME_DECLARATIONS].some((p) => matches(at.path, p))) return { type: 'volume', doc: at.doc, name: text };
    const key = KEY_REFERENCES.find((r) => matches(at.path, r.path));
    const owner = str(valueAt(v, [...at.path.slice(0, -1), 'name']));
    if (key && owner) return { type: 'key', kind: key.kind, name: owner, key: text, data: key.data, namespace: ns };
    if (matches(at.path, ['metadata', 'name'])) return { type: 'statefulset', doc: at.doc, name: text, namespace: ns };
  }
  if (matches(at.path, ['metadata', 'name']) && typeof v.kind === 'string') {
    if (v.kind === 'Service' || v.kind === 'PodDisruptionBudget') return { type: 'served', kind: v.kind, doc: at.doc, name: text, namespace: ns };
    if (REFERENCED_KINDS.has(v.kind)) return { type: 'object', kind: v.kind, name: text, namespace: ns };
  }
  return undefined;
}

function declarations(t: Target, file: FileAnalysis, uri: string, ws: WorkspaceView): Site[] {
  if (t.type === 'volume') {
    // a claim template replaces a pod volume of the same name: it comes first
    return [...VOLUME_DECLARATIONS]
      .reverse()
      .flatMap((p) => expand(t.doc.value, p).filter((path) => valueAt(t.doc.value, path) === t.name))
      .map((path) => siteAt(uri, t.doc, path))
      .filter((s): s is Site => !!s);
  }
  if (t.type === 'statefulset') return [siteAt(uri, t.doc, ['metadata', 'name'])].filter((s): s is Site => !!s);
  const named = candidates(file, uri, ws, t.kind, t.namespace).filter((o) => o.name === t.name);
  if (t.type === 'key') {
    // the key in the object's data (or stringData / binaryData)
    return named.flatMap((o) => {
      const f = fileOf(o, file, uri, ws);
      const d = f && documentOf(f, o);
      return d ? t.data.map((field) => siteAt(o.uri, d, [field, t.key], 'key')).filter((s): s is Site => !!s) : [];
    });
  }
  return named.map((o) => declarationOf(o, file, uri, ws)).filter((s): s is Site => !!s);
}

/** The sites in one StatefulSet document that use a target. */
function usesIn(t: Target, uri: string, d: AnalyzedDocument): Site[] {
  const v = d.value;
  if (!v) return [];
  const paths: Segment[][] =
    t.type === 'volume'
      ? VOLUME_USES.flatMap((p) => expand(v, p)).filter((p) => valueAt(v, p) === t.name)
      : t.type === 'object'
        ? OBJECT_REFERENCES.filter((r) => r.kind === t.kind).flatMap((r) => expand(v, r.path)).filter((p) => valueAt(v, p) === t.name)
        : [];
  const sites = paths.map((p) => siteAt(uri, d, p)).filter((s): s is Site => !!s);
  return sites.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Does a Service or PDB serve this StatefulSet: named as its serviceName, or selecting its pods? */
function serves(t: Extract<Target, { type: 'served' }>, sts: Record<string, unknown>): boolean {
  const labels = labelsOf(valueAt(sts, ['spec', 'template', 'metadata', 'labels']));
  if (t.kind === 'Service') return valueAt(sts, ['spec', 'serviceName']) === t.name || mapSelects(labelsOf(valueAt(t.doc.value, ['spec', 'selector'])), labels);
  return labelSelectorSelects(valueAt(t.doc.value, ['spec', 'selector']), labels);
}

/** The Services and PodDisruptionBudgets that serve a StatefulSet: their names. */
function servers(t: Extract<Target, { type: 'statefulset' }>, file: FileAnalysis, uri: string, ws: WorkspaceView): Site[] {
  const out: Site[] = [];
  for (const kind of ['Service', 'PodDisruptionBudget'] as const) {
    for (const o of candidates(file, uri, ws, kind, t.namespace)) {
      const f = fileOf(o, file, uri, ws);
      const d = f && documentOf(f, o);
      const site = d?.value && o.name !== undefined && serves({ type: 'served', kind, doc: d, name: o.name }, t.doc.value ?? {}) ? siteAt(o.uri, d, ['metadata', 'name']) : undefined;
      if (site) out.push(site);
    }
  }
  return out;
}

function uses(t: Target, file: FileAnalysis, uri: string, ws: WorkspaceView): Site[] {
  if (t.type === 'volume') return usesIn(t, uri, t.doc);
  if (t.type === 'statefulset') return servers(t, file, uri, ws);
  if (t.type === 'key') return [];
  const out: Site[] = [];
  for (const o of candidates(file, uri, ws, 'StatefulSet', t.namespace)) {
    const f = fileOf(o, file, uri, ws);
    const d = f && documentOf(f, o);
    if (!d?.value || !sameNamespace(t.namespace, o.namespace)) continue;
    if (t.type === 'object') out.push(...usesIn(t, o.uri, d));
    else if (serves(t, d.value)) {
      // the serviceName that names it, else the StatefulSet's name
      const named = t.kind === 'Service' ? usesIn({ type: 'object', kind: 'Service', name: t.name }, o.uri, d) : [];
      const site = named[0] ?? siteAt(o.uri, d, ['metadata', 'name']);
      if (site) out.push(site);
    }
  }
  return out;
}

const location = (s: Site): Location => ({ uri: s.uri, range: s.range });

const unique = (sites: Site[]): Location[] => uniqueSites(sites).map(location);

/** Go to definition: where the name under the cursor is declared (possibly in another file). */
export function definition(file: FileAnalysis, uri: string, pos: Position, ws: WorkspaceView): Location[] {
  const t = targetAt(file, pos);
  if (t) return unique(declarations(t, file, uri, ws));
  const label = labelTarget(file, uri, pos, ws);
  return label ? unique(labelDefinition(label)) : [];
}

/** Find references: every place that names the same thing (its declaration too, when asked). */
export function references(file: FileAnalysis, uri: string, pos: Position, ws: WorkspaceView, includeDeclaration = true): Location[] {
  const t = targetAt(file, pos);
  if (t) return unique([...(includeDeclaration ? declarations(t, file, uri, ws) : []), ...uses(t, file, uri, ws)]);
  const label = labelTarget(file, uri, pos, ws);
  return label ? unique(labelSites(label, file, uri, ws)) : [];
}
