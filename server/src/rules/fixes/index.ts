// Quick fixes of the rules that need more than a replacement: plain functions from a file's text and
// one diagnostic (positions in the file, data from the rule) to titled edits.
import type { Diagnostic } from 'vscode-languageserver-types';
import { headlessServiceFix, pdbFix } from './documents';
import { selectorLabelFixes } from './labels';
import { missingFieldFix } from './missing-field';
import { serviceNameFix } from './service-name';
import { documentAt, usesCrlf, type Fix, type ParsedLookup } from './text';

export type { Fix, ParsedLookup } from './text';

type FixFn = (f: NonNullable<ReturnType<typeof documentAt>>, data: unknown) => Fix[];

/** Diagnostic code → the fixes it offers, and the kind of document it applies to (any when unset). */
const FIXES: Record<string, { kind?: string; fn: FixFn }> = {
  'selector-template-mismatch': { kind: 'StatefulSet', fn: (f) => selectorLabelFixes(f) },
  'service-not-found': { kind: 'StatefulSet', fn: headlessServiceFix },
  'missing-pod-disruption-budget': { kind: 'StatefulSet', fn: pdbFix },
  'missing-required': { fn: missingFieldFix },
  'missing-service-name': { kind: 'StatefulSet', fn: serviceNameFix },
};

/** Diagnostic codes that have fixes here. */
export const fixableCodes: readonly string[] = Object.keys(FIXES);

/** The fixes for one diagnostic of `text` (nothing when the text no longer fits the diagnostic). */
export function fixesFor(text: string, d: Diagnostic, parsed?: ParsedLookup): Fix[] {
  const entry = FIXES[String(d.code)];
  if (!entry) return [];
  const f = documentAt(text, d.range.start.line, parsed);
  if (!f || (entry.kind && f.value?.kind !== entry.kind)) return [];
  try {
    const fixes = entry.fn(f, d.data);
    // keep a CRLF file CRLF
    if (usesCrlf(text)) for (const fx of fixes) for (const e of fx.edits) e.newText = e.newText.replace(/\r?\n/g, '\r\n');
    return fixes;
  } catch {
    return []; // a fix never breaks the code action request
  }
}
