// Analyses a whole file: splits it into documents, parses and checks each one, and caches the result
// per document text so that an edit re-analyses only the documents it touched. Checks that look
// beyond one document (the rest of the file, the workspace, the live cluster) run on every call;
// they are cheap by design.
import { allRules } from '../rules';
import { fileNamespaceOf } from '../rules/practices/resolve';
import { DocumentContext, emptyEnvironment, plainValue, type FileEnvironment, type IndexedObject, type RuleEnvironment } from '../rules/framework';
import { severityByName, shiftRange, type Diagnostic, type SeverityName } from './diagnostic';
import { beforeSyntaxError, parseChunk, type ParsedDocument } from './document';
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
}

/** Per-rule severity overrides (statefulsetStudio.rules.<id>). */
export type RuleSettings = Record<string, SeverityName | 'off'>;

export interface AnalysisOptions {
  uri?: string;
  env?: RuleEnvironment;
  settings?: RuleSettings;
  /** Check fields against this Kubernetes version (absent: the newest bundled). */
  kubernetesVersion?: TargetVersion;
}

interface CacheEntry {
  doc: ParsedDocument;
  value: Record<string, unknown> | undefined;
  local: Diagnostic[];
}

function analyzeChunk(text: string): CacheEntry {
  const doc = parseChunk({ text });
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

/** Keeps the analysis of one file's documents between edits. */
export class FileAnalyzer {
  private cache = new Map<string, CacheEntry>();

  analyze(text: string): FileAnalysis {
    const chunks = splitDocuments(text);
    const next = new Map<string, CacheEntry>();
    let parsed = 0;
    const documents: AnalyzedDocument[] = chunks.map((chunk) => {
      let entry = next.get(chunk.text) ?? this.cache.get(chunk.text);
      if (!entry) {
        entry = analyzeChunk(chunk.text);
        parsed++;
      }
      next.set(chunk.text, entry);
      return { chunk, doc: entry.doc, value: entry.value, local: entry.local };
    });
    this.cache = next;
    return { documents, ours: documents.some((d) => d.doc.ours), parsed };
  }
}

/** Every object in a file, for cross-document checks and the workspace index. */
export function objectsOf(file: FileAnalysis, uri: string): IndexedObject[] {
  const out: IndexedObject[] = [];
  for (const d of file.documents) {
    const v = d.value;
    if (!v || typeof v.kind !== 'string') continue;
    const meta = (v.metadata && typeof v.metadata === 'object' ? v.metadata : {}) as Record<string, unknown>;
    out.push({
      uri,
      kind: v.kind,
      apiVersion: typeof v.apiVersion === 'string' ? v.apiVersion : undefined,
      name: typeof meta.name === 'string' ? meta.name : undefined,
      namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
      value: v,
    });
  }
  const fileNamespace = fileNamespaceOf(out);
  if (fileNamespace !== undefined) for (const o of out) if (o.namespace === undefined) o.fileNamespace = fileNamespace;
  return out;
}

/** Identity numbers for objects, to tell cheaply whether the file's objects changed. */
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/** Environment-rule findings per document value, reused while their inputs are unchanged. */
const envResults = new WeakMap<object, { key: string; diagnostics: Diagnostic[] }>();

/** Version findings per parsed document, reused while the target version stays the same. */
const versionResults = new WeakMap<ParsedDocument, { schema: string; requested: string; diagnostics: Diagnostic[] }>();

function versionFindings(doc: ParsedDocument, target: TargetVersion): Diagnostic[] {
  const cached = versionResults.get(doc);
  if (cached && cached.schema === target.schema && cached.requested === target.requested) return cached.diagnostics;
  const diagnostics = versionDiagnostics(doc, target);
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

/** The diagnostics of a file with positions in the file; nothing at all for files that are not ours. */
export function fileDiagnostics(file: FileAnalysis, opts: AnalysisOptions = {}): Diagnostic[] {
  if (!file.ours) return [];
  const uri = opts.uri ?? '';
  const env = opts.env ?? emptyEnvironment;
  const settings = opts.settings ?? {};
  let fileEnv: FileEnvironment | undefined;
  const out: Diagnostic[] = [];
  // what environment rules of a document of kind K may depend on: the file's objects of other kinds,
  // and the environment's own version
  const envStamp = env.version ? `${idOf(env)}:${env.version()}` : undefined;
  const stamps = new Map<string, string>();
  const stampFor = (kind: string): string | undefined => {
    if (envStamp === undefined) return undefined;
    let st = stamps.get(kind);
    if (st === undefined) {
      const parts = [envStamp];
      for (const d of file.documents) if (d.value && d.doc.kindName !== kind) parts.push(String(idOf(d.value)));
      stamps.set(kind, (st = parts.join(',')));
    }
    return st;
  };
  for (const d of file.documents) {
    // a document of another kind in the same file: only its broken YAML, and only if it has no kind
    let found = d.doc.ours ? d.local : d.doc.kindName === undefined && !d.doc.empty ? d.local.filter((x) => x.code === 'yaml-syntax' || x.code === 'duplicate-key') : [];
    if (d.doc.kind && d.value) {
      const key = stampFor(d.doc.kind.kind);
      const cached = key !== undefined ? envResults.get(d.value) : undefined;
      let extra: Diagnostic[];
      if (cached && cached.key === key) {
        extra = cached.diagnostics;
      } else {
        extra = [];
        for (const rule of allRules) {
          if (!rule.checkWithEnvironment || !rule.kinds.includes(d.doc.kind.kind)) continue;
          fileEnv ??= { ...env, workspace: env.workspace.bind(env), live: env.live.bind(env), fileObjects: objectsOf(file, uri), uri };
          const ctx = new DocumentContext(d.doc, d.value, rule);
          rule.checkWithEnvironment(ctx, fileEnv);
          extra.push(...ctx.diagnostics);
        }
        if (key !== undefined) envResults.set(d.value, { key, diagnostics: extra });
      }
      if (extra.length) found = [...found, ...beforeSyntaxError(d.doc, extra)];
      const versioned = versionFindings(d.doc, opts.kubernetesVersion ?? DEFAULT_TARGET);
      if (versioned.length) found = [...found, ...beforeSyntaxError(d.doc, versioned)];
    }
    for (const diag of found) {
      const setting = settings[String(diag.code)];
      if (setting === 'off') continue;
      if (suppressed(d.doc, diag)) continue;
      let r = diag;
      if (setting && severityByName[setting] && severityByName[setting] !== diag.severity) r = { ...r, severity: severityByName[setting] };
      if (d.chunk.startLine) r = { ...r, range: shiftRange(r.range, d.chunk.startLine) };
      out.push(r);
    }
  }
  return out;
}

/** One-shot analysis of a text (the CLI, tests). */
export function analyzeText(text: string, opts: AnalysisOptions = {}): { file: FileAnalysis; diagnostics: Diagnostic[] } {
  const file = new FileAnalyzer().analyze(text);
  return { file, diagnostics: fileDiagnostics(file, opts) };
}
