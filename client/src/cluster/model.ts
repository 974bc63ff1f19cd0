// The joined model: StatefulSets with their ordinals, each ordinal with its pod and its PVCs, the
// orphaned PVCs of ordinals ≥ replicas, and the ControllerRevisions — fed by four reflectors, tied
// by owner references (pods, revisions) and by the StatefulSet naming rules (PVC
// `<template>-<sts>-<ordinal>`), never by guessing from labels. Changes are coalesced and reported
// as the set of StatefulSet keys whose view changed.
//
// On a shared cluster only what belongs to a StatefulSet is kept: pods are listed and watched with
// the StatefulSet pod-name label as a selector (the server filters); PVCs cannot be filtered by the
// server (no selector says "named by any of these templates"), so they are listed and watched whole
// and only those of a known StatefulSet are kept — named `<template>-<sts>-<ordinal>` by one of its
// claim templates, or carrying all of its selector's matchLabels (which the controller copies onto
// the claims it creates). The PVC list starts once the StatefulSets are listed, so the filter is
// known; when it widens (a StatefulSet appears, its claim templates change) the PVCs are listed again,
// since the ones dropped before are seen again only by a list; when it narrows, they are dropped.
import { Reflector, keyOf, type BackoffOptions, type ReflectorState, type StoreEvent } from './reflector';
import { STATEFULSET_POD_SELECTOR, withQuery, type KubeHttp } from './http';
import type { Logger } from './log';
import type { ControllerRevision, KObject, PersistentVolumeClaim, Pod, StatefulSet } from './types';
import { WarningEvents } from './events';
import { DEFAULT_STUCK_GRACE_MS, rolloutState, type KEvent } from './trouble';
import type { DiskSource } from './disks';
import { OwnerIndex, type Owner } from './owners';

export const RESOURCES = {
  statefulsets: { group: 'apps', version: 'v1', plural: 'statefulsets' },
  pods: { group: '', version: 'v1', plural: 'pods' },
  pvcs: { group: '', version: 'v1', plural: 'persistentvolumeclaims' },
  revisions: { group: 'apps', version: 'v1', plural: 'controllerrevisions' },
} as const;
export type ResourceName = keyof typeof RESOURCES;

export type { OrdinalInfo, PodInfo, PvcInfo, StatefulSetView } from './view';
import type { OrdinalInfo, PodInfo, PvcInfo, StatefulSetView } from './view';

export interface ModelChange {
  /** StatefulSet keys (ns/name) whose view changed */
  keys: Set<string>;
  /** namespaces whose list of StatefulSets changed (added or removed) */
  namespaces: Set<string>;
  /** resource states changed (connection, permissions) */
  state: boolean;
}

export interface ModelOptions {
  namespace?: string; // undefined: all namespaces
  backoff?: BackoffOptions;
  /** coalescing window for bursts (ms); the first change of a burst is reported at most this late */
  coalesceMs?: number;
}

/** `<ns>/<template>-<sts>-` for each claim template of a StatefulSet */
function claimPrefixes(sts: StatefulSet | undefined): string[] {
  if (!sts) return [];
  const ns = sts.metadata?.namespace ?? '';
  const name = sts.metadata?.name ?? '';
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => `${ns}/${t.metadata?.name}-${name}-`);
}

/** A StatefulSet's selector matchLabels, when it has any (the controller copies them onto its claims). */
function selectorLabels(sts: StatefulSet): Record<string, string> | undefined {
  const ml = sts.spec?.selector?.matchLabels;
  return ml && Object.keys(ml).length ? ml : undefined;
}

function ownerUid(o: KObject, kind: string): string | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind)?.uid;
}

function ownerName(o: KObject, kind: string): string | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.kind === kind)?.name;
}

