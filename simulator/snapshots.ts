// CSI volume snapshots as a cluster with the external snapshotter has them: the snapshot.storage.k8s.io/v1
// CRDs (VolumeSnapshot, VolumeSnapshotClass, VolumeSnapshotContent) — present or absent per server, as on real
// clusters (absent: 404 and not in discovery) — a snapshot controller that binds each VolumeSnapshot to a
// content and makes it readyToUse after a delay (or never: `neverReady`, for fault tests; errors in
// status.error), deletionPolicy honoured when a snapshot is deleted, and the provisioner's side of a restore:
// a PVC whose spec.dataSource (or dataSourceRef) names a ready VolumeSnapshot is bound (size ≥ restoreSize,
// else ProvisioningFailed) and carries the snapshot's data.
//
// Data: each volume has a data marker (what is "on the disk"; default `volume:<spec.volumeName>`), which tests
// change with writeMarker() (control `volumes/write`); a snapshot copies its source's marker, a restored PVC
// starts with its snapshot's marker — so a test proves that a restored PVC holds the snapshot's data.
import { randomUUID } from 'node:crypto';
import { GROUPS, RESOURCES, resourceByKind, resourceKey, rt, statusOf, type ResourceType } from './resources';
import { ApiError, type Obj } from './status';
import { clone, type Store, type StoreEvent } from './store';
import { registerColumns } from './tables';
import { quantityBytes } from './volumes';

export const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';
export const DRIVER = 'hostpath.csi.simulator.statefulset-studio.dev';
function crd(resource: string, singular: string, kind: string, namespaced: boolean, shortNames: string[]): ResourceType {
  return rt(SNAPSHOT_GROUP, 'v1', resource, singular, kind, namespaced, shortNames, [], kind === 'VolumeSnapshotClass' ? [] : [statusOf(SNAPSHOT_GROUP, 'v1', kind)]);
}

