// Analyses a whole file: splits it into documents, parses and checks each one, and caches the result
// per document text so that an edit re-analyses only the documents it touched. The cost of an edit
// follows the edit, not the file: the documents before and after the changed region are recognised
// by comparing text (memcmp speed), not re-split; only the changed region is split and parsed again;
// checks that look beyond one document (the rest of the file, the workspace, the live cluster) re-run
// only when their inputs changed, and each document's final findings are reused while nothing about
// it changed.
import { allRules } from '../rules';
import { DocumentContext, emptyEnvironment, plainValue, recordKeptObjects, type FileEnvironment, type IndexedObject, type RuleEnvironment } from '../rules/framework';
import { recordRuns, severityByName, shiftRange, type Diagnostic, type SeverityName } from './diagnostic';
import { beforeSyntaxError, parseChunk, type ParsedDocument } from './document';
import { runsFrom, spliceRuns, type Runs } from './runs';
import { splitDocuments, type Chunk } from './split';
import { validateDocument, versionDiagnostics } from './validate';
import { targetVersion, type TargetVersion } from '../schema/versions';

const DEFAULT_TARGET = targetVersion();

export interface AnalyzedDocument {
  /** Where the document sits in the file now. */
  chunk: Chunk;
  doc: ParsedDocument;
  /** The document as plain JS, when it parsed to a mapping. */
  value: Record<string, unknown> | undefined;
  /** Findings about this document alone, positions relative to the chunk. */
  local: Diagnostic[];
}

export interface FileAnalysis {
  documents: AnalyzedDocument[];
  /** Does any document look like one of our kinds? If none does, we say nothing about the file. */
  ours: boolean;
  /** How many documents were parsed for this call (the rest came from the cache). */
  parsed: number;
  /**
   * What this analysis kept of the one before it: `documents` starts with the first `head` of `before`
   * and ends with its last `tail` (the same objects, or the same analysis moved by characters on its
   * lines). What is assembled per file from the documents (the findings, the objects) can then be the
   * last assembly with the middle replaced, at the cost of the changed documents, not of the file. (Only
   * the previous array, never the analysis: no chain of versions is kept alive.)
   */
  kept?: { before: readonly AnalyzedDocument[]; head: number; tail: number };
}

/** Per-rule severity overrides (statefulsetStudio.rules.<id>). */
export type RuleSettings = Record<string, SeverityName | 'off'>;

export interface AnalysisOptions {
  uri?: string;
  env?: RuleEnvironment;
  settings?: RuleSettings;
  /** Check fields against this Kubernetes version (absent: the newest bundled). */
  kubernetesVersion?: TargetVersion;
  /**
   * Only what each document says of itself, no rule that looks at other documents or the workspace:
   * for a partial analysis (the first documents of a big file), whose other documents are not known yet.
   */
  localOnly?: boolean;
  /** Counts the documents whose findings this call assembled again (the rest were kept from the last call). */
  stats?: { rechecked: number };
}

interface CacheEntry {
  doc: ParsedDocument;
  value: Record<string, unknown> | undefined;
  local: Diagnostic[];
}

function analyzeChunk(text: string, previous?: ParsedDocument): CacheEntry {
  const doc = parseChunk({ text }, previous);
  const local = validateDocument(doc);
  const value = doc.yaml && !doc.template ? plainValue(doc) : undefined;
  if (doc.kind && value) {
    for (const rule of allRules) {
      if (!rule.check || !rule.kinds.includes(doc.kind.kind)) continue;
      const ctx = new DocumentContext(doc, value, rule);
      rule.check(ctx);
      local.push(...ctx.diagnostics);
    }
  }
  return { doc, value, local: beforeSyntaxError(doc, local) };
}

/**
 * A copy of a slice that does not keep the whole text it was cut from alive (V8 slices share their
 * parent): a cached document must not hold on to every version of a big file it was edited in.
 */
