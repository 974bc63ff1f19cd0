// A simulation of the StatefulSet controller (pkg/controller/statefulset) and of the kubelet's part:
// pods by ordinal (OrderedReady / Parallel, ordinals.start), PVCs from claim templates with the
// retention policy, ControllerRevisions with canonical data, rolling updates in reverse ordinal
// order honouring the partition, OnDelete, and the status fields. Pods turn Running/Ready after a
// configurable delay. The sync loop follows stateful_set_control.go; test/simulator/conformance/
// holds it to upstream's StatefulSet e2e behaviours (docs/testing.md).
import { randomUUID } from 'node:crypto';
import { adoptOrphans } from './adoption';
import { releaseNonMatching } from './release';
import { canonicalJson } from './admission';
import { resourceByKind, resourceKey } from './resources';
import type { Obj } from './status';
import { clone, type Store, type StoreEvent } from './store';

const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const REV = resourceByKind('ControllerRevision');
const EVENT = resourceByKind('Event');

export interface ControllerOptions {
  /** Delay from pod creation to Running/Ready, in ms (default 50). */
  podReadyDelayMs?: number;
  /** Record Kubernetes Events (SuccessfulCreate, SuccessfulDelete) like the real controller (default true). */
  recordEvents?: boolean;
  /** Storage class used when a claim template names none (default "standard"). */
  defaultStorageClass?: string;
  /** The node side (scheduler, kubelet, event recorder): see kubelet.ts. Without it pods just turn Ready. */
  kubelet?: { startPod(pod: Obj, now: string): void; record(involved: Obj, type: string, reason: string, message: string, component: string): unknown };
}

