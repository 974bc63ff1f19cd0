// Quick fixes derived from diagnostics (plain data: text edits over the document).
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { SOURCE, type FixData } from './diagnostic';

/** Code actions for our diagnostics in `diagnostics` (as the client sent them back), for document `uri`. */
export function quickFixes(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== SOURCE) continue;
    const data = d.data as FixData | undefined;
    for (const [i, r] of (data?.replacements ?? []).entries()) {
      actions.push({
        title: d.code === 'unknown-field' ? `Rename to "${r}"` : `Change to "${r}"`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: i === 0,
        edit: { changes: { [uri]: [{ range: d.range, newText: r }] } },
      });
    }
  }
  return actions;
}