// registered once per process; each server shows or hides them (SnapshotController.installed)
if (!RESOURCES.some((r) => r.group === SNAPSHOT_GROUP)) {
  RESOURCES.push(
    crd('volumesnapshots', 'volumesnapshot', 'VolumeSnapshot', true, ['vs']),
    crd('volumesnapshotclasses', 'volumesnapshotclass', 'VolumeSnapshotClass', false, ['vsclass', 'vsclasses']),
    crd('volumesnapshotcontents', 'volumesnapshotcontent', 'VolumeSnapshotContent', false, ['vsc', 'vscs']),
  );
  GROUPS.push({ name: SNAPSHOT_GROUP, version: 'v1' });
  const age = (o: Obj, now: Date) => {
    const ms = now.getTime() - Date.parse(o.metadata.creationTimestamp);
    const s = Math.max(0, Math.floor(ms / 1000));
    return s < 120 ? `${s}s` : s < 600 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : s < 10_800 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
  };
  const NAME = { name: 'Name', type: 'string' as const, format: 'name', description: 'Name must be unique within a namespace.', cell: (o: Obj) => o.metadata.name };
  const AGE = { name: 'Age', type: 'date' as const, description: 'CreationTimestamp', cell: age };
  registerColumns('VolumeSnapshot', [
    NAME,
    { name: 'ReadyToUse', type: 'boolean', description: 'Indicates if the snapshot is ready to be used to restore a volume.', cell: (o) => o.status?.readyToUse ?? '' },
    { name: 'SourcePVC', type: 'string', description: 'If a new snapshot needs to be created, this contains the name of the source PVC from which this snapshot was (or will be) created.', cell: (o) => o.spec?.source?.persistentVolumeClaimName ?? '' },
    { name: 'SourceSnapshotContent', type: 'string', description: 'If a snapshot already exists, this contains the name of the existing VolumeSnapshotContent object representing the existing snapshot.', cell: (o) => o.spec?.source?.volumeSnapshotContentName ?? '' },
    { name: 'RestoreSize', type: 'string', description: 'Represents the minimum size of volume required to rehydrate from this snapshot.', cell: (o) => o.status?.restoreSize ?? '' },
    { name: 'SnapshotClass', type: 'string', description: 'The name of the VolumeSnapshotClass requested by the VolumeSnapshot.', cell: (o) => o.spec?.volumeSnapshotClassName ?? '' },
    { name: 'SnapshotContent', type: 'string', description: 'Name of the VolumeSnapshotContent object to which the VolumeSnapshot object intends to bind to.', cell: (o) => o.status?.boundVolumeSnapshotContentName ?? '' },
    { name: 'CreationTime', type: 'date', description: 'Timestamp when the point-in-time snapshot was taken by the underlying storage system.', cell: (o, now) => (o.status?.creationTime ? age({ metadata: { creationTimestamp: o.status.creationTime } }, now) : '') },
    AGE,
  ]);
  registerColumns('VolumeSnapshotClass', [
    NAME,
    { name: 'Driver', type: 'string', description: 'Driver', cell: (o) => o.driver },
    { name: 'DeletionPolicy', type: 'string', description: 'Determines whether a VolumeSnapshotContent created through the VolumeSnapshotClass should be deleted when its bound VolumeSnapshot is deleted.', cell: (o) => o.deletionPolicy },
    AGE,
  ]);
  registerColumns('VolumeSnapshotContent', [
    NAME,
    { name: 'ReadyToUse', type: 'boolean', description: 'Indicates if a snapshot is ready to be used to restore a volume.', cell: (o) => o.status?.readyToUse ?? '' },
    { name: 'RestoreSize', type: 'integer', description: 'Represents the complete size of the snapshot in bytes', cell: (o) => o.status?.restoreSize ?? '' },
    { name: 'DeletionPolicy', type: 'string', description: 'Determines whether this VolumeSnapshotContent and its physical snapshot on the underlying storage system should be deleted when its bound VolumeSnapshot is deleted.', cell: (o) => o.spec?.deletionPolicy },
    { name: 'Driver', type: 'string', description: 'Name of the CSI driver used to create the physical snapshot on the underlying storage system.', cell: (o) => o.spec?.driver },
    { name: 'VolumeSnapshotClass', type: 'string', description: 'Name of the VolumeSnapshotClass to which this snapshot belongs.', cell: (o) => o.spec?.volumeSnapshotClassName ?? '' },
    { name: 'VolumeSnapshot', type: 'string', description: 'Name of the VolumeSnapshot object to which this VolumeSnapshotContent object is bound.', cell: (o) => o.spec?.volumeSnapshotRef?.name },
    { name: 'VolumeSnapshotNamespace', type: 'string', description: 'Namespace of the VolumeSnapshot object to which this VolumeSnapshotContent object is bound.', cell: (o) => o.spec?.volumeSnapshotRef?.namespace },
    AGE,
  ]);
}

const VS = resourceByKind('VolumeSnapshot');
const VSC = resourceByKind('VolumeSnapshotClass');
const CONTENT = resourceByKind('VolumeSnapshotContent');
const PVC = resourceByKind('PersistentVolumeClaim');
const EVENT = resourceByKind('Event');

export const DEFAULT_CLASS_ANNOTATION = 'snapshot.storage.kubernetes.io/is-default-class';

export interface SnapshotOptions {
  /** CRDs installed (default false) */
  installed?: boolean;
  /** VolumeSnapshot → readyToUse, ms (default 40) */
  readyDelayMs?: number;
}

