// The owners of StatefulSets, played faithfully enough to test against (a simulation, not the real
// controllers):
// - an operator (RabbitmqCluster → StatefulSet `<name>-server` with a controller owner reference):
//   it creates its StatefulSet, puts spec.replicas and the image back to what the CR says shortly
//   after anyone changes them, re-creates the StatefulSet (from the CR) when it is deleted, and grows its PVCs
//   when the CR's persistence.storage is raised;
// - Argo CD (Application): "git" is the set of manifests given to setGit(); an automated sync creates
//   what is missing (without selfHeal only when it fetches a new commit: live changes do not trigger it); with selfHeal, a tracked object that drifts from git is put back (except the
//   ignoreDifferences pointers); turning selfHeal on again syncs at once (OutOfSync → sync);
// - Flux (Kustomization): the same from its "git", unless spec.suspend is true or the object carries
//   `kustomize.toolkit.fluxcd.io/reconcile: disabled`; resuming (suspend: false) or the
//   `reconcile.fluxcd.io/requestedAt` annotation reconciles at once. (Real Flux reconciles on its
//   interval, not on drift; here drift is reconciled after `reconcileDelayMs`, so tests need not wait.)
// Writes go straight to the store with the real controllers' field managers in managedFields.
import { trackUpdate } from '../apply';
import { resourceByKind } from '../resources';
import { createObject } from '../scenarios';
import type { Obj } from '../status';
import { clone, type Store, type StoreEvent } from '../store';
import { quantityBytes } from '../volumes';
import './resources';

const STS = resourceByKind('StatefulSet');
const PVC = resourceByKind('PersistentVolumeClaim');
export const RMQ = resourceByKind('RabbitmqCluster');
export const APP = resourceByKind('Application');
export const KS = resourceByKind('Kustomization');

export const ARGO_MANAGER = 'argocd-controller';
export const FLUX_MANAGER = 'kustomize-controller';
export const OPERATOR_MANAGER = 'rabbitmq-cluster-operator';

export interface OwnerSimulationOptions {
  /** How long after a drift (or a CR change) the owner acts, ms (default 300). */
  reconcileDelayMs?: number;
}

type OwnerKind = 'operator' | 'argocd' | 'flux';

/** What an update may change on a StatefulSet (apps/v1 validation). */
const MUTABLE_STS_FIELDS = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit']);

/** `/spec/replicas` style pointers: is `path` (or a parent of it) ignored? */
function ignoredAt(path: string, ignored: string[]): boolean {
  return ignored.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Whether `live` differs from `desired` in any field `desired` sets (lists by index). */
export function drifts(desired: unknown, live: unknown, ignored: string[] = [], path = ''): boolean {
  if (ignoredAt(path, ignored)) return false;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return true;
    return desired.some((x, i) => drifts(x, live[i], ignored, `${path}/${i}`));
  }
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return true;
    return Object.entries(desired as Obj).some(([k, v]) => drifts(v, (live as Obj)[k], ignored, `${path}/${k}`));
  }
  return desired !== live;
}

/** `live` with every field `desired` sets put back (lists take desired's length), ignored pointers kept. */
export function putBack(desired: unknown, live: unknown, ignored: string[] = [], path = ''): unknown {
  if (ignoredAt(path, ignored)) return clone(live);
  if (Array.isArray(desired)) {
    const l = Array.isArray(live) ? live : [];
    return desired.map((x, i) => putBack(x, l[i], ignored, `${path}/${i}`));
  }
  if (desired && typeof desired === 'object') {
    const out: Obj = live && typeof live === 'object' && !Array.isArray(live) ? clone(live) : {};
    for (const [k, v] of Object.entries(desired as Obj)) out[k] = putBack(v, (live as Obj | undefined)?.[k], ignored, `${path}/${k}`);
    return out;
  }
  return desired;
}

/** The part of a manifest an owner enforces: labels, annotations, spec. */
function enforced(o: Obj): Obj {
  const md: Obj = {};
  if (o.metadata?.labels) md.labels = o.metadata.labels;
  if (o.metadata?.annotations) md.annotations = o.metadata.annotations;
  return { metadata: md, ...(o.spec ? { spec: o.spec } : {}) };
}

