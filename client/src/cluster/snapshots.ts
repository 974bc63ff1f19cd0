// CSI VolumeSnapshots of a StatefulSet's PVCs (snapshot.storage.k8s.io/v1), plain Node: whether the API
// exists on the cluster (it does only where a snapshot controller and its CRDs are installed), the
// VolumeSnapshotClasses (driver, deletionPolicy, default), a plan that names and labels each snapshot after
// its StatefulSet, ordinal, claim template and time, taking them and following each until readyToUse (or
// its status.error), and deleting one with its class's deletionPolicy stated.
import { KubeError, errorMessage } from './errors';
import { sleep } from './wait';
import type { KubeHttp } from './http';
import type { KObject } from './types';

export const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';
export const SNAPSHOT_API = `/apis/${SNAPSHOT_GROUP}/v1`;
export const SNAPSHOTS_DEF = { group: SNAPSHOT_GROUP, version: 'v1', plural: 'volumesnapshots' } as const;

/** Labels that tie a snapshot to what it was taken of (and let the tree and the restore find it). */
export const LABEL_STS = 'statefulset-studio.dev/statefulset';
export const LABEL_ORDINAL = 'statefulset-studio.dev/ordinal';
export const LABEL_TEMPLATE = 'statefulset-studio.dev/claim-template';
export const LABEL_TAKEN = 'statefulset-studio.dev/taken-at';
export const DEFAULT_CLASS_ANNOTATION = 'snapshot.storage.kubernetes.io/is-default-class';

export const ABSENT_TEXT =
  'This cluster has no VolumeSnapshot API (snapshot.storage.k8s.io/v1 is not served): snapshots need a CSI driver that supports them and the external snapshot controller with its CRDs (VolumeSnapshot, VolumeSnapshotClass, VolumeSnapshotContent). Ask your cluster admin, or see https://kubernetes.io/docs/concepts/storage/volume-snapshots/.';

export interface VolumeSnapshot extends KObject {
  spec?: { source?: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string }; volumeSnapshotClassName?: string };
  status?: { readyToUse?: boolean; restoreSize?: string; creationTime?: string; boundVolumeSnapshotContentName?: string; error?: { message?: string; time?: string } };
}

export interface SnapshotClass {
  name: string;
  driver: string;
  deletionPolicy: string;
  isDefault: boolean;
}

const enc = encodeURIComponent;
export const snapshotPath = (ns: string, name?: string) => `${SNAPSHOT_API}/namespaces/${enc(ns)}/volumesnapshots${name ? `/${enc(name)}` : ''}`;

/** Whether the cluster serves snapshot.storage.k8s.io/v1 (404 → false; other errors are thrown). */
export async function snapshotApiPresent(http: KubeHttp): Promise<boolean> {
  try {
    const rl = await http.request<{ resources?: Array<{ name?: string }> }>('GET', SNAPSHOT_API);
    return (rl.resources ?? []).some((r) => r.name === 'volumesnapshots');
  } catch (e) {
    if (e instanceof KubeError && e.code === 404) return false;
    throw e;
  }
}

