// Restore from Snapshot…: one ordinal's PVC replaced by a PVC made from a VolumeSnapshot, under the same name,
// so that the StatefulSet adopts it — plain Node over the wire, journaled and resumable after a kill at any step.
//
//   preflight: the snapshot API, the snapshot (readyToUse, restoreSize), the StatefulSet, the ordinal's pod and
//   PVC, RBAC (SelfSubjectAccessReview), the restore PVC accepted by the API server (a dry-run create), the old
//   volume's fate (its PV's reclaim policy, else the StorageClass's) — then the plan: what happens to each pod
//   and PVC.
//   steps (each idempotent, journaled before it runs):
//     [snapshot-current: a snapshot of the data the PVC holds now, ready]  (when asked)
//     orphan-delete  the StatefulSet (propagationPolicy Orphan): every pod keeps running, nothing re-creates the
//                    ordinal's pod or PVC while they are replaced
//     delete-pod     the ordinal's pod (it stops using the PVC); other pods are not touched
//     delete-pvc     the ordinal's PVC, only after the snapshot is checked ready and the restore PVC accepted
//                    again (preconditions: its UID as planned)
//     create-pvc     the same name, spec.dataSource = the snapshot, size ≥ restoreSize; wait until Bound
//     create-sts     the StatefulSet again from its saved manifest: it adopts the running pods (same UIDs, no
//                    restart) and creates the ordinal's pod, which mounts the restored PVC
//     verify         the pod Running and Ready on the restored PVC (its UID), the other pods' UIDs unchanged
import { KubeError, errorMessage } from '../errors';
import { until as poll } from '../wait';
import type { KubeHttp } from '../http';
import { selectorString } from '../operations';
import { planSnapshots, snapshotApiPresent, snapshotName, snapshotPath, takeSnapshots, type VolumeSnapshot } from '../snapshots';
import type { Pod, PersistentVolumeClaim } from '../types';
import { canI, type StepHooks } from './recreate';
import { storageBytes } from './immutable';
import { clusterHash, JsonFiles } from './jsonFiles';

export type RestoreStage = 'snapshot-current' | 'orphan-delete' | 'delete-pod' | 'delete-pvc' | 'create-pvc' | 'create-sts' | 'verify' | 'done';
export const RESTORE_STAGES: RestoreStage[] = ['snapshot-current', 'orphan-delete', 'delete-pod', 'delete-pvc', 'create-pvc', 'create-sts', 'verify', 'done'];

type Manifest = Record<string, any>;

export interface RestoreEntry {
  version: 1;
  workflow: 'restore';
  cluster: string;
  context: string;
  namespace: string;
  /** the StatefulSet */
  name: string;
  ordinal: number;
  pod: string;
  pvc: string;
  snapshot: string;
  /** a snapshot of the current data taken first (its name and class), when asked */
  safetySnapshot?: string;
  safetySnapshotClass?: string;
  startedAt: string;
  updatedAt: string;
  /** the StatefulSet as it was (status, uid, resourceVersion and managedFields dropped): re-created from this */
  manifest: Manifest;
  /** the restore PVC to create */
  claim: Manifest;
  before: { stsUid: string; podUid?: string; pvcUid: string; pods: Record<string, string> };
  /** the restored PVC's UID once created */
  restoredUid?: string;
  stage: RestoreStage;
  lastError?: string;
  /** why the PVC was not replaced after all (snapshot gone or not ready, restore PVC refused): the StatefulSet is re-created on the old PVC */
  aborted?: string;
}

const enc = encodeURIComponent;
const stsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/statefulsets/${enc(name)}`;
const pvcPath = (ns: string, name?: string) => `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims${name ? `/${enc(name)}` : ''}`;
const podPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`;

// ---- journal ---------------------------------------------------------------------------------------

/** Restore journals: one JSON file per PVC (cluster, namespace, name) in a folder of its own; atomic writes. */
export class RestoreJournal {
  private readonly files: JsonFiles<RestoreEntry>;
  constructor(readonly dir: string) {
    this.files = new JsonFiles(dir);
  }

