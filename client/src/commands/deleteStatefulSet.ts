// Delete StatefulSet…: keep PVCs or orphan everything; the name must be typed.
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { askOwner } from '../explorer/ownerGate';

export const deleteStatefulSet: Command = {
  id: 'statefulsetStudio.delete',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Delete which StatefulSet?');
    if (!v) return;
    const owner = await askOwner(c, v, 'delete');
    if (!owner.choice) return;
    const mode = await prompts.quickPick<ops.DeleteMode>(
      [
        { label: 'Delete pods, keep PVCs', description: v.whenDeleted === 'Delete' ? 'whenDeleted: Delete — PVCs WILL BE DELETED' : 'default', detail: ops.deleteText(v, 'keepPvcs'), value: 'keepPvcs' },
        { label: 'Orphan everything', description: 'pods and PVCs stay (kubectl delete --cascade=orphan)', detail: ops.deleteText(v, 'orphan'), value: 'orphan' },
      ],
      { title: `Delete ${v.namespace}/${v.name}` },
    );
    if (!mode) return;
    const typed = await prompts.inputBox({
      prompt: `${ops.deleteText(v, mode)} Type ${v.name} to confirm.`,
      placeHolder: v.name,
      validateInput: (s) => (s === v.name ? undefined : `Type "${v.name}" exactly to confirm`),
    });
    if (typed !== v.name) return;
    await ops.deleteStatefulSet(conn.http, v.namespace, v.name, mode);
    c.ex.logger.info(`deleted ${v.key} (${mode})`);
    void prompts.info(`Deleted ${v.namespace}/${v.name}${mode === 'orphan' ? ' (pods and PVCs orphaned)' : ''}`);
    return mode;
  },
};