export function podInfo(pod: Pod): PodInfo {
  const cs = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? cs.length;
  const readyN = cs.filter((c) => c.ready).length;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const waiting = cs.map((c) => c.state?.waiting?.reason).find(Boolean);
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready,
    readyContainers: `${readyN}/${total}`,
    restarts: cs.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    node: pod.spec?.nodeName,
    revision: pod.metadata?.labels?.['controller-revision-hash'],
    terminating: !!pod.metadata?.deletionTimestamp,
    reason: waiting ?? pod.status?.reason,
    pod,
  };
}

function pvcInfo(name: string, template: string, ordinal: number, pvc: PersistentVolumeClaim | undefined, tpl?: PersistentVolumeClaim): PvcInfo {
  return {
    name,
    template,
    ordinal,
    phase: pvc ? (pvc.status?.phase ?? 'Pending') : 'Missing',
    capacity: pvc?.status?.capacity?.storage,
    requested: (pvc ?? tpl)?.spec?.resources?.requests?.storage,
    storageClass: (pvc ?? tpl)?.spec?.storageClassName,
    terminating: !!pvc?.metadata?.deletionTimestamp,
    pvc,
  };
}

/** Builds the view of one StatefulSet from the stores (pure; exported for tests and the bench). */
/** PVCs named `<prefix><digits>` (prefix = `<template>-<sts>-`), by name. */
export type ClaimLookup = (prefix: string) => Map<string, PersistentVolumeClaim> | undefined;

function lookupFromMap(pvcs: Map<string, PersistentVolumeClaim>): ClaimLookup {
  return (prefix) => {
    const out = new Map<string, PersistentVolumeClaim>();
    for (const [n, p] of pvcs) if (n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length))) out.set(n, p);
    return out;
  };
}

export function buildView(
  sts: StatefulSet,
  podsByOwner: Map<string, Pod[]>,
  pvcs: Map<string, PersistentVolumeClaim> | ClaimLookup,
  revsByOwner: Map<string, ControllerRevision[]>,
): StatefulSetView {
  const claims: ClaimLookup = typeof pvcs === 'function' ? pvcs : lookupFromMap(pvcs);
  const ns = sts.metadata?.namespace ?? '';
  const name = sts.metadata?.name ?? '';
  const uid = sts.metadata?.uid ?? '';
  const spec = sts.spec ?? {};
  const status = sts.status ?? {};
  const replicas = spec.replicas ?? 1;
  const start = spec.ordinals?.start ?? 0;
  const templates = (spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '').filter(Boolean);
  const tplByName = new Map((spec.volumeClaimTemplates ?? []).map((t) => [t.metadata?.name ?? '', t]));
  const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
  const partition = strategy === 'RollingUpdate' ? spec.updateStrategy?.rollingUpdate?.partition : undefined;
  const currentRevision = status.currentRevision;
  const updateRevision = status.updateRevision;

  const pods = new Map<number, Pod>();
  for (const p of podsByOwner.get(uid) ?? []) {
    const m = (p.metadata?.name ?? '').match(/-(\d+)$/);
    if (m && p.metadata?.name === `${name}-${m[1]}`) pods.set(Number(m[1]), p);
  }
  const ordinalNumbers = new Set<number>();
  for (let i = start; i < start + replicas; i++) ordinalNumbers.add(i);
  for (const o of pods.keys()) ordinalNumbers.add(o);

  const claimsByTemplate = new Map(templates.map((t) => [t, claims(`${t}-${name}-`)]));
  const ordinals: OrdinalInfo[] = [...ordinalNumbers]
    .sort((a, b) => a - b)
    .map((ordinal) => {
      const podName = `${name}-${ordinal}`;
      const pod = pods.get(ordinal);
      const pi = pod ? podInfo(pod) : undefined;
      let revisionState: OrdinalInfo['revisionState'] = 'unknown';
      if (pi?.revision) {
        const updatingNow = !!updateRevision && updateRevision !== currentRevision;
        revisionState = updatingNow && pi.revision === updateRevision ? 'update' : pi.revision === currentRevision ? 'current' : pi.revision === updateRevision ? 'update' : 'other';
      }
      return {
        ordinal,
        podName,
        desired: ordinal >= start && ordinal < start + replicas,
        pod: pi,
        missing: !pod,
        revisionState,
        pvcs: templates.map((t) => {
          const pvcName = `${t}-${name}-${ordinal}`;
          return pvcInfo(pvcName, t, ordinal, claimsByTemplate.get(t)?.get(pvcName), tplByName.get(t));
        }),
      };
    });

  const orphans: PvcInfo[] = [];
  const shown = new Set(ordinals.map((o) => o.ordinal));
  for (const t of templates) {
    const prefix = `${t}-${name}-`;
    for (const [pvcName, pvc] of claimsByTemplate.get(t) ?? []) {
      const rest = pvcName.slice(prefix.length);
      if (!/^\d+$/.test(rest)) continue;
      const ordinal = Number(rest);
      if (shown.has(ordinal)) continue;
      orphans.push(pvcInfo(pvcName, t, ordinal, pvc, tplByName.get(t)));
    }
  }
  orphans.sort((a, b) => a.ordinal - b.ordinal || a.template.localeCompare(b.template));

  const revisions = [...(revsByOwner.get(uid) ?? [])].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  const ready = status.readyReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const current = status.currentReplicas ?? 0;
  const updating = !!updateRevision && !!currentRevision && updateRevision !== currentRevision;
  let summary = `${ready}/${replicas} ready`;
  if (updating) summary += ` · updating ${updated}/${replicas}${partition ? `, partition ${partition}` : ''}`;
  else if (partition) summary += ` · partition ${partition}`;
  if (strategy === 'OnDelete') summary += ' · OnDelete';
  return {
    key: `${ns}/${name}`,
    namespace: ns,
    name,
    sts,
    replicas,
    start,
    ready,
    current,
    updated,
    strategy,
    partition,
    policy: spec.podManagementPolicy ?? 'OrderedReady',
    whenScaled: spec.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain',
    whenDeleted: spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain',
    currentRevision,
    updateRevision,
    updating,
    summary,
    ordinals,
    orphans,
    revisions,
    templates,
  };
}