  static key(cluster: string, namespace: string, pvc: string): string {
    return `${clusterHash(cluster)}__${namespace}__${pvc}`;
  }

  load(cluster: string, namespace: string, pvc: string): RestoreEntry | undefined {
    return this.files.read(RestoreJournal.key(cluster, namespace, pvc));
  }

  save(e: RestoreEntry): void {
    this.files.write(RestoreJournal.key(e.cluster, e.namespace, e.pvc), e);
  }

  remove(cluster: string, namespace: string, pvc: string): void {
    this.files.remove(RestoreJournal.key(cluster, namespace, pvc));
  }

  list(): RestoreEntry[] {
    return this.files.all((e) => e.version === 1 && e.workflow === 'restore' && e.stage !== 'done');
  }
}

// ---- preflight -------------------------------------------------------------------------------------

export interface RestoreTarget {
  cluster: string;
  context: string;
  namespace: string;
  statefulSet: string;
  ordinal: number;
  pvc: string;
  snapshot: string;
  /** take a snapshot of the PVC's current data first */
  snapshotCurrentFirst?: boolean;
  /** the class for that snapshot (default: the cluster's default class) */
  snapshotClass?: string;
}

export interface RestorePreflight {
  ok: boolean;
  refusals: string[];
  notes: string[];
  /** the confirmation text: what happens to each pod and PVC, step by step */
  plan: string;
  /** the old volume's fate, one sentence */
  oldVolume: string;
  entry?: RestoreEntry;
}

/** A bounded wait (../wait.ts) whose timeout says how to go on. */
const until = <T>(fn: () => Promise<T | undefined>, what: string, hooks: RestoreHooks): Promise<T> => poll(fn, what, hooks, 'run Restore from Snapshot… again to continue from here');

/** `data` of `data-web-1` */
function templateOf(pvc: string, sts: string, ordinal: number): string {
  return pvc.slice(0, pvc.length - `-${sts}-${ordinal}`.length);
}

async function getOr404<T>(http: KubeHttp, path: string): Promise<T | undefined> {
  try {
    return await http.request<T>('GET', path);
  } catch (e) {
    if (e instanceof KubeError && e.code === 404) return undefined;
    throw e;
  }
}

/** The StatefulSet as a manifest to create again: what the API server set is dropped, the spec kept. */
export function recreatable(live: Manifest): Manifest {
  const md = live.metadata ?? {};
  const metadata: Manifest = { name: md.name, namespace: md.namespace };
  if (md.labels) metadata.labels = md.labels;
  if (md.annotations) metadata.annotations = md.annotations;
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec: live.spec };
}

/** The PVC made from the snapshot: the old claim's name, labels, access modes, class and mode; size ≥ restoreSize. */
export function restoreClaim(old: PersistentVolumeClaim, snapshot: VolumeSnapshot): Manifest {
  const o = old as Manifest;
  const want = o.spec?.resources?.requests?.storage;
  const cap = o.status?.capacity?.storage;
  const restore = snapshot.status?.restoreSize;
  let size = want;
  for (const s of [cap, restore]) if (s && storageBytes(s) > storageBytes(size)) size = s;
  const spec: Manifest = {
    accessModes: o.spec?.accessModes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: size } },
    dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: snapshot.metadata?.name },
  };
  if (o.spec?.storageClassName) spec.storageClassName = o.spec.storageClassName;
  if (o.spec?.volumeMode) spec.volumeMode = o.spec.volumeMode;
  const metadata: Manifest = { name: o.metadata?.name, namespace: o.metadata?.namespace, annotations: { 'statefulset-studio.dev/restored-from': String(snapshot.metadata?.name) } };
  if (o.metadata?.labels) metadata.labels = o.metadata.labels;
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec };
}

