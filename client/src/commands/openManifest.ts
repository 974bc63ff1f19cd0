// Open Live Manifest: the live object as read-only YAML.
import * as vscode from 'vscode';
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';

/** The live StatefulSet as a read-only YAML document (also used by Compare Live Manifest with File…). */
export async function liveManifestDocument(c: CommandContext, t?: Target): Promise<vscode.Uri | undefined> {
  const conn = c.needConn();
  const v = await c.pickSts(t, 'Open the live manifest of which StatefulSet?');
  if (!v) return;
  const sts = await ops.getStatefulSet(conn.http, v.namespace, v.name);
  return c.docs.put(`/${v.namespace}/${v.name}/live/${v.name}.yaml`, ops.manifestYaml(sts));
}

export const openManifest: Command = {
  id: 'statefulsetStudio.openManifest',
  run: async (c: CommandContext, t?: Target) => {
    const uri = await liveManifestDocument(c, t);
    if (uri) await vscode.window.showTextDocument(uri, { preview: true });
    return uri?.toString();
  },
};
