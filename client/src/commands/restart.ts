// Restart (Rollout Restart): sets kubectl.kubernetes.io/restartedAt after a confirmation.
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { afterOwner, askOwner, runAnswered } from '../explorer/ownerGate';

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
    const patched = await runAnswered(c, v, owner, `Restart of ${v.key}`, () => ops.restart(conn.http, v.namespace, v.name));
    const at = patched.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
    // an owner that puts the template back removes the annotation (and rolls the pods once more): said, not hidden
    const r = await afterOwner(conn, v, owner, `${v.name}: restart requested`, (now) => now?.sts.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] === at);
    if (r.reverted) {
      void prompts.error(`${r.message} The pods were restarted, and are rolled once more back to the owner's template.`);
      return false;
    }
    void prompts.info(r.message);
    return true;
  },
};
