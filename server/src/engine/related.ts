// What go to definition, references and rename may see beyond the open file: the workspace index's
// objects and a way to read (and parse) another file for positions. Plain functions over plain data;
// the LSP layer supplies the index, the open documents and the disk.
import { isScalar, type Scalar } from 'yaml';
import type { IndexedObject } from '../rules/framework';
import { sameNamespace } from '../rules/practices/util';
import type { Segment } from '../schema';
import { objectsOf, type AnalyzedDocument, type FileAnalysis } from './analyzer';
import type { Range } from './diagnostic';
import { nodeAtPath, nodeRange, valueAt } from './yamlNodes';

export interface WorkspaceView {
  /** Objects of a kind in the workspace (the index; files other than the current one are what count). */
  objects(kind: string, fromUri: string): IndexedObject[];
  /** The analysis of a file (its open editor text, else the disk), for positions; undefined when unreadable. */
  file(uri: string): FileAnalysis | undefined;
}

export const noWorkspace: WorkspaceView = { objects: () => [], file: () => undefined };

/** A place in a file: the scalar (key or value) found there, and its document. */
export interface Site {
  uri: string;
  range: Range;
  doc: AnalyzedDocument;
  node: Scalar;
}

/** Objects of a kind in this file first, then in the rest of the workspace, in namespace `ns` (unset matches any). */
export function candidates(file: FileAnalysis, uri: string, ws: WorkspaceView, kind: string, ns?: string): IndexedObject[] {
  const mine = objectsOf(file, uri).filter((o) => o.kind === kind);
  const others = ws.objects(kind, uri).filter((o) => o.uri !== uri && o.kind === kind);
  return [...mine, ...others].filter((o) => sameNamespace(ns, o.namespace));
}

/** The document of a file that holds an object (same kind, name and namespace). */
export function documentOf(file: FileAnalysis, o: Pick<IndexedObject, 'kind' | 'name' | 'namespace'>): AnalyzedDocument | undefined {
  return file.documents.find((d) => d.value && d.value.kind === o.kind && valueAt(d.value, ['metadata', 'name']) === o.name && valueAt(d.value, ['metadata', 'namespace']) === o.namespace);
}

/** The analysed file that holds an object: the current file's analysis when it is the current file. */
export function fileOf(o: IndexedObject, file: FileAnalysis, uri: string, ws: WorkspaceView): FileAnalysis | undefined {
  return o.uri === uri ? file : ws.file(o.uri);
}

/** The scalar at a path of a document, as a site. */
export function siteAt(uri: string, d: AnalyzedDocument, path: readonly Segment[], at: 'key' | 'value' = 'value'): Site | undefined {
  const found = nodeAtPath(d, path);
  const node = at === 'key' ? found?.pair?.key : found?.node;
  if (!isScalar(node)) return undefined;
  const range = nodeRange(d, node);
  return range ? { uri, range, doc: d, node } : undefined;
}

/** Where an object is declared: its metadata.name (else the start of its document). */
export function declarationOf(o: IndexedObject, file: FileAnalysis, uri: string, ws: WorkspaceView): Site | undefined {
  const f = fileOf(o, file, uri, ws);
  const d = f && documentOf(f, o);
  return d ? siteAt(o.uri, d, ['metadata', 'name']) : undefined;
}

/** Sites without repeats (the same place found twice, e.g. a Service that both names and selects). */
export function uniqueSites(sites: Site[]): Site[] {
  const seen = new Set<string>();
  return sites.filter((s) => {
    const k = `${s.uri}#${s.range.start.line}:${s.range.start.character}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Concrete paths of a plain value that match a pattern ('#' = every index of a list). */
export function expand(value: unknown, pattern: readonly string[], prefix: Segment[] = []): Segment[][] {
  if (pattern.length === 0) return [prefix];
  const [head, ...rest] = pattern;
  if (head === '#') {
    if (!Array.isArray(value)) return [];
    return value.flatMap((v, i) => expand(v, rest, [...prefix, i]));
  }
  if (!value || typeof value !== 'object' || !(head in (value as object))) return [];
  return expand((value as Record<string, unknown>)[head], rest, [...prefix, head]);
}
