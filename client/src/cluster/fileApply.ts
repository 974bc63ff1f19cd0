// From file to cluster, in plain Node: the documents of a YAML file with their offsets, server-side
// apply (field manager statefulset-studio, dry run, force), the live ↔ would-be comparison of
// `kubectl diff`, 409 conflicts as (field, manager) pairs, and the dependency order of a multi-document
// apply. The vscode side only shows what these return.
import { parseAllDocuments, stringify } from 'yaml';
import { KubeError } from './errors';
import type { KubeHttp } from './http';
import type { KObject } from './types';

export const FIELD_MANAGER = 'statefulset-studio';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export type Manifest = KObject & Record<string, any>;

export interface FileDocument {
  /** 0-based index of the document in the file */
  index: number;
  obj: Manifest;
  kind: string;
  name: string;
  namespace?: string;
  /** offsets of the document's content in the file text */
  start: number;
  end: number;
  /** YAML errors of this document (then it is not applied) */
  errors: string[];
}

/** Every document of a YAML text that is a Kubernetes object (kind + metadata.name). */
export function parseFileDocuments(text: string): FileDocument[] {
  const out: FileDocument[] = [];
  let index = -1;
  for (const doc of parseAllDocuments(text)) {
    index++;
    const range = doc.contents?.range ?? doc.range;
    const errors = doc.errors.map((e) => e.message.split('\n')[0]);
    let obj: unknown;
    try {
      obj = errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
    const m = obj as Manifest | undefined;
    if (errors.length === 0 && (!m || typeof m !== 'object' || Array.isArray(m) || typeof m.kind !== 'string')) continue;
    out.push({
      index,
      obj: m ?? {},
      kind: String(m?.kind ?? ''),
      name: String(m?.metadata?.name ?? ''),
      namespace: m?.metadata?.namespace,
      start: range[0],
      end: range[1],
      errors,
    });
  }
  return out;
}

/** The document whose text contains `offset` (or the nearest one before it). */
export function documentAt(docs: FileDocument[], offset: number): FileDocument | undefined {
  return docs.find((d) => offset >= d.start && offset <= d.end) ?? [...docs].reverse().find((d) => d.start <= offset) ?? docs[0];
}

interface Kind {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  order: number;
}

// Dependency order: what others refer to first (namespaces, classes, accounts, config), workloads last.
const KINDS: Record<string, Kind> = {
  Namespace: { group: '', version: 'v1', plural: 'namespaces', namespaced: false, order: 0 },
  StorageClass: { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false, order: 1 },
  ServiceAccount: { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true, order: 2 },
  ConfigMap: { group: '', version: 'v1', plural: 'configmaps', namespaced: true, order: 3 },
  PersistentVolumeClaim: { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true, order: 4 },
  Service: { group: '', version: 'v1', plural: 'services', namespaced: true, order: 5 },
  PodDisruptionBudget: { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true, order: 6 },
  StatefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true, order: 7 },
};

export function isSupportedKind(kind: string): boolean {
  return kind in KINDS;
}

/** Documents in the order an apply of all of them must follow (stable within a kind). */
export function dependencyOrder<T extends { kind: string; index?: number }>(docs: T[]): T[] {
  return docs
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (KINDS[a.d.kind]?.order ?? 99) - (KINDS[b.d.kind]?.order ?? 99) || a.i - b.i)
    .map((x) => x.d);
}