function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Keeps the analysis of one file's documents between edits. */
export class FileAnalyzer {
  private cache = new Map<string, CacheEntry>();
  /** The text analysed last (undefined: it came as chunks, see analyzeChunks), and its documents. */
  private last: { text: string | undefined; chunks?: readonly Chunk[]; documents: AnalyzedDocument[] } | undefined;
  /** A cold analysis stopped at its deadline: the text's documents and the entries of those done. */
  private cold: { text: string | readonly Chunk[]; chunks: readonly Chunk[]; cache: Map<string, CacheEntry>; documents: AnalyzedDocument[] } | undefined;

  /** The parsed document of a chunk text analysed last time, if any (quick fixes reuse it). */
  parsed(chunkText: string): ParsedDocument | undefined {
    return this.analysedBefore(chunkText)?.doc;
  }

  /** A chunk text's analysis from before: of the last analysis, or of a cold one that ran out of time. */
  private analysedBefore(chunkText: string): CacheEntry | undefined {
    return this.cache.get(chunkText) ?? this.cold?.cache.get(chunkText);
  }

  /** Analyses `text`: the documents that are the same as in the text analysed last are found by comparing text. */
  analyze(text: string): FileAnalysis {
    return this.analyzeUntil(text, Number.POSITIVE_INFINITY).file;
  }

  /** Has a whole text been analysed yet (else the next analysis is a cold one)? */
  get started(): boolean {
    return this.last !== undefined;
  }

  /**
   * Like `analyze`, but a cold analysis (the first, of a file just opened) stops once `deadline`
   * (`performance.now()`) has passed, between two documents: `file` then holds the documents analysed
   * so far, from the top, and `complete` is false. The next call goes on where it stopped (what was
   * analysed is kept); a big file's first findings can then be shown before all of it is parsed, and
   * the server answers requests in between.
   */
  analyzeUntil(text: string, deadline: number): { file: FileAnalysis; complete: boolean; total: number } {
    const prev = this.last;
    const counter = { parsed: 0 };
    const analyzed = this.analyzer(counter, text.length);
    let documents: AnalyzedDocument[];
    if (prev && prev.text === text) {
      documents = prev.documents;
    } else if (prev) {
      documents = this.reuse(prev.documents, splitDocuments(text), analyzed, false);
    } else {
      const cold = this.coldSlice(text, () => splitDocuments(text), deadline, analyzed, counter);
      if (cold) return cold;
      documents = this.last!.documents;
    }
    this.last = { text, documents };
    const file: FileAnalysis = { documents, ours: documents.some((d) => d.doc.ours), parsed: counter.parsed };
    if (prev && prev.documents !== documents) file.kept = keptOf(prev.documents, documents);
    return { file, complete: true, total: documents.length };
  }

  /**
   * Like `analyzeUntil`, for a text held as its documents (server/src/lsp/documentStore.ts): no string of
   * the whole file is needed. The documents that are the same as last time (the same chunk texts; a store
   * keeps the same strings for the documents an edit did not touch) are kept as they were, moved to
   * their chunk's place; only the others are looked up in the cache or parsed.
   */
  analyzeChunks(chunks: readonly Chunk[], deadline = Number.POSITIVE_INFINITY): { file: FileAnalysis; complete: boolean; total: number } {
    const prev = this.last;
    const counter = { parsed: 0 };
    const analyzed = this.analyzer(counter, 'own');
    let documents: AnalyzedDocument[];
    if (prev && prev.chunks === chunks) {
      documents = prev.documents;
    } else if (prev) {
      documents = this.reuse(prev.documents, chunks, analyzed, true, prev.chunks);
    } else {
      const cold = this.coldSlice(chunks, () => chunks, deadline, analyzed, counter);
      if (cold) return cold;
      documents = this.last!.documents;
    }
    this.last = { text: undefined, chunks, documents };
    const file: FileAnalysis = { documents, ours: documents.some((d) => d.doc.ours), parsed: counter.parsed };
    if (prev && prev.documents !== documents) file.kept = keptOf(prev.documents, documents);
    return { file, complete: true, total: documents.length };
  }

