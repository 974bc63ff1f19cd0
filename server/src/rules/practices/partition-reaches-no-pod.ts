import { type Rule } from '../framework';
import { replicasOf } from './util';

export const partitionReachesNoPod: Rule = {
  id: 'partition-reaches-no-pod',
  severity: 'information',
  title: 'rollingUpdate.partition ≥ replicas: the update reaches no pod',
  doc:
    'A rolling update with a partition updates only the pods whose ordinal index is at least the partition. With a partition at or above the replica count, ' +
    'a template change is recorded as a new revision but no pod is updated (a staged rollout that has not started).',
  kinds: ['StatefulSet'],
  parity: { differs: 'No linter has it.' },
  check(ctx) {
    const path = ['spec', 'updateStrategy', 'rollingUpdate', 'partition'];
    const partition = ctx.get(path);
    const replicas = replicasOf(ctx);
    if (typeof partition !== 'number' || replicas === undefined || partition < replicas || partition <= 0) return;
    if (ctx.get(['spec', 'updateStrategy', 'type']) === 'OnDelete') return;
    ctx.report(
      path,
      `partition ${partition} with ${replicas} replica${replicas === 1 ? '' : 's'}: Kubernetes updates only the pods with ordinal index ≥ ${partition}, so a template change reaches no pod. Lower the partition (to ${Math.max(0, replicas - 1)} for a canary, 0 for all) to roll it out.`,
      { at: 'value' },
    );
  },
};
