// The journal of a resize / re-create workflow: one JSON file per StatefulSet (keyed by cluster,
// namespace and name) in the extension's global storage, written before and after every step, so
// that a workflow cut anywhere (VS Code gone, network down, API server errors) can be finished by
// running it again from the journal. Plain Node.
import { clusterHash, JsonFiles } from './jsonFiles';
import type { Manifest } from '../fileApply';
import type { PlannedSnapshot } from '../snapshots';

/** 'snapshots' (VolumeSnapshots of the PVCs first) runs only when asked for: it is not in STAGES, the steps every run has. */
export type Stage = 'snapshots' | 'patch-pvcs' | 'wait-capacity' | 'orphan-delete' | 'create' | 'verify' | 'done';
export const STAGES: Stage[] = ['patch-pvcs', 'wait-capacity', 'orphan-delete', 'create', 'verify', 'done'];

export interface JournalEntry {
  version: 1;
  workflow: 'resize' | 'recreate';
  /** the API server URL and the kubeconfig context */
  cluster: string;
  context: string;
  namespace: string;
  name: string;
  startedAt: string;
  updatedAt: string;
  /** the manifest the StatefulSet is re-created from */
  manifest: Manifest;
  /** what existed before: the old StatefulSet's uid, and pod and PVC uids by name */
  before: { stsUid: string; pods: Record<string, string>; pvcs: Record<string, string>; podRestarts: Record<string, number> };
  /** PVCs to grow (resize only) */
  resizes: Array<{ pvc: string; to: string }>;
  /** VolumeSnapshots to take (and see ready) before anything changes, when asked for (stage 'snapshots') */
  snapshots?: PlannedSnapshot[];
  /** the next step to run */
  stage: Stage;
  /** the last error, for the user */
  lastError?: string;
  /** "the owner re-creates it" mode: the owner (operator, Argo CD, Flux) re-creates the deleted StatefulSet; the
   * workflow waits for it (bounded) instead of creating it, then verifies the adoption */
  ownerRecreates?: { owner: string; timeoutMs: number };
}

export function journalKey(cluster: string, namespace: string, name: string): string {
  return `${clusterHash(cluster)}__${namespace}__${name}`;
}

export interface Journal {
  load(cluster: string, namespace: string, name: string): JournalEntry | undefined;
  save(e: JournalEntry): void;
  remove(cluster: string, namespace: string, name: string): void;
  /** every pending entry (of any cluster) */
  list(): JournalEntry[];
}

/** Journal files in a directory (the extension's global storage). Writes are atomic (temp + rename). */
export class FileJournal implements Journal {
  private readonly files: JsonFiles<JournalEntry>;
  constructor(readonly dir: string) {
    this.files = new JsonFiles(dir);
  }

  load(cluster: string, namespace: string, name: string): JournalEntry | undefined {
    return this.files.read(journalKey(cluster, namespace, name));
  }

  save(e: JournalEntry): void {
    this.files.write(journalKey(e.cluster, e.namespace, e.name), e);
  }

  remove(cluster: string, namespace: string, name: string): void {
    this.files.remove(journalKey(cluster, namespace, name));
  }

  list(): JournalEntry[] {
    return this.files.all((e) => e.version === 1 && e.stage !== 'done');
  }
}