export class SnapshotController {
  installed: boolean;
  readyDelayMs: number;
  /** snapshots stay readyToUse: false (a stuck CSI driver) */
  neverReady = false;
  /** data markers by PVC uid, and by VolumeSnapshotContent name */
  private readonly pvcMarkers = new Map<string, string>();
  private readonly snapMarkers = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    opts: SnapshotOptions = {},
  ) {
    this.installed = !!opts.installed;
    this.readyDelayMs = opts.readyDelayMs ?? 40;
  }

  /** Whether a resource type is hidden on this server (its CRD is not installed). */
  hides = (t: { group: string }): boolean => !this.installed && t.group === SNAPSHOT_GROUP;
  hidesGroup = (group: string): boolean => !this.installed && group === SNAPSHOT_GROUP;

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    if (this.installed) this.install();
    // claims created before (or while the CRDs were absent) that wait for a snapshot
    for (const p of this.store.listRaw(PVC)) this.provision(p);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Install the CRDs (and the default VolumeSnapshotClass, as a CSI driver's chart does). */
  install(): void {
    this.installed = true;
    if (!this.store.peek(VSC, undefined, 'csi-hostpath-snapclass'))
      this.store.create(VSC, {
        apiVersion: `${SNAPSHOT_GROUP}/v1`,
        kind: 'VolumeSnapshotClass',
        metadata: { name: 'csi-hostpath-snapclass', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
        driver: DRIVER,
        deletionPolicy: 'Delete',
      });
    for (const s of this.store.listRaw(VS)) this.reconcile(s);
  }

  /** Remove the CRDs: the API answers 404 for them (the objects are kept, as if reinstalled later). */
  uninstall(): void {
    this.installed = false;
  }

  get idle(): boolean {
    return this.timers.size === 0;
  }

  private later(fn: () => void, ms = this.readyDelayMs): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.unsubscribe) fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  // ---- data markers -----------------------------------------------------------------------------

  /** What is on a claim's volume now. */
  markerOf(namespace: string, name: string): string | undefined {
    const pvc = this.store.peek(PVC, namespace, name);
    if (!pvc) return undefined;
    return this.pvcMarkers.get(pvc.metadata.uid) ?? `volume:${pvc.spec?.volumeName ?? pvc.metadata.uid}`;
  }

  /** Write data on a claim's volume (a test's stand-in for the application writing). */
  writeMarker(namespace: string, name: string, marker: string): void {
    const pvc = this.store.peek(PVC, namespace, name);
    if (!pvc) throw new ApiError(404, 'NotFound', `persistentvolumeclaims "${name}" not found`);
    this.pvcMarkers.set(pvc.metadata.uid, marker);
  }

  /** The data a snapshot holds (undefined until it is taken). */
  snapshotMarker(namespace: string, name: string): string | undefined {
    const s = this.store.peek(VS, namespace, name);
    const content = s?.status?.boundVolumeSnapshotContentName;
    return content ? this.snapMarkers.get(content) : undefined;
  }

  // ---- controller -------------------------------------------------------------------------------

  private onEvent(ev: StoreEvent): void {
    if (ev.key === resourceKey(VS)) {
      if (ev.type === 'DELETED') this.snapshotDeleted(ev.object);
      else this.reconcile(ev.object);
    } else if (ev.key === resourceKey(PVC) && ev.type === 'ADDED') this.provision(ev.object);
  }

  private classOf(s: Obj): Obj | undefined {
    const name = s.spec?.volumeSnapshotClassName;
    if (name) return this.store.peek(VSC, undefined, name);
    const defaults = this.store.listRaw(VSC).filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' && c.driver === DRIVER);
    return defaults.length === 1 ? defaults[0] : undefined;
  }

  private setStatus(s: Obj, status: Obj, spec?: Obj): void {
    const cur = this.store.peek(VS, s.metadata.namespace, s.metadata.name);
    if (!cur || cur.metadata.uid !== s.metadata.uid) return;
    const next = clone(cur);
    next.status = { ...(next.status ?? {}), ...status };
    if (spec) next.spec = { ...next.spec, ...spec };
    delete next.metadata.resourceVersion;
    this.store.update(VS, next);
  }

  private error(s: Obj, message: string): void {
    if (s.status?.error?.message === message) return;
    this.setStatus(s, { readyToUse: false, error: { message, time: this.store.timestamp() } });
    this.event(s, 'VolumeSnapshot', 'Warning', 'SnapshotCreationFailed', message);
  }

  /** The snapshot controller's pass over one VolumeSnapshot. */
  private reconcile(s: Obj): void {
    if (!this.installed || s.metadata.deletionTimestamp || s.status?.readyToUse === true) return;
    if (s.status?.boundVolumeSnapshotContentName) return; // taken; readiness is on its way (or held)
    const src = s.spec?.source ?? {};
    if (!!src.persistentVolumeClaimName === !!src.volumeSnapshotContentName) return this.error(s, 'Exactly one of persistentVolumeClaimName and volumeSnapshotContentName should be specified');
    if (!src.persistentVolumeClaimName) return this.error(s, 'pre-provisioned snapshots are not simulated');
    const cls = this.classOf(s);
    if (!cls) return this.error(s, s.spec?.volumeSnapshotClassName ? `Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io "${s.spec.volumeSnapshotClassName}" not found` : 'Failed to get default snapshot class: cannot find default snapshot class');
    const pvc = this.store.peek(PVC, s.metadata.namespace, src.persistentVolumeClaimName);
    if (!pvc) return this.error(s, `Failed to create snapshot content with error snapshot controller failed to update ${s.metadata.namespace}/${s.metadata.name} on API server: cannot get claim from snapshot`);
    if (pvc.status?.phase !== 'Bound') return this.error(s, `the PVC ${pvc.metadata.name} is not yet bound to a PV, will not attempt to take a snapshot`);
    // bind to a content now (the data is cut at this moment), ready after the delay
    const contentName = `snapcontent-${s.metadata.uid}`;
    const size = pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage;
    this.snapMarkers.set(contentName, this.markerOf(pvc.metadata.namespace, pvc.metadata.name)!);
    if (!this.store.peek(CONTENT, undefined, contentName))
      this.store.create(CONTENT, {
        apiVersion: `${SNAPSHOT_GROUP}/v1`,
        kind: 'VolumeSnapshotContent',
        metadata: { name: contentName, finalizers: ['snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection'] },
        spec: {
          deletionPolicy: cls.deletionPolicy ?? 'Delete',
          driver: cls.driver,
          source: { volumeHandle: pvc.spec?.volumeName ?? pvc.metadata.uid },
          sourceVolumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
          volumeSnapshotClassName: cls.metadata.name,
          volumeSnapshotRef: { apiVersion: `${SNAPSHOT_GROUP}/v1`, kind: 'VolumeSnapshot', name: s.metadata.name, namespace: s.metadata.namespace, uid: s.metadata.uid },
        },
      });
    this.setStatus(s, { boundVolumeSnapshotContentName: contentName, readyToUse: false }, s.spec?.volumeSnapshotClassName ? undefined : { volumeSnapshotClassName: cls.metadata.name });
    this.event(s, 'VolumeSnapshot', 'Normal', 'CreatingSnapshot', `Waiting for a snapshot ${s.metadata.namespace}/${s.metadata.name} to be created by the CSI driver.`);
    const uid = s.metadata.uid;
    const ready = () => {
      const cur = this.store.peek(VS, s.metadata.namespace, s.metadata.name);
      if (!cur || cur.metadata.uid !== uid) return;
      if (this.neverReady) return this.later(ready, Math.max(200, this.readyDelayMs));
      const now = this.store.timestamp();
      const bytes = quantityBytes(size);
      const content = this.store.peek(CONTENT, undefined, contentName);
      if (content) {
        const c = clone(content);
        c.status = { creationTime: Date.now() * 1e6, readyToUse: true, restoreSize: Number.isFinite(bytes) ? bytes : 0, snapshotHandle: `snap-${randomUUID()}` };
        delete c.metadata.resourceVersion;
        this.store.update(CONTENT, c);
      }
      this.setStatus(cur, { readyToUse: true, creationTime: now, restoreSize: size });
      this.event(cur, 'VolumeSnapshot', 'Normal', 'SnapshotReady', `Snapshot ${s.metadata.namespace}/${s.metadata.name} is ready to use.`);
      // claims waiting for this snapshot
      for (const p of this.store.listRaw(PVC, s.metadata.namespace)) this.provision(p);
    };
    this.later(ready);
  }

  private snapshotDeleted(s: Obj): void {
    const contentName = s.status?.boundVolumeSnapshotContentName;
    if (!contentName) return;
    const content = this.store.peek(CONTENT, undefined, contentName);
    if (!content) return;
    if (content.spec?.deletionPolicy === 'Delete') {
      this.store.deleteIfPresent(CONTENT, undefined, contentName);
      this.snapMarkers.delete(contentName);
    }
    // Retain: the content (and the storage snapshot) stays, bound to nothing
  }

  /** The external provisioner: a Pending claim with a VolumeSnapshot data source is made from it. */
  private provision(pvc: Obj): void {
    if (pvc.status?.phase === 'Bound' || pvc.metadata.deletionTimestamp) return;
    const ds = pvc.spec?.dataSourceRef ?? pvc.spec?.dataSource;
    if (!ds || ds.kind !== 'VolumeSnapshot' || ds.apiGroup !== SNAPSHOT_GROUP) return;
    const ns = pvc.metadata.namespace;
    const snap = this.store.peek(VS, ds.namespace ?? ns, ds.name);
    if (!this.installed || !snap) return this.provisionFailed(pvc, `error getting handle for DataSource Type VolumeSnapshot by Name ${ds.name}: error getting snapshot ${ds.name} from api server: volumesnapshots.snapshot.storage.k8s.io "${ds.name}" not found`);
    if (snap.status?.readyToUse !== true) return this.provisionFailed(pvc, `error getting handle for DataSource Type VolumeSnapshot by Name ${ds.name}: snapshot ${ds.name} is not Ready`);
    const want = quantityBytes(pvc.spec?.resources?.requests?.storage);
    const restore = quantityBytes(snap.status?.restoreSize);
    if (!(want >= restore)) return this.provisionFailed(pvc, `requested volume size ${want} is less than the size ${restore} for the source snapshot ${ds.name}`);
    const content = snap.status?.boundVolumeSnapshotContentName;
    const marker = content ? this.snapMarkers.get(content) : undefined;
    const uid = pvc.metadata.uid;
    // after the listener returns (the store is still emitting the ADDED event)
    setImmediate(() => {
      const cur = this.store.peek(PVC, ns, pvc.metadata.name);
      if (!cur || cur.metadata.uid !== uid || cur.status?.phase === 'Bound') return;
      const next = clone(cur);
      next.spec.volumeName = `pvc-${randomUUID()}`;
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.kubernetes.io/storage-provisioner': 'simulator.statefulset-studio.dev/hostpath',
      };
      next.metadata.finalizers = [...new Set([...(next.metadata.finalizers ?? []), 'kubernetes.io/pvc-protection'])];
      next.status = { phase: 'Bound', accessModes: next.spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage: next.spec.resources?.requests?.storage } };
      delete next.metadata.resourceVersion;
      if (marker !== undefined) this.pvcMarkers.set(uid, marker);
      this.store.update(PVC, next);
      this.event(next, 'PersistentVolumeClaim', 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${next.spec.volumeName} from snapshot ${ds.name}`);
    });
  }

  private readonly failedOnce = new Set<string>();
  private provisionFailed(pvc: Obj, message: string): void {
    const key = `${pvc.metadata.uid}|${message}`;
    if (this.failedOnce.has(key)) return;
    this.failedOnce.add(key);
    this.event(pvc, 'PersistentVolumeClaim', 'Warning', 'ProvisioningFailed', message);
  }

  private event(o: Obj, kind: string, type: string, reason: string, message: string): void {
    const now = this.store.timestamp();
    try {
      this.store.create(EVENT, {
        metadata: { name: `${o.metadata.name}.${randomUUID().replace(/-/g, '').slice(0, 16)}`, namespace: o.metadata.namespace },
        involvedObject: { apiVersion: kind === 'VolumeSnapshot' ? `${SNAPSHOT_GROUP}/v1` : 'v1', kind, name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid },
        reason,
        message,
        type,
        source: { component: kind === 'VolumeSnapshot' ? 'snapshot-controller' : DRIVER },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } catch {
      // the namespace is going away
    }
  }
}