/** What becomes of the old volume when its PVC is deleted: the PV's reclaim policy, else the StorageClass's. */
export async function oldVolumeFate(http: KubeHttp, pvc: PersistentVolumeClaim): Promise<string> {
  const o = pvc as Manifest;
  const pv = o.spec?.volumeName as string | undefined;
  let policy: string | undefined;
  let from = '';
  if (pv) {
    try {
      const p = await http.request<Manifest>('GET', `/api/v1/persistentvolumes/${enc(pv)}`);
      policy = p.spec?.persistentVolumeReclaimPolicy;
      from = `its PersistentVolume ${pv}`;
    } catch (e) {
      if (!(e instanceof KubeError && (e.code === 403 || e.code === 404))) throw e;
    }
  }
  if (!policy && o.spec?.storageClassName) {
    try {
      const sc = await http.request<Manifest>('GET', `/apis/storage.k8s.io/v1/storageclasses/${enc(o.spec.storageClassName)}`);
      policy = sc.reclaimPolicy ?? 'Delete';
      from = `StorageClass ${o.spec.storageClassName}`;
    } catch (e) {
      if (!(e instanceof KubeError && (e.code === 403 || e.code === 404))) throw e;
    }
  }
  if (policy === 'Retain') return `The old volume${pv ? ` (${pv})` : ''} is KEPT (reclaimPolicy Retain of ${from}): it becomes Released and keeps its data until an admin deletes or reuses it.`;
  if (policy === 'Delete') return `The old volume${pv ? ` (${pv})` : ''} and its data are DELETED when the PVC goes (reclaimPolicy Delete of ${from}).`;
  return `The old volume's reclaim policy could not be read${pv ? ` (${pv})` : ''}: assume its data is DELETED with the PVC (the default, Delete).`;
}

