// Read-only virtual documents (rollback diffs, rollout history, live manifests).
import * as vscode from 'vscode';

export const SCHEME = 'statefulset-studio';

export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private docs = new Map<string, string>();
  private emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private reg: vscode.Disposable;

  constructor() {
    this.reg = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  /** Stores `content` under a path like "/ns/web/history.txt" and returns its uri. */
  put(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path });
    this.docs.set(uri.toString(), content);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.reg.dispose();
    this.emitter.dispose();
  }
}
