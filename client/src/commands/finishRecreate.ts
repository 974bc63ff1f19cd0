// Finish Pending Re-create: continue a resize / re-create that stopped half-way, from its journal.
import { runWithProgress } from '../explorer/workflowRunner';
import * as prompts from '../ui/prompts';
import type { Command, CommandContext } from './context';

export const finishRecreate: Command = {
  id: 'statefulsetStudio.finishRecreate',
  run: async (c: CommandContext, key?: string) => {
    const conn = c.needConn();
    const pending = c.ex.journal.list().filter((e) => e.cluster === conn.server);
    if (!pending.length) {
      void prompts.info(`No re-create is pending on ${conn.context}`);
      return undefined;
    }
    const entry =
      pending.find((e) => `${e.namespace}/${e.name}` === key) ??
      (pending.length === 1 && !key
        ? pending[0]
        : await prompts.quickPick(
            pending.map((e) => ({ label: `${e.namespace}/${e.name}`, description: `${e.workflow}, next step: ${e.stage}${e.lastError ? ` (stopped: ${e.lastError})` : ''}`, value: e })),
            { title: 'Finish which re-create?' },
          ));
    if (!entry) return undefined;
    return runWithProgress(c, entry, `Finish the ${entry.workflow} of ${entry.namespace}/${entry.name}`);
  },
};
