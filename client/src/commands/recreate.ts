// Re-create Keeping Pods and Data…: for immutable changes other than storage growth (serviceName,
// podManagementPolicy, selector, claim templates added or removed): orphan delete + create + verify.
import type * as vscode from 'vscode';
import { startWorkflow } from '../explorer/workflowRunner';
import type { Command, CommandContext } from './context';

export const recreate: Command = {
  id: 'statefulsetStudio.recreate',
  run: (c: CommandContext, uri?: vscode.Uri | string, index?: number) => startWorkflow(c, 'recreate', uri, index),
};
