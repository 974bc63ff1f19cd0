// Switch Context…: a kubeconfig context (or the one given).
import type { Command, CommandContext } from './context';

export const selectContext: Command = {
  id: 'statefulsetStudio.selectContext',
  run: (c: CommandContext, name?: unknown) => c.ex.selectContext(typeof name === 'string' ? name : undefined),
};