export async function listSnapshotClasses(http: KubeHttp): Promise<SnapshotClass[]> {
  const l = await http.request<{ items?: Array<KObject & { driver?: string; deletionPolicy?: string }> }>('GET', `${SNAPSHOT_API}/volumesnapshotclasses`);
  return (l.items ?? [])
    .map((c) => ({
      name: String(c.metadata?.name),
      driver: String(c.driver ?? ''),
      deletionPolicy: String(c.deletionPolicy ?? 'Delete'),
      isDefault: c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
    }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
}

/** What happens to the stored snapshot when its VolumeSnapshot is deleted, by deletionPolicy. */
export function deletionPolicyText(policy: string | undefined): string {
  return policy === 'Retain'
    ? 'deletionPolicy Retain: the VolumeSnapshot object goes, but its VolumeSnapshotContent and the snapshot on the storage system are KEPT (an admin can bind them again or delete them)'
    : 'deletionPolicy Delete: the VolumeSnapshotContent and the snapshot data on the storage system are DELETED with it — it cannot be restored from afterwards';
}

/** 20261207t140501z: a label-safe UTC time (labels allow no ":"). */
export function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').toLowerCase();
}

export interface SnapshotTarget {
  pvc: string;
  template: string;
  ordinal: number;
}

export interface PlannedSnapshot extends SnapshotTarget {
  name: string;
  manifest: VolumeSnapshot;
}

/** `<pvc>-<time>`, cut to 253 characters (names of objects are DNS subdomains). */
export function snapshotName(pvc: string, at: Date): string {
  const s = stamp(at);
  return `${pvc.slice(0, 253 - s.length - 1)}-${s}`;
}

/** The VolumeSnapshots to create for chosen PVCs of a StatefulSet. */
export function planSnapshots(namespace: string, sts: string, targets: SnapshotTarget[], className: string | undefined, at = new Date()): PlannedSnapshot[] {
  return targets.map((t) => {
    const name = snapshotName(t.pvc, at);
    return {
      ...t,
      name,
      manifest: {
        apiVersion: `${SNAPSHOT_GROUP}/v1`,
        kind: 'VolumeSnapshot',
        metadata: {
          name,
          namespace,
          labels: { [LABEL_STS]: sts.slice(0, 63), [LABEL_ORDINAL]: String(t.ordinal), [LABEL_TEMPLATE]: t.template.slice(0, 63), [LABEL_TAKEN]: stamp(at) },
          annotations: { 'statefulset-studio.dev/taken-of': `${namespace}/${t.pvc} (StatefulSet ${sts}, ordinal ${t.ordinal})` },
        },
        spec: { source: { persistentVolumeClaimName: t.pvc }, ...(className ? { volumeSnapshotClassName: className } : {}) },
      } as VolumeSnapshot,
    };
  });
}

export interface SnapshotOutcome {
  name: string;
  pvc: string;
  ordinal: number;
  ready: boolean;
  restoreSize?: string;
  error?: string;
}

export interface TakeHooks {
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
  /** bound on the wait for readyToUse, ms (default 300,000) */
  timeoutMs?: number;
}


/** Create a snapshot (idempotent: one of that name with the same source counts as created). */
export async function createSnapshot(http: KubeHttp, s: PlannedSnapshot): Promise<void> {
  const ns = String(s.manifest.metadata?.namespace);
  try {
    await http.request('POST', snapshotPath(ns), { body: s.manifest });
  } catch (e) {
    if (!(e instanceof KubeError && e.code === 409)) throw e;
    const cur = await http.request<VolumeSnapshot>('GET', snapshotPath(ns, s.name));
    if (cur.spec?.source?.persistentVolumeClaimName !== s.pvc) throw new KubeError(409, `A VolumeSnapshot named ${s.name} exists already, of another PVC (${cur.spec?.source?.persistentVolumeClaimName ?? '?'})`);
  }
}

/** Wait until each snapshot is readyToUse or reports an error (bounded). */
export async function waitReady(http: KubeHttp, namespace: string, planned: Array<Pick<PlannedSnapshot, 'name' | 'pvc' | 'ordinal'>>, hooks: TakeHooks = {}): Promise<SnapshotOutcome[]> {
  const deadline = Date.now() + (hooks.timeoutMs ?? 300_000);
  const out = new Map<string, SnapshotOutcome>();
  let delay = 50;
  for (;;) {
    for (const p of planned) {
      if (out.get(p.name)?.ready) continue;
      let cur: VolumeSnapshot | undefined;
      try {
        cur = await http.request<VolumeSnapshot>('GET', snapshotPath(namespace, p.name));
      } catch (e) {
        if (e instanceof KubeError && e.code === 404) {
          out.set(p.name, { name: p.name, pvc: p.pvc, ordinal: p.ordinal, ready: false, error: 'deleted while waiting' });
          continue;
        }
        throw e;
      }
      const st = cur.status ?? {};
      out.set(p.name, { name: p.name, pvc: p.pvc, ordinal: p.ordinal, ready: st.readyToUse === true, restoreSize: st.restoreSize, error: st.error?.message });
    }
    const done = [...out.values()].filter((o) => o.ready || o.error);
    hooks.onProgress?.(`${[...out.values()].filter((o) => o.ready).length}/${planned.length} snapshots ready`);
    if (done.length === planned.length) return planned.map((p) => out.get(p.name)!);
    if (Date.now() > deadline)
      return planned.map((p) => {
        const o = out.get(p.name)!;
        return o.ready || o.error ? o : { ...o, error: `not readyToUse after ${Math.round((hooks.timeoutMs ?? 300_000) / 1000)} s (the CSI driver has not finished it; it may still become ready)` };
      });
    await sleep(delay, hooks.signal);
    delay = Math.min(1000, delay * 2);
  }
}

/** Create every planned snapshot, then follow them until ready. */
export async function takeSnapshots(http: KubeHttp, planned: PlannedSnapshot[], hooks: TakeHooks = {}): Promise<SnapshotOutcome[]> {
  if (!planned.length) return [];
  const ns = String(planned[0].manifest.metadata?.namespace);
  const failed: SnapshotOutcome[] = [];
  const created: PlannedSnapshot[] = [];
  for (const p of planned) {
    hooks.onProgress?.(`creating ${p.name} of ${p.pvc}`);
    try {
      await createSnapshot(http, p);
      created.push(p);
    } catch (e) {
      failed.push({ name: p.name, pvc: p.pvc, ordinal: p.ordinal, ready: false, error: errorMessage(e) });
    }
  }
  const waited = await waitReady(http, ns, created, hooks);
  const byName = new Map([...waited, ...failed].map((o) => [o.name, o]));
  return planned.map((p) => byName.get(p.name)!);
}

export interface DeletePlan {
  snapshot: VolumeSnapshot;
  className?: string;
  deletionPolicy: string;
  /** the confirmation text */
  text: string;
}

/** What deleting a snapshot does (its class's deletionPolicy, or the bound content's). */
export async function planDeleteSnapshot(http: KubeHttp, namespace: string, name: string): Promise<DeletePlan> {
  const snapshot = await http.request<VolumeSnapshot>('GET', snapshotPath(namespace, name));
  const className = snapshot.spec?.volumeSnapshotClassName;
  let deletionPolicy = 'Delete';
  let source = 'the class';
  const content = snapshot.status?.boundVolumeSnapshotContentName;
  try {
    if (content) {
      const c = await http.request<{ spec?: { deletionPolicy?: string } }>('GET', `${SNAPSHOT_API}/volumesnapshotcontents/${enc(content)}`);
      deletionPolicy = c.spec?.deletionPolicy ?? deletionPolicy;
      source = `its VolumeSnapshotContent ${content}`;
    } else if (className) {
      const c = await http.request<{ deletionPolicy?: string }>('GET', `${SNAPSHOT_API}/volumesnapshotclasses/${enc(className)}`);
      deletionPolicy = c.deletionPolicy ?? deletionPolicy;
      source = `VolumeSnapshotClass ${className}`;
    }
  } catch (e) {
    // contents are cluster-scoped: many users may not read them; say what the class says instead
    if (!(e instanceof KubeError && (e.code === 403 || e.code === 404))) throw e;
    if (className) {
      try {
        const c = await http.request<{ deletionPolicy?: string }>('GET', `${SNAPSHOT_API}/volumesnapshotclasses/${enc(className)}`);
        deletionPolicy = c.deletionPolicy ?? deletionPolicy;
        source = `VolumeSnapshotClass ${className}`;
      } catch {
        source = 'unknown (cannot read the class): assuming Delete';
      }
    }
  }
  const text = [
    `Delete VolumeSnapshot ${namespace}/${name} (of PVC ${snapshot.spec?.source?.persistentVolumeClaimName ?? '?'}, class ${className ?? '(default)'})?`,
    `${deletionPolicyText(deletionPolicy)} (policy from ${source}).`,
    'The PVC it was taken of is not touched.',
  ].join('\n');
  return { snapshot, className, deletionPolicy, text };
}

export async function deleteSnapshot(http: KubeHttp, namespace: string, name: string, uid?: string): Promise<void> {
  await http.request('DELETE', snapshotPath(namespace, name), uid ? { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid } } } : {});
}

/** Snapshots of one PVC, newest first. */
export function snapshotsOfPvc(all: Iterable<VolumeSnapshot>, namespace: string, pvc: string): VolumeSnapshot[] {
  return [...all]
    .filter((s) => s.metadata?.namespace === namespace && s.spec?.source?.persistentVolumeClaimName === pvc)
    .sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')) || String(b.metadata?.name).localeCompare(String(a.metadata?.name)));
}

/** "ready · 1Gi", "pending", "error: …" */
export function snapshotStatusText(s: VolumeSnapshot): string {
  const st = s.status ?? {};
  if (st.error?.message && st.readyToUse !== true) return `error: ${st.error.message}`;
  if (st.readyToUse === true) return `ready${st.restoreSize ? ` · ${st.restoreSize}` : ''}`;
  return 'not ready yet';
}