export async function restorePreflight(http: KubeHttp, t: RestoreTarget): Promise<RestorePreflight> {
  const ns = t.namespace;
  const out: RestorePreflight = { ok: false, refusals: [], notes: [], plan: '', oldVolume: '' };
  const finish = () => {
    out.ok = out.refusals.length === 0 && !!out.entry;
    if (!out.ok) delete out.entry;
    out.plan = planText(t, out);
    return out;
  };
  if (!(await snapshotApiPresent(http))) {
    out.refusals.push('This cluster has no VolumeSnapshot API (snapshot.storage.k8s.io/v1): there is nothing to restore from.');
    return finish();
  }
  const snap = await getOr404<VolumeSnapshot>(http, snapshotPath(ns, t.snapshot));
  const sts = await getOr404<Manifest>(http, stsPath(ns, t.statefulSet));
  const pvc = await getOr404<PersistentVolumeClaim>(http, pvcPath(ns, t.pvc));
  const pod = await getOr404<Pod>(http, podPath(ns, `${t.statefulSet}-${t.ordinal}`));
  if (!snap) out.refusals.push(`VolumeSnapshot ${ns}/${t.snapshot} not found.`);
  else if (snap.status?.readyToUse !== true) out.refusals.push(`VolumeSnapshot ${t.snapshot} is not readyToUse${snap.status?.error?.message ? ` (error: ${snap.status.error.message})` : ''}: a PVC cannot be made from it yet.`);
  if (!sts) out.refusals.push(`StatefulSet ${ns}/${t.statefulSet} not found.`);
  else if (sts.metadata?.deletionTimestamp) out.refusals.push(`StatefulSet ${ns}/${t.statefulSet} is being deleted.`);
  if (!pvc) out.refusals.push(`PVC ${ns}/${t.pvc} not found.`);
  else if (pvc.metadata?.deletionTimestamp) out.refusals.push(`PVC ${t.pvc} is being deleted already.`);
  if (sts && pvc) {
    const templates: string[] = (sts.spec?.volumeClaimTemplates ?? []).map((x: Manifest) => String(x.metadata?.name));
    if (!templates.some((tpl) => t.pvc === `${tpl}-${t.statefulSet}-${t.ordinal}`))
      out.refusals.push(`${t.pvc} is not the PVC of ordinal ${t.ordinal} of ${t.statefulSet} (claim templates: ${templates.join(', ') || 'none'}).`);
  }
  if (snap && pvc && snap.spec?.source?.persistentVolumeClaimName && snap.spec.source.persistentVolumeClaimName !== t.pvc)
    out.notes.push(`The snapshot was taken of ${snap.spec.source.persistentVolumeClaimName}, not of ${t.pvc}: ordinal ${t.ordinal} gets that PVC's data.`);
  // RBAC, up front
  const needs: Array<[string, string, string]> = [
    ['delete', 'statefulsets', 'apps'],
    ['create', 'statefulsets', 'apps'],
    ['delete', 'pods', ''],
    ['delete', 'persistentvolumeclaims', ''],
    ['create', 'persistentvolumeclaims', ''],
  ];
  if (t.snapshotCurrentFirst) needs.push(['create', 'volumesnapshots', 'snapshot.storage.k8s.io']);
  const denied: string[] = [];
  for (const [verb, resource, group] of needs) if (!(await canI(http, verb, resource, group, ns))) denied.push(`${verb} ${group ? `${resource}.${group}` : resource}`);
  if (denied.length) out.refusals.push(`Your account may not: ${denied.join(', ')} in namespace ${ns} (SelfSubjectAccessReview). Nothing was changed.`);
  if (!snap || !sts || !pvc || out.refusals.length) return finish();

  const claim = restoreClaim(pvc, snap);
  // the API server must accept the restore PVC before the old one may go: a dry-run create (another name)
  try {
    await http.request('POST', pvcPath(ns), { query: { dryRun: 'All' }, body: { ...claim, metadata: { ...claim.metadata, name: undefined, generateName: `${t.pvc.slice(0, 200)}-restore-` } } });
  } catch (e) {
    out.refusals.push(`The API server refuses the restore PVC (dry run): ${errorMessage(e)}`);
    return finish();
  }
  out.oldVolume = await oldVolumeFate(http, pvc);
  const pods = await http.request<{ items?: Pod[] }>('GET', `/api/v1/namespaces/${enc(ns)}/pods`, { query: { labelSelector: selectorString(sts as never) } });
  const owned = (pods.items ?? []).filter((p) => (p.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === sts.metadata?.uid));
  const now = new Date().toISOString();
  out.entry = {
    version: 1,
    workflow: 'restore',
    cluster: t.cluster,
    context: t.context,
    namespace: ns,
    name: t.statefulSet,
    ordinal: t.ordinal,
    pod: `${t.statefulSet}-${t.ordinal}`,
    pvc: t.pvc,
    snapshot: t.snapshot,
    startedAt: now,
    updatedAt: now,
    manifest: recreatable(sts),
    claim,
    before: {
      stsUid: String(sts.metadata?.uid),
      podUid: pod?.metadata?.uid,
      pvcUid: String(pvc.metadata?.uid),
      pods: Object.fromEntries(owned.map((p) => [String(p.metadata?.name), String(p.metadata?.uid)])),
    },
    stage: t.snapshotCurrentFirst ? 'snapshot-current' : 'orphan-delete',
  };
  if (t.snapshotCurrentFirst) {
    // a name of its own: a snapshot taken this second of the same PVC (the one restored, say) must not be taken for it
    out.entry.safetySnapshot = snapshotName(`${t.pvc.slice(0, 200)}-before-restore`, new Date());
    if (t.snapshotClass) out.entry.safetySnapshotClass = t.snapshotClass;
  }
  return finish();
}

