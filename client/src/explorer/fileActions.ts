// In the editor, for each StatefulSet document of a YAML file: a CodeLens line with the live state
// and `file differs: N fields` (from the explorer's live objects: no request per keystroke) and the
// actions Dry Run / Diff / Apply; and quick fixes on the language server's forbidden-update
// diagnostic that offer Resize Storage… or Re-create Keeping Pods and Data….
import * as vscode from 'vscode';
import { parseFileDocuments } from '../cluster/fileApply';
import { lensInfo } from '../cluster/lens';
import { inPlaceKnown } from '../cluster/workflows/inPlace';
import type { Explorer } from './explorer';

const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
];

export class StatefulSetLenses implements vscode.CodeLensProvider, vscode.CodeActionProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly ex: Explorer) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const conn = this.ex.conn;
    if (!conn || this.ex.state !== 'connected' || doc.getText().length > 2_000_000) return [];
    const out: vscode.CodeLens[] = [];
    for (const d of parseFileDocuments(doc.getText())) {
      if (d.kind !== 'StatefulSet' || d.errors.length || !d.name) continue;
      const ns = d.namespace ?? conn.namespace ?? 'default';
      const info = lensInfo(conn.model.view(`${ns}/${d.name}`), d.obj, inPlaceKnown(conn.server) === true);
      const range = new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.start));
      const args = [doc.uri, d.index];
      const text = [info.state, info.differs, info.managed].filter(Boolean).join(' · ');
      out.push(new vscode.CodeLens(range, { title: text, tooltip: info.fields.slice(0, 20).join('\n') || undefined, command: 'statefulsetStudio.diff', arguments: args }));
      out.push(new vscode.CodeLens(range, { title: 'Dry Run', command: 'statefulsetStudio.dryRun', arguments: args }));
      out.push(new vscode.CodeLens(range, { title: 'Diff', command: 'statefulsetStudio.diff', arguments: args }));
      out.push(new vscode.CodeLens(range, { title: 'Apply', command: 'statefulsetStudio.apply', arguments: args }));
      if (info.guided === 'resize') out.push(new vscode.CodeLens(range, { title: 'Resize Storage…', command: 'statefulsetStudio.resizeStorage', arguments: args }));
      if (info.guided === 'recreate') out.push(new vscode.CodeLens(range, { title: 'Re-create Keeping Pods and Data…', command: 'statefulsetStudio.recreate', arguments: args }));
      if (info.guided === 'in-place')
        out.push(new vscode.CodeLens(range, { title: 'claim templates update in place on this cluster (KEP-4650): Apply', tooltip: 'No orphan delete or re-create: pods and PVCs are kept; existing PVCs keep their size', command: 'statefulsetStudio.apply', arguments: args }));
    }
    return out;
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const forbidden = context.diagnostics.filter((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'forbidden-update');
    const conn = this.ex.conn;
    if (!forbidden.length || !conn) return [];
    const docs = parseFileDocuments(doc.getText());
    const out: vscode.CodeAction[] = [];
    const seen = new Set<number>();
    for (const diag of forbidden) {
      const d = docs.find((x) => x.kind === 'StatefulSet' && doc.offsetAt(diag.range.start) >= x.start && doc.offsetAt(diag.range.start) <= x.end);
      if (!d || seen.has(d.index)) continue;
      seen.add(d.index);
      const info = lensInfo(conn.model.view(`${d.namespace ?? conn.namespace ?? 'default'}/${d.name}`), d.obj, inPlaceKnown(conn.server) === true);
      const add = (title: string, command: string) => {
        const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        a.command = { title, command, arguments: [doc.uri, d.index] };
        a.diagnostics = [diag];
        out.push(a);
      };
      if (info.guided === 'in-place') {
        add(`Apply: this cluster updates claim templates in place (KEP-4650) — ${d.name} keeps its pods and PVCs`, 'statefulsetStudio.apply');
        continue;
      }
      if (info.guided === 'resize') add(`Resize Storage… (grow the PVCs of ${d.name}, keep its pods)`, 'statefulsetStudio.resizeStorage');
      add(`Re-create Keeping Pods and Data… (${d.name})`, 'statefulsetStudio.recreate');
    }
    return out;
  }
}

export function registerFileActions(ex: Explorer): vscode.Disposable {
  const lenses = new StatefulSetLenses(ex);
  const parts: vscode.Disposable[] = [
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerCodeActionsProvider(SELECTOR, lenses, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    ex.onLiveStatefulSets(() => lenses.refresh()),
    ex.onDidChangeState(() => lenses.refresh()),
  ];
  return { dispose: () => parts.forEach((p) => p.dispose()) };
}
