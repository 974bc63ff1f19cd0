// Refresh: reconnect and relist.
import type { Command, CommandContext } from './context';

export const refresh: Command = {
  id: 'statefulsetStudio.refresh',
  run: (c: CommandContext) => c.ex.refresh(),
};