  /**
   * The documents of `chunks`, given those analysed last: the leading and trailing ones with the same text
   * are kept as they were (moved to their chunk's place), the others are looked up in the cache or parsed.
   * `own`: the chunks are the caller's to keep (a store's); else they are slices of a whole text, and a
   * kept document keeps its own copy of its text.
   */
  private reuse(old: AnalyzedDocument[], chunks: readonly Chunk[], analyzed: (c: Chunk, cache: Map<string, CacheEntry>, previous?: ParsedDocument) => AnalyzedDocument, own: boolean, oldChunks?: readonly Chunk[]): AnalyzedDocument[] {
    const n = old.length;
    const m = chunks.length;
    // a store's chunks that an edit did not touch are the same objects as last time: compared as such
    // first (no document is looked at), then by text
    let head = 0;
    if (oldChunks?.length === n) while (head < n && head < m && oldChunks[head] === chunks[head]) head++;
    while (head < n && head < m && old[head].chunk.text === chunks[head].text) head++;
    let tail = 0;
    if (oldChunks?.length === n) while (tail < n - head && tail < m - head && oldChunks[n - 1 - tail] === chunks[m - 1 - tail]) tail++;
    while (tail < n - head && tail < m - head && old[n - 1 - tail].chunk.text === chunks[m - 1 - tail].text) tail++;
    const moved = (d: AnalyzedDocument, c: Chunk): AnalyzedDocument =>
      d.chunk === c || (d.chunk.startLine === c.startLine && d.chunk.startOffset === c.startOffset) ? d : { ...d, chunk: own ? c : { ...c, text: d.chunk.text } };
    const added = new Map<string, CacheEntry>();
    const documents: AnalyzedDocument[] = [];
    for (let k = 0; k < head; k++) documents.push(oldChunks?.[k] === chunks[k] ? old[k] : moved(old[k], chunks[k]));
    // one document edited: its parse before the edit may serve (an edit inside one value: scalarEdit.ts)
    const previous = m - tail - head === 1 && n - tail - head === 1 ? old[head].doc : undefined;
    for (let k = head; k < m - tail; k++) documents.push(analyzed(chunks[k], added, previous));
    for (let k = n - tail; k < n; k++) documents.push(oldChunks?.[k] === chunks[k - n + m] ? old[k] : moved(old[k], chunks[k - n + m]));
    // the cache: what the changed documents held goes (unless they hold it still), what they hold now comes
    for (let k = head; k < n - tail; k++) if (!added.has(old[k].chunk.text)) this.cache.delete(old[k].chunk.text);
    for (const [k, e] of added) this.cache.set(k, e);
    return documents;
  }

  /** The analysis of one chunk: from the cache (or of those analysed before), else parsed and checked. */
  private analyzer(counter: { parsed: number }, fileLength: number | 'own'): (chunk: Chunk, cache: Map<string, CacheEntry>, previous?: ParsedDocument) => AnalyzedDocument {
    return (chunk, cache, previous) => {
      let entry = cache.get(chunk.text) ?? this.analysedBefore(chunk.text);
      if (!entry) {
        // (a file of one document: its text is the file's, nothing to detach; a store's chunks are their own strings)
        entry = analyzeChunk(fileLength === 'own' || chunk.text.length === fileLength ? chunk.text : detached(chunk.text), previous);
        counter.parsed++;
      }
      cache.set(entry.doc.text, entry);
      // a store's chunk as it is; a slice of a text: the cached text stands for it (equal, and not a slice of this version of the file)
      return { chunk: fileLength === 'own' ? chunk : { ...chunk, text: entry.doc.text }, doc: entry.doc, value: entry.value, local: entry.local };
    };
  }

