import type { Rule } from '../framework';
import { POD_SPEC } from './support';

export const restartPolicyNotAlways: Rule = {
  id: 'restart-policy-not-always',
  severity: 'error',
  title: 'Pod template restartPolicy other than Always',
  doc: 'StatefulSet pods run forever and are restarted in place; the API server accepts only restartPolicy: Always in a StatefulSet\'s pod template (Never and OnFailure are for Jobs).',
  kinds: ['StatefulSet'],
  check(ctx) {
    const path = [...POD_SPEC, 'restartPolicy'];
    const v = ctx.get(path);
    if (v === 'Never' || v === 'OnFailure') {
      ctx.report(path, `restartPolicy: ${v} is not supported in a StatefulSet; the API server rejects it (only "Always"). Remove the field or set it to Always.`, { at: 'value', data: { replacements: ['Always'] } });
    }
  },
};
