// Resize Storage…: grow the PVCs of a StatefulSet to the claim template sizes of the file, then
// orphan-delete and re-create the StatefulSet so it carries the new template — same pods, same PVCs.
import type * as vscode from 'vscode';
import { startWorkflow } from '../explorer/workflowRunner';
import type { Command, CommandContext } from './context';

export const resizeStorage: Command = {
  id: 'statefulsetStudio.resizeStorage',
  run: (c: CommandContext, uri?: vscode.Uri | string, index?: number) => startWorkflow(c, 'resize', uri, index),
};
