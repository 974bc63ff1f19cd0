// Analyses a whole file: splits it into documents, parses and checks each one, and caches the result
// per document text so that an edit re-analyses only the documents it touched.
import { shiftRange, type Diagnostic } from './diagnostic';
import { parseChunk, type ParsedDocument } from './document';
import { splitDocuments, type Chunk } from './split';
import { validateDocument } from './validate';

export interface AnalyzedDocument {
  /** Where the document sits in the file now. */
  chunk: Chunk;
  doc: ParsedDocument;
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

/** Per-document checks beyond the schema (the StatefulSet rules register here). */
export type DocumentCheck = (doc: ParsedDocument) => Diagnostic[];
/** Checks that look across the documents of a file (and what the workspace knows). */
export type FileCheck = (file: FileAnalysis) => Diagnostic[];

const documentChecks: DocumentCheck[] = [];
const fileChecks: FileCheck[] = [];

export function registerDocumentCheck(c: DocumentCheck): void {
  documentChecks.push(c);
}
export function registerFileCheck(c: FileCheck): void {
  fileChecks.push(c);
}

interface CacheEntry {
  doc: ParsedDocument;
  local: Diagnostic[];
}

function analyzeChunk(text: string): CacheEntry {
  const doc = parseChunk({ text });
  const local = validateDocument(doc);
  if (doc.kind && doc.yaml && !doc.template) for (const c of documentChecks) local.push(...c(doc));
  return { doc, local };
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
      return { chunk, doc: entry.doc, local: entry.local };
    });
    this.cache = next;
    return { documents, ours: documents.some((d) => d.doc.ours), parsed };
  }
}

/** The diagnostics of a file with positions in the file; nothing at all for files that are not ours. */
export function fileDiagnostics(file: FileAnalysis): Diagnostic[] {
  if (!file.ours) return [];
  const out: Diagnostic[] = [];
  for (const d of file.documents) {
    // a document of another kind in the same file: only its broken YAML, and only if it has no kind
    const relevant = d.doc.ours ? d.local : d.doc.kindName === undefined && !d.doc.empty ? d.local.filter((x) => x.code === 'yaml-syntax' || x.code === 'duplicate-key') : [];
    for (const diag of relevant) out.push(d.chunk.startLine ? { ...diag, range: shiftRange(diag.range, d.chunk.startLine) } : diag);
  }
  for (const c of fileChecks) out.push(...c(file));
  return out;
}

/** One-shot analysis of a text (the CLI, tests). */
export function analyzeText(text: string): { file: FileAnalysis; diagnostics: Diagnostic[] } {
  const file = new FileAnalyzer().analyze(text);
  return { file, diagnostics: fileDiagnostics(file) };
}