export class ClusterModel {
  readonly reflectors: {
    statefulsets: Reflector<StatefulSet>;
    pods: Reflector<Pod>;
    pvcs: Reflector<PersistentVolumeClaim>;
    revisions: Reflector<ControllerRevision>;
  };
  readonly namespace: string | undefined;
  // indexes
  private podsByOwner = new Map<string, Map<string, Pod>>();
  /** PVCs by `<ns>/<name without the trailing ordinal>-` (the claim prefix `<template>-<sts>-`) */
  private pvcsByPrefix = new Map<string, Map<string, PersistentVolumeClaim>>();
  /** StatefulSet keys by claim prefix key `<ns>/<template>-<sts>-` */
  private stsByClaimPrefix = new Map<string, Set<string>>();
  /** the selector matchLabels of each StatefulSet, by StatefulSet key, under `<ns>/<one of its label>=<value>` */
  private stsBySelectorLabel = new Map<string, Map<string, Record<string, string>>>();
  private started = false;
  private revsByOwner = new Map<string, Map<string, ControllerRevision>>();
  private stsByUid = new Map<string, string>();
  private views = new Map<string, StatefulSetView>();
  // coalescing
  private pending: ModelChange = { keys: new Set(), namespaces: new Set(), state: false };
  private flushTimer?: NodeJS.Timeout;
  private readonly coalesceMs: number;
  private listeners = new Set<(c: ModelChange) => void>();
  private unsubs: Array<() => void> = [];
  /** Warning events in the namespace shown (badges, reasons): see events.ts */
  readonly warnings: WarningEvents;
  /** The owners of the StatefulSets (operator CRs, Argo CD Applications, Flux objects), watched: see owners/ */
  readonly owners: OwnerIndex;
  /** How long a pod may stay not Ready beyond minReadySeconds before a halted rollout is "stuck". */
  stuckGraceMs =
    // editor tests only (STATEFULSET_STUDIO_TEST=1): a shorter grace so a halted rollout is "stuck" without a minute's wait
    process.env.STATEFULSET_STUDIO_TEST === '1' && /^\d+$/.test(process.env.STATEFULSET_STUDIO_TEST_STUCK_GRACE_MS ?? '')
      ? Number(process.env.STATEFULSET_STUDIO_TEST_STUCK_GRACE_MS)
      : DEFAULT_STUCK_GRACE_MS;
  private rechecks = new Map<string, NodeJS.Timeout>();
  /** PVC usage and VolumeSnapshots of what is shown (set by the connection; read by the tree). */
  disks?: DiskSource;

