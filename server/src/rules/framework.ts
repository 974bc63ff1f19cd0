// The rule engine: a rule is a module with its id, default severity, doc and a check over plain data.
// Rules see a document's value as plain JS plus helpers that turn a path into a source range.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Segment } from '../schema';
import { makeDiagnostic, severityByName, type Diagnostic, type FixData, type Range, type SeverityName } from '../engine/diagnostic';
import type { ParsedDocument } from '../engine/document';

/** A Kubernetes object found elsewhere (this file, the workspace), for cross-checks. */
export interface IndexedObject {
  /** Where it was found (file URI or path). */
  uri: string;
  kind: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  /** When it states no namespace: the one the other objects of its file agree on (kubectl -f applies them together). */
  fileNamespace?: string;
  value: Record<string, unknown>;
}

/** What rules may know beyond the document: the workspace's objects and the live cluster's. */
export interface RuleEnvironment {
  /** Objects of a kind in the workspace (other files; the current file's own come from the file). */
  workspace(kind: string): IndexedObject[];
  /** The live object of that kind/namespace/name in the connected cluster, if known. */
  live(kind: string, namespace: string | undefined, name: string): Record<string, unknown> | undefined;
  /**
   * Changes whenever what `workspace` or `live` return may have changed. Results of
   * checkWithEnvironment are reused while it, the document and the file's objects of other kinds
   * stay the same. Without it, they are recomputed on every call.
   */
  version?(): number;
  /**
   * The workspace folders (URIs, or paths for the CLI): objects of unknown namespace match when
   * their files share a folder below one of these (or one's folder holds the other's).
   */
  roots?: readonly string[];
}

export const emptyEnvironment: RuleEnvironment = { workspace: () => [], live: () => undefined };

export interface Rule {
  id: string;
  severity: SeverityName;
  /** One line: what the rule finds. */
  title: string;
  /** Why it matters for a StatefulSet (shown in docs and hovers). */
  doc: string;
  /** Kinds the rule looks at (the document's `kind`). */
  kinds: readonly string[];
  /** The kube-score / kube-linter checks this rule matches, and where it deliberately differs (docs/rules.md). */
  parity?: Parity;
  /** Checks one document alone; results are cached with the document. */
  check?(ctx: DocumentContext): void;
  /**
   * Checks one document against the rest of the file, the workspace or the live cluster. It may
   * depend on the document itself, on the file's objects of OTHER kinds, and on the environment;
   * results are reused until one of those changes (see RuleEnvironment.version).
   */
  checkWithEnvironment?(ctx: DocumentContext, env: FileEnvironment): void;
}

/** A rule's counterpart in kube-score and kube-linter (check ids as their docs name them). */
export interface Parity {
  kubeScore?: string;
  kubeLinter?: string;
  /** Where and why we deliberately differ (or "no linter has it"). */
  differs?: string;
}

export interface FileEnvironment extends RuleEnvironment {
  /** Every object in the current file (all documents we could parse, any kind). */
  fileObjects: IndexedObject[];
  uri: string;
}

/**
 * Per array of a file's objects made from the array of the analysis before it (engine/analyzer.ts
 * objectsOf): how many objects at its start (`head`) and end (`tail`) are that array's, as the same
 * objects. What is derived per file from the objects can then be kept where the edit did not reach.
 */
const objectsKept = new WeakMap<readonly IndexedObject[], { before: readonly IndexedObject[]; head: number; tail: number }>();

export function recordKeptObjects(objects: readonly IndexedObject[], kept: { before: readonly IndexedObject[]; head: number; tail: number }): void {
  objectsKept.set(objects, kept);
  // only the newest array says what it kept: else each would keep the one before alive, every version of the file
  objectsKept.delete(kept.before);
}

/** What `objects` kept of the array made before it, if it was made from one. */
export function keptObjects(objects: readonly IndexedObject[]): { before: readonly IndexedObject[]; head: number; tail: number } | undefined {
  return objectsKept.get(objects);
}

export interface ReportOptions {
  /** Point at the key (default) or at the value. */
  at?: 'key' | 'value';
  data?: FixData;
}

export class DocumentContext {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly doc: ParsedDocument,
    /** The document as plain JS (aliases resolved within a bound); undefined if not convertible. */
    readonly value: Record<string, unknown>,
    private readonly rule: Rule,
  ) {}

  get kind(): string {
    return this.doc.kindName ?? '';
  }

  /** Plain value at a path, or undefined. */
  get(path: readonly Segment[]): unknown {
    let v: unknown = this.value;
    for (const s of path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[s];
    }
    return v;
  }

  /** The YAML node and its key node at a path (the deepest that exists, when `nearest`). */
  node(path: readonly Segment[], nearest = false): { node: Node | null; key: Node | null; depth: number } | undefined {
    let node = (this.doc.yaml?.contents ?? null) as Node | null;
    let key: Node | null = null;
    let depth = 0;
    for (const s of path) {
      let next: { node: Node | null; key: Node | null } | undefined;
      if (typeof s === 'number' && isSeq(node)) {
        const it = node.items[s];
        if (it !== undefined) next = { node: it as Node | null, key: null };
      } else if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(s));
        if (pair) next = { node: pair.value as Node | null, key: pair.key as Node };
      }
      if (!next) return nearest ? { node, key, depth } : undefined;
      node = next.node;
      key = next.key;
      depth++;
    }
    return { node, key, depth };
  }

  /** Source range of the key (or value) at a path; falls back to the nearest existing ancestor. */
  range(path: readonly Segment[], at: 'key' | 'value' = 'key'): Range {
    const found = this.node(path, true);
    const target = found ? (at === 'value' || !found.key ? (found.node ?? found.key) : found.key) : null;
    const r = (target as { range?: [number, number, number] } | null)?.range;
    if (r) return this.doc.lines.range(r[0], r[1]);
    // no node (e.g. `key:` with nothing after it): use the key, else the document start
    const kr = (found?.key as { range?: [number, number, number] } | null)?.range;
    return kr ? this.doc.lines.range(kr[0], kr[1]) : this.doc.lines.range(0, 0);
  }

  report(path: readonly Segment[], message: string, opts: ReportOptions = {}): void {
    this.diagnostics.push(makeDiagnostic(this.range(path, opts.at), severityByName[this.rule.severity], this.rule.id, message, opts.data));
  }
}

/** The document as plain JS, or undefined if it is not a mapping or its aliases blow up. */
export function plainValue(doc: ParsedDocument): Record<string, unknown> | undefined {
  if (!doc.yaml || !isMap(doc.yaml.contents)) return undefined;
  try {
    const v = doc.yaml.toJS({ maxAliasCount: 100 }) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