  /**
   * The first analysis of a file: if it is the same text as the call that ran out of time, it goes on from
   * where that stopped (each call costs what it analyses, not the whole file again); another text starts
   * over, reusing what was analysed. Returns the partial result when out of time; else sets `last`.
   */
  private coldSlice(key: string | readonly Chunk[], split: () => readonly Chunk[], deadline: number, analyzed: (c: Chunk, cache: Map<string, CacheEntry>) => AnalyzedDocument, counter: { parsed: number }): { file: FileAnalysis; complete: boolean; total: number } | undefined {
    const same = this.cold?.text === key ? this.cold : undefined;
    const chunks = same ? same.chunks : split();
    const next = same ? same.cache : new Map<string, CacheEntry>();
    const documents = same ? same.documents : [];
    for (let i = documents.length; i < chunks.length; i++) {
      const c = chunks[i];
      if (counter.parsed > 0 && !next.has(c.text) && !this.analysedBefore(c.text) && performance.now() > deadline) {
        // out of time: what is done is kept for the next call
        this.cold = { text: key, chunks, cache: next, documents };
        return { file: { documents: documents.slice(), ours: documents.some((d) => d.doc.ours), parsed: counter.parsed }, complete: false, total: chunks.length };
      }
      documents.push(analyzed(c, next));
    }
    this.cache = next;
    this.cold = undefined;
    this.last = { text: typeof key === 'string' ? key : undefined, chunks: typeof key === 'string' ? undefined : key, documents };
    return undefined;
  }
}

/**
 * How many documents at the start and at the end of `after` are those of `before`: the same objects, or
 * the same analysis on the same line (moved by an edit before them that added or removed characters but
 * no line: their findings and objects are the same).
 */
function keptOf(before: readonly AnalyzedDocument[], after: readonly AnalyzedDocument[]): { before: readonly AnalyzedDocument[]; head: number; tail: number } {
  const n = before.length;
  const m = after.length;
  let head = 0;
  while (head < n && head < m && sameDocument(before[head], after[head])) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && sameDocument(before[n - 1 - tail], after[m - 1 - tail])) tail++;
  return { before, head, tail };
}

const indexed = new WeakMap<object, IndexedObject>();

/**
 * The objects of an analysis (asked for by the environment rules and then by the workspace index), by its
 * documents array, with what they were made of: `objects.at[k]` is where document k's object (if any) is;
 * `namespaces` counts the namespaces the objects state (the file's namespace is the one, if exactly one).
 */
interface FileObjects {
  uri: string;
  objects: Runs<IndexedObject>;
  namespaces: Map<string, number>;
  fileNamespace: string | undefined;
}
const objectsByDocuments = new WeakMap<readonly AnalyzedDocument[], FileObjects>();
/** No objects, as what an analysis with nothing kept starts from. */
const NO_OBJECTS: FileObjects = { uri: '', objects: { items: [], at: new Int32Array(1) }, namespaces: new Map(), fileNamespace: undefined };

/** The object of one document (the same object for the same document value: no allocation per edit for the unchanged ones). */
function objectOf(d: AnalyzedDocument, uri: string): IndexedObject | undefined {
  const v = d.value;
  if (!v || typeof v.kind !== 'string') return undefined;
  const known = indexed.get(v);
  if (known && known.uri === uri) return known;
  const meta = (v.metadata && typeof v.metadata === 'object' ? v.metadata : {}) as Record<string, unknown>;
  const o: IndexedObject = {
    uri,
    kind: v.kind,
    apiVersion: typeof v.apiVersion === 'string' ? v.apiVersion : undefined,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    value: v,
  };
  indexed.set(v, o);
  return o;
}

function countNamespaces(counts: Map<string, number>, objects: readonly IndexedObject[], by: number): void {
  for (const o of objects) if (o.namespace !== undefined) counts.set(o.namespace, (counts.get(o.namespace) ?? 0) + by);
}

/** The one namespace counted (of those still counted), if exactly one (fileNamespaceOf, from the counts). */
function soleNamespace(counts: Map<string, number>): string | undefined {
  let ns: string | undefined;
  for (const [k, n] of counts) {
    if (n <= 0) continue;
    if (ns !== undefined) return undefined;
    ns = k;
  }
  return ns;
}

