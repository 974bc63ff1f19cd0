// What the language server needs to render Helm charts, as only the VS Code side knows it: whether the workspace is
// trusted, and helm's path from the user's (machine-scoped) setting, never a workspace value. Sent at start
// (initializationOptions.helm) and again on `statefulsetStudio/helm` when trust is granted or the setting changes.
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

/** Calls `send` with the new access whenever trust is granted or helm's path changes. */
export function watchHelmAccess(send: (a: HelmAccess) => void): vscode.Disposable {
  const parts = [
    vscode.workspace.onDidGrantWorkspaceTrust(() => send(helmAccess())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('statefulsetStudio.helm.path')) send(helmAccess());
    }),
  ];
  return { dispose: () => parts.forEach((p) => p.dispose()) };
}
