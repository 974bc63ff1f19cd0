import type { Segment } from '../../schema';
import type { Rule } from '../framework';
import { negativeInt } from './support';

const FIELDS: Array<{ path: Segment[]; name: string }> = [
  { path: ['spec', 'replicas'], name: 'replicas' },
  { path: ['spec', 'minReadySeconds'], name: 'minReadySeconds' },
  { path: ['spec', 'revisionHistoryLimit'], name: 'revisionHistoryLimit' },
  { path: ['spec', 'ordinals', 'start'], name: 'ordinals.start' },
  { path: ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], name: 'updateStrategy.rollingUpdate.partition' },
];

export const negativeSpecField: Rule = {
  id: 'negative-spec-field',
  severity: 'error',
  title: 'Negative replicas, minReadySeconds, revisionHistoryLimit, ordinals.start or partition',
  doc: 'These counts must be zero or more. The API server rejects a StatefulSet with a negative one ("must be greater than or equal to 0").',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const f of FIELDS) {
      const v = ctx.get(f.path);
      if (negativeInt(v)) ctx.report(f.path, `spec.${f.name} is ${v}; it must be 0 or more, so the API server rejects the StatefulSet. Use a non-negative number.`, { at: 'value' });
    }
  },
};
