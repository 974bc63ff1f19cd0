// Quick fixes derived from diagnostics (plain data: text edits over the document).
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { fixesFor, type ParsedLookup } from '../rules/fixes';
import { SOURCE, type FixData } from './diagnostic';

/**
 * Code actions for our diagnostics in `diagnostics` (as the client sent them back), for document `uri`.
 * With the document's `text`, also the fixes that edit more than the diagnostic's range (insert a
 * missing field, make selector and template labels agree, append a headless Service or a
 * PodDisruptionBudget); without it, only the replacements (did-you-mean). `parsed` hands over the
 * documents the analysis already parsed (a request over many findings then parses none again).
 */
export function quickFixes(uri: string, diagnostics: Diagnostic[], text?: string, parsed?: ParsedLookup): CodeAction[] {
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
    if (text === undefined) continue;
    for (const fix of fixesFor(text, d, parsed)) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        ...(fix.preferred ? { isPreferred: true } : {}),
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}
