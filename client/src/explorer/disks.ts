// The VS Code side of the disks: usage is polled only while the tree view is visible (and not at all
// while it is collapsed or another view is shown), settings for the interval and thresholds, and where
// the restore journals live.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { DiskOptions } from '../cluster/disks';
import { RestoreJournal } from '../cluster/workflows/restore';

export function diskOptions(): DiskOptions {
  const cfg = vscode.workspace.getConfiguration('statefulsetStudio.disks');
  const interval = Number(cfg.get('usageIntervalSeconds', 30));
  const warning = Number(cfg.get('warningPercent', 80));
  const error = Number(cfg.get('errorPercent', 90));
  return {
    intervalMs: Math.max(5, Number.isFinite(interval) ? interval : 30) * 1000,
    thresholds: { warning: Number.isFinite(warning) ? warning : 80, error: Number.isFinite(error) ? error : 90 },
  };
}

/** Poll usage while the view is visible; dispose when the connection goes. */
export function followVisibility(view: vscode.TreeView<unknown>, conn: ClusterConnection): vscode.Disposable {
  conn.disks.setVisible(view.visible);
  return view.onDidChangeVisibility((e) => conn.disks.setVisible(e.visible));
}

export function restoreJournal(storage: string): RestoreJournal {
  return new RestoreJournal(path.join(storage, 'restore-journal'));
}

/** The view's line for restores cut half-way on this cluster (undefined when there is none). */
export function pendingRestoreMessage(journal: RestoreJournal, cluster: string): string | undefined {
  const mine = journal.list().filter((e) => e.cluster === cluster);
  if (!mine.length) return undefined;
  return `${mine.map((e) => `${e.namespace}/${e.pvc}`).join(', ')}: restore from snapshot pending — run "Restore from Snapshot…" to continue it`;
}
