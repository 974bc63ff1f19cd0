import { arr, obj, type Rule } from '../framework';
import { isPartial, labelSelectorRequirementProblems, selectorEmpty, selectorMatches } from './support';

export const selectorTemplateMismatch: Rule = {
  id: 'selector-template-mismatch',
  severity: 'error',
  title: 'Selector does not match the pod template labels',
  doc:
    'The StatefulSet owns the pods its selector selects, so its own pods must match it. The API server rejects a StatefulSet whose selector does not ' +
    'match spec.template.metadata.labels ("`selector` does not match template `labels`"); the selector is immutable, so fix the template labels.',
  kinds: ['StatefulSet'],
  parity: { kubeScore: 'statefulset-pod-selector-labels-match-template-metadata-labels', kubeLinter: 'mismatching-selector', differs: 'An error, not a warning: the API server refuses it.' },
  check(ctx) {
    const sel = obj(ctx.get(['spec', 'selector']));
    if (!sel || selectorEmpty(sel) || isPartial(ctx)) return;
    // a broken expression is reported by invalid-selector; do not pile on
    if (arr(sel.matchExpressions).some((e) => !obj(e) || labelSelectorRequirementProblems(obj(e)!).length > 0 || typeof obj(e)!.key !== 'string')) return;
    if (ctx.get(['spec', 'template']) === undefined) return; // missing-required says it
    const labels = obj(ctx.get(['spec', 'template', 'metadata', 'labels'])) ?? {};
    if (selectorMatches(sel, labels)) return;
    const diffs: string[] = [];
    for (const [k, v] of Object.entries(obj(sel.matchLabels) ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(labels, k)) diffs.push(`${k}: ${String(v)} is missing`);
      else if (String(labels[k]) !== String(v)) diffs.push(`the selector wants ${k}: ${String(v)}, the template has ${k}: ${String(labels[k])}`);
    }
    const hasLabels = ctx.node(['spec', 'template', 'metadata', 'labels']) !== undefined;
    const path = hasLabels ? ['spec', 'template', 'metadata', 'labels'] : ctx.node(['spec', 'template', 'metadata']) ? ['spec', 'template', 'metadata'] : ['spec', 'template'];
    ctx.report(
      path,
      `The selector does not match the pod template's labels${diffs.length ? ` (${diffs.join('; ')})` : ''}; the API server rejects the StatefulSet ("\`selector\` does not match template \`labels\`"). Make spec.template.metadata.labels carry what spec.selector asks for.`,
      { data: { selectorMismatch: true } },
    );
  },
};