/**
 * Every object in a file, for cross-document checks and the workspace index. After an edit, the objects
 * of the last analysis with those of the changed documents replaced (FileAnalysis.kept): what it costs
 * follows the changed documents, not the file.
 */
export function objectsOf(file: FileAnalysis, uri: string): IndexedObject[] {
  const documents = file.documents;
  const known = objectsByDocuments.get(documents);
  if (known && known.uri === uri) return known.objects.items;
  // the last analysis's objects with those of the changed documents replaced (from nothing when none is kept)
  const kept = file.kept;
  const kin = kept && objectsByDocuments.get(kept.before);
  const last = kin && kin.uri === uri ? kin : NO_OBJECTS;
  const head = last === kin ? kept!.head : 0;
  const tail = last === kin ? kept!.tail : 0;
  const n = last.objects.at.length - 1;
  const mid: IndexedObject[][] = [];
  for (let k = head; k < documents.length - tail; k++) {
    const o = objectOf(documents[k], uri);
    mid.push(o ? [o] : []);
  }
  const objects = spliceRuns(last.objects, head, tail, mid);
  const from = last.objects.at[head];
  const added = objects.items.slice(from, objects.at[documents.length - tail]);
  const namespaces = new Map(last.namespaces);
  countNamespaces(namespaces, last.objects.items.slice(from, last.objects.at[n - tail]), -1);
  countNamespaces(namespaces, added, 1);
  for (const [k, c] of namespaces) if (c <= 0) namespaces.delete(k);
  const fileNamespace = soleNamespace(namespaces);
  // (set on every object without a namespace of its own, also when none: a reused object may carry the file's earlier one)
  for (const o of last !== NO_OBJECTS && fileNamespace === last.fileNamespace ? added : objects.items) if (o.namespace === undefined && o.fileNamespace !== fileNamespace) o.fileNamespace = fileNamespace;
  if (last !== NO_OBJECTS) recordKeptObjects(objects.items, { before: last.objects.items, head: from, tail: last.objects.items.length - last.objects.at[n - tail] });
  objectsByDocuments.set(documents, { uri, objects, namespaces, fileNamespace });
  return objects.items;
}

/**
 * The objects of some kinds in a file that is not open (the workspace index): only documents that
 * name one of the kinds are parsed, and they are not checked (no validation, no rules).
 */
export function objectsOfKinds(text: string, uri: string, kinds: ReadonlySet<string>): IndexedObject[] {
  const names = [...kinds];
  const documents: AnalyzedDocument[] = [];
  for (const chunk of splitDocuments(text)) {
    if (!names.some((k) => chunk.text.includes(k))) continue;
    const doc = parseChunk(chunk);
    const value = doc.yaml && !doc.template ? plainValue(doc) : undefined;
    if (value && typeof value.kind === 'string' && kinds.has(value.kind)) documents.push({ chunk, doc, value, local: [] });
  }
  return objectsOf({ documents, ours: false, parsed: documents.length }, uri);
}

/** Identity numbers for objects, to tell cheaply whether the file's objects changed. */
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/** Kinds some rule checks against the environment (the others have nothing to re-check when it changes). */
const ENV_KINDS = new Set(allRules.flatMap((r) => (r.checkWithEnvironment ? r.kinds : [])));

/** The last stamp computed per kind (see stampFor). */
const lastStamps = new Map<string, string>();

/** Environment-rule findings per document value, reused while their inputs are unchanged. */
const envResults = new WeakMap<object, { key: string; diagnostics: Diagnostic[] }>();

/** Version findings per parsed document, reused while the target version stays the same. */
const versionResults = new WeakMap<ParsedDocument, { schema: string; requested: string; diagnostics: Diagnostic[] }>();

