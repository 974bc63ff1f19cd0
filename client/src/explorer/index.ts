// Activation of the cluster explorer (called from client/src/extension.ts).
import * as vscode from 'vscode';
import { registerCommands } from '../commands';
import type { StatefulSet } from '../cluster/types';
import { Explorer } from './explorer';
import { registerFileActions } from './fileActions';
import { registerHelmActions } from './helmActions';

export interface ExplorerApi {
  explorer: Explorer;
  /** live StatefulSet objects from the informer, debounced ~300 ms, for the language server */
  onLiveStatefulSets: vscode.Event<StatefulSet[]>;
}

export function activateExplorer(context: vscode.ExtensionContext): ExplorerApi {
  const explorer = new Explorer(context);
  context.subscriptions.push(explorer);
  registerCommands(context, explorer);
  context.subscriptions.push(registerFileActions(explorer));
  context.subscriptions.push(registerHelmActions(explorer));
  explorer.connect();
  return { explorer, onLiveStatefulSets: explorer.onLiveStatefulSets };
}