  constructor(
    http: KubeHttp,
    private readonly log: Logger,
    opts: ModelOptions = {},
  ) {
    this.namespace = opts.namespace;
    this.coalesceMs = opts.coalesceMs ?? 20;
    // pods: only StatefulSet pods are listed and watched (labelSelector), not a shared cluster's every pod
    const mk = <T extends KObject>(r: ResourceName, keep?: (o: T) => boolean) =>
      new Reflector<T>(r === 'pods' ? withQuery(http, { labelSelector: STATEFULSET_POD_SELECTOR }) : http, log, RESOURCES[r], opts.namespace, opts.backoff, { keep });
    this.reflectors = {
      statefulsets: mk<StatefulSet>('statefulsets'),
      pods: mk<Pod>('pods'),
      // PVCs: only those of a known StatefulSet are kept
      pvcs: mk<PersistentVolumeClaim>('pvcs', (p) => this.pvcBelongs(p)),
      revisions: mk<ControllerRevision>('revisions'),
    };
    // the PVC list waits for the StatefulSets (synced, or failing: its own state must still be reported)
    this.unsubs.push(
      this.reflectors.statefulsets.onState((st) => {
        if (this.started && st.phase !== 'starting' && st.phase !== 'stopped') this.reflectors.pvcs.start();
      }),
    );
    this.unsubs.push(this.reflectors.statefulsets.onEvents((e) => this.onSts(e)));
    this.unsubs.push(this.reflectors.pods.onEvents((e) => this.onPods(e)));
    this.unsubs.push(this.reflectors.pvcs.onEvents((e) => this.onPvcs(e)));
    this.unsubs.push(this.reflectors.revisions.onEvents((e) => this.onRevs(e)));
    for (const r of Object.values(this.reflectors)) this.unsubs.push(r.onState(() => this.mark({ state: true })));
    this.warnings = new WarningEvents(http, log, opts.namespace, opts.backoff);
    this.unsubs.push(this.warnings.onEvents((evs) => this.mark({ keys: evs.flatMap((e) => this.keysForEvent(e.obj)) })));
    this.owners = new OwnerIndex(http, log, opts.backoff);
    this.unsubs.push(this.owners.onChange((keys) => this.mark({ keys })));
  }

  start(): void {
    this.started = true;
    const r = this.reflectors;
    for (const x of [r.statefulsets, r.pods, r.revisions]) x.start();
    if (r.statefulsets.state.phase !== 'starting') r.pvcs.start();
    this.warnings.start();
    this.owners.start();
  }

  stop(): void {
    this.started = false;
    this.warnings.stop();
    this.owners.stop();
    for (const t of this.rechecks.values()) clearTimeout(t);
    this.rechecks.clear();
    for (const r of Object.values(this.reflectors)) r.stop();
    for (const u of this.unsubs) u();
    this.unsubs = [];
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listeners.clear();
  }

  retryNow(): void {
    for (const r of Object.values(this.reflectors)) r.retryNow();
    this.owners.retryNow();
  }

