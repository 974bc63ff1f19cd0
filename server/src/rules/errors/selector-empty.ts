import { obj, type Rule } from '../framework';
import { selectorEmpty } from './support';

export const selectorEmptyRule: Rule = {
  id: 'selector-empty',
  severity: 'error',
  title: 'StatefulSet selector is empty',
  doc: 'A StatefulSet must select its pods by label: an empty selector (no matchLabels, no matchExpressions) would claim every pod in the namespace, so the API server rejects it.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const sel = ctx.get(['spec', 'selector']);
    const s = obj(sel);
    if (s && selectorEmpty(s)) {
      ctx.report(['spec', 'selector'], 'The selector is empty; the API server rejects the StatefulSet ("empty selector is invalid for statefulset"). Add matchLabels that the pod template\'s labels carry, e.g. `matchLabels: {app: <name>}`.');
    }
  },
};
