import { type Rule } from '../framework';
import { containersOf, describeContainers, isPartial, securityField } from './util';

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
    const found = containersOf(ctx, true).filter((c) => securityField(ctx, c, 'privileged', false) === true);
    if (!found.length) return;
    const many = found.length > 1;
    const init = found.some((c) => c.init && c.value.restartPolicy !== 'Always');
    ctx.report(
      [...found[0].path, 'securityContext', 'privileged'],
      `${describeContainers(found, true)} ${many ? 'are' : 'is'} privileged: ${many ? 'each has' : 'it has'} all capabilities and host devices, so a compromise of ${many ? 'any of them' : 'it'} is a compromise of the node. ` +
        `Drop privileged and add only the capabilities ${many ? 'they need' : 'it needs'}${init ? ' (an init container that only sets a kernel parameter may use a pod sysctl instead)' : ''}.`,
      { at: 'value' },
    );
  },
};
