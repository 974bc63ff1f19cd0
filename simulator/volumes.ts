// Volume expansion as a cluster does it: the PersistentVolumeClaimResize admission plugin (a bound
// claim whose StorageClass has allowVolumeExpansion may grow, nothing else), the validation that
// refuses a shrink, and the external resizer plus kubelet: `Resizing`, then either the new
// `status.capacity` (online expansion) or `FileSystemResizePending` until a pod using the claim
// starts again (StorageClass parameter `simulator.statefulset-studio.dev/online-expansion: "false"`).
import { randomUUID } from 'node:crypto';
import { resourceByKind, resourceKey } from './resources';
import { ApiError, invalid, type Obj } from './status';
import { clone, type Store, type StoreEvent } from './store';

const PVC = resourceByKind('PersistentVolumeClaim');
const POD = resourceByKind('Pod');
const SC = resourceByKind('StorageClass');
const EVENT = resourceByKind('Event');

export const OFFLINE_PARAMETER = 'simulator.statefulset-studio.dev/online-expansion';
export const RESIZE_FORBIDDEN = 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3 };

/** Bytes of a Kubernetes quantity ("10Gi", "500M", "1e9"); NaN when it is not one. */
export function quantityBytes(q: unknown): number {
  const m = /^([+-]?\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(String(q ?? '').trim());
  if (!m || !(m[3] in UNITS)) return NaN;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * UNITS[m[3]];
}

const requested = (pvc: Obj): unknown => pvc?.spec?.resources?.requests?.storage;

/** Admission and validation of a PVC update (throws the real errors). */
export function admitClaimUpdate(store: Store, old: Obj, next: Obj): void {
  const before = requested(old);
  const after = requested(next);
  const { resources: _a, volumeAttributesClassName: _b, ...restOld } = old.spec ?? {};
  const { resources: _c, volumeAttributesClassName: _d, ...restNew } = next.spec ?? {};
  const name = old.metadata.name;
  if (old.status?.phase === 'Bound' && JSON.stringify(sorted(restOld)) !== JSON.stringify(sorted(restNew)))
    throw invalid('PersistentVolumeClaim', '', name, [
      { reason: 'FieldValueForbidden', message: 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims', field: 'spec' },
    ]);
  if (String(before) === String(after)) return;
  const b = quantityBytes(before);
  const a = quantityBytes(after);
  const capacity = quantityBytes(old.status?.capacity?.storage);
  if (a < b || (!Number.isNaN(capacity) && a < capacity))
    throw invalid('PersistentVolumeClaim', '', name, [
      { reason: 'FieldValueForbidden', message: 'Forbidden: field can not be less than status.capacity', field: 'spec.resources.requests.storage' },
    ]);
  if (old.status?.phase !== 'Bound') throw new ApiError(403, 'Forbidden', `persistentvolumeclaims "${name}" is forbidden: Only bound persistent volume claims can be expanded`, { name, kind: 'persistentvolumeclaims' });
  const sc = store.peek(SC, undefined, old.spec?.storageClassName ?? '');
  if (!sc || sc.allowVolumeExpansion !== true)
    throw new ApiError(403, 'Forbidden', `persistentvolumeclaims "${name}" is forbidden: ${RESIZE_FORBIDDEN}`, { name, kind: 'persistentvolumeclaims' });
}

function sorted(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function setCondition(pvc: Obj, type: string, message: string | undefined, now: string): void {
  const conds: Obj[] = (pvc.status.conditions ?? []).filter((c: Obj) => c.type !== type);
  conds.push({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now, ...(message ? { message } : {}) });
  pvc.status.conditions = conds;
}

function dropConditions(pvc: Obj, ...types: string[]): void {
  const conds = (pvc.status.conditions ?? []).filter((c: Obj) => !types.includes(c.type));
  if (conds.length) pvc.status.conditions = conds;
  else delete pvc.status.conditions;
}

/** The external resizer and the kubelet's part of expansion, driven by store events. */
export class VolumeResizer {
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Delay of each resize phase (Resizing, then expanded), ms. */
  stepMs: number;

  constructor(
    private readonly store: Store,
    opts: { stepMs?: number } = {},
  ) {
    this.stepMs = opts.stepMs ?? 30;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    for (const p of this.store.listRaw(PVC)) this.check(p);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  get idle(): boolean {
    return this.timers.size === 0;
  }

  private later(fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.unsubscribe) fn();
    }, this.stepMs);
    t.unref?.();
    this.timers.add(t);
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.key === resourceKey(PVC) && ev.type !== 'DELETED') this.check(ev.object);
    if (ev.key === resourceKey(POD) && ev.type !== 'DELETED' && ev.object.status?.phase === 'Running' && ev.prev?.status?.phase !== 'Running') this.podStarted(ev.object);
  }

  private pending = new Set<string>();

  private check(pvc: Obj): void {
    const key = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
    if (this.pending.has(key) || pvc.status?.phase !== 'Bound') return;
    const want = quantityBytes(requested(pvc));
    const allocated = quantityBytes(pvc.status?.allocatedResources?.storage ?? pvc.status?.capacity?.storage);
    if (!(want > allocated)) return;
    this.pending.add(key);
    this.later(() => this.resizing(key, pvc.metadata.uid));
  }

  private current(key: string, uid: string): Obj | undefined {
    const [ns, name] = key.split('/');
    const cur = this.store.peek(PVC, ns, name);
    if (!cur || cur.metadata.uid !== uid) {
      this.pending.delete(key);
      return undefined;
    }
    return cur;
  }

  private resizing(key: string, uid: string): void {
    const cur = this.current(key, uid);
    if (!cur) return;
    const next = clone(cur);
    setCondition(next, 'Resizing', undefined, this.store.timestamp());
    next.status.allocatedResourceStatuses = { storage: 'ControllerResizeInProgress' };
    this.store.update(PVC, next);
    this.event(cur, 'Normal', 'Resizing', `External resizer is resizing volume ${cur.spec?.volumeName ?? ''}`);
    this.later(() => this.expanded(key, uid));
  }

  private expanded(key: string, uid: string): void {
    const cur = this.current(key, uid);
    if (!cur) return;
    this.pending.delete(key);
    const size = requested(cur);
    const next = clone(cur);
    const sc = this.store.peek(SC, undefined, cur.spec?.storageClassName ?? '');
    const offline = sc?.parameters?.[OFFLINE_PARAMETER] === 'false';
    dropConditions(next, 'Resizing');
    next.status.allocatedResources = { storage: size };
    if (offline) {
      setCondition(next, 'FileSystemResizePending', 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.', this.store.timestamp());
      next.status.allocatedResourceStatuses = { storage: 'NodeResizePending' };
    } else {
      next.status.capacity = { ...(next.status.capacity ?? {}), storage: size };
      delete next.status.allocatedResourceStatuses;
    }
    this.store.update(PVC, next);
    this.event(cur, 'Normal', offline ? 'FileSystemResizeRequired' : 'FileSystemResizeSuccessful', offline ? 'Require file system resize of volume on node' : `MountVolume.NodeExpandVolume succeeded for volume "${cur.spec?.volumeName ?? ''}"`);
    // a request raised again meanwhile
    const after = this.store.peek(PVC, cur.metadata.namespace, cur.metadata.name);
    if (after) this.check(after);
  }

  /** A pod started: claims it mounts that wait for a file system resize finish it. */
  private podStarted(pod: Obj): void {
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const cur = this.store.peek(PVC, pod.metadata.namespace, claim);
      if (!cur || !(cur.status?.conditions ?? []).some((c: Obj) => c.type === 'FileSystemResizePending')) continue;
      const next = clone(cur);
      dropConditions(next, 'FileSystemResizePending');
      delete next.status.allocatedResourceStatuses;
      next.status.capacity = { ...(next.status.capacity ?? {}), storage: next.status.allocatedResources?.storage ?? requested(cur) };
      this.store.update(PVC, next);
      this.event(cur, 'Normal', 'FileSystemResizeSuccessful', `MountVolume.NodeExpandVolume succeeded for volume "${cur.spec?.volumeName ?? ''}" ${pod.spec?.nodeName ?? ''}`);
    }
  }

  private event(pvc: Obj, type: string, reason: string, message: string): void {
    const now = this.store.timestamp();
    this.store.create(EVENT, {
      metadata: { name: `${pvc.metadata.name}.${randomUUID().replace(/-/g, '').slice(0, 16)}`, namespace: pvc.metadata.namespace },
      involvedObject: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: pvc.metadata.name, namespace: pvc.metadata.namespace, uid: pvc.metadata.uid },
      reason,
      message,
      type,
      source: { component: reason === 'Resizing' ? 'external-resizer simulator.statefulset-studio.dev/hostpath' : 'kubelet' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
}
