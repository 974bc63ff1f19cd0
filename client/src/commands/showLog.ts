// Show Cluster Log: the output channel.
import type { Command, CommandContext } from './context';

export const showLog: Command = {
  id: 'statefulsetStudio.showLog',
  run: (c: CommandContext) => c.ex.output.show(),
};