/** The REST path of a manifest's object (namespace: the manifest's, else `defaultNs`). */
export function objectPath(obj: Manifest, defaultNs: string): string {
  const k = KINDS[String(obj.kind)];
  if (!k) throw new KubeError(400, `${obj.kind} is not a kind StatefulSet Studio applies (it applies ${Object.keys(KINDS).join(', ')})`);
  const name = obj.metadata?.name;
  if (!name) throw new KubeError(400, `The ${obj.kind} document has no metadata.name`);
  const wantApi = k.group ? `${k.group}/${k.version}` : k.version;
  if (obj.apiVersion !== wantApi) throw new KubeError(400, `${obj.kind} ${name}: apiVersion must be ${wantApi} (the file says ${obj.apiVersion ?? 'nothing'})`);
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  const ns = k.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? defaultNs)}` : '';
  return `${base}${ns}/${k.plural}/${encodeURIComponent(name)}`;
}

export function namespaceOf(obj: Manifest, defaultNs: string): string | undefined {
  return KINDS[String(obj.kind)]?.namespaced ? (obj.metadata?.namespace ?? defaultNs) : undefined;
}

export interface ApplyOptions {
  dryRun?: boolean;
  force?: boolean;
  signal?: AbortSignal;
}

/** Server-side apply of one manifest (PATCH application/apply-patch+yaml, fieldManager statefulset-studio). */
export async function serverApply(http: KubeHttp, obj: Manifest, defaultNs: string, o: ApplyOptions = {}): Promise<Manifest> {
  return http.request<Manifest>('PATCH', objectPath(obj, defaultNs), {
    body: JSON.stringify(obj),
    contentType: APPLY_PATCH,
    query: { fieldManager: FIELD_MANAGER, force: o.force ? 'true' : undefined, dryRun: o.dryRun ? 'All' : undefined },
    signal: o.signal,
  });
}

/** The live object, or undefined when it does not exist. */
export async function getLive(http: KubeHttp, obj: Manifest, defaultNs: string): Promise<Manifest | undefined> {
  try {
    return await http.request<Manifest>('GET', objectPath(obj, defaultNs));
  } catch (e) {
    if (e instanceof KubeError && e.code === 404) return undefined;
    throw e;
  }
}

export interface FieldConflict {
  field: string;
  manager: string;
}

/** The (field, manager) pairs of a server-side apply 409, or [] for any other error. */
export function conflictsOf(err: unknown): FieldConflict[] {
  if (!(err instanceof KubeError) || err.code !== 409) return [];
  const causes = (err.status?.details?.causes ?? []) as Array<{ reason?: string; message?: string; field?: string }>;
  return causes
    .filter((c) => c.reason === 'FieldManagerConflict' || /^conflict with /.test(c.message ?? ''))
    .map((c) => ({ field: c.field ?? '', manager: /conflict with "(.*)" using /.exec(c.message ?? '')?.[1] ?? c.message ?? '?' }));
}

export function conflictText(conflicts: FieldConflict[]): string {
  return conflicts.map((c) => `• ${c.field} — owned by "${c.manager}"`).join('\n');
}

/** An object as `kubectl diff` shows it: no managedFields, no status, no server bookkeeping. */
export function comparable(o: Manifest | undefined): Manifest | undefined {
  if (!o) return undefined;
  const c = structuredClone(o);
  delete c.status;
  if (c.metadata) {
    for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink']) delete (c.metadata as Record<string, unknown>)[k];
  }
  return c;
}

export function comparableYaml(o: Manifest | undefined): string {
  const c = comparable(o);
  return c ? stringify(c, { sortMapEntries: true }) : '';
}

/** Leaf fields that differ between two objects ("spec.replicas", "spec.template.spec.containers[0].image"). */
export function changedFields(a: unknown, b: unknown, path = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].sort().flatMap((k) => changedFields(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedFields(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

export interface DocumentDiff {
  doc: FileDocument;
  live?: Manifest;
  /** what the cluster would hold after the apply (the dry-run result) */
  next?: Manifest;
  /** fields that would change */
  changed: string[];
  /** the dry run failed with this error */
  error?: KubeError;
}

/** `kubectl diff --server-side` for one document: the live object and the dry-run result. */
export async function diffDocument(http: KubeHttp, doc: FileDocument, defaultNs: string, o: { force?: boolean } = {}): Promise<DocumentDiff> {
  const live = await getLive(http, doc.obj, defaultNs);
  try {
    const next = await serverApply(http, doc.obj, defaultNs, { dryRun: true, force: o.force });
    return { doc, live, next, changed: changedFields(comparable(live) ?? {}, comparable(next)) };
  } catch (e) {
    if (e instanceof KubeError) return { doc, live, changed: [], error: e };
    throw e;
  }
}
