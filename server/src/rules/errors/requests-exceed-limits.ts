import { quantityValue } from '../../engine/quantity';
import { obj, type Rule } from '../framework';
import { containerLabel, containersOf, TEMPLATE_FAILS } from './support';

export const requestsExceedLimits: Rule = {
  id: 'requests-exceed-limits',
  severity: 'error',
  title: 'Resource request larger than its limit',
  doc: 'A container may not request more of a resource than its limit allows. A template with a request above the limit never yields a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      const res = obj(at.c.resources);
      const req = obj(res?.requests);
      const lim = obj(res?.limits);
      if (!req || !lim) continue;
      for (const [name, r] of Object.entries(req)) {
        const l = lim[name];
        if ((typeof r !== 'string' && typeof r !== 'number') || (typeof l !== 'string' && typeof l !== 'number')) continue;
        const rv = quantityValue(r);
        const lv = quantityValue(l);
        if (rv === undefined || lv === undefined) continue;
        // compare with a little slack for float rounding of big binary units
        if (rv > lv * (1 + 1e-12)) {
          ctx.report(
            [...at.path, 'resources', 'requests', name],
            `The ${name} request ${r} of ${containerLabel(at)} is larger than its limit ${l}; requests must be less than or equal to limits. It is ${TEMPLATE_FAILS}. Lower the request or raise the limit.`,
            { at: 'value' },
          );
        }
      }
    }
  },
};
