// The open documents of the language server, kept as their YAML documents (chunks cut at `---` / `...`
// marker lines, as engine/split.ts cuts them). An incremental `didChange` touches only the chunks its
// range covers (and one on each side, where a marker line may be made or broken): it never builds a
// string of the whole file, which on a big file cost a flat copy of all of it per keystroke (V8 flattens
// an edited string before it can be sliced). The analysis takes the chunks as they are (unchanged ones are
// the same objects); features that need the whole text get it from getText(), built on demand and kept
// for the version. Replaces vscode-languageserver's TextDocuments (same events, versions and positions:
// UTF-16 columns; \n, \r\n and a lone \r end a line).
import { Emitter, TextDocumentSyncKind, type Connection, type Event, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineIndex } from '../engine/diagnostic';
import { splitDocuments, type Chunk } from '../engine/split';

/** A chunk of an open document: its text, where it starts, and (on demand) where its lines start. */
export interface StoredChunk extends Chunk {
  /** Line breaks in the text (as an LSP client counts them). */
  readonly breaks: number;
  /** Offsets in the text where each of its lines starts (computed when a position in it is asked for). */
  lineStarts?: number[];
}

/** Offsets (in `text`) where each line starts: \n, \r\n and a lone \r end a line (the engine's LineIndex). */
function lineStartsOf(text: string): number[] {
  return new LineIndex(text).starts;
}

/** The last index in [lo, n) whose key is at most `x`, for keys ascending (`lo` when none is). */
function lastAtMost(n: number, key: (i: number) => number, x: number, lo = 0): number {
  let hi = n - 1;
  let found = lo;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(mid) <= x) (found = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  return found;
}

function breaksOf(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) n++;
  return n;
}

/** A copy that shares nothing with the (bigger) string it was cut from, flat (V8 slices keep their parent alive). */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function chunk(text: string, startLine: number, startOffset: number, lineStarts?: number[]): StoredChunk {
  return { text, startLine, startOffset, breaks: lineStarts ? lineStarts.length - 1 : breaksOf(text), lineStarts };
}

export interface Position {
  line: number;
  character: number;
}

/** One open document. Chunks are never changed in place: an edit makes new ones (moved ones are new objects). */
export class StoredDocument {
  private parts: StoredChunk[];
  private text: string | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    content: string,
  ) {
    this.parts = StoredDocument.chunksOf(content, 0, 0);
    this.text = content;
  }

  private static chunksOf(text: string, line: number, offset: number): StoredChunk[] {
    return splitDocuments(text).map((c) => chunk(own(c.text), c.startLine + line, c.startOffset + offset));
  }

  /** The document's chunks now (an array of its own: the next edit makes a new one). */
  get chunks(): readonly StoredChunk[] {
    return this.parts;
  }

  get length(): number {
    const last = this.parts[this.parts.length - 1];
    return last.startOffset + last.text.length;
  }

  get lineCount(): number {
    const last = this.parts[this.parts.length - 1];
    return last.startLine + last.breaks + 1;
  }

  /** The whole text: built when asked for, then kept until the next change. */
  getText(): string {
    if (this.text === undefined) this.text = this.parts.length === 1 ? this.parts[0].text : this.parts.map((c) => c.text).join('');
    return this.text;
  }

  /** The index of the chunk that holds a line (the last one for lines past the end). */
  private chunkOfLine(line: number): number {
    return lastAtMost(this.parts.length, (i) => this.parts[i].startLine, line);
  }

  /** The offset of a position, as vscode-languageserver-textdocument computes it (clamped into the line, before its line break). */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineCount) return this.length;
    const c = this.parts[this.chunkOfLine(pos.line)];
    const starts = (c.lineStarts ??= lineStartsOf(c.text));
    const k = pos.line - c.startLine;
    const lineStart = starts[k];
    if (pos.character <= 0) return c.startOffset + lineStart;
    const next = k + 1 < starts.length ? starts[k + 1] : c.text.length;
    let at = Math.min(lineStart + pos.character, next);
    while (at > lineStart && (c.text.charCodeAt(at - 1) === 10 || c.text.charCodeAt(at - 1) === 13)) at--;
    return c.startOffset + at;
  }

  /** The position of an offset. */
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.length));
    const p = this.parts;
    const c = p[lastAtMost(p.length, (i) => p[i].startOffset, offset)];
    const starts = (c.lineStarts ??= lineStartsOf(c.text));
    const rel = offset - c.startOffset;
    const a = lastAtMost(starts.length, (i) => starts[i], rel);
    let at = rel;
    // (inside a \r\n: before it, as the text document does)
    while (at > starts[a] && (c.text.charCodeAt(at - 1) === 10 || c.text.charCodeAt(at - 1) === 13)) at--;
    return { line: c.startLine + a, character: at - starts[a] };
  }

  /** Applies the changes of one didChange, in order, and takes its version. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        let { start, end } = change.range;
        if (start.line > end.line || (start.line === end.line && start.character > end.character)) [start, end] = [end, start];
        this.replace(this.offsetAt(start), this.offsetAt(end), change.text);
      } else {
        this.parts = StoredDocument.chunksOf(change.text, 0, 0);
        this.text = change.text;
      }
    }
    this.version = version;
  }

  /**
   * Replaces [from, to) by `inserted`: the chunks the range touches and one on each side are cut again
   * (an edit may make a marker line or break one, which joins two documents); the chunks after them move.
   */
  private replace(from: number, to: number, inserted: string): void {
    const p = this.parts;
    const n = p.length;
    // the chunk holding `from`, and the last chunk that starts before `to` (or `from`'s own)
    const i = lastAtMost(n, (k) => p[k].startOffset, from);
    const j = lastAtMost(n, (k) => p[k].startOffset, to - 1, i);
    const first = Math.max(0, i - 1);
    const last = Math.min(n - 1, j + 1);
    const regionStart = p[first].startOffset;
    let region = '';
    for (let k = first; k <= last; k++) region += p[k].text;
    region = region.slice(0, from - regionStart) + inserted + region.slice(to - regionStart);
    const made = StoredDocument.chunksOf(region, p[first].startLine, regionStart);
    const lastMade = made[made.length - 1];
    const next = { line: lastMade.startLine + lastMade.breaks, offset: lastMade.startOffset + lastMade.text.length };
    const parts = p.slice(0, first);
    for (const c of made) parts.push(c);
    if (last + 1 < n) {
      const lineDelta = next.line - p[last + 1].startLine;
      const delta = next.offset - p[last + 1].startOffset;
      for (let k = last + 1; k < n; k++) {
        const c = p[k];
        parts.push(lineDelta === 0 && delta === 0 ? c : chunk(c.text, c.startLine + lineDelta, c.startOffset + delta, c.lineStarts));
      }
    }
    this.parts = parts;
    this.text = undefined;
  }
}