function versionFindings(doc: ParsedDocument, target: TargetVersion): Diagnostic[] {
  const cached = versionResults.get(doc);
  if (cached && cached.schema === target.schema && cached.requested === target.requested) return cached.diagnostics;
  // kept as they are published (before any syntax error): the same array while nothing changed
  const found = versionDiagnostics(doc, target);
  const diagnostics = found.length ? beforeSyntaxError(doc, found) : NO_FINDINGS;
  versionResults.set(doc, { schema: target.schema, requested: target.requested, diagnostics });
  return diagnostics;
}

const DISABLE = /#\s*statefulset-studio-disable-next-line\b(.*)$/;

/** Is this finding switched off by a `# statefulset-studio-disable-next-line [id …]` comment above it? */
function suppressed(doc: ParsedDocument, d: Diagnostic): boolean {
  for (let line = d.range.start.line - 1; line >= 0; line--) {
    const text = doc.lines.lineText(line);
    const m = DISABLE.exec(text);
    if (m) {
      const ids = m[1].split(/[\s,]+/).filter(Boolean);
      return ids.length === 0 || ids.includes(String(d.code));
    }
    if (!/^\s*#/.test(text)) return false; // only comment lines may stand between
  }
  return false;
}

/**
 * What the last call of fileDiagnostics for an environment assembled (the server has one environment per
 * open document): the next call re-checks only the documents that are not the same objects as then (an
 * edit's; the analyzer keeps the others), and those whose cross-document inputs changed, instead of a pass
 * over every document of the file.
 */
interface Assembled {
  uri: string;
  settings: RuleSettings;
  target: TargetVersion;
  envStamp: string | undefined;
  localOnly: boolean;
  documents: AnalyzedDocument[];
  /** Per document, its findings as published. */
  mine: Diagnostic[][];
  /** All of them, as returned, with where each document's begin. */
  findings: Runs<Diagnostic>;
  /** Per kind with environment rules, the indices of the documents of that kind that have them checked. */
  envAt: Map<string, number[]>;
  /** The environment stamp computed per kind. */
  stamps: Map<string, string>;
}
const assembled = new WeakMap<RuleEnvironment, Assembled>();
/** What a call without a last one to go on from starts from. */
const NOTHING_ASSEMBLED: Pick<Assembled, 'documents' | 'mine' | 'findings' | 'envAt'> = { documents: [], mine: [], findings: { items: [], at: new Int32Array(1) }, envAt: new Map() };

/** A kind name key for documents without one. */
const NO_KIND = '\0';

/** The diagnostics of a file with positions in the file; nothing at all for files that are not ours. */
export function fileDiagnostics(file: FileAnalysis, opts: AnalysisOptions = {}): Diagnostic[] {
  if (!file.ours) return [];
  const uri = opts.uri ?? '';
  const env = opts.env ?? emptyEnvironment;
  const settings = opts.settings ?? {};
  const target = opts.kubernetesVersion ?? DEFAULT_TARGET;
  const localOnly = opts.localOnly === true;
  const documents = file.documents;
  let fileEnv: FileEnvironment | undefined;
  // what environment rules of a document of kind K may depend on: the file's objects of other kinds,
  // and the environment's own version
  const envStamp = env.version ? `${idOf(env)}:${env.version()}` : undefined;
  // the last call for this environment, if it was about the same file with the same inputs: the documents
  // it had at the start and the end (the same objects) are reused, unless their cross-document inputs changed
  const memo = opts.env ? assembled.get(opts.env) : undefined;
  const prev = memo && memo.uri === uri && memo.settings === settings && memo.target === target && memo.envStamp === envStamp && memo.localOnly === localOnly ? memo : undefined;
  let head = 0;
  let tail = 0;
  /** Kinds (names) of the documents with values that changed since then: the stamps of other kinds changed. */
  let changedKinds: Set<string> | undefined;
  if (prev) {
    const old = prev.documents;
    const n = old.length;
    const m = documents.length;
    // (what the analyzer found kept, when it compared with these documents)
    ({ head, tail } = file.kept?.before === old ? file.kept : keptOf(old, documents));
    changedKinds = new Set();
    for (let k = head; k < n - tail; k++) if (old[k].value) changedKinds.add(old[k].doc.kindName ?? NO_KIND);
    for (let k = head; k < m - tail; k++) if (documents[k].value) changedKinds.add(documents[k].doc.kindName ?? NO_KIND);
  }
  /** Is the stamp of kind K what it was in the last call (no document with a value of another kind changed)? */
  const stampKept = (kind: string) => changedKinds !== undefined && (changedKinds.size === 0 || (changedKinds.size === 1 && changedKinds.has(kind)));
  const stamps = new Map<string, string>();
  const stampFor = (kind: string): string | undefined => {
    if (envStamp === undefined) return undefined;
    let st = stamps.get(kind);
    if (st === undefined) {
      st = stampKept(kind) ? prev!.stamps.get(kind) : undefined;
      if (st === undefined) {
        const parts = [envStamp];
        for (const d of documents) if (d.value && d.doc.kindName !== kind) parts.push(String(idOf(d.value)));
        st = parts.join(',');
        // the same string object as last time when equal: each document's check is then a pointer compare
        const before = lastStamps.get(kind);
        if (before === st) st = before;
        else lastStamps.set(kind, st);
      }
      stamps.set(kind, st);
    }
    return st;
  };
  const objects = () => (fileEnv ??= { ...env, workspace: env.workspace.bind(env), live: env.live.bind(env), fileObjects: objectsOf(file, uri), uri });
  const envKindOf = (d: AnalyzedDocument) => (!localOnly && d.doc.kind && d.value && ENV_KINDS.has(d.doc.kind.kind) ? d.doc.kind.kind : undefined);
  const check = (d: AnalyzedDocument) => {
    if (opts.stats) opts.stats.rechecked++;
    return documentFindings(d, settings, target, localOnly, stampFor, objects);
  };
  // the last call's findings with those of the changed documents replaced (from nothing without one): the
  // documents kept are not looked at, except those with environment rules whose inputs changed
  const base = prev ?? NOTHING_ASSEMBLED;
  const m = documents.length;
  const n = base.documents.length;
  const mid: Diagnostic[][] = [];
  for (let k = head; k < m - tail; k++) mid.push(check(documents[k]));
  const mine = base.mine.slice(0, head).concat(mid, base.mine.slice(n - tail));
  // the documents with environment rules: those kept (moved to their place) and the changed ones, in order
  const midAt = new Map<string, number[]>();
  for (let k = head; k < m - tail; k++) {
    const kind = envKindOf(documents[k]);
    if (kind !== undefined) midAt.set(kind, [...(midAt.get(kind) ?? []), k]);
  }
  const envAt = new Map<string, number[]>();
  let rechecked = false;
  for (const kind of new Set([...base.envAt.keys(), ...midAt.keys()])) {
    const list = base.envAt.get(kind) ?? [];
    const at: number[] = [];
    let i = 0;
    for (; i < list.length && list[i] < head; i++) at.push(list[i]);
    for (const k of midAt.get(kind) ?? []) at.push(k);
    for (; i < list.length; i++) if (list[i] >= n - tail) at.push(list[i] - n + m);
    envAt.set(kind, at);
    if (stampKept(kind)) continue;
    // their inputs changed: checked again (the changed documents were just now)
    for (const k of at) {
      if (k >= head && k < m - tail) continue;
      const found = check(documents[k]);
      if (found !== mine[k]) (mine[k] = found), (rechecked = true);
    }
  }
  const findings = rechecked ? runsFrom(mine) : spliceRuns(base.findings, head, tail, mid);
  if (opts.env) {
    // the stamps this call knows (computed, or kept from the last call)
    const known = new Map<string, string>();
    if (envStamp !== undefined) for (const kind of new Set([...(prev?.stamps.keys() ?? []), ...stamps.keys()])) {
      const st = stamps.get(kind) ?? (stampKept(kind) ? prev!.stamps.get(kind) : undefined);
      if (st !== undefined) known.set(kind, st);
    }
    assembled.set(opts.env, { uri, settings, target, envStamp, localOnly, documents, mine, findings, envAt, stamps: known });
  }
  // a new array each call (the caller's to keep, not the memo's), from which the publish finds each document's part
  const out = opts.env ? findings.items.slice() : findings.items;
  recordRuns(out, mine);
  return out;
}

/**
 * The same document at the same line as in the last call: the same parse (the cache's entry of its text)
 * on the same first line. Its offset in the file may differ — an edit earlier in the file that added or
 * removed characters but no line moves every later document — and findings do not depend on it.
 */
function sameDocument(a: AnalyzedDocument, b: AnalyzedDocument): boolean {
  return a === b || (a.doc === b.doc && a.value === b.value && a.local === b.local && a.chunk.startLine === b.chunk.startLine);
}

/** One document's findings in the file: the same objects as last time while nothing about them changed. */
function documentFindings(d: AnalyzedDocument, settings: RuleSettings, target: TargetVersion, localOnly: boolean, stampFor: (kind: string) => string | undefined, fileEnv: () => FileEnvironment): Diagnostic[] {
  // a document of another kind in the same file: only its broken YAML, and only if it has no kind
  let extra = NO_FINDINGS;
  const found = d.doc.ours ? d.local : d.doc.kindName === undefined && !d.doc.empty ? d.local.filter((x) => x.code === 'yaml-syntax' || x.code === 'duplicate-key') : [];
  if (!localOnly && d.doc.kind && d.value && ENV_KINDS.has(d.doc.kind.kind)) {
    const key = stampFor(d.doc.kind.kind);
    const cached = key !== undefined ? envResults.get(d.value) : undefined;
    if (cached && cached.key === key) {
      extra = cached.diagnostics;
    } else {
      const computed: Diagnostic[] = [];
      for (const rule of allRules) {
        if (!rule.checkWithEnvironment || !rule.kinds.includes(d.doc.kind.kind)) continue;
        const ctx = new DocumentContext(d.doc, d.value, rule);
        rule.checkWithEnvironment(ctx, fileEnv());
        computed.push(...ctx.diagnostics);
      }
      extra = computed.length ? beforeSyntaxError(d.doc, computed) : computed;
      if (key !== undefined) envResults.set(d.value, { key, diagnostics: extra });
    }
  }
  const versioned = d.doc.kind && d.value ? versionFindings(d.doc, target) : NO_FINDINGS;
  // the document's final findings: the same objects as last time while nothing about them changed
  const last = published.get(d.local);
  if (last && last.startLine === d.chunk.startLine && last.settings === settings && last.extra === extra && last.versioned === versioned && last.ours === d.doc.ours) return last.out;
  const mine: Diagnostic[] = [];
  for (const diag of extra.length || versioned.length ? [...found, ...extra, ...versioned] : found) {
    const setting = settings[String(diag.code)];
    if (setting === 'off') continue;
    if (suppressed(d.doc, diag)) continue;
    let r = diag;
    if (setting && severityByName[setting] && severityByName[setting] !== diag.severity) r = { ...r, severity: severityByName[setting] };
    if (d.chunk.startLine) r = { ...r, range: shiftRange(r.range, d.chunk.startLine) };
    mine.push(r);
  }
  published.set(d.local, { startLine: d.chunk.startLine, settings, extra, versioned, ours: d.doc.ours, out: mine });
  return mine;
}

const NO_FINDINGS: Diagnostic[] = [];
/** Per document (its local findings), the findings last produced for it in the file and what they depended on. */
const published = new WeakMap<Diagnostic[], { startLine: number; settings: RuleSettings; extra: Diagnostic[]; versioned: Diagnostic[]; ours: boolean; out: Diagnostic[] }>();

/** One-shot analysis of a text (the CLI, tests). */
export function analyzeText(text: string, opts: AnalysisOptions = {}): { file: FileAnalysis; diagnostics: Diagnostic[] } {
  const file = new FileAnalyzer().analyze(text);
  return { file, diagnostics: fileDiagnostics(file, opts) };
}
