import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { activateExplorer } from './explorer';
import { activateNeighbours } from './neighbours';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/launch';
import { helmAccess, watchHelmAccess } from './helmAccess';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // Cluster explorer first: it must work even if the language server cannot start.
  const explorer = activateExplorer(context);
  const sendLive = (objects: object[]) => void (client?.isRunning() && client.sendNotification('statefulsetStudio/liveObjects', { objects }));
  context.subscriptions.push(explorer.onLiveStatefulSets(sendLive));
  // the connected cluster's version: the server's default target Kubernetes version
  const sendVersion = (gitVersion: string | undefined) => void (client?.isRunning() && client.sendNotification('statefulsetStudio/clusterVersion', { gitVersion: gitVersion ?? null }));
  context.subscriptions.push(explorer.explorer.onClusterVersion(sendVersion));
  // beside Red Hat YAML and Microsoft Kubernetes: one answer per question on StatefulSet documents (client/src/neighbours)
  const neighbours = activateNeighbours(context, explorer.explorer, (m) => explorer.explorer.output.info(m));
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // over stdio, where the server writes each message at once and encodes each publish from the cached
  // bytes of unchanged findings (server/src/lsp/framedWriter.ts, messageEncoder.ts), with the memory
  // flags of server/src/lsp/launch.ts
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // a Helm chart's named templates: rendered findings land there too
      { scheme: 'file', pattern: '**/templates/**/*.tpl' },
      // Helm templates (templates/*.yaml) are the `helm` language when Microsoft's Kubernetes extension is installed
      { scheme: 'file', language: 'helm' },
    ],
    // Helm charts (helm template) and Kustomize overlays (kubectl kustomize) are rendered only in a trusted
    // workspace, with the programs of the user's machine-scoped settings
    initializationOptions: { helm: helmAccess(), kustomize: kustomizeOptions() },
    // settings (rule severities) and YAML file changes (the server's workspace index of Services/PDBs)
    synchronize: { configurationSection: 'statefulsetStudio', fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}') },
    middleware: neighbours.middleware,
  };
  client = new LanguageClient('statefulsetStudio', 'StatefulSet Studio', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  context.subscriptions.push(watchHelmAccess((a) => void (client?.isRunning() && client.sendNotification('statefulsetStudio/helm', a))));
  // Not awaited: activation (and the explorer's commands) must not wait for the server process.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void (client?.isRunning() && client.sendNotification('statefulsetStudio/kustomize', kustomizeOptions()))),
  );
  // What only this side knows (trust, helm's and kubectl's paths, the live objects, the cluster's version) is sent
  // again each time the server is running: a change while it started is not lost (initializationOptions were taken
  // at activation, and a notification is dropped while the server starts), and a server restarted after a crash
  // gets it too. On a later turn: the state event fires before the client sends `initialized`.
  const sendState = () => {
    if (!client?.isRunning()) return;
    void client.sendNotification('statefulsetStudio/helm', helmAccess());
    void client.sendNotification('statefulsetStudio/kustomize', kustomizeOptions());
    sendLive(explorer.explorer.liveObjects());
    if (explorer.explorer.clusterVersion) sendVersion(explorer.explorer.clusterVersion);
  };
  context.subscriptions.push(client.onDidChangeState((e) => void (e.newState === State.Running && setTimeout(sendState, 0))));
  client.start().catch(
    (e: unknown) =>
      void vscode.window.showErrorMessage(
        `StatefulSet Studio: the language server did not start (${e instanceof Error ? e.message : String(e)}). The cluster explorer still works; see the "StatefulSet Studio" output.`,
      ),
  );
}

/** Whether and with what the language server renders Kustomize overlays: trusted workspaces only; the path is machine-scoped. */
function kustomizeOptions(): { enabled: boolean; path: string } {
  return { enabled: vscode.workspace.isTrusted, path: vscode.workspace.getConfiguration('statefulsetStudio').get<string>('kustomize.path', '') };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
