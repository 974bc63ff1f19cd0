import { arr, type Rule } from '../framework';
import { isPartial, POD_SPEC, TEMPLATE_FAILS } from './support';

export const noContainers: Rule = {
  id: 'no-containers',
  severity: 'error',
  title: 'Pod template has an empty container list',
  doc: 'A pod needs at least one container. With `containers: []` the StatefulSet can never create a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const c = ctx.get([...POD_SPEC, 'containers']);
    if (Array.isArray(c) && arr(c).length === 0 && !isPartial(ctx)) {
      ctx.report([...POD_SPEC, 'containers'], `The pod template has no containers. It is ${TEMPLATE_FAILS}. Add at least one container with a name and an image.`);
    }
  },
};
