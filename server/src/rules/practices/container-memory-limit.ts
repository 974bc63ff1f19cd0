import { obj, type Rule } from '../framework';
import { isPartial, reportResource } from './util';

export const containerMemoryLimit: Rule = {
  id: 'container-memory-limit',
  severity: 'warning',
  title: 'Container without a memory limit',
  doc:
    'A container without a memory limit can use all of the node\'s memory; under pressure the kubelet evicts pods, and a database replica evicted with ' +
    'its node\'s memory exhausted restarts and replays its log. One finding per StatefulSet names every container that lacks one.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-resources',
    kubeLinter: 'unset-memory-requirements',
    differs: 'One finding per StatefulSet lists every container that lacks one (kube-score and kube-linter report each container); a memory request alone is not asked for (the request defaults to the limit).',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    reportResource(
      ctx,
      (c) => {
        const limits = obj(obj(c.value.resources)?.limits);
        return !(limits && limits.memory !== undefined && limits.memory !== null);
      },
      ['resources', 'limits'],
      (what, plural) =>
        `${what} ${plural ? 'have' : 'has'} no memory limit: ${plural ? 'they' : 'it'} may use all of the node's memory, and Kubernetes then OOM-kills or evicts pods on that node. Set resources.limits.memory.`,
    );
  },
};
