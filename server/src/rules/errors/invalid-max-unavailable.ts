import type { Rule } from '../framework';

const PATH = ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'];

export const invalidMaxUnavailable: Rule = {
  id: 'invalid-max-unavailable',
  severity: 'error',
  title: 'maxUnavailable is 0, over 100% or not an integer/percentage',
  doc:
    'rollingUpdate.maxUnavailable is an integer ≥ 1 or a percentage such as "25%" (at most 100%, not 0%). ' +
    'A value of 0 would let no pod be updated, so the API server rejects it.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const v = ctx.get(PATH);
    const bad = (why: string) => ctx.report(PATH, `maxUnavailable ${why}; the API server rejects the StatefulSet. Use an integer of at least 1 or a percentage from "1%" to "100%".`, { at: 'value' });
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) return; // invalid-type says it
      if (v < 0) bad(`is ${v}, which is negative`);
      else if (v === 0) bad('is 0, so no pod could ever be updated');
    } else if (typeof v === 'string') {
      const m = /^(\d+)%$/.exec(v);
      if (!m) bad(`"${v}" is neither an integer nor a percentage (a number followed by %; write integers without quotes)`);
      else if (Number(m[1]) === 0) bad('is 0%, so no pod could ever be updated');
      else if (Number(m[1]) > 100) bad(`is ${v}, over 100%`);
    }
  },
};