  /** Report StatefulSets whose rows changed for a reason outside the model (disk usage, snapshots). */
  touch(keys: Iterable<string>): void {
    // the views stay valid (their data did not change): only the rows are refreshed
    for (const k of keys) this.pending.keys.add(k);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.coalesceMs);
  }

  onDidChange(cb: (c: ModelChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Resource states, for "disconnected — retrying" and the 403 nodes. */
  states(): Record<ResourceName, ReflectorState> {
    const r = this.reflectors;
    return { statefulsets: r.statefulsets.state, pods: r.pods.state, pvcs: r.pvcs.state, revisions: r.revisions.state };
  }

  /** Overall connection: synced when all are synced; forbidden ones don't count as disconnected. */
  connection(): { phase: 'connecting' | 'connected' | 'disconnected' | 'unauthorized' | 'stopped'; message?: string } {
    const st = Object.values(this.states());
    const un = st.find((s) => s.phase === 'unauthorized');
    if (un) return { phase: 'unauthorized', message: un.message };
    const retry = st.find((s) => s.phase === 'retrying');
    if (retry) return { phase: 'disconnected', message: retry.message };
    if (st.every((s) => s.phase === 'stopped')) return { phase: 'stopped' };
    if (st.some((s) => s.phase === 'starting')) return { phase: 'connecting' };
    return { phase: 'connected' };
  }

  namespaces(): string[] {
    const set = new Set<string>();
    for (const s of this.reflectors.statefulsets.store.values()) set.add(s.metadata?.namespace ?? '');
    return [...set].sort();
  }

  statefulSets(namespace?: string): StatefulSetView[] {
    const out: StatefulSetView[] = [];
    for (const [k, s] of this.reflectors.statefulsets.store) {
      if (namespace !== undefined && s.metadata?.namespace !== namespace) continue;
      const v = this.view(k);
      if (v) out.push(v);
    }
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  /** The live StatefulSet objects (latest from the informer). */
  liveObjects(): StatefulSet[] {
    // list items come without kind/apiVersion: say what they are
    return [...this.reflectors.statefulsets.store.values()].map((o) => (o.kind ? o : { apiVersion: 'apps/v1', kind: 'StatefulSet', ...o }));
  }

  view(key: string): StatefulSetView | undefined {
    const cached = this.views.get(key);
    if (cached) return cached;
    const sts = this.reflectors.statefulsets.store.get(key);
    if (!sts) return undefined;
    const uid = sts.metadata?.uid ?? '';
    const pods = new Map<string, Pod[]>([[uid, [...(this.podsByOwner.get(uid)?.values() ?? [])]]]);
    const revs = new Map<string, ControllerRevision[]>([[uid, [...(this.revsByOwner.get(uid)?.values() ?? [])]]]);
    const ns = sts.metadata?.namespace ?? '';
    const v = buildView(sts, pods, (prefix) => this.pvcsByPrefix.get(`${ns}/${prefix}`), revs);
    v.owner = this.owners.ownerOf(sts);
    this.views.set(key, v);
    this.scheduleRecheck(key, v);
    return v;
  }

  /** A rollout that becomes stuck once a pod's grace has passed changes the view with no event: look again then. */
  private scheduleRecheck(key: string, v: StatefulSetView): void {
    let at = rolloutState(v, Date.now(), this.stuckGraceMs).recheckAt;
    // a Terminating pod whose grace period ends becomes "past its grace period" (lost node) with no event
    for (const o of v.ordinals) {
      const d = Date.parse(o.pod?.pod.metadata?.deletionTimestamp ?? '');
      if (d && d >= Date.now()) at = Math.min(at ?? Infinity, d + 1);
    }
    const old = this.rechecks.get(key);
    if (old) clearTimeout(old);
    this.rechecks.delete(key);
    if (at === undefined || !this.listeners.size) return;
    const t = setTimeout(() => {
      this.rechecks.delete(key);
      this.mark({ keys: [key] });
    }, Math.max(0, at - Date.now()));
    t.unref?.();
    this.rechecks.set(key, t);
  }

  /** The StatefulSets whose rows show an event (about the set, one of its pods or claims). */
  private keysForEvent(e: KEvent): string[] {
    const io = e.involvedObject;
    const ns = io?.namespace ?? e.metadata?.namespace ?? '';
    if (!io?.name) return [];
    if (io.kind === 'StatefulSet') return [`${ns}/${io.name}`];
    if (io.kind === 'Pod') {
      const pod = this.reflectors.pods.store.get(`${ns}/${io.name}`);
      const k = pod && this.stsKeyForOwned(pod);
      return k ? [k] : [];
    }
    if (io.kind === 'PersistentVolumeClaim') {
      const m = io.name.match(/^(.*-)\d+$/);
      return m ? [...(this.stsByClaimPrefix.get(`${ns}/${m[1]}`) ?? [])] : [];
    }
    return [];
  }

  private mark(c: { keys?: Iterable<string>; namespaces?: Iterable<string>; state?: boolean }): void {
    for (const k of c.keys ?? []) {
      this.pending.keys.add(k);
      this.views.delete(k);
    }
    for (const n of c.namespaces ?? []) this.pending.namespaces.add(n);
    if (c.state) this.pending.state = true;
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.coalesceMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const c = this.pending;
    this.pending = { keys: new Set(), namespaces: new Set(), state: false };
    if (c.keys.size === 0 && c.namespaces.size === 0 && !c.state) return;
    for (const l of [...this.listeners]) {
      try {
        l(c);
      } catch (err) {
        this.log.error(`model listener failed: ${String(err)}`);
      }
    }
  }

  /** Whether a PVC belongs to a known StatefulSet: named by one of its claim templates, or carrying its selector's labels. */
  pvcBelongs(pvc: PersistentVolumeClaim): boolean {
    const ns = pvc.metadata?.namespace ?? '';
    const m = (pvc.metadata?.name ?? '').match(/^(.*-)\d+$/);
    if (m && this.stsByClaimPrefix.has(`${ns}/${m[1]}`)) return true;
    const labels = pvc.metadata?.labels;
    if (!labels) return false;
    for (const k in labels) {
      const candidates = this.stsBySelectorLabel.get(`${ns}/${k}=${labels[k]}`);
      if (!candidates) continue;
      for (const want of candidates.values()) {
        let all = true;
        for (const wk in want) if (labels[wk] !== want[wk]) all = false;
        if (all) return true;
      }
    }
    return false;
  }

  /** What of a StatefulSet decides which PVCs are kept: its claim prefixes and its selector's matchLabels. */
  private pvcFilterOf(sts: StatefulSet | undefined): string[] {
    if (!sts) return [];
    const out = claimPrefixes(sts).map((p) => `claim ${p}`);
    const ml = selectorLabels(sts);
    if (ml) out.push(`labels ${sts.metadata?.namespace ?? ''} ${JSON.stringify(Object.entries(ml).sort())}`);
    return out;
  }

  private indexSts(sts: StatefulSet, k: string, add: boolean): void {
    for (const pk of claimPrefixes(sts)) {
      let set = this.stsByClaimPrefix.get(pk);
      if (add) {
        if (!set) this.stsByClaimPrefix.set(pk, (set = new Set()));
        set.add(k);
      } else if (set) {
        set.delete(k);
        if (!set.size) this.stsByClaimPrefix.delete(pk);
      }
    }
    const ml = selectorLabels(sts);
    if (!ml) return;
    // indexed under one of its labels: a PVC that carries them all carries that one
    const first = Object.keys(ml).sort()[0];
    const ik = `${sts.metadata?.namespace ?? ''}/${first}=${ml[first]}`;
    let byKey = this.stsBySelectorLabel.get(ik);
    if (add) {
      if (!byKey) this.stsBySelectorLabel.set(ik, (byKey = new Map()));
      byKey.set(k, ml);
    } else if (byKey) {
      byKey.delete(k);
      if (!byKey.size) this.stsBySelectorLabel.delete(ik);
    }
  }

  private onSts(evs: StoreEvent<StatefulSet>[]): void {
    const keys: string[] = [];
    const nss: string[] = [];
    let widened = false;
    let narrowed = false;
    for (const e of evs) {
      const k = keyOf(e.obj);
      const uid = e.obj.metadata?.uid ?? '';
      keys.push(k);
      const before = this.pvcFilterOf(e.old);
      const after = e.type === 'delete' ? [] : this.pvcFilterOf(e.obj);
      if (after.some((f) => !before.includes(f))) widened = true;
      if (e.type === 'delete' ? this.pvcFilterOf(e.obj).length > 0 : before.some((f) => !after.includes(f))) narrowed = true;
      if (e.old) this.indexSts(e.old, k, false);
      this.indexSts(e.obj, k, e.type !== 'delete');
      if (e.type === 'delete') {
        this.stsByUid.delete(uid);
        nss.push(e.obj.metadata?.namespace ?? '');
      } else {
        if (e.type === 'add') nss.push(e.obj.metadata?.namespace ?? '');
        this.stsByUid.set(uid, k);
      }
    }
    this.owners.track(evs);
    const pvcs = this.reflectors.pvcs;
    // PVCs of a StatefulSet that is gone (or of a claim template it no longer has) leave memory
    if (narrowed) pvcs.prune();
    // the PVCs of a new StatefulSet (or claim template) may have been dropped before: list them again.
    // Before the PVC list has started there is nothing to catch up on.
    if (widened && pvcs.running) pvcs.relist();
    this.mark({ keys, namespaces: nss });
  }

  private stsKeyForOwned(o: KObject): string | undefined {
    const uid = ownerUid(o, 'StatefulSet');
    if (uid) return this.stsByUid.get(uid) ?? (ownerName(o, 'StatefulSet') ? `${o.metadata?.namespace}/${ownerName(o, 'StatefulSet')}` : undefined);
    return undefined;
  }

  private onPods(evs: StoreEvent<Pod>[]): void {
    const keys: string[] = [];
    for (const e of evs) {
      const k = keyOf(e.obj);
      for (const p of [e.old, e.obj]) {
        const uid = p && ownerUid(p, 'StatefulSet');
        if (!uid) continue;
        let m = this.podsByOwner.get(uid);
        if (p === e.old || e.type === 'delete') m?.delete(k);
        else {
          if (!m) this.podsByOwner.set(uid, (m = new Map()));
          m.set(k, e.obj);
        }
        const sk = this.stsKeyForOwned(p);
        if (sk) keys.push(sk);
      }
    }
    this.mark({ keys });
  }

  private onRevs(evs: StoreEvent<ControllerRevision>[]): void {
    const keys: string[] = [];
    for (const e of evs) {
      const k = keyOf(e.obj);
      const uid = ownerUid(e.obj, 'StatefulSet');
      if (!uid) continue;
      let m = this.revsByOwner.get(uid);
      if (e.type === 'delete') m?.delete(k);
      else {
        if (!m) this.revsByOwner.set(uid, (m = new Map()));
        m.set(k, e.obj);
      }
      const sk = this.stsKeyForOwned(e.obj);
      if (sk) keys.push(sk);
    }
    this.mark({ keys });
  }

  private onPvcs(evs: StoreEvent<PersistentVolumeClaim>[]): void {
    const keys = new Set<string>();
    for (const e of evs) {
      const ns = e.obj.metadata?.namespace ?? '';
      const name = e.obj.metadata?.name ?? '';
      const m = name.match(/^(.*-)\d+$/);
      if (!m) continue; // not `<template>-<sts>-<ordinal>`: no StatefulSet claims it
      const pk = `${ns}/${m[1]}`;
      let byName = this.pvcsByPrefix.get(pk);
      if (e.type === 'delete') byName?.delete(name);
      else {
        if (!byName) this.pvcsByPrefix.set(pk, (byName = new Map()));
        byName.set(name, e.obj);
      }
      for (const k of this.stsByClaimPrefix.get(pk) ?? []) keys.add(k);
    }
    this.mark({ keys });
  }
}
