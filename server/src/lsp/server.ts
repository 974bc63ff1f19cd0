// The LSP wiring: a thin layer that feeds open documents to the engine and publishes its results.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { FileAnalyzer, fileDiagnostics } from '../engine/analyzer';
import type { Diagnostic } from '../engine/diagnostic';
import { complete } from '../engine/completion';
import { hover } from '../engine/hover';
import { quickFixes } from '../engine/quickfix';

export const SERVER_NAME = 'statefulset-language-server';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyzers = new Map<string, FileAnalyzer>();
  const pending = new Set<string>();
  let scheduled = false;

  function analyzeNow(uri: string): void {
    const doc = documents.get(uri);
    if (!doc) return;
    let analyzer = analyzers.get(uri);
    if (!analyzer) analyzers.set(uri, (analyzer = new FileAnalyzer()));
    let diagnostics: Diagnostic[];
    try {
      diagnostics = fileDiagnostics(analyzer.analyze(doc.getText()));
    } catch (e) {
      // never take the editor down: report the failure once, at the top of the file
      connection.console.error(`analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      diagnostics = [];
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  /** Coalesce bursts of changes: analyse each changed document once per turn of the event loop. */
  function schedule(uri: string): void {
    pending.add(uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const uris = [...pending];
      pending.clear();
      for (const u of uris) analyzeNow(u);
    });
  }

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':', '-'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    }),
  );

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    analyzers.delete(e.document.uri);
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    try {
      return complete(doc.getText(), p.position);
    } catch (e) {
      connection.console.error(`completion failed: ${(e as Error).stack ?? e}`);
      return [];
    }
  });

  connection.onHover((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    try {
      return hover(doc.getText(), p.position) ?? null;
    } catch (e) {
      connection.console.error(`hover failed: ${(e as Error).stack ?? e}`);
      return null;
    }
  });

  connection.onCodeAction((p) => quickFixes(p.textDocument.uri, p.context.diagnostics));

  documents.listen(connection);
  connection.listen();
}
