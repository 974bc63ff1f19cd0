// Diagnostics as plain LSP data, and the positions they need.
import type { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { ruleHref } from './ruleDocs';

export type { Diagnostic, Range } from 'vscode-languageserver-types';

export const SOURCE = 'statefulset-studio';

export const Severity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const satisfies Record<string, DiagnosticSeverity>;
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';
export const severityByName: Record<SeverityName, DiagnosticSeverity> = {
  error: Severity.Error,
  warning: Severity.Warning,
  information: Severity.Information,
  hint: Severity.Hint,
};

/**
 * The per-document lists a file's findings were assembled from, in order (fileDiagnostics records them):
 * the server's publish encodes a document's findings as one run of bytes, reused while that list is the
 * same object (lists and findings are never changed once made), so a keystroke encodes what changed,
 * not every finding of the file again.
 */
const runsOfList = new WeakMap<readonly Diagnostic[], readonly (readonly Diagnostic[])[]>();

export function recordRuns(list: readonly Diagnostic[], runs: readonly (readonly Diagnostic[])[]): void {
  runsOfList.set(list, runs);
}

/** The runs a list was assembled from, as recorded (whether it still holds their findings is the caller's to check). */
export function runsOfUnchecked(list: readonly unknown[]): readonly (readonly Diagnostic[])[] | undefined {
  return runsOfList.get(list as readonly Diagnostic[]);
}

/** The runs a list was assembled from, if it was and still holds exactly their findings in their order. */
export function runsOf(list: readonly unknown[]): readonly (readonly Diagnostic[])[] | undefined {
  const runs = runsOfList.get(list as readonly Diagnostic[]);
  if (!runs) return undefined;
  let i = 0;
  for (const r of runs) for (const d of r) if (list[i++] !== d) return undefined;
  return i === list.length ? runs : undefined;
}

/** What a quick fix needs to know, carried in Diagnostic.data. */
export interface FixData {
  /** Replace the diagnostic's range with one of these (did-you-mean). */
  replacements?: string[];
  /** Any other data a rule's fix needs. */
  [k: string]: unknown;
}

/**
 * Offsets → line/character within one text, by binary search over line starts. Lines end where an LSP
 * client ends them: at \n, \r\n and a lone \r (old Mac line endings; the YAML parser reads a lone \r
 * as part of a line, but the client counts it as a break, so positions after one must too).
 */
export class LineIndex {
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
  offset(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[line] + character, line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length);
  }
  lineText(line: number): string {
    const s = this.starts[line] ?? this.text.length;
    const e = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return this.text.slice(s, e).replace(/\r$/, '');
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

export function makeDiagnostic(range: Range, severity: DiagnosticSeverity, code: string, message: string, data?: FixData): Diagnostic {
  // the rule's section of docs/rules.md (editors show the code as a link)
  const d: Diagnostic = { range, severity, code, codeDescription: { href: ruleHref(code) }, source: SOURCE, message };
  if (data) d.data = data;
  return d;
}

export function shiftRange(r: Range, lines: number): Range {
  return lines === 0
    ? r
    : { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}
