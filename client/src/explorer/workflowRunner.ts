// The vscode side of Resize Storage… / Re-create Keeping Pods and Data… / Finish Pending Re-create:
// the document to act on, the preflight shown as a plan to confirm, progress with cancel, the result,
// and the optional restart of pods whose file system waits for it. The logic is in
// ../cluster/workflows (plain Node).
import * as vscode from 'vscode';
import { getLive, parseFileDocuments, type FileDocument } from '../cluster/fileApply';
import { immutableChanges } from '../cluster/workflows/immutable';
import { inPlaceMessage, onlyClaimTemplateChanges, probeInPlaceClaimTemplates } from '../cluster/workflows/inPlace';
import type { JournalEntry } from '../cluster/workflows/journal';
import { pendingByOrdinal, podsToRoll, preflight, restartPodsOneByOne, runWorkflow, type PreflightResult, type RunResult } from '../cluster/workflows/recreate';
import type { CommandContext } from '../commands/context';
import * as prompts from '../ui/prompts';
import { serverDiagnostics, targetDocuments, targetFile } from './fileTargets';
import { confirmWithSnapshotsFirst } from './snapshotsFirst';
import { afterOwner, askOwner, runAnswered, type OwnerAnswer } from './ownerGate';
import { manifestHolds, overlay } from '../cluster/owners/holds';
import type { StatefulSetView } from '../cluster/model';

export interface WorkflowOutcome {
  /** the cluster updates claim templates in place (KEP-4650): what was said, and whether Apply was chosen */
  inPlace?: { message: string; applied: boolean };
  refused?: string[];
  cancelled?: boolean;
  plan?: string;
  result?: RunResult;
  restarted?: string[];
  /** the owner put the StatefulSet back after the workflow: what was said (an error, not a success) */
  ownerReverted?: string;
}

async function statefulSetDocument(uri: vscode.Uri | string | undefined, index: number | undefined): Promise<FileDocument | undefined> {
  const doc = await targetFile(uri);
  const docs = await targetDocuments(doc, index ?? 'cursor', 'Use');
  const sts = docs?.find((d) => d.kind === 'StatefulSet') ?? parseFileDocuments(doc.getText()).find((d) => d.kind === 'StatefulSet');
  if (!sts) throw new Error('Put the cursor in a StatefulSet document of the file');
  return sts;
}

/** Resize or re-create from the StatefulSet document of a file: preflight, plan, confirm, run. */
export async function startWorkflow(c: CommandContext, workflow: 'resize' | 'recreate', uri?: vscode.Uri | string, index?: number): Promise<WorkflowOutcome> {
  const conn = c.needConn();
  const d = await statefulSetDocument(uri, index);
  if (!d) return { cancelled: true };
  const ns = d.namespace ?? conn.namespace ?? 'default';
  const existing = c.ex.journal.load(conn.server, ns, d.name);
  if (existing) throw new Error(`A ${existing.workflow} of ${ns}/${d.name} is pending (step ${existing.stage}): run "Finish Pending Re-create" first`);
  // its owner first: an operator re-creates its StatefulSet from the CR (refused here); Argo CD / Flux are paused around it or warned
  const live = conn.model.view(`${ns}/${d.name}`);
  let owner: OwnerAnswer | undefined;
  if (live?.owner) {
    owner = await askOwner(c, live, workflow);
    if (!owner.choice) return owner.verdict.kind === 'refuse' ? { refused: [owner.verdict.message] } : { cancelled: true };
  }
  const inPlace = await offerInPlace(c, d, ns, uri);
  if (inPlace) return { inPlace };
  const pf: PreflightResult = await preflight(conn.http, { cluster: conn.server, context: conn.context, namespace: ns, manifest: d.obj, workflow });
  const title = workflow === 'resize' ? `Resize storage of ${ns}/${d.name}` : `Re-create ${ns}/${d.name} keeping pods and data`;
  if (!pf.ok) {
    void prompts.error(`${title}: ${pf.refusals.join(' ')}`);
    return { refused: pf.refusals, plan: pf.plan };
  }
  const button = workflow === 'resize' ? 'Resize' : 'Re-create';
  leaveToOwner(pf, live, owner);
  if (!(await confirmWithSnapshotsFirst(c, pf, ns, d.name, title, button))) return { cancelled: true, plan: pf.plan };
  const outcome = await runOwned(c, pf.entry!, title, live, owner);
  // the dry-run refusal that led here is answered now
  serverDiagnostics().delete((await targetFile(uri)).uri);
  return { ...outcome, plan: pf.plan };
}

/** "The owner re-creates it": the workflow waits for the owner instead of creating the StatefulSet. */
export function leaveToOwner(pf: PreflightResult, live: StatefulSetView | undefined, owner: OwnerAnswer | undefined): void {
  if (owner?.choice !== 'ownerRecreates' || !live?.owner || !pf.entry) return;
  pf.entry.ownerRecreates = { owner: live.owner.title, timeoutMs: 120_000 };
  pf.plan = `${pf.plan}\nStep 4 is left to ${live.owner.title}: the workflow waits (up to 2 minutes) for it to re-create ${live.name}, checks it matches the file, then verifies the adoption.`;
}

/**
 * Run a workflow on a StatefulSet as its owner's answer says (paused around it, or as it is), then — unless the
 * owner re-created it itself (verified by the workflow) — watch for the settle period whether the owner puts it
 * back before saying the result: never "done" for a change its owner reverted.
 */
