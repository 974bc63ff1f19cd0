// Diff with Cluster: live ↔ what the cluster would hold after applying the file (the server dry-run
// result without managedFields and status), like kubectl diff --server-side.
import type * as vscode from 'vscode';
import { diffDocument, type DocumentDiff } from '../cluster/fileApply';
import { publishProblems, showDiff, targetDocuments, targetFile, type DocScope } from '../explorer/fileTargets';
import { statusProblems } from '../cluster/statusRanges';
import * as prompts from '../ui/prompts';
import type { Command, CommandContext } from './context';

export const diff: Command = {
  id: 'statefulsetStudio.diff',
  run: async (c: CommandContext, uri?: vscode.Uri | string, scope?: DocScope): Promise<Array<{ kind: string; name: string; changed: string[]; error?: string; exists: boolean }> | undefined> => {
    const conn = c.needConn();
    const doc = await targetFile(uri);
    const docs = await targetDocuments(doc, scope ?? 'cursor', 'Diff');
    if (!docs) return undefined;
    const out = [];
    const diffs: DocumentDiff[] = [];
    for (const d of docs) diffs.push(await diffDocument(conn.http, d, conn.namespace ?? 'default'));
    publishProblems(doc, diffs.flatMap((d) => (d.error ? statusProblems(doc.getText(), d.doc.index, d.error) : [])));
    for (const d of diffs) {
      if (d.error) void prompts.error(`${d.doc.kind} ${d.doc.name}: the API server refuses the file: ${d.error.message}`);
      else if (d.changed.length === 0) void prompts.info(`${d.doc.kind} ${d.doc.name}: the cluster already matches the file`);
      else await showDiff(c.docs, d);
      out.push({ kind: d.doc.kind, name: d.doc.name, changed: d.changed, error: d.error?.message, exists: !!d.live });
    }
    return out;
  },
};
