// The outline (LSP documentSymbol): every object of a file as `Kind name` with its namespace, and inside
// a StatefulSet its containers, volumes and claim templates. Editors build breadcrumbs from the same tree.
import { isMap, isSeq, type Node } from 'yaml';
import type { DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import type { AnalyzedDocument, FileAnalysis } from './analyzer';
import type { Range } from './diagnostic';
import { nodeAtPath, nodeRange, pairRange, valueAt } from './yamlNodes';

/** LSP SymbolKind numbers (plain data, no runtime import). */
const K = { Module: 2, Namespace: 3, Class: 5, Interface: 11, Object: 19, Struct: 23, Field: 8, Variable: 13, File: 1 } as const satisfies Record<string, SymbolKind>;

const KIND_SYMBOL: Record<string, SymbolKind> = {
  StatefulSet: K.Class,
  Service: K.Interface,
  PodDisruptionBudget: K.Struct,
  PersistentVolumeClaim: K.Module,
  ConfigMap: K.Object,
  Secret: K.Object,
  Namespace: K.Namespace,
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function symbol(name: string, detail: string | undefined, kind: SymbolKind, range: Range, selectionRange: Range, children?: DocumentSymbol[]): DocumentSymbol {
  const s: DocumentSymbol = { name, kind, range, selectionRange };
  if (detail) s.detail = detail;
  if (children?.length) s.children = children;
  return s;
}

/** Items of a list at `path` (e.g. the pod's volumes) as symbols named `<label> <name>`. */
function listSymbols(d: AnalyzedDocument, path: Array<string | number>, label: string, kind: SymbolKind, detailOf: (item: Record<string, unknown>) => string | undefined, namePath: string[] = ['name']): DocumentSymbol[] {
  const seq = nodeAtPath(d, path)?.node;
  if (!isSeq(seq)) return [];
  const values = valueAt(d.value, path);
  const out: DocumentSymbol[] = [];
  seq.items.forEach((item, i) => {
    const range = nodeRange(d, item);
    // an empty `- ` (still being typed) is no container or volume yet
    if (!range || !isMap(item)) return;
    const v = Array.isArray(values) && values[i] && typeof values[i] === 'object' ? (values[i] as Record<string, unknown>) : {};
    const name = str(valueAt(v, namePath)) ?? `#${i + 1}`;
    const nameNode = nodeAtPath(d, [...path, i, ...namePath]);
    const sel = (nameNode && nodeRange(d, nameNode.node)) ?? range;
    out.push(symbol(`${label} ${name}`, detailOf(v), kind, range, sel));
  });
  return out;
}

/** The volume source's kind (configMap, persistentVolumeClaim …) and what it names. */
function volumeDetail(v: Record<string, unknown>): string | undefined {
  const source = Object.keys(v).find((k) => k !== 'name');
  if (!source) return undefined;
  const s = (v[source] ?? {}) as Record<string, unknown>;
  const ref = str(s.claimName) ?? str(s.secretName) ?? str(s.name);
  return ref ? `${source} ${ref}` : source;
}

function podSpecChildren(d: AnalyzedDocument, pod: Array<string | number>): DocumentSymbol[] {
  return [
    ...listSymbols(d, [...pod, 'initContainers'], 'init container', K.Variable, (c) => str(c.image)),
    ...listSymbols(d, [...pod, 'containers'], 'container', K.Variable, (c) => str(c.image)),
    ...listSymbols(d, [...pod, 'volumes'], 'volume', K.Field, volumeDetail),
  ];
}

function objectSymbol(d: AnalyzedDocument): DocumentSymbol | undefined {
  const v = d.value;
  const root = d.doc.yaml?.contents as Node | null | undefined;
  if (!v || !isMap(root) || typeof v.kind !== 'string') return undefined;
  const range = nodeRange(d, root);
  if (!range) return undefined;
  const name = str(valueAt(v, ['metadata', 'name']));
  const namespace = str(valueAt(v, ['metadata', 'namespace']));
  const nameAt = nodeAtPath(d, ['metadata', 'name']);
  const kindAt = nodeAtPath(d, ['kind']);
  const selectionRange = (nameAt && nodeRange(d, nameAt.node)) ?? (kindAt?.pair && pairRange(d, kindAt.pair)) ?? range;
  let children: DocumentSymbol[] = [];
  if (v.kind === 'StatefulSet') {
    children = [
      ...podSpecChildren(d, ['spec', 'template', 'spec']),
      ...listSymbols(d, ['spec', 'volumeClaimTemplates'], 'claim template', K.Module, (c) => str(valueAt(c, ['spec', 'resources', 'requests', 'storage'])), ['metadata', 'name']),
    ];
  }
  return symbol(name !== undefined ? `${v.kind} ${name}` : v.kind, namespace, KIND_SYMBOL[v.kind] ?? K.Object, range, selectionRange, children);
}

/** The file's outline: one symbol per Kubernetes object (a document that is a mapping with a `kind`). */
export function documentSymbols(file: FileAnalysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const d of file.documents) {
    const s = objectSymbol(d);
    if (s) out.push(s);
  }
  return out;
}
