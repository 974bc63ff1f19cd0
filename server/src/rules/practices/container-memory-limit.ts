import { obj, type Rule } from '../framework';
import { containerAnchor, containersOf, isPartial } from './util';

export const containerMemoryLimit: Rule = {
  id: 'container-memory-limit',
  severity: 'warning',
  title: 'Container without a memory limit',
  doc:
    'A container without a memory limit can use all of the node\'s memory; under pressure the kubelet evicts pods, and a database replica evicted with ' +
    'its node\'s memory exhausted restarts, replays its log and may lose quorum with its peers.',
  kinds: ['StatefulSet'],
  check(ctx) {
    if (isPartial(ctx)) return;
    for (const c of containersOf(ctx, true)) {
      const limits = obj(obj(c.value.resources)?.limits);
      if (limits && limits.memory !== undefined && limits.memory !== null) continue;
      ctx.report(
        containerAnchor(ctx, c, ['resources', 'limits']),
        `${c.init ? 'Init container' : 'Container'} "${c.name}" has no memory limit: it may use all of the node's memory, and Kubernetes then OOM-kills or evicts pods on that node. Set resources.limits.memory.`,
      );
    }
  },
};
