// Commands that exist only when STATEFULSET_STUDIO_TEST=1 (the editor tests): answer prompts, read what was
// asked, and read the tree and the explorer's state without screen scraping.
import type { Command, CommandContext } from './context';
import * as prompts from '../ui/prompts';
import * as vscode from 'vscode';
import { SCHEME } from '../explorer/documents';

export const testHooks: Command[] = [
  { id: 'statefulsetStudio.test.setAnswers', run: (_c: CommandContext, a: prompts.TestAnswers) => prompts.setAnswers(a ?? {}) },
  { id: 'statefulsetStudio.test.clearAnswers', run: () => prompts.clearAnswers() },
  { id: 'statefulsetStudio.test.getPrompts', run: () => prompts.takePrompts() },
  { id: 'statefulsetStudio.test.getDocument', run: (c: CommandContext, path: string) => c.docs.provideTextDocumentContent(vscode.Uri.from({ scheme: SCHEME, path })) },
  { id: 'statefulsetStudio.test.getTree', run: (c: CommandContext) => c.ex.renderTree() },
  {
    id: 'statefulsetStudio.test.getState',
    run: ({ ex }: CommandContext) => ({
      state: ex.state,
      context: ex.conn?.context,
      namespace: ex.conn?.namespace ?? null,
      statusBar: ex.statusBar.text,
      message: ex.treeView.message ?? null,
      description: ex.treeView.description ?? null,
      liveObjects: ex.liveObjects().length,
      tree: ex.provider.stats,
    }),
  },
];
