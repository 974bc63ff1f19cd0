import type { Rule } from '../framework';
import { obj } from '../framework';
import { containerLabel, containersOf, TEMPLATE_FAILS } from './support';

export const probeSuccessThreshold: Rule = {
  id: 'probe-success-threshold',
  severity: 'error',
  title: 'Liveness or startup probe successThreshold other than 1',
  doc: 'A liveness or startup probe succeeds on its first success: successThreshold must be 1 (only readiness probes may require several successes). Another value makes the pod template invalid.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      for (const p of ['livenessProbe', 'startupProbe']) {
        const t = obj(at.c[p])?.successThreshold;
        // 0 is defaulted to 1
        if (typeof t === 'number' && Number.isInteger(t) && t !== 1 && t !== 0) {
          ctx.report([...at.path, p, 'successThreshold'], `successThreshold of the ${p} of ${containerLabel(at)} is ${t}; it must be 1. It is ${TEMPLATE_FAILS}. Set it to 1 or remove it.`, { at: 'value', data: { replacements: ['1'] } });
        }
      }
    }
  },
};
