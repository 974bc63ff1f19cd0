// Folding ranges by YAML structure: each document, each mapping entry or sequence item whose value spans
// several lines, and multi-line block scalars — from the parser's node ranges, not from indentation.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { FoldingRange } from 'vscode-languageserver-types';
import type { AnalyzedDocument, FileAnalysis } from './analyzer';
import { nodeRange, pairRange } from './yamlNodes';

function push(out: FoldingRange[], startLine: number, endLine: number): void {
  if (endLine > startLine) out.push({ startLine, endLine });
}

function walk(d: AnalyzedDocument, node: Node | null, out: FoldingRange[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const r = pairRange(d, pair);
      if (r) push(out, r.start.line, r.end.line);
      walk(d, pair.value as Node | null, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      // an item that is itself a collection folds from its dash line; its entries fold inside it
      if (isMap(item) || isSeq(item) || isScalar(item)) {
        const r = nodeRange(d, item);
        if (r && !isScalar(item)) push(out, r.start.line, r.end.line);
      }
      walk(d, item as Node | null, out);
    }
  }
}

export function foldingRanges(file: FileAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const d of file.documents) {
    const root = d.doc.yaml?.contents as Node | null | undefined;
    if (!root) continue;
    // the whole document, from its first line (the `---` marker when there is one)
    const r = nodeRange(d, root);
    if (r && file.documents.length > 1) push(out, d.chunk.startLine, r.end.line);
    walk(d, root, out);
  }
  // one range per start line (the editor keeps the first); outer ranges first
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out.filter((x, i) => i === 0 || x.startLine !== out[i - 1].startLine);
}
