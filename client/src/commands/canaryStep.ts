// Step Canary Rollout (Partition)…: move rollingUpdate.partition, saying which ordinals get the update.
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { afterOwner, askOwner, ownerResult, runAnswered } from '../explorer/ownerGate';

export const canaryStep: Command = {
  id: 'statefulsetStudio.canaryStep',
  run: async (c: CommandContext, t?: Target, partitionArg?: number) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Step the canary rollout of which StatefulSet?');
    if (!v) return;
    if (v.strategy !== 'RollingUpdate') throw new Error(`${v.name} uses updateStrategy ${v.strategy}: partitions apply to RollingUpdate only`);
    const owner = await askOwner(c, v, 'canary');
    if (!owner.choice) return;
    let partition = partitionArg;
    if (partition === undefined) {
      const next = ops.canaryPlan(v);
      const choice = await prompts.quickPick(
        [
          { label: `Advance to partition ${next.to}`, description: `ordinals ≥ ${next.to} get the update revision`, value: next.to },
          { label: 'Set partition…', value: -1 },
          { label: `Complete the rollout (partition ${v.start})`, value: v.start },
        ],
        { title: `Canary rollout of ${v.name}: partition now ${v.partition ?? 'unset'}` },
      );
      if (choice === undefined) return;
      partition = choice;
      if (choice === -1) {
        const input = await prompts.inputBox({
          prompt: `Partition for ${v.name} (ordinals ≥ partition get the new template)`,
          value: String(v.partition ?? v.start + v.replicas),
          validateInput: ops.validateReplicas,
        });
        if (input === undefined) return;
        partition = Number(input);
      }
    }
    const plan = ops.canaryPlan(v, partition);
    const ok = await prompts.warning(`Set partition of ${v.name} to ${plan.to}?`, { detail: plan.text, modal: true }, 'Set partition');
    if (ok !== 'Set partition') return;
    await runAnswered(c, v, owner, `Canary step of ${v.key} to partition ${plan.to}`, () => ops.setPartition(conn.http, v.namespace, v.name, plan.to));
    const change = { before: { spec: { updateStrategy: { rollingUpdate: { partition: plan.from } } } }, after: { spec: { updateStrategy: { rollingUpdate: { partition: plan.to } } } } };
    const r = await afterOwner(conn, v, owner, `${v.name}: partition ${plan.from ?? 'unset'} → ${plan.to}. ${plan.after.join(', ')}`, (now) => (now?.partition ?? 0) === plan.to, change);
    ownerResult(c, v, owner, r, change);
    if (r.reverted) return undefined;
    return plan.to;
  },
};
