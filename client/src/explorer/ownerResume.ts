// On each connection: resume the owners (Argo CD selfHeal, Flux suspend) that a "pause sync, do it,
// resume" cut short left paused — from the journal in the extension's storage (cluster/owners/pause.ts).
import * as path from 'node:path';
import type { ClusterConnection } from '../cluster/connection';
import type { Logger } from '../cluster/log';
import { PauseJournal, resumePending } from '../cluster/owners/pause';
import * as prompts from '../ui/prompts';

/** The pause journal beside the re-create journal. */
export function pauseJournal(journalDir: string): PauseJournal {
  return new PauseJournal(path.join(journalDir, 'owner-pauses'));
}

export async function resumeOwnerPauses(journalDir: string, log: Logger, conn: ClusterConnection): Promise<void> {
  const j = pauseJournal(journalDir);
  if (!j.list(conn.server).length) return;
  const r = await resumePending(conn.http, j, conn.server);
  for (const e of r.resumed) {
    log.info(`resumed ${e.owner.label}, paused for "${e.purpose}" by a run that did not finish (step ${e.stage})`);
    void prompts.info(`Resumed ${e.owner.label}: it was paused for "${e.purpose}" by a run that did not finish (step ${e.stage}).`);
  }
  for (const f of r.failed) {
    log.warn(`could not resume ${f.entry.owner.label}: ${f.error}`);
    void prompts.error(`${f.entry.owner.label} is still paused by an earlier run ("${f.entry.purpose}"): resuming failed (${f.error}); Refresh retries.`);
  }
}
