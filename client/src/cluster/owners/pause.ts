// "Pause sync, do it, resume": turn selfHeal off on an Argo CD Application (or suspend a Flux
// Kustomization / HelmRelease), run the command, then put back exactly what was there. Each step is
// written to a journal first (one JSON file per owner object, atomic writes), so that a run cut
// anywhere — the editor killed, the network gone — is resumed by resumePending() on the next
// connection: the owner is never left paused by us. Plain Node.
import { KubeError } from '../errors';
import { PATCH, type KubeHttp } from '../http';
import type { KObject } from '../types';
import type { Owner } from './detect';
import { clusterHash, JsonFiles } from '../workflows/jsonFiles';

export type PauseStage = 'pause' | 'act' | 'resume';

export interface PauseEntry {
  version: 1;
  cluster: string;
  context: string;
  owner: { type: 'argocd' | 'flux'; apiVersion: string; kind: string; plural: string; namespace: string; name: string; label: string };
  /** what was there before: the Application's automated.selfHeal, or the Flux object's spec.suspend (null: absent) */
  previous: { selfHeal?: boolean; suspend?: boolean | null };
  /** what the pause was for: "Scale of managed/payments-db to 4" */
  purpose: string;
  /** the StatefulSet the paused command works on (a journaled workflow of it still pending keeps the owner paused) */
  statefulSet?: { namespace: string; name: string };
  stage: PauseStage;
  startedAt: string;
  updatedAt: string;
}

export class PauseJournal {
  private readonly files: JsonFiles<PauseEntry>;
  constructor(readonly dir: string) {
    this.files = new JsonFiles(dir);
  }

  private key(cluster: string, o: PauseEntry['owner']): string {
    return `${clusterHash(cluster)}__${o.kind}__${o.namespace}__${o.name}`;
  }

  load(cluster: string, o: PauseEntry['owner']): PauseEntry | undefined {
    return this.files.read(this.key(cluster, o));
  }

  save(e: PauseEntry): void {
    this.files.write(this.key(e.cluster, e.owner), e);
  }

  remove(e: PauseEntry): void {
    this.files.remove(this.key(e.cluster, e.owner));
  }

  list(cluster?: string): PauseEntry[] {
    return this.files.all((e) => e.version === 1 && !!e.owner && (cluster === undefined || e.cluster === cluster));
  }
}

function ownerPath(o: PauseEntry['owner']): string {
  return `/apis/${o.apiVersion}/namespaces/${encodeURIComponent(o.namespace)}/${o.plural}/${encodeURIComponent(o.name)}`;
}

function pausePatch(e: PauseEntry, paused: boolean): unknown {
  if (e.owner.type === 'argocd') return { spec: { syncPolicy: { automated: { selfHeal: paused ? false : (e.previous.selfHeal ?? true) } } } };
  return { spec: { suspend: paused ? true : (e.previous.suspend ?? null) } };
}

/** A journal entry for pausing this owner (reads the owner object now, so `previous` is what the cluster holds). */
export async function pauseEntry(http: KubeHttp, cluster: string, context: string, o: Owner, purpose: string, statefulSet?: { namespace: string; name: string }): Promise<PauseEntry> {
  if ((o.type !== 'argocd' && o.type !== 'flux') || !o.ref.plural) throw new Error(`${o.label}: its sync cannot be paused from here`);
  const owner = { type: o.type, apiVersion: o.ref.apiVersion, kind: o.ref.kind, plural: o.ref.plural, namespace: o.ref.namespace, name: o.ref.name, label: o.title };
  const live = await http.request<KObject & { spec?: Record<string, any> }>('GET', ownerPath(owner));
  const previous = o.type === 'argocd' ? { selfHeal: live.spec?.syncPolicy?.automated?.selfHeal === true } : { suspend: typeof live.spec?.suspend === 'boolean' ? live.spec.suspend : null };
  const now = new Date().toISOString();
  return { version: 1, cluster, context, owner, previous, purpose, ...(statefulSet ? { statefulSet } : {}), stage: 'pause', startedAt: now, updatedAt: now };
}

