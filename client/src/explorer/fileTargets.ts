// The vscode side of the file → cluster commands: which file and which of its documents a command
// acts on (the one under the cursor, or all of them), the diagnostics that a server dry run leaves on
// the file (kept until its next edit), and the diff editor of live ↔ would-be.
import * as vscode from 'vscode';
import { documentAt, parseFileDocuments, comparableYaml, type DocumentDiff, type FileDocument } from '../cluster/fileApply';
import type { StatusProblem } from '../cluster/statusRanges';
import type { VirtualDocuments } from './documents';
import * as prompts from '../ui/prompts';

let collection: vscode.DiagnosticCollection | undefined;
let clearOnEdit: vscode.Disposable | undefined;

/** The diagnostics of server dry runs (source "kube-apiserver"), cleared on the file's next edit. */
export function serverDiagnostics(): vscode.DiagnosticCollection {
  if (!collection) {
    collection = vscode.languages.createDiagnosticCollection('statefulsetStudio.server');
    clearOnEdit = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) collection?.delete(e.document.uri);
    });
  }
  return collection;
}

export function disposeServerDiagnostics(): void {
  collection?.dispose();
  clearOnEdit?.dispose();
  collection = undefined;
  clearOnEdit = undefined;
}

export function publishProblems(doc: vscode.TextDocument, problems: StatusProblem[]): vscode.Diagnostic[] {
  const diags = problems.map((p) => {
    const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(p.start), doc.positionAt(Math.max(p.end, p.start + 1))), p.message, vscode.DiagnosticSeverity.Error);
    d.source = 'kube-apiserver (dry run)';
    return d;
  });
  serverDiagnostics().set(doc.uri, diags);
  return diags;
}

/** The YAML file a command acts on: the given uri, else the active editor's. */
export async function targetFile(uri?: vscode.Uri | string): Promise<vscode.TextDocument> {
  if (uri) return vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
  const ed = vscode.window.activeTextEditor;
  if (!ed || !['yaml', 'plaintext'].includes(ed.document.languageId)) throw new Error('Open a YAML file with Kubernetes objects first');
  return ed.document;
}

export type DocScope = 'cursor' | 'all' | number;

/**
 * The documents to act on: `scope` a document index, 'cursor' or 'all'; undefined = the one under the
 * cursor when the file has one, else ask.
 */
export async function targetDocuments(doc: vscode.TextDocument, scope: DocScope | undefined, verb: string): Promise<FileDocument[] | undefined> {
  const docs = parseFileDocuments(doc.getText());
  if (docs.length === 0) throw new Error(`${vscode.workspace.asRelativePath(doc.uri)} has no Kubernetes object (a document with kind and metadata.name)`);
  const broken = docs.filter((d) => d.errors.length);
  if (broken.length) throw new Error(`Fix the YAML first: document ${broken[0].index + 1}: ${broken[0].errors[0]}`);
  if (typeof scope === 'number') {
    const d = docs.find((x) => x.index === scope);
    if (!d) throw new Error(`No document ${scope + 1} in the file`);
    return [d];
  }
  const ed = vscode.window.activeTextEditor;
  const atCursor = ed && ed.document.uri.toString() === doc.uri.toString() ? documentAt(docs, doc.offsetAt(ed.selection.active)) : docs[0];
  if (scope === 'all' || docs.length === 1) return scope === 'all' ? docs : [docs[0]];
  if (scope === 'cursor') return atCursor ? [atCursor] : undefined;
  const one = atCursor ?? docs[0];
  return prompts.quickPick(
    [
      { label: `This document: ${one.kind} ${one.name}`, value: [one] },
      { label: `All ${docs.length} documents (${docs.map((d) => `${d.kind} ${d.name}`).join(', ')}) in dependency order`, value: docs },
    ],
    { title: `${verb} which documents?` },
  );
}

/** Opens VS Code's diff editor: live ↔ what the cluster would hold. Returns the two uris. */
export async function showDiff(docs: VirtualDocuments, d: DocumentDiff, title?: string): Promise<[vscode.Uri, vscode.Uri]> {
  const ns = d.next?.metadata?.namespace ?? d.live?.metadata?.namespace ?? '_';
  const base = `/${ns}/${d.doc.kind}/${d.doc.name}`;
  const left = docs.put(`${base}/live.yaml`, d.live ? comparableYaml(d.live) : '# not in the cluster\n');
  const right = docs.put(`${base}/after-apply.yaml`, comparableYaml(d.next));
  await vscode.commands.executeCommand('vscode.diff', left, right, title ?? `${d.doc.kind} ${d.doc.name}: live ↔ after apply (server dry run)`, { preview: true });
  return [left, right];
}
