// Restart (Rollout Restart): sets kubectl.kubernetes.io/restartedAt after a confirmation.
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { askOwner, runAnswered } from '../explorer/ownerGate';

export const restart: Command = {
  id: 'statefulsetStudio.restart',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Restart which StatefulSet?');
    if (!v) return;
    const owner = await askOwner(c, v, 'restart');
    if (!owner.choice) return;
    const ok = await prompts.warning(`Restart ${v.name}?`, { detail: `Sets kubectl.kubernetes.io/restartedAt on the pod template: pods are replaced one by one (${v.strategy}${v.partition ? `, only ordinals ≥ ${v.partition}` : ''}).`, modal: true }, 'Restart');
    if (ok !== 'Restart') return;
    await runAnswered(c, v, owner, `Restart of ${v.key}`, () => ops.restart(conn.http, v.namespace, v.name));
    void prompts.info(`${v.name}: restart requested${owner.choice !== 'free' && owner.verdict.reverted ? ` — ${owner.verdict.owner!.label} may put the template back (and roll the pods once more)` : ''}`);
    return true;
  },
};