export interface DocumentEvent {
  document: StoredDocument;
}

/** The open documents, fed by the connection's text document notifications (in place of TextDocuments). */
export class DocumentStore {
  private docs = new Map<string, StoredDocument>();
  private readonly opened = new Emitter<DocumentEvent>();
  private readonly changed = new Emitter<DocumentEvent>();
  private readonly closedDocs = new Emitter<DocumentEvent>();
  private readonly saved = new Emitter<DocumentEvent>();

  /** A document was opened (then `onDidChangeContent` fires for it too, as TextDocuments does). */
  get onDidOpen(): Event<DocumentEvent> {
    return this.opened.event;
  }
  get onDidChangeContent(): Event<DocumentEvent> {
    return this.changed.event;
  }
  get onDidClose(): Event<DocumentEvent> {
    return this.closedDocs.event;
  }
  get onDidSave(): Event<DocumentEvent> {
    return this.saved.event;
  }

  get(uri: string): StoredDocument | undefined {
    return this.docs.get(uri);
  }

  all(): StoredDocument[] {
    return [...this.docs.values()];
  }

  open(uri: string, languageId: string, version: number, text: string): StoredDocument {
    const document = new StoredDocument(uri, languageId, version, text);
    this.docs.set(uri, document);
    this.opened.fire({ document });
    this.changed.fire({ document });
    return document;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    if (!changes.length) return;
    if (version === null || version === undefined) throw new Error(`Received document change event for ${uri} without valid version identifier`);
    const document = this.docs.get(uri);
    if (!document) return;
    document.update(changes, version);
    this.changed.fire({ document });
  }

  close(uri: string): void {
    const document = this.docs.get(uri);
    if (!document) return;
    this.docs.delete(uri);
    this.closedDocs.fire({ document });
  }

  listen(connection: Connection): void {
    (connection as unknown as { __textDocumentSync?: TextDocumentSyncKind }).__textDocumentSync = TextDocumentSyncKind.Incremental;
    connection.onDidOpenTextDocument((e) => void this.open(e.textDocument.uri, e.textDocument.languageId, e.textDocument.version, e.textDocument.text));
    connection.onDidChangeTextDocument((e) => this.change(e.textDocument.uri, e.textDocument.version, e.contentChanges));
    connection.onDidCloseTextDocument((e) => this.close(e.textDocument.uri));
    connection.onDidSaveTextDocument((e) => {
      const document = this.docs.get(e.textDocument.uri);
      if (document) this.saved.fire({ document });
    });
  }
}
