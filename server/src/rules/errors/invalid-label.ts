import type { Segment } from '../../schema';
import { isPatchDirectiveKey } from '../../engine/partial';
import { arr, obj, type DocumentContext, type Rule } from '../framework';
import { labelValueProblem, qualifiedNameProblem } from './support';

function checkLabels(ctx: DocumentContext, path: Segment[], what: string): void {
  const labels = obj(ctx.get(path));
  if (!labels) return;
  for (const [k, v] of Object.entries(labels)) {
    if (isPatchDirectiveKey(k)) continue;
    const kp = qualifiedNameProblem(k);
    if (kp) ctx.report([...path, k], `The ${what} key "${k}" is invalid: ${kp}. The API server rejects the ${ctx.kind}; fix the key.`);
    if (typeof v === 'string') {
      const vp = labelValueProblem(v);
      if (vp) ctx.report([...path, k], `The ${what} value "${v.length > 70 ? v.slice(0, 67) + '…' : v}" of "${k}" is invalid: ${vp}. The API server rejects the ${ctx.kind}; shorten or simplify the value (labels are identifiers, put free text in an annotation).`, { at: 'value' });
    }
  }
}

export const invalidLabel: Rule = {
  id: 'invalid-label',
  severity: 'error',
  title: 'Label key or value with invalid syntax or length',
  doc:
    'Label keys are an optional DNS-subdomain prefix (≤ 253) and a name (≤ 63, alphanumerics, "-", "_", "."); values are at most 63 such characters or empty. ' +
    'The API server rejects a StatefulSet with a bad label on itself, on its pod template or in its selector, so nothing is created.',
  kinds: ['StatefulSet', 'Service', 'PersistentVolumeClaim', 'PodDisruptionBudget'],
  check(ctx) {
    checkLabels(ctx, ['metadata', 'labels'], 'label');
    if (ctx.kind === 'StatefulSet') {
      checkLabels(ctx, ['spec', 'template', 'metadata', 'labels'], 'pod template label');
      checkLabels(ctx, ['spec', 'selector', 'matchLabels'], 'selector label');
      arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((_, i) => checkLabels(ctx, ['spec', 'volumeClaimTemplates', i, 'metadata', 'labels'], 'claim template label'));
    } else if (ctx.kind === 'Service') {
      checkLabels(ctx, ['spec', 'selector'], 'selector label');
    } else if (ctx.kind === 'PodDisruptionBudget') {
      checkLabels(ctx, ['spec', 'selector', 'matchLabels'], 'selector label');
    }
  },
};
