// Delete Pod…: the controller recreates it with the same name and PVCs.
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { ownerVerdict } from '../cluster/owners/gate';

export const deletePod: Command = {
  id: 'statefulsetStudio.deletePod',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const p = await c.pickPod(t, 'Delete which pod?');
    if (!p) return;
    const name = `${p.v.name}-${p.ordinal}`;
    const pvcs = p.v.templates.map((tp) => `${tp}-${p.v.name}-${p.ordinal}`);
    const ok = await prompts.warning(
      `Delete pod ${name}?`,
      { detail: `The StatefulSet controller recreates it with the same name${pvcs.length ? ` and the same PVC${pvcs.length > 1 ? 's' : ''} (${pvcs.join(', ')})` : ''}.${p.v.owner ? ` ${ownerVerdict(p.v, 'deletePod').detail}` : ''}`, modal: true },
      'Delete Pod',
    );
    if (ok !== 'Delete Pod') return;
    await ops.deletePod(conn.http, p.v.namespace, name);
    void prompts.info(`Deleted pod ${name}; the controller recreates it`);
    return name;
  },
};
