// Restore from Snapshot…: on an ordinal's PVC (or one of its snapshots), replace that PVC by one made from a
// VolumeSnapshot under the same name, after a plan that says what happens to the pod, its data and the old
// volume; journaled, so running it again on the same PVC continues a restore that was cut. The logic is in
// ../cluster/workflows/restore.ts (plain Node).
import * as vscode from 'vscode';
import { errorMessage } from '../cluster/errors';
import { ABSENT_TEXT, snapshotApiPresent, snapshotPath, snapshotsOfPvc, SNAPSHOT_API, type VolumeSnapshot } from '../cluster/snapshots';
import { restorePreflight, runRestore, type RestoreEntry, type RestoreResult } from '../cluster/workflows/restore';
import * as prompts from '../ui/prompts';
import { askOwner, runAnswered } from '../explorer/ownerGate';
import { resumeKeptFor } from '../explorer/ownerResume';
import type { Command, CommandContext, Target } from './context';

export interface RestoreOutcome {
  absent?: boolean;
  cancelled?: boolean;
  refused?: string[];
  plan?: string;
  result?: RestoreResult;
}

interface PvcRef {
  namespace: string;
  sts: string;
  ordinal: number;
  pvc: string;
  snapshot?: string;
}

async function pickPvc(c: CommandContext, t: Target): Promise<PvcRef | undefined> {
  const conn = c.needConn();
  if (t && typeof t !== 'string' && t.pvcName && t.stsKey && t.ordinal !== undefined) {
    return { namespace: t.stsKey.split('/')[0], sts: t.stsKey.split('/')[1], ordinal: t.ordinal, pvc: t.pvcName, snapshot: t.snapshotName };
  }
  const items: Array<prompts.PickItem<PvcRef>> = [];
  for (const v of conn.model.statefulSets())
    for (const o of v.ordinals)
      for (const p of o.pvcs)
        if (p.pvc && (typeof t !== 'string' || t === p.name || t === `${v.namespace}/${p.name}`))
          items.push({ label: conn.namespace ? p.name : `${v.namespace}/${p.name}`, description: `${v.name} ordinal ${o.ordinal}`, value: { namespace: v.namespace, sts: v.name, ordinal: o.ordinal, pvc: p.name } });
  if (typeof t === 'string') {
    if (!items.length) throw new Error(`PVC ${t} of a StatefulSet ordinal not found`);
    return items[0].value;
  }
  return prompts.quickPick(items, { title: 'Restore which PVC from a snapshot?' });
}

