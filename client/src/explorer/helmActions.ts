// Quick fixes on a Helm chart's forbidden-update finding (a values or template line whose rendered StatefulSet
// the API server would refuse against the live release): Resize Storage… / Re-create Keeping Pods and Data…, run
// on the rendered StatefulSet the language server sends with the finding (data.helm.manifest), which it offers
// as a read-only document of its own scheme. The workflows are the existing ones (../cluster/workflows).
import * as vscode from 'vscode';
import { lensInfo } from '../cluster/lens';
import { parseFileDocuments } from '../cluster/fileApply';
import { inPlaceKnown } from '../cluster/workflows/inPlace';
import type { Explorer } from './explorer';

export const HELM_SCHEME = 'statefulset-studio-helm';

interface HelmData {
  manifest: string;
  kind?: string;
  name: string;
  namespace: string;
  release: string;
}

function helmData(d: vscode.Diagnostic): HelmData | undefined {
  const data = (d as vscode.Diagnostic & { data?: { helm?: HelmData } }).data?.helm;
  return data && typeof data.manifest === 'string' && typeof data.name === 'string' ? data : undefined;
}

export class HelmActions implements vscode.CodeActionProvider, vscode.TextDocumentContentProvider {
  private docs = new Map<string, string>();
  constructor(private readonly ex: Explorer) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  provideCodeActions(_doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const conn = this.ex.conn;
    if (!conn) return [];
    const out: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const diag of context.diagnostics) {
      if (String(typeof diag.code === 'object' ? diag.code.value : diag.code) !== 'forbidden-update') continue;
      const h = helmData(diag);
      if (!h || seen.has(`${h.namespace}/${h.name}`)) continue;
      seen.add(`${h.namespace}/${h.name}`);
      // the rendered StatefulSet as a document the workflows read (same content: same URI)
      const uri = vscode.Uri.from({ scheme: HELM_SCHEME, path: `/${h.namespace}/${h.name}.yaml`, query: `release=${encodeURIComponent(h.release)}` });
      this.docs.set(uri.toString(), h.manifest);
      const obj = parseFileDocuments(h.manifest).find((x) => x.kind === 'StatefulSet')?.obj;
      const info = obj ? lensInfo(conn.model.view(`${h.namespace}/${h.name}`), obj, inPlaceKnown(conn.server) === true) : undefined;
      const add = (title: string, command: string) => {
        const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        a.command = { title, command, arguments: [uri, 0] };
        a.diagnostics = [diag];
        out.push(a);
      };
      const what = `${h.name} of release ${h.release}, as these values render it`;
      if (info?.guided === 'in-place') {
        add(`Apply: this cluster updates claim templates in place (KEP-4650) — ${what}`, 'statefulsetStudio.apply');
        continue;
      }
      if (!info || info.guided === 'resize') add(`Resize Storage… (grow the PVCs of ${what}; keep its pods)`, 'statefulsetStudio.resizeStorage');
      add(`Re-create Keeping Pods and Data… (${what})`, 'statefulsetStudio.recreate');
    }
    return out;
  }
}

export function registerHelmActions(ex: Explorer): vscode.Disposable {
  const actions = new HelmActions(ex);
  const selector: vscode.DocumentSelector = [
    { scheme: 'file', language: 'yaml' },
    { scheme: 'file', pattern: '**/templates/**/*.tpl' },
  ];
  const parts = [
    vscode.workspace.registerTextDocumentContentProvider(HELM_SCHEME, actions),
    vscode.languages.registerCodeActionsProvider(selector, actions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  ];
  return { dispose: () => parts.forEach((p) => p.dispose()) };
}
