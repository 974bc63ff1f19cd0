import { type Rule } from '../framework';
import { containersOf, isPartial, securityField } from './util';

export const containerPrivileged: Rule = {
  id: 'container-privileged',
  severity: 'warning',
  title: 'Privileged container',
  doc:
    'A privileged container has every capability and all host devices: a compromise of it is a compromise of the node, and of the other replicas\' data on it. ' +
    'Stateful images that need a kernel setting (vm.max_map_count, somaxconn) can set it in a short privileged init container or a pod sysctl instead.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-security-context-privileged (container-security-context in older releases)',
    kubeLinter: 'privileged-container',
    differs: 'Only privileged: true is reported (as kube-linter does); kube-score also reports an unset privileged field, which Kubernetes treats as false.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    for (const c of containersOf(ctx, true)) {
      if (securityField(ctx, c, 'privileged', false) !== true) continue;
      ctx.report(
        [...c.path, 'securityContext', 'privileged'],
        `${c.init ? 'Init container' : 'Container'} "${c.name}" is privileged: it has all capabilities and host devices, so a compromise of it is a compromise of the node.${c.init ? ' If it only sets a kernel parameter, a pod sysctl may do instead.' : ' Drop privileged and add only the capabilities it needs.'}`,
        { at: 'value' },
      );
    }
  },
};