export const restoreSnapshot: Command = {
  id: 'statefulsetStudio.restoreSnapshot',
  run: async (c: CommandContext, t?: Target): Promise<RestoreOutcome> => {
    const conn = c.needConn();
    const journal = c.ex.restoreJournal;
    // from the palette (or by name): a pending restore first — its StatefulSet may be absent from the tree
    if (!t || typeof t === 'string') {
      const pend = journal.list().filter((e) => e.cluster === conn.server && (typeof t !== 'string' || t === e.pvc || t === `${e.namespace}/${e.pvc}`));
      const e =
        pend.length <= 1
          ? pend[0]
          : await prompts.quickPick(
              pend.map((x) => ({ label: `${x.namespace}/${x.pvc}`, description: `from ${x.snapshot}, at step ${x.stage}`, value: x })),
              { title: 'Continue which pending restore?' },
            );
      if (pend.length > 1 && !e) return { cancelled: true };
      if (e) return continuePending(c, e);
    }
    const ref = await pickPvc(c, t);
    if (!ref) return { cancelled: true };
    const pending = journal.load(conn.server, ref.namespace, ref.pvc);
    if (pending) return continuePending(c, pending);
    // its owner first: one that re-creates a deleted StatefulSet would race the PVC swap (paused, or refused)
    const live = conn.model.view(`${ref.namespace}/${ref.sts}`);
    const owner = live?.owner ? await askOwner(c, live, 'restore') : undefined;
    if (owner && !owner.choice) return owner.verdict.kind === 'refuse' ? { refused: [owner.verdict.message] } : { cancelled: true };
    if (!(await snapshotApiPresent(conn.http))) {
      void prompts.error(`Restore from Snapshot… cannot run: ${ABSENT_TEXT}`);
      return { absent: true };
    }
    let snapshot = ref.snapshot;
    if (!snapshot) {
      const all = await conn.http.request<{ items?: VolumeSnapshot[] }>('GET', `${SNAPSHOT_API}/namespaces/${encodeURIComponent(ref.namespace)}/volumesnapshots`);
      const mine = snapshotsOfPvc(all.items ?? [], ref.namespace, ref.pvc);
      const ready = mine.filter((s) => s.status?.readyToUse === true);
      if (!ready.length) throw new Error(`No ready VolumeSnapshot of ${ref.pvc}${mine.length ? ` (${mine.length} not ready)` : ''}: take one with Snapshot Volumes…`);
      snapshot = await prompts.quickPick(
        ready.map((s) => ({ label: String(s.metadata?.name), description: `${s.status?.restoreSize ?? ''} · ${s.status?.creationTime ?? s.metadata?.creationTimestamp ?? ''}`, value: String(s.metadata?.name) })),
        { title: `Restore ${ref.pvc} from which snapshot?` },
      );
      if (!snapshot) return { cancelled: true };
    } else {
      await conn.http.request('GET', snapshotPath(ref.namespace, snapshot)); // 404 → a clear error
    }
    const first = await prompts.quickPick<boolean>(
      [
        { label: 'Snapshot the current data first, then restore', description: `keeps what ${ref.pvc} holds now as a snapshot (recommended)`, value: true },
        { label: 'Restore without a snapshot of the current data', description: `what ${ref.pvc} holds now is lost`, value: false },
      ],
      { title: `Restore ${ref.pvc} from ${snapshot}` },
    );
    if (first === undefined) return { cancelled: true };
    const pf = await restorePreflight(conn.http, { cluster: conn.server, context: conn.context, namespace: ref.namespace, statefulSet: ref.sts, ordinal: ref.ordinal, pvc: ref.pvc, snapshot, snapshotCurrentFirst: first });
    if (!pf.ok) {
      void prompts.error(`Restore ${ref.pvc}: ${pf.refusals.join(' ')}`);
      return { refused: pf.refusals, plan: pf.plan };
    }
    const BUTTON = 'Restore';
    const ok = await prompts.warning(`Restore ${ref.pvc} from ${snapshot}? Pod ${ref.sts}-${ref.ordinal} is deleted and comes back on the restored data.`, { detail: pf.plan, modal: true }, BUTTON);
    if (ok !== BUTTON) return { cancelled: true, plan: pf.plan };
    const entry = pf.entry!;
    return { plan: pf.plan, result: live && owner ? await runAnswered(c, live, owner, `Restore of ${ref.pvc} from ${snapshot}`, () => run(c, entry)) : await run(c, entry) };
  },
};

async function continuePending(c: CommandContext, pending: RestoreEntry): Promise<RestoreOutcome> {
  const GO = 'Continue Restore';
  const ans = await prompts.warning(
    `A restore of ${pending.pvc} from ${pending.snapshot} is pending at step "${pending.stage}"${pending.lastError ? ` (last error: ${pending.lastError})` : ''}. Continue it?`,
    { modal: true, detail: `It continues from that step: nothing done already is done again.${['create-pvc', 'create-sts', 'verify'].includes(pending.stage) ? ` ${pending.name} is absent or being re-created meanwhile: its other pods run on unowned.` : ''}` },
    GO,
  );
  if (ans !== GO) return { cancelled: true };
  const result = await run(c, pending);
  // an owner paused for it and kept paused while it was pending: resumed now
  const conn = c.needConn();
  const resumed = await resumeKeptFor(c.ex.journal.dir, c.ex.logger, conn, pending.namespace, pending.name);
  if (resumed.length) void prompts.info(`Resumed ${resumed.join(', ')}, paused for the restore of ${pending.pvc}.`);
  return { result };
}

async function run(c: CommandContext, entry: RestoreEntry): Promise<RestoreResult> {
  const conn = c.needConn();
  const title = `Restore ${entry.pvc} from ${entry.snapshot}`;
  let result: RestoreResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return runRestore(conn.http, c.ex.restoreJournal, entry, { signal: ac.signal, onProgress: (message) => progress.report({ message }) });
    });
    c.ex.refreshPending();
  } catch (e) {
    c.ex.refreshPending();
    const pending = c.ex.restoreJournal.load(entry.cluster, entry.namespace, entry.pvc);
    throw new Error(pending ? `${title} stopped at step "${pending.stage}": ${errorMessage(e)}. Run Restore from Snapshot… on ${entry.pvc} again to continue from there.` : `${title}: ${errorMessage(e)}`);
  }
  void prompts.info(`${title}: done. ${result.pod} runs on the restored ${result.pvc}; other pods untouched${result.otherPodsRecreated.length ? ` except ${result.otherPodsRecreated.join(', ')}` : ''}.${result.safetySnapshot ? ` The data it held before is in ${result.safetySnapshot}.` : ''}`);
  return result;
}
