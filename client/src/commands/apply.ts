// Apply: server-side apply with field manager statefulset-studio. A server dry run first (errors →
// diagnostics; an immutable change → Resize Storage… / Re-create Keeping Pods and Data…), the diff,
// a confirmation that names what happens to pods and PVCs (scale plan), then the apply. A 409
// conflict lists each field and its manager and offers force as a separate, explicit choice.
import * as vscode from 'vscode';
import { KubeError } from '../cluster/errors';
import { conflictsOf, conflictText, dependencyOrder, diffDocument, namespaceOf, serverApply, type DocumentDiff } from '../cluster/fileApply';
import { statusProblems } from '../cluster/statusRanges';
import { applyConsequences } from '../cluster/workflows/immutable';
import { publishProblems, showDiff, targetDocuments, targetFile, type DocScope } from '../explorer/fileTargets';
import * as prompts from '../ui/prompts';
import { afterOwner, askOwner, ownerResult, runAnswered, type OwnerAnswer } from '../explorer/ownerGate';
import { manifestHolds } from '../cluster/owners/holds';
import type { StatefulSetView } from '../cluster/model';
import type { Command, CommandContext } from './context';

const FORCE = 'Force: take ownership of these fields';

export const apply: Command = {
  id: 'statefulsetStudio.apply',
  run: async (c: CommandContext, uri?: vscode.Uri | string, scope?: DocScope): Promise<{ applied: string[]; skipped?: string; reverted?: string[] } | undefined> => {
    const conn = c.needConn();
    const ns = conn.namespace ?? 'default';
    const doc = await targetFile(uri);
    const docs = await targetDocuments(doc, scope, 'Apply');
    if (!docs) return undefined;
    const ordered = dependencyOrder(docs);
    // 1. dry run of each document (with force only when the user chose it for a conflict)
    const diffs: Array<DocumentDiff & { force: boolean }> = [];
    for (const d of ordered) {
      let r = await diffDocument(conn.http, d, ns);
      let force = false;
      const conflicts = conflictsOf(r.error);
      if (conflicts.length) {
        const ans = await prompts.warning(
          `${d.kind} ${d.name}: ${conflicts.length} field${conflicts.length === 1 ? ' is' : 's are'} managed by someone else`,
          { detail: `${conflictText(conflicts)}\n\nApplying would take these fields from their managers (server-side apply force). Fix the file to match, or force.`, modal: true },
          FORCE,
        );
        if (ans !== FORCE) return { applied: [], skipped: 'conflict' };
        force = true;
        r = await diffDocument(conn.http, d, ns, { force: true });
      }
      if (r.error) {
        publishProblems(doc, statusProblems(doc.getText(), d.index, r.error));
        const forbidden = r.error.code === 422 && /Forbidden: updates to statefulset spec/.test(r.error.message);
        const msg = `${d.kind} ${d.name}: the API server refuses the file: ${r.error.message}`;
        if (forbidden) {
          const pick = await prompts.warning(msg, { modal: false }, 'Resize Storage…', 'Re-create Keeping Pods and Data…');
          if (pick === 'Resize Storage…') await vscode.commands.executeCommand('statefulsetStudio.resizeStorage', doc.uri, d.index);
          if (pick === 'Re-create Keeping Pods and Data…') await vscode.commands.executeCommand('statefulsetStudio.recreate', doc.uri, d.index);
          return { applied: [], skipped: 'forbidden' };
        }
        throw new KubeError(r.error.code, msg, r.error.reason, r.error.status);
      }
      diffs.push({ ...r, force });
    }
    publishProblems(doc, []);
    const changed = diffs.filter((d) => d.changed.length || !d.live);
    if (changed.length === 0) {
      void prompts.info(`The cluster already matches ${docs.map((d) => `${d.kind} ${d.name}`).join(', ')}`);
      return { applied: [] };
    }
    // the owners of the StatefulSets it changes, first: an operator's is refused, Argo CD / Flux / Helm say what they revert
    let paused: { v: StatefulSetView; a: OwnerAnswer } | undefined;
    const ownerNotes: string[] = [];
    // the managed StatefulSets it changes: watched after the apply for their owner's revert
    const watched: Array<{ d: (typeof changed)[number]; v: StatefulSetView; a: OwnerAnswer }> = [];
    for (const d of changed) {
      const v = d.doc.kind === 'StatefulSet' && d.live ? conn.model.view(`${namespaceOf(d.doc.obj, ns)}/${d.doc.name}`) : undefined;
      if (!v?.owner) continue;
      const a = await askOwner(c, v, 'apply');
      if (!a.choice) return { applied: [], skipped: 'owner' };
      if (a.choice === 'pause' && !paused) paused = { v, a };
      else if (a.verdict.reverted) ownerNotes.push(`${d.doc.kind} ${d.doc.name}: ${a.verdict.owner!.revertsText}`);
      watched.push({ d, v, a });
    }
    // 2. the diff and what happens to pods and PVCs
    for (const d of changed) await showDiff(c.docs, d);
    const lines: string[] = [];
    for (const d of changed) {
      const view = d.doc.kind === 'StatefulSet' ? conn.model.view(`${namespaceOf(d.doc.obj, ns)}/${d.doc.name}`) : undefined;
      lines.push(d.live ? `${d.doc.kind} ${d.doc.name}: ${d.changed.length} field${d.changed.length === 1 ? '' : 's'} change (${d.changed.slice(0, 6).join(', ')}${d.changed.length > 6 ? ', …' : ''})` : `${d.doc.kind} ${d.doc.name}: created`);
      for (const l of applyConsequences(view, d.live, d.next!)) lines.push(l);
      if (d.force) lines.push(`${d.doc.kind} ${d.doc.name}: fields owned by other managers are taken over (force).`);
    }
    lines.push(...ownerNotes);
    const button = changed.some((d) => d.force) ? 'Apply with force' : 'Apply';
    const ok = await prompts.warning(`Apply ${changed.map((d) => `${d.doc.kind} ${d.doc.name}`).join(', ')} to ${conn.context}?`, { detail: lines.join('\n'), modal: true }, button);
    if (ok !== button) return { applied: [], skipped: 'cancelled' };
    // 3. apply, in dependency order (with an owner paused around it when that was chosen)
    const applied: string[] = [];
    const applyAll = async () => {
      for (const d of changed) {
        try {
          await serverApply(conn.http, d.doc.obj, ns, { force: d.force });
        } catch (e) {
          const conflicts = conflictsOf(e);
          if (conflicts.length) throw new Error(`${d.doc.kind} ${d.doc.name}: changed meanwhile by another manager:\n${conflictText(conflicts)}\nApplied before it: ${applied.join(', ') || 'nothing'}`);
          throw new Error(`${d.doc.kind} ${d.doc.name}: ${e instanceof Error ? e.message : String(e)} (applied before it: ${applied.join(', ') || 'nothing'})`);
        }
        applied.push(`${d.doc.kind} ${d.doc.name}`);
      }
    };
    if (paused) await runAnswered(c, paused.v, paused.a, `Apply of ${changed.map((d) => `${d.doc.kind} ${d.doc.name}`).join(', ')}`, applyAll);
    else await applyAll();
    c.ex.logger.info(`applied ${applied.join(', ')} (field manager statefulset-studio)`);
    const done = `Applied ${applied.join(', ')} (server-side apply, field manager statefulset-studio)`;
    // no success for a change its owner puts back: each managed StatefulSet is watched for the settle period
    // (the file vs what git holds is unknown here: the change to commit is the live object vs the applied file)
    const checks = await Promise.all(watched.map(({ d, v, a }) => afterOwner(conn, v, a, `${d.doc.kind} ${d.doc.name} applied`, (now) => manifestHolds(d.doc.obj, now?.sts), { before: d.live, after: d.next })));
    const reverted = checks.some((r) => r.reverted);
    const message = watched.length ? `${done} — ${checks.map((r) => r.message).join(' ')}` : done;
    if (watched.length === 1) ownerResult(c, watched[0].v, watched[0].a, { message, reverted }, { before: watched[0].d.live, after: watched[0].d.next });
    else if (reverted) void prompts.error(message);
    else void prompts.info(message);
    return reverted ? { applied, reverted: checks.filter((r) => r.reverted).map((r) => r.message) } : { applied };
  },
};
