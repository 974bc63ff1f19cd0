// Rollout History: revisions with images and change causes, as a read-only document.
import * as vscode from 'vscode';
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';

export const history: Command = {
  id: 'statefulsetStudio.history',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Rollout history of which StatefulSet?');
    if (!v) return;
    const sts = await ops.getStatefulSet(conn.http, v.namespace, v.name);
    const text = ops.historyText(sts, await ops.listRevisions(conn.http, sts));
    const uri = c.docs.put(`/${v.namespace}/${v.name}/rollout-history.txt`, text);
    await vscode.window.showTextDocument(uri, { preview: true });
    return text;
  },
};