/** The StatefulSet the operator makes of a RabbitmqCluster. */
export function operatorStatefulSet(cr: Obj): Obj {
  const name = cr.metadata.name;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/part-of': 'rabbitmq' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: `${name}-server`,
      namespace: cr.metadata.namespace,
      labels: { ...labels },
      ownerReferences: [{ apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', name, uid: cr.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      serviceName: `${name}-nodes`,
      replicas: cr.spec?.replicas ?? 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      podManagementPolicy: 'Parallel',
      template: {
        metadata: { labels: { ...labels } },
        spec: { containers: [{ name: 'rabbitmq', image: cr.spec?.image ?? 'rabbitmq:3.13', ports: [{ containerPort: 5672, name: 'amqp' }], volumeMounts: [{ name: 'persistence', mountPath: '/var/lib/rabbitmq/mnesia/' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'persistence' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: cr.spec?.persistence?.storage ?? '10Gi' } } } }],
    },
  };
}

/** What the operator enforces on its StatefulSet (what a `kubectl scale` / `set image` would change). */
function operatorEnforced(cr: Obj): Obj {
  const s = operatorStatefulSet(cr);
  return { spec: { replicas: s.spec.replicas, template: { spec: { containers: [{ name: 'rabbitmq', image: s.spec.template.spec.containers[0].image }] } } } };
}

export class OwnerSimulation {
  /** "git": the manifests of each Application / Kustomization, by `Kind/ns/name` */
  private readonly git = new Map<string, Obj[]>();
  /** what the owner fetched from git last (a drift is healed to this; a refresh fetches again) */
  private readonly fetched = new Map<string, Obj[]>();
  private readonly refreshWanted = new Set<string>();
  /** owners that synced once (their first sync creates everything) */
  private readonly synced = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private unsubscribe?: () => void;
  reconcileDelayMs: number;
  /** what each owner put back (tests read it): `Kind ns/name field…` */
  readonly reverts: string[] = [];
  /** syncs that failed (an immutable field in git differs from live) */
  readonly failures: string[] = [];

  constructor(
    private readonly store: Store,
    opts: OwnerSimulationOptions = {},
  ) {
    this.reconcileDelayMs = opts.reconcileDelayMs ?? 300;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    for (const cr of this.store.listRaw(RMQ)) this.schedule('operator', cr.metadata.namespace, cr.metadata.name, 0);
    for (const a of this.store.listRaw(APP)) this.schedule('argocd', a.metadata.namespace, a.metadata.name, 0);
    for (const k of this.store.listRaw(KS)) this.schedule('flux', k.metadata.namespace, k.metadata.name, 0);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Nothing scheduled. */
  get idle(): boolean {
    return this.timers.size === 0;
  }

  /**
   * Set the manifests "in git" for an Application or a Kustomization (the objects it syncs). With
   * `fetch: false` it is a commit the owner has not fetched yet (Argo CD polls git every 3 minutes):
   * drift is still healed to what it fetched before, until the owner refreshes (its spec changes).
   */
  setGit(kind: 'Application' | 'Kustomization', namespace: string, name: string, objects: Obj[], opts: { fetch?: boolean } = {}): void {
    const key = `${kind}/${namespace}/${name}`;
    this.git.set(key, objects.map((o) => clone(o)));
    if (!this.fetched.has(key)) this.fetched.set(key, objects.map((o) => clone(o)));
    if (opts.fetch === false) return;
    this.refreshWanted.add(key);
    this.schedule(kind === 'Application' ? 'argocd' : 'flux', namespace, name, 0);
  }

  gitOf(kind: 'Application' | 'Kustomization', namespace: string, name: string): Obj[] {
    return (this.git.get(`${kind}/${namespace}/${name}`) ?? []).map((o) => clone(o));
  }

  /** The simulator's control action `owners`: {git: {kind, namespace, name, objects}} or {delayMs}. */
  control(body: Obj): Obj {
    if (body.git) this.setGit(body.git.kind, body.git.namespace, body.git.name, body.git.objects ?? [], { fetch: body.git.fetch });
    if (body.delayMs !== undefined) this.reconcileDelayMs = Number(body.delayMs);
    return { delayMs: this.reconcileDelayMs, reverts: this.reverts };
  }

  private schedule(kind: OwnerKind, ns: string, name: string, delay = this.reconcileDelayMs): void {
    const key = `${kind}/${ns}/${name}`;
    if (this.timers.has(key)) return;
    const t = setTimeout(() => {
      this.timers.delete(key);
      try {
        if (kind === 'operator') this.reconcileOperator(ns, name);
        else this.sync(kind, ns, name);
      } catch {
        // a conflicting write: the next event schedules another pass
      }
    }, delay);
    t.unref?.();
    this.timers.set(key, t);
  }

  private onEvent(ev: StoreEvent): void {
    const o = ev.object;
    const specChanged = ev.type !== 'MODIFIED' || JSON.stringify(ev.prev?.spec) !== JSON.stringify(o.spec);
    const annChanged = ev.type === 'MODIFIED' && JSON.stringify(ev.prev?.metadata?.annotations) !== JSON.stringify(o.metadata?.annotations);
    switch (ev.key) {
      case 'rabbitmq.com/rabbitmqclusters':
        if (ev.type !== 'DELETED' && specChanged) this.schedule('operator', o.metadata.namespace, o.metadata.name, 0);
        return;
      case 'argoproj.io/applications':
        // a changed Application is refreshed: git is fetched again
        if (ev.type !== 'DELETED' && specChanged) {
          this.refreshWanted.add(`Application/${o.metadata.namespace}/${o.metadata.name}`);
          this.schedule('argocd', o.metadata.namespace, o.metadata.name, 0);
        }
        return;
      case 'kustomize.toolkit.fluxcd.io/kustomizations':
        if (ev.type !== 'DELETED' && (specChanged || annChanged)) {
          this.refreshWanted.add(`Kustomization/${o.metadata.namespace}/${o.metadata.name}`);
          this.schedule('flux', o.metadata.namespace, o.metadata.name, 0);
        }
        return;
      case 'apps/statefulsets':
        this.onTracked(ev);
        return;
    }
  }

  /** A StatefulSet changed or went: its owner (if any) looks at it after the delay. */
  private onTracked(ev: StoreEvent): void {
    const o = ev.object;
    // the StatefulSet controller's status writes are no drift
    if (ev.type === 'MODIFIED' && JSON.stringify(enforced(ev.prev!)) === JSON.stringify(enforced(o))) return;
    const ns = o.metadata.namespace;
    const ctl = (o.metadata.ownerReferences ?? []).find((r: Obj) => r.controller);
    if (ctl?.kind === 'RabbitmqCluster') this.schedule('operator', ns, ctl.name);
    const app = o.metadata.labels?.['app.kubernetes.io/instance'];
    for (const [key] of this.git) {
      const [kind, gns, gname] = key.split('/');
      const tracked = this.git.get(key)!.some((d) => d.kind === o.kind && d.metadata.name === o.metadata.name && (d.metadata.namespace ?? 'default') === ns);
      if (!tracked) continue;
      if (kind === 'Application' && (app === gname || ev.type === 'DELETED' || o.metadata.annotations?.['argocd.argoproj.io/tracking-id']?.startsWith(`${gname}:`))) this.schedule('argocd', gns, gname);
      if (kind === 'Kustomization') this.schedule('flux', gns, gname);
    }
  }

  private reconcileOperator(ns: string, name: string): void {
    const cr = this.store.peek(RMQ, ns, name);
    if (!cr || cr.metadata.deletionTimestamp) return;
    const desired = operatorStatefulSet(cr);
    const live = this.store.peek(STS, ns, desired.metadata.name);
    if (!live) {
      const obj = clone(desired);
      trackUpdate(undefined, obj, OPERATOR_MANAGER, this.store.timestamp());
      createObject(this.store, obj);
      return;
    }
    if (live.metadata.deletionTimestamp) return this.schedule('operator', ns, name);
    const mine = (live.metadata.ownerReferences ?? []).some((r: Obj) => r.controller && r.uid === cr.metadata.uid);
    if (!mine) return;
    this.putBack('RabbitmqCluster', `${ns}/${name}`, operatorEnforced(cr), live, [], OPERATOR_MANAGER);
    this.growClaims(cr, live);
  }

  /**
   * The CR's storage raised: grow the StatefulSet's PVCs to it (as real operators do; the StatefulSet's claim
   * template is immutable, so it keeps the old size until the StatefulSet is re-created — from the CR, when it is
   * deleted). Never shrinks.
   */
  private growClaims(cr: Obj, sts: Obj): void {
    const want = cr.spec?.persistence?.storage;
    if (!want) return;
    const pattern = new RegExp(`^persistence-${sts.metadata.name}-\\d+$`);
    for (const pvc of this.store.listRaw(PVC, sts.metadata.namespace)) {
      if (!pattern.test(pvc.metadata.name) || pvc.metadata.deletionTimestamp) continue;
      if (quantityBytes(want) <= quantityBytes(pvc.spec?.resources?.requests?.storage)) continue;
      const next = clone(pvc);
      delete next.metadata.resourceVersion;
      next.spec.resources = { ...next.spec.resources, requests: { ...next.spec.resources?.requests, storage: want } };
      trackUpdate(pvc, next, OPERATOR_MANAGER, this.store.timestamp());
      this.store.update(PVC, next);
      this.reverts.push(`RabbitmqCluster ${cr.metadata.namespace}/${cr.metadata.name} → PersistentVolumeClaim ${pvc.metadata.namespace}/${pvc.metadata.name} grown to ${want}`);
    }
  }

  private putBack(ownerKind: string, owner: string, desired: Obj, live: Obj, ignored: string[], manager: string): void {
    if (!drifts(desired, live, ignored)) return;
    const next = putBack(desired, live, ignored) as Obj;
    delete next.metadata.resourceVersion;
    // an apply that changes an immutable StatefulSet field fails, as it does for the real owners: the
    // owner reports it (otaru#2683: a chart's claim template change broke every sync) and writes nothing
    const immutable = live.kind === 'StatefulSet' ? Object.keys({ ...live.spec, ...next.spec }).filter((k) => !MUTABLE_STS_FIELDS.has(k) && JSON.stringify(live.spec?.[k]) !== JSON.stringify(next.spec?.[k])) : [];
    if (immutable.length) {
      const message = `StatefulSet.apps "${live.metadata.name}" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden (${immutable.join(', ')})`;
      this.failures.push(`${ownerKind} ${owner}: ${message}`);
      this.reportFailure(ownerKind, owner, message);
      return;
    }
    trackUpdate(live, next, manager, this.store.timestamp());
    this.store.update(resourceByKind(live.kind), next);
    this.reverts.push(`${ownerKind} ${owner} → ${live.kind} ${live.metadata.namespace}/${live.metadata.name}`);
  }

  /** A failed sync on the owner's status: Application operationState / Kustomization Ready=False. */
  private reportFailure(ownerKind: string, owner: string, message: string): void {
    const t = ownerKind === 'Application' ? APP : ownerKind === 'Kustomization' ? KS : undefined;
    if (!t) return;
    const [ns, name] = owner.split('/');
    const o = this.store.peek(t, ns, name);
    if (!o) return;
    const next = clone(o);
    delete next.metadata.resourceVersion;
    next.status =
      t === APP
        ? { ...next.status, sync: { status: 'OutOfSync' }, operationState: { phase: 'Failed', message: `one or more objects failed to apply, reason: ${message}` } }
        : { ...next.status, conditions: [{ type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message }] };
    this.store.update(t, next);
  }

  /** Argo CD / Flux: create what git has and the cluster lacks; put drift back when allowed to. */
  private sync(kind: 'argocd' | 'flux', ns: string, name: string): void {
    const t = kind === 'argocd' ? APP : KS;
    const owner = this.store.peek(t, ns, name);
    if (!owner || owner.metadata.deletionTimestamp) return;
    let heal: boolean;
    let ignored: Obj[] = [];
    if (kind === 'argocd') {
      const auto = owner.spec?.syncPolicy?.automated;
      if (!auto) return; // manual sync only: OutOfSync stays
      heal = auto.selfHeal === true;
      ignored = owner.spec?.ignoreDifferences ?? [];
    } else {
      if (owner.spec?.suspend === true) return;
      heal = true;
    }
    const manager = kind === 'argocd' ? ARGO_MANAGER : FLUX_MANAGER;
    const key = `${t.kind}/${ns}/${name}`;
    // a new commit fetched (or the first sync) is synced whole; otherwise (Argo CD without selfHeal) live changes,
    // a deleted object included, do not trigger a sync
    let fresh = !this.synced.has(key);
    this.synced.add(key);
    if (this.refreshWanted.delete(key) || !this.fetched.has(key)) {
      const now = (this.git.get(key) ?? []).map((o) => clone(o));
      fresh ||= JSON.stringify(now) !== JSON.stringify(this.fetched.get(key));
      this.fetched.set(key, now);
    }
    for (const d of this.fetched.get(key) ?? []) {
      const dt = resourceByKind(d.kind);
      const dns = d.metadata.namespace ?? owner.spec?.destination?.namespace ?? 'default';
      const want = clone(d);
      want.metadata.namespace = dns;
      want.metadata.labels = { ...want.metadata.labels, ...(kind === 'argocd' ? { 'app.kubernetes.io/instance': name } : { 'kustomize.toolkit.fluxcd.io/name': name, 'kustomize.toolkit.fluxcd.io/namespace': ns }) };
      const live = this.store.peek(dt, dns, d.metadata.name);
      if (!live) {
        if (!heal && !fresh) continue;
        trackUpdate(undefined, want, manager, this.store.timestamp());
        createObject(this.store, want);
        continue;
      }
      if (!heal || live.metadata.deletionTimestamp) continue;
      if (kind === 'flux' && live.metadata.annotations?.['kustomize.toolkit.fluxcd.io/reconcile'] === 'disabled') continue;
      const pointers = ignored
        .filter((x) => (!x.kind || x.kind === d.kind) && (!x.name || x.name === d.metadata.name) && (!x.namespace || x.namespace === dns))
        .flatMap((x) => x.jsonPointers ?? []);
      this.putBack(t.kind, `${ns}/${name}`, enforced(want), live, pointers, manager);
    }
  }
}
