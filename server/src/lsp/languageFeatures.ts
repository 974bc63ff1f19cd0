// LSP handlers of the navigation features: outline, folding and selection ranges, go to definition,
// find references, rename, and links from hovers to the rule documentation. Thin: each one asks an engine
// module (server/src/engine/) with the file's analysis and a view of the workspace.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ResponseError, type Connection, type Hover, type Location, type ServerCapabilities } from 'vscode-languageserver';
import { FileAnalyzer, type FileAnalysis } from '../engine/analyzer';
import { definition, references } from '../engine/definition';
import type { Diagnostic } from '../engine/diagnostic';
import { foldingRanges } from '../engine/folding';
import type { WorkspaceView } from '../engine/related';
import { prepareRename, rename, RenameRefused } from '../engine/rename';
import { findingsMarkdown } from '../engine/ruleDocs';
import { selectionRanges } from '../engine/selectionRange';
import { documentSymbols } from '../engine/symbols';
import type { LiveObjects } from './liveObjects';
import { MAX_INDEXED_FILE_BYTES, type WorkspaceIndex } from './workspaceIndex';

export const LANGUAGE_FEATURE_CAPABILITIES: ServerCapabilities = {
  documentSymbolProvider: { label: 'StatefulSet Studio' },
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  foldingRangeProvider: true,
  selectionRangeProvider: true,
};

export interface FeatureHost {
  /** The analysis of an open document (undefined when it is not open). */
  analysis(uri: string): FileAnalysis | undefined;
  /** The findings of an open document, as published. */
  diagnostics(uri: string): Diagnostic[];
  /** Resolves once an open document has been analysed whole (a big file just opened is read in slices). */
  analysed(uri: string): Promise<void>;
  index: WorkspaceIndex;
  live: LiveObjects;
  /** Definitions that come before the engine's (a Helm values key → the template lines that read it). */
  extraDefinitions?(uri: string, pos: { line: number; character: number }): Location[];
}

/** Files read from disk for positions, reused while their size and mtime stay the same. */
const MAX_CACHED_FILES = 200;

export function registerLanguageFeatures(connection: Connection, host: FeatureHost): { hover(uri: string, pos: { line: number; character: number }, field: Hover | undefined): Hover | null } {
  const disk = new Map<string, { stamp: string; file: FileAnalysis }>();
  const readDisk = (uri: string): FileAnalysis | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      const path = fileURLToPath(uri);
      const st = fs.statSync(path);
      if (!st.isFile() || st.size > MAX_INDEXED_FILE_BYTES) return undefined;
      const stamp = `${st.size}:${st.mtimeMs}`;
      const hit = disk.get(uri);
      if (hit?.stamp === stamp) return hit.file;
      const file = new FileAnalyzer().analyze(fs.readFileSync(path, 'utf8'));
      if (disk.size >= MAX_CACHED_FILES) disk.delete(disk.keys().next().value as string);
      disk.set(uri, { stamp, file });
      return file;
    } catch {
      return undefined;
    }
  };
  const ws: WorkspaceView = {
    objects: (kind, fromUri) => host.index.objects(kind, fromUri),
    file: (uri) => host.analysis(uri) ?? readDisk(uri),
  };
  const isLive = (ns: string | undefined, name: string) => host.live.get('StatefulSet', ns, name) !== undefined;

  /** Runs a feature on an open document; a failure is logged and answered with `fallback`, never thrown at the editor. */
  async function run<T>(what: string, uri: string, fallback: T, f: (file: FileAnalysis) => T): Promise<T> {
    // a big file just opened: answer once it is read, without holding up the requests that need not wait
    await host.analysed(uri);
    const file = host.analysis(uri);
    if (!file) return fallback;
    try {
      return f(file);
    } catch (e) {
      if (e instanceof RenameRefused) throw new ResponseError(-32803 /* RequestFailed */, e.message);
      connection.console.error(`${what} failed for ${uri}: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  }

  connection.onDocumentSymbol((p) => run('outline', p.textDocument.uri, [], (file) => documentSymbols(file)));
  connection.onFoldingRanges((p) => run('folding', p.textDocument.uri, [], (file) => foldingRanges(file)));
  connection.onSelectionRanges((p) => run('selection ranges', p.textDocument.uri, [], (file) => selectionRanges(file, p.positions)));
  connection.onDefinition((p) => run('definition', p.textDocument.uri, [], (file) => {
    const extra = host.extraDefinitions?.(p.textDocument.uri, p.position);
    return extra?.length ? extra : definition(file, p.textDocument.uri, p.position, ws);
  }));
  connection.onReferences((p) => run('references', p.textDocument.uri, [], (file) => references(file, p.textDocument.uri, p.position, ws, p.context.includeDeclaration)));
  connection.onPrepareRename((p) => run('prepare rename', p.textDocument.uri, null, (file) => prepareRename(file, p.textDocument.uri, p.position, ws, isLive) ?? null));
  connection.onRenameRequest((p) => run('rename', p.textDocument.uri, null, (file) => rename(file, p.textDocument.uri, p.position, p.newName, ws, isLive) ?? null));

  return {
    /** The field's hover, followed by the findings under the cursor with links to their rules' documentation. */
    hover(uri, pos, field) {
      let findings: string | undefined;
      try {
        findings = findingsMarkdown(host.diagnostics(uri), pos);
      } catch (e) {
        connection.console.error(`hover findings failed for ${uri}: ${(e as Error).stack ?? e}`);
      }
      if (!findings) return field ?? null;
      const text = field && typeof field.contents === 'object' && 'kind' in field.contents ? field.contents.value : '';
      return { contents: { kind: 'markdown', value: text ? `${text}\n\n---\n\n${findings}` : findings }, ...(field?.range ? { range: field.range } : {}) };
    },
  };
}
