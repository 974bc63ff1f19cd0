// Finish Pending Re-create: continue a resize / re-create that stopped half-way, from its journal.
import { runWithProgress } from '../explorer/workflowRunner';
import { resumeKeptFor } from '../explorer/ownerResume';
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
    const out = await runWithProgress(c, entry, `Finish the ${entry.workflow} of ${entry.namespace}/${entry.name}`);
    // an owner paused for it and kept paused while it was pending: resumed now
    const resumed = await resumeKeptFor(c.ex.journal.dir, c.ex.logger, conn, entry.namespace, entry.name);
    if (resumed.length) void prompts.info(`Resumed ${resumed.join(', ')}, paused for the ${entry.workflow} of ${entry.namespace}/${entry.name}: it puts git back at its next sync unless the change is committed there.`);
    return out;
  },
};
