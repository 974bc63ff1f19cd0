// The confirmation of a risky workflow with a second button where the cluster has VolumeSnapshots:
// "Snapshot Volumes, then <action>". For Resize Storage… and Re-create… the snapshots become the workflow's
// first journaled step (stage 'snapshots'); Roll Back… (not journaled) takes them, with progress, before it acts.
import * as vscode from 'vscode';
import type { StatefulSetView } from '../cluster/model';
import { snapshotsFirstOffer } from '../cluster/snapshotsFirst';
import { takeSnapshots } from '../cluster/snapshots';
import type { PreflightResult } from '../cluster/workflows/recreate';
import type { CommandContext } from '../commands/context';
import * as prompts from '../ui/prompts';

/** Confirm a resize / re-create; with "Snapshot Volumes, then …" the entry starts with the snapshots. False: cancelled. */
export async function confirmWithSnapshotsFirst(c: CommandContext, pf: PreflightResult, ns: string, name: string, title: string, button: string): Promise<boolean> {
  const conn = c.needConn();
  const offer = await snapshotsFirstOffer(conn.http, c.ex.logger, ns, name, pf.pvcs.map((p) => ({ pvc: p.name, template: p.template, ordinal: p.ordinal })));
  const first = `Snapshot Volumes, then ${button}`;
  const detail = offer ? `${pf.plan}\n\n"${first}": ${offer.text} The snapshots are the first journaled step.` : pf.plan;
  const ok = await prompts.warning(`${title}?`, { detail, modal: true }, button, ...(offer ? [first] : []));
  if (ok === first && offer && pf.entry) {
    pf.entry.snapshots = offer.planned;
    pf.entry.stage = 'snapshots';
    return true;
  }
  return ok === button;
}

/** Confirm a rollback; with "Snapshot Volumes, then roll back" the snapshots are taken (and must be ready) first. */
export async function confirmRollbackWithSnapshotsFirst(c: CommandContext, v: StatefulSetView, message: string, detail: string, button: string): Promise<boolean> {
  const conn = c.needConn();
  const targets = v.ordinals.flatMap((o) => o.pvcs.filter((p) => p.pvc && p.phase === 'Bound').map((p) => ({ pvc: p.name, template: p.template, ordinal: p.ordinal })));
  const offer = await snapshotsFirstOffer(conn.http, c.ex.logger, v.namespace, v.name, targets);
  const first = 'Snapshot Volumes, then roll back';
  const ok = await prompts.warning(message, { detail: offer ? `${detail}\n\n"${first}": ${offer.text}` : detail, modal: true }, button, ...(offer ? [first] : []));
  if (ok !== first || !offer) return ok === button;
  const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Snapshots of ${v.name} before the rollback`, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    return takeSnapshots(conn.http, offer.planned, { signal: ac.signal, onProgress: (message) => progress.report({ message }) });
  });
  const bad = out.filter((o) => !o.ready);
  if (bad.length) throw new Error(`Not rolled back: snapshots not ready — ${bad.map((o) => `${o.name}: ${o.error ?? 'not ready'}`).join('; ')}. Nothing was changed.`);
  c.ex.logger.info(`snapshots before the rollback of ${v.key}: ${out.map((o) => o.name).join(', ')}`);
  return true;
}