function planText(t: RestoreTarget, pf: RestorePreflight): string {
  const lines: string[] = [];
  if (pf.refusals.length) {
    lines.push('Cannot go ahead:', ...pf.refusals.map((r) => `✗ ${r}`));
    return lines.join('\n');
  }
  const e = pf.entry!;
  const others = Object.keys(e.before.pods).filter((p) => p !== e.pod);
  let n = 1;
  lines.push(`Restore ${e.pvc} (ordinal ${e.ordinal} of ${e.namespace}/${e.name}) from VolumeSnapshot ${e.snapshot}:`);
  if (e.safetySnapshot) lines.push(`${n++}. Snapshot the data ${e.pvc} holds now as ${e.safetySnapshot} and wait until it is ready (to go back to).`);
  lines.push(`${n++}. Delete StatefulSet ${e.name} with propagationPolicy Orphan: its pods keep running (${others.join(', ') || 'no other pods'} are not touched), nothing re-creates ${e.pod} or ${e.pvc} meanwhile.`);
  lines.push(`${n++}. Delete pod ${e.pod}: it stops (its containers get their termination grace period), so it stops using ${e.pvc}.`);
  lines.push(`${n++}. Check again that ${e.snapshot} is ready and the restore PVC is accepted (if not, ${e.pvc} is NOT deleted and ${e.name} is re-created on it), then delete PVC ${e.pvc}. THE DATA ON IT NOW IS LOST${e.safetySnapshot ? ` (except in ${e.safetySnapshot})` : ''}. ${pf.oldVolume}`);
  lines.push(`${n++}. Create PVC ${e.pvc} again from the snapshot (${e.claim.spec.resources.requests.storage}, class ${e.claim.spec.storageClassName ?? '(default)'}) and wait until it is Bound.`);
  lines.push(`${n++}. Create StatefulSet ${e.name} again (same spec): it adopts the running pods (same UIDs, no restart) and creates ${e.pod}, which mounts the restored ${e.pvc}.`);
  lines.push(`${n++}. Verify: ${e.pod} Running and Ready on the restored PVC; the other pods unchanged.`);
  lines.push(`Only ${e.pod} and ${e.pvc} are replaced. Each step is journaled: if anything stops it, run Restore from Snapshot… on ${e.pvc} again to continue.`);
  if (pf.notes.length) lines.push('', ...pf.notes.map((x) => `• ${x}`));
  return lines.join('\n');
}

// ---- run -------------------------------------------------------------------------------------------

export type RestoreHooks = StepHooks<RestoreStage, RestoreEntry>;

export interface RestoreResult {
  pod: string;
  podUid: string;
  pvc: string;
  pvcUid: string;
  /** other pods whose UID changed (must be none) */
  otherPodsRecreated: string[];
  stsUid: string;
  safetySnapshot?: string;
}



const podReady = (p: Pod | undefined) => !!p && p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') && !p.metadata?.deletionTimestamp;

