// On each connection: resume the owners (Argo CD selfHeal, Flux suspend) that a "pause sync, do it,
// resume" cut short left paused — from the journal in the extension's storage (cluster/owners/pause.ts).
import * as path from 'node:path';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../cluster/log';
import { PauseJournal, resumeFor, resumePending } from '../cluster/owners/pause';
import * as prompts from '../ui/prompts';

/** The pause journal beside the re-create journal. */
export function pauseJournal(journalDir: string): PauseJournal {
  return new PauseJournal(path.join(journalDir, 'owner-pauses'));
}

/**
 * `pendingFor`: a StatefulSet's journaled workflow still pending (re-create, resize, restore), as text — its
 * owner stays paused (resumed now, it would re-create the StatefulSet under the workflow) until that finishes.
 */
export async function resumeOwnerPauses(journalDir: string, log: Logger, conn: ClusterConnection, pendingFor: (namespace: string, name: string) => string | undefined = () => undefined): Promise<void> {
  const j = pauseJournal(journalDir);
  if (!j.list(conn.server).length) return;
  const r = await resumePending(conn.http, j, conn.server, (e) => (e.statefulSet ? pendingFor(e.statefulSet.namespace, e.statefulSet.name) : undefined));
  for (const k of r.kept) {
    log.info(`kept ${k.entry.owner.label} paused: ${k.reason}`);
    void prompts.warning(`${k.entry.owner.label} stays paused: ${k.reason}. It is resumed when that finishes.`, { modal: false });
  }
  for (const e of r.resumed) {
    log.info(`resumed ${e.owner.label}, paused for "${e.purpose}" by a run that did not finish (step ${e.stage})`);
    void prompts.info(`Resumed ${e.owner.label}: it was paused for "${e.purpose}" by a run that did not finish (step ${e.stage}).`);
  }
  for (const f of r.failed) {
    log.warn(`could not resume ${f.entry.owner.label}: ${f.error}`);
    void prompts.error(`${f.entry.owner.label} is still paused by an earlier run ("${f.entry.purpose}"): resuming failed (${f.error}); Refresh retries.`);
  }
}

/** After a pending workflow of this StatefulSet finished: resume the owners kept paused for it, and say so. */
export async function resumeKeptFor(journalDir: string, log: Logger, conn: ClusterConnection, namespace: string, name: string): Promise<string[]> {
  const resumed = await resumeFor(conn.http, pauseJournal(journalDir), conn.server, namespace, name);
  for (const label of resumed) log.info(`resumed ${label} (kept paused for ${namespace}/${name} until its workflow finished)`);
  return resumed;
}
