import type { Rule } from '../framework';
import { POD_SPEC } from './support';

export const activeDeadlineSeconds: Rule = {
  id: 'active-deadline-seconds',
  severity: 'error',
  title: 'activeDeadlineSeconds in a StatefulSet pod template',
  doc: 'activeDeadlineSeconds kills a pod after a fixed time, which suits Jobs, not long-running stateful pods; the API server rejects it in a StatefulSet ("activeDeadlineSeconds in StatefulSet is not Supported").',
  kinds: ['StatefulSet'],
  check(ctx) {
    const path = [...POD_SPEC, 'activeDeadlineSeconds'];
    const v = ctx.get(path);
    if (v !== undefined && v !== null) {
      ctx.report(path, 'activeDeadlineSeconds is not supported in a StatefulSet; the API server rejects it ("activeDeadlineSeconds in StatefulSet is not Supported"). Remove the field.');
    }
  },
};
