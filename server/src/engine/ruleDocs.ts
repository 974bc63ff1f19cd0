// Links from findings to their rule's section of docs/rules.md (one stable anchor per rule id, written by
// scripts/sync-manifest.ts), for Diagnostic.codeDescription and for hovers over findings.
import type { Diagnostic, Range } from 'vscode-languageserver-types';

/** The published rule list; the repository is package.json's (test/contributions/rule-docs.test.ts checks it). */
export const RULES_DOC_URL = 'https://github.com/statefulset-studio/statefulset-studio/blob/main/docs/rules.md';

/** The anchor of a rule's section: the id itself (ids are lowercase words joined by '-', which heading slugs keep as they are). */
export function ruleAnchor(id: string): string {
  return id;
}

export function ruleHref(id: string): string {
  return `${RULES_DOC_URL}#${ruleAnchor(id)}`;
}

const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const covers = (r: Range, p: { line: number; character: number }) => before(r.start, p) && before(p, r.end);

/** Markdown for the findings under a position: each finding's rule id linked to its documentation. */
export function findingsMarkdown(diagnostics: readonly Diagnostic[], pos: { line: number; character: number }): string | undefined {
  const lines = diagnostics
    .filter((d) => d.code !== undefined && covers(d.range, pos))
    .map((d) => `[\`${d.code}\`](${d.codeDescription?.href ?? ruleHref(String(d.code))}): ${d.message.replace(/\n/g, ' ')}`);
  return lines.length ? [...new Set(lines)].join('\n\n') : undefined;
}
