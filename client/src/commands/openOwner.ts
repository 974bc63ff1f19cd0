// Open Owner: the operator's custom resource, the Argo CD Application, the Flux object or the Helm
// release of a managed StatefulSet, as read-only YAML.
import * as vscode from 'vscode';
import { ownerDocument } from '../cluster/owners/open';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const openOwner: Command = {
  id: 'statefulsetStudio.openOwner',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Open the owner of which StatefulSet?');
    if (!v) return;
    if (!v.owner) {
      void prompts.info(`${v.namespace}/${v.name} has no owner: nothing marks it as managed by an operator, Argo CD, Flux or Helm.`);
      return;
    }
    const d = await ownerDocument(conn.http, v.namespace, v.name, v.owner);
    const uri = c.docs.put(d.path, d.yaml);
    await vscode.window.showTextDocument(uri, { preview: true });
    return uri.toString();
  },
};
