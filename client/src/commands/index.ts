// Registers the explorer's commands (palette category "StatefulSet" and context menus): one module per
// command in this folder, each a { id, run } (see ./context). This file only registers them.
import * as vscode from 'vscode';
import { errorMessage } from '../cluster/errors';
import type { Explorer } from '../explorer/explorer';
import { VirtualDocuments } from '../explorer/documents';
import * as prompts from '../ui/prompts';
import { canaryStep } from './canaryStep';
import { clusterMenu } from './clusterMenu';
import { compareWithFile } from './compareWithFile';
import { commandContext, type Command } from './context';
import { copyPodDns } from './copyPodDns';
import { apply } from './apply';
import { deletePod } from './deletePod';
import { diff } from './diff';
import { dryRun } from './dryRun';
import { finishRecreate } from './finishRecreate';
import { deleteStatefulSet } from './deleteStatefulSet';
import { history } from './history';
import { openManifest } from './openManifest';
import { openSample } from './openSample';
import { recreate } from './recreate';
import { resizeStorage } from './resizeStorage';
import { refresh } from './refresh';
import { restart } from './restart';
import { rollback } from './rollback';
import { scale } from './scale';
import { selectContext } from './selectContext';
import { selectNamespace } from './selectNamespace';
import { showLog } from './showLog';
import { testHooks } from './testHooks';
import { rolloutStatus } from './rolloutStatus';
import { forcedRollback } from './forcedRollback';
import { describe } from './describe';
import { logs } from './logs';
import { logsAll } from './logsAll';
import { lostNode } from './lostNode';
import { updateNextOrdinal } from './updateNextOrdinal';
import { terminalInPod } from './terminalInPod';
import { portForward } from './portForward';
import { chartValues } from './chartValues';
import { snapshotVolumes } from './snapshotVolumes';
import { deleteSnapshot } from './deleteSnapshot';
import { restoreSnapshot } from './restoreSnapshot';
import { resizePvc } from './resizePvc';
import { openOwner } from './openOwner';

export const COMMANDS: readonly Command[] = [
  refresh,
  showLog,
  selectContext,
  selectNamespace,
  clusterMenu,
  scale,
  rollback,
  canaryStep,
  deleteStatefulSet,
  history,
  restart,
  openManifest,
  compareWithFile,
  deletePod,
  copyPodDns,
  dryRun,
  diff,
  apply,
  resizeStorage,
  recreate,
  finishRecreate,
  rolloutStatus,
  forcedRollback,
  describe,
  logs,
  logsAll,
  lostNode,
  updateNextOrdinal,
  terminalInPod,
  portForward,
  openSample,
  chartValues,
  snapshotVolumes,
  deleteSnapshot,
  restoreSnapshot,
  resizePvc,
  openOwner,
];

export function registerCommands(ctx: vscode.ExtensionContext, ex: Explorer): void {
  const docs = new VirtualDocuments();
  ctx.subscriptions.push(docs);
  const c = commandContext(ex, docs);
  const register = (cmd: Command) =>
    ctx.subscriptions.push(
      vscode.commands.registerCommand(cmd.id, async (...args: any[]) => {
        try {
          return await cmd.run(c, ...args);
        } catch (err) {
          const msg = errorMessage(err);
          ex.logger.error(`${cmd.id}: ${msg}`);
          void prompts.error(msg);
          return undefined;
        }
      }),
    );
  for (const cmd of COMMANDS) register(cmd);
  if (process.env.STATEFULSET_STUDIO_TEST === '1') {
    prompts.enableTestMode();
    for (const cmd of testHooks) register(cmd);
  }
}