async function patchOwner(http: KubeHttp, e: PauseEntry, paused: boolean): Promise<void> {
  try {
    await http.request('PATCH', ownerPath(e.owner), { body: pausePatch(e, paused), contentType: PATCH.merge });
  } catch (err) {
    // resuming an owner that is gone: nothing is left paused
    if (!paused && err instanceof KubeError && err.code === 404) return;
    throw err;
  }
}

export interface PauseHooks {
  /** called after each step (tests stop the run there, as a crash would) */
  step?: (s: 'saved' | 'paused' | 'acting' | 'acted' | 'resuming' | 'resumed') => Promise<void> | void;
  onProgress?: (text: string) => void;
  /**
   * When `act` fails: a reason to leave the owner paused (the command's journaled workflow is still pending, and a
   * resumed owner would re-create the StatefulSet under it) — the entry stays, resumeFor() resumes it later.
   */
  keepPausedOnError?: (err: unknown) => string | undefined;
}

/**
 * Pause the owner, run `act`, resume it — each step journaled before it is taken. When `act` fails the
 * owner is resumed and the error rethrown. A pending pause of the same owner (another run, or one cut
 * short) is refused: resumePending() first.
 */
export async function withOwnerPaused<T>(http: KubeHttp, journal: PauseJournal, entry: PauseEntry, act: () => Promise<T>, hooks: PauseHooks = {}): Promise<T> {
  const step = hooks.step ?? (() => undefined);
  const pending = journal.load(entry.cluster, entry.owner);
  if (pending) throw new Error(`${entry.owner.label} was paused by an earlier run (${pending.purpose}, step ${pending.stage}) that did not finish: it is resumed on the next connection (Refresh)`);
  entry.stage = 'pause';
  journal.save(entry);
  await step('saved');
  hooks.onProgress?.(`pausing ${entry.owner.label}`);
  await patchOwner(http, entry, true);
  await step('paused');
  entry.stage = 'act';
  journal.save(entry);
  await step('acting');
  let result: T;
  try {
    result = await act();
  } catch (err) {
    const reason = hooks.keepPausedOnError?.(err);
    if (reason) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(`${msg} ${entry.owner.label} stays paused (${reason}) and is resumed when that finishes.`);
    }
    await resumeEntry(http, journal, entry);
    throw err;
  }
  await step('acted');
  entry.stage = 'resume';
  journal.save(entry);
  await step('resuming');
  hooks.onProgress?.(`resuming ${entry.owner.label}`);
  await patchOwner(http, entry, false);
  await step('resumed');
  journal.remove(entry);
  return result;
}

async function resumeEntry(http: KubeHttp, journal: PauseJournal, e: PauseEntry): Promise<void> {
  e.stage = 'resume';
  journal.save(e);
  await patchOwner(http, e, false);
  journal.remove(e);
}

/**
 * Resume every owner a cut-short run of this cluster left paused; returns what was resumed (and what failed).
 * `keep`: a reason to leave an entry paused — its StatefulSet's journaled workflow (re-create, restore) is still
 * pending, and an owner resumed now would re-create the StatefulSet under it; resumeFor() resumes it when that ends.
 */
export async function resumePending(http: KubeHttp, journal: PauseJournal, cluster: string, keep: (e: PauseEntry) => string | undefined = () => undefined): Promise<{ resumed: PauseEntry[]; failed: Array<{ entry: PauseEntry; error: string }>; kept: Array<{ entry: PauseEntry; reason: string }> }> {
  const resumed: PauseEntry[] = [];
  const failed: Array<{ entry: PauseEntry; error: string }> = [];
  const kept: Array<{ entry: PauseEntry; reason: string }> = [];
  for (const e of journal.list(cluster)) {
    const reason = keep(e);
    if (reason) {
      kept.push({ entry: e, reason });
      continue;
    }
    try {
      await resumeEntry(http, journal, e);
      resumed.push(e);
    } catch (err) {
      failed.push({ entry: e, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { resumed, failed, kept };
}

/** Resume the owners left paused for this StatefulSet (its pending workflow has finished); returns their labels. */
export async function resumeFor(http: KubeHttp, journal: PauseJournal, cluster: string, namespace: string, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of journal.list(cluster)) {
    if (e.statefulSet?.namespace !== namespace || e.statefulSet.name !== name) continue;
    await resumeEntry(http, journal, e);
    out.push(e.owner.label);
  }
  return out;
}