/** Run (or resume) a restore to its end. Throws on the first failure; the journal keeps the step. */
export async function runRestore(http: KubeHttp, journal: RestoreJournal, entry: RestoreEntry, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const ns = entry.namespace;
  const say = (s: string) => hooks.onProgress?.(s);
  const step = async (stage: RestoreStage, next: RestoreStage, fn: () => Promise<void>) => {
    if (entry.stage !== stage) return;
    journal.save(entry);
    if (hooks.signal?.aborted) throw new KubeError(0, 'cancelled', 'Cancelled');
    await hooks.beforeStep?.(stage, entry);
    try {
      await fn();
    } catch (e) {
      entry.lastError = errorMessage(e);
      journal.save(entry);
      throw e;
    }
    entry.stage = next;
    delete entry.lastError;
    journal.save(entry);
  };

  await step('snapshot-current', 'orphan-delete', async () => {
    if (!entry.safetySnapshot) return;
    say(`snapshotting the current data of ${entry.pvc} as ${entry.safetySnapshot}`);
    const [plan] = planSnapshots(ns, entry.name, [{ pvc: entry.pvc, template: templateOf(entry.pvc, entry.name, entry.ordinal), ordinal: entry.ordinal }], entry.safetySnapshotClass);
    plan.name = entry.safetySnapshot;
    plan.manifest.metadata!.name = entry.safetySnapshot;
    const [o] = await takeSnapshots(http, [plan], { signal: hooks.signal, timeoutMs: hooks.waitTimeoutMs, onProgress: say });
    if (!o.ready) throw new KubeError(0, `The snapshot of the current data (${entry.safetySnapshot}) is not ready: ${o.error ?? 'unknown'}. Nothing else was changed.`);
  });

  await step('orphan-delete', 'delete-pod', async () => {
    const cur = await getOr404<Manifest>(http, stsPath(ns, entry.name));
    if (cur && cur.metadata?.uid !== entry.before.stsUid) throw new KubeError(409, `StatefulSet ${entry.name} was replaced by another (new UID) since the restore was planned; nothing was changed. Plan the restore again.`);
    if (cur) {
      say(`deleting ${entry.name} with propagationPolicy Orphan (pods and PVCs stay)`);
      try {
        await http.request('DELETE', stsPath(ns, entry.name), { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan', preconditions: { uid: entry.before.stsUid } } });
      } catch (e) {
        if (!(e instanceof KubeError && e.code === 404)) throw e;
      }
    }
    await until(async () => ((await getOr404<Manifest>(http, stsPath(ns, entry.name)))?.metadata?.uid === entry.before.stsUid ? undefined : true), `${entry.name} to be deleted`, hooks);
  });

  await step('delete-pod', 'delete-pvc', async () => {
    const cur = await getOr404<Pod>(http, podPath(ns, entry.pod));
    if (cur) {
      const owner = (cur.metadata?.ownerReferences ?? []).find((r) => r.controller);
      if (owner && owner.uid !== entry.before.stsUid) throw new KubeError(409, `${entry.pod} is owned by ${owner.kind} ${owner.name} (not the StatefulSet being restored): not deleting it`);
      say(`deleting pod ${entry.pod}`);
      try {
        await http.request('DELETE', podPath(ns, entry.pod), { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: cur.metadata?.uid } } });
      } catch (e) {
        if (!(e instanceof KubeError && (e.code === 404 || e.code === 409))) throw e;
      }
    }
    await until(async () => ((await getOr404<Pod>(http, podPath(ns, entry.pod))) ? undefined : true), `${entry.pod} to be gone`, hooks);
  });

  await step('delete-pvc', 'create-pvc', async () => {
    const cur = await getOr404<PersistentVolumeClaim>(http, pvcPath(ns, entry.pvc));
    if (cur && cur.metadata?.uid !== entry.before.pvcUid) return; // the restore PVC exists already
    if (cur) {
      // never before the snapshot is ready and the restore PVC accepted
      // (else: no replacement — the StatefulSet is re-created on the old PVC, data intact, and the run says why)
      const snap = await getOr404<VolumeSnapshot>(http, snapshotPath(ns, entry.snapshot));
      if (snap?.status?.readyToUse !== true) {
        entry.aborted = `VolumeSnapshot ${entry.snapshot} is ${snap ? 'not readyToUse' : 'gone'}`;
        return;
      }
      try {
        await http.request('POST', pvcPath(ns), { query: { dryRun: 'All' }, body: { ...entry.claim, metadata: { ...entry.claim.metadata, name: undefined, generateName: `${entry.pvc.slice(0, 200)}-restore-` } } });
      } catch (e) {
        entry.aborted = `the API server refuses the restore PVC (dry run): ${errorMessage(e)}`;
        return;
      }
      say(`deleting PVC ${entry.pvc}`);
      try {
        await http.request('DELETE', pvcPath(ns, entry.pvc), { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: entry.before.pvcUid } } });
      } catch (e) {
        if (!(e instanceof KubeError && e.code === 404)) throw e;
      }
    }
    await until(async () => ((await getOr404<PersistentVolumeClaim>(http, pvcPath(ns, entry.pvc)))?.metadata?.uid === entry.before.pvcUid ? undefined : true), `${entry.pvc} to be gone`, hooks);
  });

  await step('create-pvc', 'create-sts', async () => {
    if (entry.aborted) return;
    let cur = await getOr404<PersistentVolumeClaim>(http, pvcPath(ns, entry.pvc));
    if (!cur) {
      say(`creating ${entry.pvc} from ${entry.snapshot}`);
      try {
        cur = await http.request<PersistentVolumeClaim>('POST', pvcPath(ns), { body: entry.claim });
      } catch (e) {
        if (!(e instanceof KubeError && e.code === 409)) throw e;
        cur = await http.request<PersistentVolumeClaim>('GET', pvcPath(ns, entry.pvc));
      }
    }
    const ds = (cur as Manifest).spec?.dataSourceRef ?? (cur as Manifest).spec?.dataSource;
    if (ds?.name !== entry.snapshot) throw new KubeError(409, `A PVC ${entry.pvc} exists that is not made from ${entry.snapshot} (created by someone else meanwhile?): stopping here`);
    entry.restoredUid = String(cur.metadata?.uid);
    journal.save(entry);
    say(`waiting for ${entry.pvc} to be Bound`);
    await until(
      async () => {
        const p = await getOr404<PersistentVolumeClaim>(http, pvcPath(ns, entry.pvc));
        if (!p) throw new KubeError(404, `${entry.pvc} disappeared while waiting for it to be Bound`);
        return p.status?.phase === 'Bound' ? true : undefined;
      },
      `${entry.pvc} to be Bound (made from ${entry.snapshot})`,
      hooks,
    );
  });

  await step('create-sts', 'verify', async () => {
    const cur = await getOr404<Manifest>(http, stsPath(ns, entry.name));
    if (cur && cur.metadata?.uid === entry.before.stsUid) throw new KubeError(409, `${entry.name} still exists with its old UID: the orphan delete did not happen`);
    if (cur) return; // created already
    say(`creating ${entry.name} again`);
    try {
      await http.request('POST', `/apis/apps/v1/namespaces/${enc(ns)}/statefulsets`, { body: entry.manifest });
    } catch (e) {
      if (!(e instanceof KubeError && e.code === 409)) throw e;
    }
  });

  let result: RestoreResult | undefined;
  await step('verify', 'done', async () => {
    say(`waiting for ${entry.pod} to run on the restored ${entry.pvc}`);
    const pod = await until(
      async () => {
        const p = await getOr404<Pod>(http, podPath(ns, entry.pod));
        return podReady(p) ? p : undefined;
      },
      `${entry.pod} to be Running and Ready`,
      hooks,
    );
    const sts = await http.request<Manifest>('GET', stsPath(ns, entry.name));
    const claim = await http.request<PersistentVolumeClaim>('GET', pvcPath(ns, entry.pvc));
    const mounts = ((pod.spec as Manifest | undefined)?.volumes ?? []).some((v: Manifest) => v.persistentVolumeClaim?.claimName === entry.pvc);
    if (!mounts) throw new KubeError(409, `${entry.pod} does not mount ${entry.pvc}`);
    if (entry.restoredUid && claim.metadata?.uid !== entry.restoredUid) throw new KubeError(409, `${entry.pvc} has another UID than the restored PVC: it was replaced meanwhile`);
    const pods = await http.request<{ items?: Pod[] }>('GET', `/api/v1/namespaces/${enc(ns)}/pods`, { query: { labelSelector: selectorString(sts as never) } });
    const now = new Map((pods.items ?? []).map((p) => [String(p.metadata?.name), String(p.metadata?.uid)]));
    const otherPodsRecreated = Object.entries(entry.before.pods)
      .filter(([n, u]) => n !== entry.pod && now.has(n) && now.get(n) !== u)
      .map(([n]) => n);
    result = { pod: entry.pod, podUid: String(pod.metadata?.uid), pvc: entry.pvc, pvcUid: String(claim.metadata?.uid), otherPodsRecreated, stsUid: String(sts.metadata?.uid), safetySnapshot: entry.safetySnapshot };
  });
  journal.remove(entry.cluster, ns, entry.pvc);
  if (entry.aborted)
    throw new KubeError(409, `Restore of ${entry.pvc} stopped before its PVC was deleted: ${entry.aborted}. ${entry.pvc} was NOT deleted: ${entry.pod} runs again on its old data and ${entry.name} is re-created.`, 'Aborted');
  if (!result) throw new KubeError(0, `The restore of ${ns}/${entry.pvc} had nothing left to do`);
  return result;
}
