// Cluster Menu… (the status bar item): context, namespace, refresh, log.
import type { Command, CommandContext } from './context';
import * as prompts from '../ui/prompts';

export const clusterMenu: Command = {
  id: 'statefulsetStudio.switchContextOrNamespace',
  run: async (c: CommandContext) => {
    const what = await prompts.quickPick(
      [
        { label: 'Switch Context…', description: c.ex.conn?.context, value: 'ctx' },
        { label: 'Switch Namespace…', description: c.ex.conn ? (c.ex.conn.namespace ?? 'all namespaces') : undefined, value: 'ns' },
        { label: 'Refresh', value: 'refresh' },
        { label: 'Show Log', value: 'log' },
      ],
      { title: 'StatefulSet Studio: cluster' },
    );
    if (what === 'ctx') await c.ex.selectContext();
    else if (what === 'ns') await c.ex.selectNamespace();
    else if (what === 'refresh') c.ex.refresh();
    else if (what === 'log') c.ex.output.show();
  },
};
