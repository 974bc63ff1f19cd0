// Dry Run on Server: server-side apply with dryRun=All, the API server's own verdict (admission and
// policies included). Its errors become diagnostics on the fields the Status causes name, kept until
// the next edit; success says so.
import type * as vscode from 'vscode';
import { errorMessage, KubeError } from '../cluster/errors';
import { dependencyOrder, serverApply } from '../cluster/fileApply';
import { statusProblems, type StatusProblem } from '../cluster/statusRanges';
import { publishProblems, targetDocuments, targetFile, type DocScope } from '../explorer/fileTargets';
import * as prompts from '../ui/prompts';
import type { Command, CommandContext } from './context';

export interface DryRunResult {
  ok: boolean;
  results: Array<{ kind: string; name: string; ok: boolean; message?: string }>;
  problems: StatusProblem[];
}

export const dryRun: Command = {
  id: 'statefulsetStudio.dryRun',
  run: async (c: CommandContext, uri?: vscode.Uri | string, scope?: DocScope): Promise<DryRunResult | undefined> => {
    const conn = c.needConn();
    const doc = await targetFile(uri);
    const docs = await targetDocuments(doc, scope, 'Dry run');
    if (!docs) return undefined;
    const text = doc.getText();
    const results: DryRunResult['results'] = [];
    const problems: StatusProblem[] = [];
    for (const d of dependencyOrder(docs)) {
      try {
        await serverApply(conn.http, d.obj, conn.namespace ?? 'default', { dryRun: true });
        results.push({ kind: d.kind, name: d.name, ok: true });
      } catch (e) {
        if (!(e instanceof KubeError) || e.code === 0 || e.code === 401) throw e;
        problems.push(...statusProblems(text, d.index, e));
        results.push({ kind: d.kind, name: d.name, ok: false, message: errorMessage(e) });
      }
    }
    publishProblems(doc, problems);
    const ok = results.every((r) => r.ok);
    if (ok) void prompts.info(`Dry run on ${conn.context}: the API server accepts ${results.map((r) => `${r.kind} ${r.name}`).join(', ')}`);
    else void prompts.error(`Dry run on ${conn.context}: ${results.filter((r) => !r.ok).map((r) => `${r.kind} ${r.name}: ${r.message}`).join(' | ')}`);
    return { ok, results, problems };
  },
};
