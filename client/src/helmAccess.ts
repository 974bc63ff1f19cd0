// What the language server needs to render Helm charts, as only the VS Code side knows it: whether the workspace is
// trusted, and helm's path from the user's (machine-scoped) setting, never a workspace value. Sent at start
// (initializationOptions.helm) and again on `statefulsetStudio/helm` each time the server is running (extension.ts:
// a change while it starts is not lost) and when trust is granted or the setting changes.
import * as vscode from 'vscode';

export interface HelmAccess {
  trusted: boolean;
  path: string | undefined;
}

export function helmAccess(): HelmAccess {
  const p = vscode.workspace.getConfiguration('statefulsetStudio').inspect<string>('helm.path');
  // machine-scoped: only the user's value counts
  return { trusted: vscode.workspace.isTrusted, path: p?.globalValue || undefined };
}

/**
 * Calls `send` with the new access whenever trust is granted or helm's path changes. Any change of the settings is
 * looked at, not only one that `affectsConfiguration('statefulsetStudio.helm.path')`: in a remote window (code-server,
 * SSH, containers) VS Code applies a machine-scoped setting only from the remote machine's settings; a value in the
 * user's settings counts until the window knows it is remote and then goes, in an event that does not report it
 * (seen in code-server). The server is then told, rather than left running a helm the editor no longer names.
 */
export function watchHelmAccess(send: (a: HelmAccess) => void): vscode.Disposable {
  let last = JSON.stringify(helmAccess());
  const check = () => {
    const now = helmAccess();
    const json = JSON.stringify(now);
    if (json === last) return;
    last = json;
    send(now);
  };
  const parts = [vscode.workspace.onDidGrantWorkspaceTrust(check), vscode.workspace.onDidChangeConfiguration(check)];
  return { dispose: () => parts.forEach((p) => p.dispose()) };
}
