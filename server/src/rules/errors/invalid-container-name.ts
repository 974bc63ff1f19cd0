import { str, type Rule } from '../framework';
import { containersOf, dnsLabelProblem, TEMPLATE_FAILS } from './support';

export const invalidContainerName: Rule = {
  id: 'invalid-container-name',
  severity: 'error',
  title: 'Container name is not a DNS-1123 label',
  doc: 'Container names must be DNS-1123 labels (≤ 63 lowercase alphanumerics and "-"). A bad name in the pod template means the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      const name = str(at.c.name);
      if (name === undefined) continue;
      const p = dnsLabelProblem(name);
      if (p) ctx.report([...at.path, 'name'], `The ${at.list === 'initContainers' ? 'init container' : 'container'} name "${name}" is not a DNS-1123 label: ${p}. It is ${TEMPLATE_FAILS}. Rename it.`, { at: 'value' });
    }
  },
};
