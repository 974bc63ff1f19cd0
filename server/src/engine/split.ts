// Splits a YAML stream into its documents by the `---` / `...` marker lines, without parsing.
// A marker at column 0 always ends the document before it (even inside a block scalar), so this
// agrees with the YAML parser, and lets each document be parsed and cached on its own.
// Lines are counted as an LSP client counts them (a lone \r ends a line too), so startLine is the
// client's line.

export interface Chunk {
  /** The document's text, from the start of its first line to the end of its last line. */
  text: string;
  /** 0-based line of the chunk's first line in the whole file. */
  startLine: number;
  /** Offset of the chunk's first character in the whole file. */
  startOffset: number;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r]|$)/;

export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let line = 0;
  let pos = 0;
  const n = text.length;
  const hasCR = text.indexOf('\r') >= 0;
  for (;;) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    const c = text.charCodeAt(pos);
    // a marker line starts a new chunk (the marker belongs to the new document)
    if (pos > chunkStart && (c === 45 || c === 46) && MARKER.test(text.slice(pos, Math.min(end, pos + 4)))) {
      chunks.push({ text: text.slice(chunkStart, pos), startLine: chunkLine, startOffset: chunkStart });
      chunkStart = pos;
      chunkLine = line;
    }
    if (hasCR) line += loneCarriageReturns(text, pos, end);
    if (end >= n) break;
    pos = end + 1;
    line++;
  }
  chunks.push({ text: text.slice(chunkStart), startLine: chunkLine, startOffset: chunkStart });
  return chunks;
}

/** Lone \r (not followed by \n) in text[from, to): line breaks for an LSP client inside one \n line. */
export function loneCarriageReturns(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\r', from); i >= 0 && i < to; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) count++;
  return count;
}
