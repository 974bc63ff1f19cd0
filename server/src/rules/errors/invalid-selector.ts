import { arr, obj, type Rule } from '../framework';
import { labelSelectorRequirementProblems } from './support';

export const invalidSelector: Rule = {
  id: 'invalid-selector',
  severity: 'error',
  title: 'Selector expression with a bad operator or values',
  doc:
    'matchExpressions take the operators In, NotIn (with at least one value), Exists and DoesNotExist (with no values). ' +
    'The API server rejects a StatefulSet whose selector breaks these rules, and the selector can never be changed afterwards.',
  kinds: ['StatefulSet'],
  check(ctx) {
    arr(ctx.get(['spec', 'selector', 'matchExpressions'])).forEach((e, i) => {
      const r = obj(e);
      if (!r) return;
      const base = ['spec', 'selector', 'matchExpressions', i];
      for (const p of labelSelectorRequirementProblems(r)) {
        ctx.report(r[p.field] !== undefined ? [...base, p.field] : base, `${p.message} The API server rejects the StatefulSet.`, { at: 'value' });
      }
    });
  },
};