export async function runOwned(c: CommandContext, entry: JournalEntry, title: string, live: StatefulSetView | undefined, owner: OwnerAnswer | undefined): Promise<WorkflowOutcome> {
  if (!live?.owner || !owner) return runWithProgress(c, entry, title);
  const result = await runAnswered(c, live, owner, title, () => runSteps(c, entry, title));
  const check = owner.choice === 'ownerRecreates' ? undefined : await afterOwner(c.needConn(), live, owner, `${title}: done`, (now) => manifestHolds(entry.manifest, now?.sts), { before: live.sts.spec, after: overlay(live.sts.spec, entry.manifest.spec), prefix: 'spec' });
  return report(c, entry, title, result, check);
}

/** When only claim templates change and the API server accepts that (a dry run): say so and offer a plain Apply. */
async function offerInPlace(c: CommandContext, d: FileDocument, ns: string, uri: vscode.Uri | string | undefined): Promise<WorkflowOutcome['inPlace']> {
  const conn = c.needConn();
  const live = await getLive(conn.http, d.obj, ns);
  if (!live) return undefined;
  const ch = immutableChanges(live, d.obj);
  if (!onlyClaimTemplateChanges(ch)) return undefined;
  let supported: boolean | undefined;
  try {
    supported = await probeInPlaceClaimTemplates(conn.http, conn.server, live, d.obj, ns);
  } catch (e) {
    c.ex.logger.info(`in-place claim template probe of ${ns}/${d.name}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  if (!supported) return undefined;
  const message = inPlaceMessage(d.name, ch);
  const APPLY = 'Apply';
  const ans = await prompts.warning(message, { modal: true }, APPLY);
  if (ans !== APPLY) return { message, applied: false };
  await vscode.commands.executeCommand('statefulsetStudio.apply', uri ?? (await targetFile(uri)).uri, d.index);
  return { message, applied: true };
}

/** Run (or resume) a journaled workflow with progress and cancel; then offer the pod restarts a resize may need. */
export async function runWithProgress(c: CommandContext, entry: JournalEntry, title: string): Promise<WorkflowOutcome> {
  return report(c, entry, title, await runSteps(c, entry, title));
}

/** The journaled steps with progress and cancel. */
async function runSteps(c: CommandContext, entry: JournalEntry, title: string): Promise<RunResult> {
  const conn = c.needConn();
  const journal = c.ex.journal;
  journal.save(entry);
  c.ex.refreshPending();
  const started = Date.now();
  let result: RunResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return runWorkflow(conn.http, journal, entry, { signal: ac.signal, onProgress: (message) => progress.report({ message }) });
    });
  } catch (e) {
    c.ex.refreshPending();
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${title} stopped at step "${entry.stage}": ${msg}. Pods and PVCs are untouched; "Finish Pending Re-create" continues from there.`);
  }
  c.ex.refreshPending();
  c.ex.logger.info(`${title}: done in ${Date.now() - started} ms; pods recreated: ${result.recreatedPods.length}, restarted: ${result.restartedPods.length}`);
  return result;
}

/** The result said (after the owner's check, when there is one), and the pod restarts or rolls a workflow may need. */
async function report(c: CommandContext, entry: JournalEntry, title: string, result: RunResult, owner?: { message: string; reverted: boolean }): Promise<WorkflowOutcome> {
  const conn = c.needConn();
  const same = `Same pods (${result.samePods ? 'yes' : `no: ${result.recreatedPods.join(', ')}`}), same PVCs (${result.samePvcs ? 'yes' : 'no'}).`;
  if (owner?.reverted) {
    void prompts.error(`${owner.message} ${same}`);
    return { result, ownerReverted: owner.message };
  }
  const lines = [owner ? `${owner.message} ${same}` : `${title}: done. ${same}`];
  if (result.fileSystemResizePending.length) {
    const byPod = pendingByOrdinal(result.fileSystemResizePending, entry.name);
    lines.push(`File system grows when the pod restarts (FileSystemResizePending): ${[...byPod].map(([p, v]) => `${p} (${v.join(', ')})`).join('; ')}.`);
    const RESTART = 'Restart those pods one by one';
    const ans = await prompts.warning(lines.join(' '), { modal: false }, RESTART);
    if (ans === RESTART) {
      await restartPodsOneByOne(conn.http, entry.namespace, [...byPod.keys()]);
      void prompts.info(`Restarted ${[...byPod.keys()].join(', ')} one at a time`);
      return { result, restarted: [...byPod.keys()] };
    }
    return { result };
  }
  if (entry.workflow === 'recreate' && result.samePods) {
    // Adopted pods keep what they were created with (e.g. hostname/subdomain under the old serviceName) until
    // each is recreated: offer the roll, highest ordinal first, each after the previous is Ready again.
    const pods = podsToRoll(entry);
    const ROLL = 'Roll the pods one at a time';
    lines.push(`Pods were adopted as they are; changes such as serviceName reach a pod only when it is recreated. Rolling recreates ${pods.join(', ')} one at a time, highest ordinal first, waiting for Ready (PVCs are kept and reattached).`);
    const ans = await prompts.warning(lines.join(' '), { modal: false }, ROLL);
    if (ans === ROLL) {
      await restartPodsOneByOne(conn.http, entry.namespace, pods);
      void prompts.info(`Rolled ${pods.join(', ')} one at a time`);
      return { result, restarted: pods };
    }
    return { result };
  }
  void prompts.info(lines.join(' '));
  return { result };
}