/** k8s.io/apimachinery/pkg/util/rand.SafeEncodeString over the decimal form of a 32-bit FNV-1a hash. */
export function revisionHash(data: string, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const input = collisionCount ? `${data}${collisionCount}` : data;
  for (const b of Buffer.from(input, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

/** The ControllerRevision data for a StatefulSet: {"spec":{"template":{...,"$patch":"replace"}}}. */
export function revisionData(sts: Obj): string {
  return canonicalJson({ spec: { template: { ...sts.spec.template, $patch: 'replace' } } });
}

/** When a Ready pod counts as available: its Ready transition plus minReadySeconds (Infinity when not Ready). */
export function availableAt(p: Obj, minReadyMs: number): number {
  if (!isPodReady(p)) return Infinity;
  if (minReadyMs <= 0) return 0;
  const since = Date.parse((p.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready')?.lastTransitionTime ?? '') || 0;
  return since + minReadyMs;
}

export function isPodReady(p: Obj | undefined): boolean {
  return !!p && p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

export function ordinalOf(stsName: string, podName: string): number {
  const m = podName.slice(stsName.length + 1);
  return /^\d+$/.test(m) && podName.startsWith(`${stsName}-`) ? Number(m) : -1;
}

function controllerRef(o: Obj): Obj | undefined {
  return (o.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller);
}

/** Does another controller than the StatefulSet own this claim? Then the retention policy leaves it alone. */
function hasOtherController(claim: Obj, sts: Obj): boolean {
  return (claim.metadata?.ownerReferences ?? []).some((r: Obj) => r.controller && r.uid !== sts.metadata.uid && r.kind !== 'Pod');
}

function stsOwnerRef(sts: Obj, controller = true): Obj {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid, controller, blockOwnerDeletion: true };
}

/** A minReadySeconds re-check further away than this does not keep the controller from being idle. */
const RECHECK_IDLE_MS = 2000;

export class StatefulSetController {
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** owner uid → names of its pods / revisions (kept from store events). */
  private readonly owned = new Map<string, { pods: Set<string>; revisions: Set<string> }>();
  /** Pods and ControllerRevisions without a controller (adoption candidates), "ns\0key\0name". */
  private readonly orphans = new Set<string>();
  podReadyDelayMs: number;
  private readonly recordEvents: boolean;
  private readonly defaultStorageClass: string;
  private readonly reportedFailures = new Set<string>();
  private readonly kubelet: ControllerOptions['kubelet'];
  /** Set to pause reconciling (tests can freeze the controller). */
  paused = false;

  constructor(
    private readonly store: Store,
    opts: ControllerOptions = {},
  ) {
    this.podReadyDelayMs = opts.podReadyDelayMs ?? 50;
    this.recordEvents = opts.recordEvents ?? true;
    this.defaultStorageClass = opts.defaultStorageClass ?? 'standard';
    this.kubelet = opts.kubelet;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.owned.clear();
    this.orphans.clear();
    this.ownerOf.clear();
    for (const p of this.store.listRaw(POD)) this.index(resourceKey(POD), p, true);
    for (const r of this.store.listRaw(REV)) this.index(resourceKey(REV), r, true);
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    for (const s of this.store.listRaw(STS)) this.enqueue(s.metadata.namespace, s.metadata.name);
    // pods left Pending (e.g. by a restart) become ready again
    for (const p of this.store.listRaw(POD)) if (p.status?.phase === 'Pending' && controllerRef(p)?.kind === 'StatefulSet') this.scheduleReady(p);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.rechecks.values()) clearTimeout(r.timer);
    this.rechecks.clear();
  }

  /** The StatefulSet that controlled an object when last seen ("ns\0key\0name" → owner), to notice a release. */
  private readonly ownerOf = new Map<string, { uid: string; name: string }>();

  /** Indexes an object; returns the StatefulSet that controlled it before, when that changed. */
  private index(key: string, o: Obj, present: boolean): { uid: string; name: string } | undefined {
    const ref = controllerRef(o);
    const orphanKey = `${o.metadata.namespace}\u0000${key}\u0000${o.metadata.name}`;
    if (present && !ref) this.orphans.add(orphanKey);
    else this.orphans.delete(orphanKey);
    // an owner reference removed or changed (released, orphaned): out of the old owner's set
    const before = this.ownerOf.get(orphanKey);
    const now = present && ref?.kind === 'StatefulSet' ? ref : undefined;
    let changed: { uid: string; name: string } | undefined;
    if (before && before.uid !== now?.uid) {
      const old = this.owned.get(before.uid);
      (key === resourceKey(POD) ? old?.pods : old?.revisions)?.delete(o.metadata.name);
      this.ownerOf.delete(orphanKey);
      changed = before;
    }
    if (now) this.ownerOf.set(orphanKey, { uid: now.uid, name: now.name });
    if (!ref || ref.kind !== 'StatefulSet') return changed;
    let e = this.owned.get(ref.uid);
    if (!e) this.owned.set(ref.uid, (e = { pods: new Set(), revisions: new Set() }));
    const set = key === resourceKey(POD) ? e.pods : e.revisions;
    if (present) set.add(o.metadata.name);
    else set.delete(o.metadata.name);
    return changed;
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.key === resourceKey(STS)) {
      if (ev.type === 'DELETED') this.owned.delete(ev.object.metadata.uid);
      else this.enqueue(ev.object.metadata.namespace, ev.object.metadata.name);
      return;
    }
    if (ev.key === resourceKey(POD) || ev.key === resourceKey(REV)) {
      const previous = this.index(ev.key, ev.object, ev.type !== 'DELETED');
      const ref = controllerRef(ev.object);
      const ns = ev.object.metadata.namespace;
      // released or orphaned: the old owner looks again (it may create a new pod), and so does every
      // StatefulSet of the namespace that may adopt it (as the pod informer's handlers do)
      if (previous) this.enqueue(ns, previous.name);
      if (!ref && ev.type !== 'DELETED') for (const s of this.store.listRaw(STS, ns)) this.enqueue(ns, s.metadata.name);
      if (ev.key === resourceKey(POD) && ref?.kind === 'StatefulSet') {
        if (ev.type === 'DELETED') this.podGone(ev.object, ref.name);
        this.enqueue(ev.object.metadata.namespace, ref.name);
      }
    }
  }

  enqueue(ns: string, name: string): void {
    this.dirty.add(`${ns}/${name}`);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      if (this.paused) {
        this.later(20, () => this.schedule());
        return;
      }
      const batch = [...this.dirty];
      this.dirty.clear();
      for (const k of batch) {
        const i = k.indexOf('/');
        try {
          this.reconcile(k.slice(0, i), k.slice(i + 1));
        } catch (e) {
          // e.g. a pod of that name not owned by the set, or a conflicting write: try again a bit later.
          if (process.env.SIMULATOR_DEBUG) console.error('reconcile', k, e);
          this.later(100, () => this.enqueue(k.slice(0, i), k.slice(i + 1)));
        }
      }
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  /** Whether every StatefulSet is reconciled and no pod is waiting to become ready (a look again later
   *  than RECHECK_IDLE_MS away, for minReadySeconds, does not count: it may be an hour away). */
  get idle(): boolean {
    const now = Date.now();
    return (
      this.dirty.size === 0 &&
      !this.scheduled &&
      this.timers.size === 0 &&
      this.store.pendingTerminations === 0 &&
      ![...this.rechecks.values()].some((r) => r.at - now < RECHECK_IDLE_MS)
    );
  }

  /** Per StatefulSet, the one pending "look again at" (minReadySeconds): the earliest wins. */
  private readonly rechecks = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  private recheck(ns: string, name: string, delayMs: number): void {
    const key = `${ns}/${name}`;
    const at = Date.now() + delayMs;
    const cur = this.rechecks.get(key);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.timer);
    const timer = setTimeout(() => {
      this.rechecks.delete(key);
      if (!this.stopped) this.enqueue(ns, name);
    }, delayMs);
    timer.unref?.();
    this.rechecks.set(key, { at, timer });
  }

  private event(ns: string, involved: Obj, type: string, reason: string, message: string): void {
    if (!this.recordEvents) return;
    if (this.kubelet) {
      this.kubelet.record(involved, type, reason, message, 'statefulset-controller');
      return;
    }
    const now = this.store.timestamp();
    this.store.create(EVENT, {
      metadata: { name: `${involved.metadata.name}.${randomUUID().replace(/-/g, '').slice(0, 16)}`, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: ns,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: 'statefulset-controller' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: 'statefulset-controller',
      reportingInstance: '',
    });
  }

  private scheduleReady(pod: Obj): void {
    const { namespace, name, uid } = pod.metadata;
    this.later(this.podReadyDelayMs, () => {
      const cur = this.store.peek(POD, namespace, name);
      if (!cur || cur.metadata.uid !== uid || cur.status?.phase !== 'Pending') return;
      const next = clone(cur);
      const failure = simulatedFailure(next);
      if (this.kubelet) this.kubelet.startPod(next, this.store.timestamp());
      else if (failure === 'ok') markRunning(next, this.store.timestamp());
      else markFailing(next, failure, this.store.timestamp());
      if (canonicalJson(next) !== canonicalJson(cur)) this.store.update(POD, next);
    });
  }

  // ---- revisions ------------------------------------------------------------------------------

  private revisionsOf(sts: Obj): Obj[] {
    const names = this.owned.get(sts.metadata.uid)?.revisions ?? new Set<string>();
    const out: Obj[] = [];
    for (const n of names) {
      const r = this.store.peek(REV, sts.metadata.namespace, n);
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.revision - b.revision);
  }

  private ensureRevisions(sts: Obj): { current: Obj; update: Obj; revisions: Obj[] } {
    let revisions = this.revisionsOf(sts);
    const data = revisionData(sts);
    const maxRev = revisions.reduce((m, r) => Math.max(m, r.revision), 0);
    let update = revisions.find((r) => canonicalJson(r.data) === data);
    if (!update) {
      const collisionCount = sts.status?.collisionCount ?? 0;
      const hash = revisionHash(data, collisionCount);
      update = this.store.create(REV, {
        metadata: {
          name: `${sts.metadata.name}-${hash}`,
          namespace: sts.metadata.namespace,
          labels: { ...(sts.spec.template.metadata?.labels ?? {}), 'controller.kubernetes.io/hash': hash },
          // the real controller copies the StatefulSet's annotations (kubernetes.io/change-cause → CHANGE-CAUSE)
          ...(sts.metadata.annotations ? { annotations: { ...sts.metadata.annotations } } : {}),
          ownerReferences: [stsOwnerRef(sts)],
        },
        data: JSON.parse(data),
        revision: maxRev + 1,
      });
      revisions = this.revisionsOf(sts);
    } else if (update.revision < maxRev) {
      // Rolling back to an earlier template reuses its revision with the next number.
      const next = clone(update);
      next.revision = maxRev + 1;
      update = this.store.update(REV, next);
      revisions = this.revisionsOf(sts);
    }
    const current = revisions.find((r) => r.metadata.name === sts.status?.currentRevision) ?? update;
    return { current, update, revisions };
  }

  private truncateHistory(sts: Obj, revisions: Obj[], live: Set<string>): void {
    const limit = sts.spec.revisionHistoryLimit ?? 10;
    const old = revisions.filter((r) => !live.has(r.metadata.name));
    for (let i = 0; i < old.length - limit; i++) this.store.deleteIfPresent(REV, sts.metadata.namespace, old[i].metadata.name);
  }

  // ---- pods and claims ------------------------------------------------------------------------

  private claimName(template: Obj, sts: Obj, ordinal: number): string {
    return `${template.metadata?.name}-${sts.metadata.name}-${ordinal}`;
  }

  private ensureClaims(sts: Obj, ordinal: number, podName: string): void {
    const ns = sts.metadata.namespace;
    const deleteWithSet = sts.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    for (const t of sts.spec.volumeClaimTemplates ?? []) {
      const name = this.claimName(t, sts, ordinal);
      const existing = this.store.peek(PVC, ns, name);
      if (existing) {
        // a claim another controller owns is left alone (hasUnexpectedController upstream)
        if (hasOtherController(existing, sts)) continue;
        // keep the owner reference in line with whenDeleted
        const refs: Obj[] = existing.metadata.ownerReferences ?? [];
        const has = refs.some((r) => r.uid === sts.metadata.uid);
        if (has !== deleteWithSet) {
          const next = clone(existing);
          next.metadata.ownerReferences = deleteWithSet ? [...refs, stsOwnerRef(sts)] : refs.filter((r) => r.uid !== sts.metadata.uid);
          if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
          this.store.update(PVC, next);
        }
        continue;
      }
      const spec = clone(t.spec ?? {});
      spec.storageClassName ??= this.defaultStorageClass;
      spec.volumeMode ??= 'Filesystem';
      spec.volumeName = `pvc-${randomUUID()}`;
      const claim = this.store.create(PVC, {
        metadata: {
          name,
          namespace: ns,
          labels: { ...(t.metadata?.labels ?? {}), ...(sts.spec.selector?.matchLabels ?? {}) },
          annotations: {
            ...(t.metadata?.annotations ?? {}),
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.kubernetes.io/storage-provisioner': 'simulator.statefulset-studio.dev/hostpath',
          },
          finalizers: ['kubernetes.io/pvc-protection'],
          ...(deleteWithSet ? { ownerReferences: [stsOwnerRef(sts)] } : {}),
        },
        spec,
        status: {
          phase: 'Bound',
          accessModes: spec.accessModes ?? ['ReadWriteOnce'],
          capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
        },
      });
      this.event(ns, sts, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${sts.metadata.name} success`);
      void claim;
    }
  }

  private createPod(sts: Obj, ordinal: number, revision: Obj): boolean {
    const ns = sts.metadata.namespace;
    const name = `${sts.metadata.name}-${ordinal}`;
    const hashLabel: string = revision.metadata.name;
    if (hashLabel.length > 63) {
      // What the real API server answers the controller: the label value is too long, so a
      // StatefulSet whose name is longer than 52 characters can never get a pod.
      const key = `${ns}/${sts.metadata.name}/${sts.metadata.generation}`;
      if (!this.reportedFailures.has(key)) {
        this.reportedFailures.add(key);
        this.event(
          ns,
          sts,
          'Warning',
          'FailedCreate',
          `create Pod ${name} in StatefulSet ${sts.metadata.name} failed error: Pod "${name}" is invalid: metadata.labels: Invalid value: "${hashLabel}": must be no more than 63 characters`,
        );
      }
      return false;
    }
    this.ensureClaims(sts, ordinal, name);
    const template = clone(revision.data.spec.template);
    delete template.$patch;
    const spec = clone(template.spec ?? {});
    const volumes: Obj[] = (spec.volumes ?? []).filter(
      (v: Obj) => !(sts.spec.volumeClaimTemplates ?? []).some((t: Obj) => t.metadata?.name === v.name),
    );
    for (const t of sts.spec.volumeClaimTemplates ?? [])
      volumes.push({ name: t.metadata?.name, persistentVolumeClaim: { claimName: this.claimName(t, sts, ordinal) } });
    if (volumes.length) spec.volumes = volumes;
    spec.hostname = name;
    if (sts.spec.serviceName) spec.subdomain = sts.spec.serviceName;
    spec.nodeName = 'simulator-node';
    spec.enableServiceLinks ??= true;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    spec.priority ??= 0;
    const now = this.store.timestamp();
    const pod = {
      metadata: {
        name,
        generateName: `${sts.metadata.name}-`,
        namespace: ns,
        labels: {
          ...(template.metadata?.labels ?? {}),
          'apps.kubernetes.io/pod-index': String(ordinal),
          'controller-revision-hash': revision.metadata.name,
          'statefulset.kubernetes.io/pod-name': name,
        },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [stsOwnerRef(sts)],
      },
      spec,
      status: {
        phase: 'Pending',
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: now },
          { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
          { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'ContainersNotReady' },
          { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'ContainersNotReady' },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        ],
        hostIP: '10.0.0.10',
        hostIPs: [{ ip: '10.0.0.10' }],
        startTime: now,
        qosClass: 'BestEffort',
        containerStatuses: (spec.containers ?? []).map((c: Obj) => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
        })),
      },
    };
    const created = this.store.create(POD, pod);
    this.event(ns, sts, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`);
    this.scheduleReady(created);
    return true;
  }

  private deletePod(sts: Obj, pod: Obj, condemned: boolean): void {
    const ns = sts.metadata.namespace;
    this.store.deleteIfPresent(POD, ns, pod.metadata.name);
    this.event(ns, sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`);
    // whenScaled: Delete — the claims go once the pod is gone (see onEvent), as the garbage collector does
    void condemned;
  }

  /** A pod of a StatefulSet is gone: with whenScaled: Delete and an ordinal now out of range, its claims go too. */
  private podGone(pod: Obj, stsName: string): void {
    const ns = pod.metadata.namespace;
    const sts = this.store.peek(STS, ns, stsName);
    if (!sts || sts.spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    const ordinal = ordinalOf(stsName, pod.metadata.name);
    const start = sts.spec.ordinals?.start ?? 0;
    if (ordinal >= start && ordinal < start + (sts.spec.replicas ?? 1)) return;
    for (const t of sts.spec.volumeClaimTemplates ?? []) {
      const claim = this.store.peek(PVC, ns, this.claimName(t, sts, ordinal));
      if (claim && !hasOtherController(claim, sts)) this.store.deleteIfPresent(PVC, ns, claim.metadata.name);
    }
  }

  // ---- the sync loop --------------------------------------------------------------------------

  reconcile(ns: string, name: string): void {
    const sts = this.store.peek(STS, ns, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    // ClaimPods: release the pods that no longer match, adopt the orphans that do
    releaseNonMatching(this.store, sts, [...(this.owned.get(sts.metadata.uid)?.pods ?? [])]);
    if ([...this.orphans].some((k) => k.startsWith(`${ns}\u0000`))) adoptOrphans(this.store, sts);
    const { current, update, revisions } = this.ensureRevisions(sts);
    const spec = sts.spec;
    const start: number = spec.ordinals?.start ?? 0;
    const replicas: number = spec.replicas ?? 1;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const rolling = spec.updateStrategy?.type !== 'OnDelete';
    const partition: number = rolling ? (spec.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;

    const podNames = [...(this.owned.get(sts.metadata.uid)?.pods ?? [])];
    const pods: Obj[] = podNames.map((n) => this.store.peek(POD, ns, n)).filter((p): p is Obj => !!p);
    const byOrdinal = new Map<number, Obj>();
    for (const p of pods) byOrdinal.set(ordinalOf(name, p.metadata.name), p);
    const condemned = pods
      .filter((p) => {
        const o = ordinalOf(name, p.metadata.name);
        return o >= 0 && (o < start || o >= start + replicas); // a name without an ordinal is ignored
      })
      .sort((a, b) => ordinalOf(name, b.metadata.name) - ordinalOf(name, a.metadata.name));

    // As stateful_set_control.go: replicas in ordinal order, then condemned pods from the highest
    // ordinal, then the rolling update. "monotonic" (OrderedReady) stops at the first pod that is
    // missing, terminating, not Ready or not yet available (minReadySeconds); Parallel ("burst") goes on.
    const monotonic = !parallel;
    const minReadyMs = (spec.minReadySeconds ?? 0) * 1000;
    const nowMs = this.store.now().getTime();
    const healthy = (p: Obj | undefined) => !!p && isPodReady(p) && !p.metadata.deletionTimestamp;
    const available = (p: Obj) => {
      const at = availableAt(p, minReadyMs);
      if (at <= nowMs) return true;
      // look again once it is available (the real controller re-queues after minReadySeconds)
      this.recheck(ns, name, at - nowMs + 5);
      return false;
    };
    // the first pod that is not healthy, by ordinal: replicas (missing ones included), then condemned
    let firstUnhealthy: Obj | 'missing' | undefined;
    for (let i = 0; i < replicas && firstUnhealthy === undefined; i++) {
      const p = byOrdinal.get(start + i);
      if (!healthy(p)) firstUnhealthy = p ?? 'missing';
    }
    for (let i = condemned.length - 1; i >= 0 && firstUnhealthy === undefined; i--) if (!healthy(condemned[i])) firstUnhealthy = condemned[i];

    const work = (): void => {
      // 1. replicas in ordinal order
      for (let i = 0; i < replicas; i++) {
        const ordinal = start + i;
        let pod = byOrdinal.get(ordinal);
        if (pod && !pod.metadata.deletionTimestamp && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
          // a pod that finished (evicted, node restart) is deleted and created again
          const failed = pod.status.phase === 'Failed';
          this.event(ns, sts, 'Warning', failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod', `StatefulSet ${ns}/${name} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod.metadata.name}`);
          this.deletePod(sts, pod, false);
          pod = this.store.peek(POD, ns, pod.metadata.name);
          if (pod && !pod.metadata.deletionTimestamp) pod = undefined;
        }
        if (!pod) {
          const rev = rolling && i < partition ? current : update;
          if (!this.createPod(sts, ordinal, rev)) return;
          if (monotonic) return;
          continue;
        }
        if (pod.metadata.deletionTimestamp) {
          // terminating: its replacement (same name) comes once it is gone
          if (monotonic) return;
          continue;
        }
        this.ensureClaims(sts, ordinal, pod.metadata.name);
        if (monotonic && !isPodReady(pod)) return;
        if (monotonic && !available(pod)) return;
      }
      // 2. condemned pods, highest ordinal first; in OrderedReady one at a time, and only the first
      //    unhealthy pod may go while it is unhealthy
      for (const p of condemned) {
        if (p.metadata.deletionTimestamp) {
          if (monotonic) return;
          continue;
        }
        if (monotonic && p !== firstUnhealthy && (!isPodReady(p) || !available(p))) return;
        this.deletePod(sts, p, true);
        if (monotonic) return;
      }
      // 3. rolling update: the highest ordinal not at the update revision, one at a time, each
      //    updated pod healthy before the next (OnDelete: pods change only when deleted by hand)
      if (!rolling) return;
      for (let i = replicas - 1; i >= partition; i--) {
        const pod = byOrdinal.get(start + i);
        if (!pod) return;
        if (pod.metadata.labels?.['controller-revision-hash'] !== update.metadata.name && !pod.metadata.deletionTimestamp) {
          this.deletePod(sts, pod, false);
          return;
        }
        if (!healthy(pod)) return;
      }
    };
    work();
    this.updateStatus(sts, current, update);
    const live = new Set<string>([current.metadata.name, update.metadata.name]);
    for (const n of this.owned.get(sts.metadata.uid)?.pods ?? []) {
      const rev = this.store.peek(POD, ns, n)?.metadata.labels?.['controller-revision-hash'];
      if (rev) live.add(rev);
    }
    this.truncateHistory(sts, revisions, live);
  }

  private updateStatus(sts: Obj, current: Obj, update: Obj): void {
    const ns = sts.metadata.namespace;
    const names = [...(this.owned.get(sts.metadata.uid)?.pods ?? [])];
    const pods = names.map((n) => this.store.peek(POD, ns, n)).filter((p): p is Obj => !!p);
    const minReady = (sts.spec.minReadySeconds ?? 0) * 1000;
    const now = this.store.now().getTime();
    let ready = 0;
    let available = 0;
    let currentReplicas = 0;
    let updated = 0;
    let nextAvailableCheck = Infinity;
    for (const p of pods) {
      const rev = p.metadata.labels?.['controller-revision-hash'];
      if (!p.metadata.deletionTimestamp) {
        // as the real controller: terminating pods count in replicas/ready, not in current/updated
        if (rev === current.metadata.name) currentReplicas++;
        if (rev === update.metadata.name) updated++;
      }
      if (!isPodReady(p)) continue;
      ready++;
      const since = Date.parse((p.status.conditions ?? []).find((c: Obj) => c.type === 'Ready')?.lastTransitionTime ?? '') || 0;
      if (minReady === 0 || since + minReady <= now) available++;
      else nextAvailableCheck = Math.min(nextAvailableCheck, since + minReady - now);
    }
    if (nextAvailableCheck !== Infinity) this.recheck(ns, sts.metadata.name, nextAvailableCheck + 5);
    const status: Obj = {
      observedGeneration: sts.metadata.generation,
      replicas: pods.length,
      readyReplicas: ready,
      currentReplicas,
      updatedReplicas: updated,
      currentRevision: current.metadata.name,
      updateRevision: update.metadata.name,
      collisionCount: sts.status?.collisionCount ?? 0,
      availableReplicas: available,
    };
    if (sts.spec.updateStrategy?.type !== 'OnDelete' && updated === pods.length && ready === pods.length) {
      status.currentReplicas = updated;
      status.currentRevision = update.metadata.name;
    }
    if (ready === 0) delete status.readyReplicas;
    if (status.currentReplicas === 0) delete status.currentReplicas;
    if (status.updatedReplicas === 0) delete status.updatedReplicas;
    // as inconsistentStatus(): written only when a count, a revision or the generation changed, so a
    // condition someone set through /status stays until then
    const old: Obj = sts.status ?? {};
    const same = (k: string, zero: unknown) => (status[k] ?? zero) === (old[k] ?? zero);
    if (
      (status.observedGeneration ?? 0) <= (old.observedGeneration ?? 0) &&
      ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'collisionCount'].every((k) => same(k, 0)) &&
      ['currentRevision', 'updateRevision'].every((k) => same(k, ''))
    )
      return;
    const next = clone(sts);
    next.status = status;
    this.store.update(STS, next);
  }
}

/** Turn a Pending pod into a Running, Ready one (what the kubelet would report). */
export function markRunning(pod: Obj, now: string, ip?: string): void {
  pod.status.phase = 'Running';
  const n = ip ?? `10.244.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
  pod.status.podIP = n;
  pod.status.podIPs = [{ ip: n }];
  pod.status.conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: now,
  }));
  pod.status.containerStatuses = (pod.spec.containers ?? []).map((c: Obj) => ({
    name: c.name,
    image: c.image,
    imageID: `${String(c.image).split(':')[0]}@sha256:${'0'.repeat(64)}`,
    containerID: `containerd://${randomUUID().replace(/-/g, '')}`,
    ready: true,
    restartCount: 0,
    started: true,
    state: { running: { startedAt: now } },
    lastState: {},
  }));
}

/**
 * Simulated failures, chosen by image name so that tests and demos can make a rollout get stuck:
 * an image containing "crashloop" → Running but CrashLoopBackOff (never Ready); containing
 * "doesnotexist" or "nonexistent" → Pending with ImagePullBackOff.
 */
export function simulatedFailure(pod: Obj): 'ok' | 'crash' | 'pull' {
  const images: string[] = (pod.spec?.containers ?? []).map((c: Obj) => String(c.image ?? ''));
  if (images.some((i) => /doesnotexist|nonexistent/.test(i))) return 'pull';
  if (images.some((i) => i.includes('crashloop'))) return 'crash';
  return 'ok';
}

export function markFailing(pod: Obj, kind: 'crash' | 'pull', now: string): void {
  const bad = (c: Obj) => (kind === 'pull' ? /doesnotexist|nonexistent/ : /crashloop/).test(String(c.image ?? ''));
  if (kind === 'crash') {
    pod.status.phase = 'Running';
    const ip = `10.244.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
    pod.status.podIP = ip;
    pod.status.podIPs = [{ ip }];
  }
  pod.status.conditions = (pod.status.conditions ?? []).map((c: Obj) =>
    c.type === 'PodReadyToStartContainers' && kind === 'crash' ? { ...c, status: 'True', lastTransitionTime: now } : c,
  );
  pod.status.containerStatuses = (pod.spec.containers ?? []).map((c: Obj) => {
    if (!bad(c))
      return {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: kind !== 'pull',
        restartCount: 0,
        started: kind !== 'pull',
        state: kind === 'pull' ? { waiting: { reason: 'PodInitializing' } } : { running: { startedAt: now } },
        lastState: {},
      };
    if (kind === 'pull')
      return {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } },
        lastState: {},
      };
    return {
      name: c.name,
      image: c.image,
      imageID: `${String(c.image).split(':')[0]}@sha256:${'0'.repeat(64)}`,
      ready: false,
      restartCount: 3,
      started: false,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name} pod=${pod.metadata.name}` } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
    };
  });
}
