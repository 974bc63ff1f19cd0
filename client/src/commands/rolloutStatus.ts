// Rollout Status: progress until every ordinal ≥ partition runs the update revision and is Ready (correct
// with partitions, unlike `kubectl rollout status`); stops and says so when the rollout is stuck.
import * as vscode from 'vscode';
import { rolloutProgressText, waitForRollout } from '../cluster/trouble';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const rolloutStatus: Command = {
  id: 'statefulsetStudio.rolloutStatus',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Rollout status of which StatefulSet?');
    if (!v) return;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Rollout of ${v.name}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        try {
          const r = await waitForRollout(conn.model, v.key, { signal: ac.signal, onProgress: (st, view) => progress.report({ message: rolloutProgressText(view, st) }) });
          const text = rolloutProgressText(conn.model.view(v.key) ?? v, r);
          if (r.kind === 'stuck') void prompts.warning(text, { detail: 'The controller waits for this pod (OrderedReady + RollingUpdate). Forced Rollback… reverts the template and deletes the pods on the bad revision.', modal: false });
          else void prompts.info(text);
          return r.kind;
        } catch (err) {
          if (ac.signal.aborted) return 'cancelled';
          throw err;
        }
      },
    );
  },
};
