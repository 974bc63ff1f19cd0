// Switch Namespace…: one namespace or all.
import type { Command, CommandContext } from './context';

export const selectNamespace: Command = {
  id: 'statefulsetStudio.selectNamespace',
  run: (c: CommandContext, name?: unknown) => c.ex.selectNamespace(typeof name === 'string' ? name : undefined),
};
