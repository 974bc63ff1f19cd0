// Who owns a live StatefulSet, read from what the object itself carries (pure; no I/O): a controller
// owner reference (an operator's custom resource, any kind), Argo CD tracking (the instance label or
// the tracking-id annotation), Flux labels (Kustomization / HelmRelease) and the per-object reconcile
// annotation, Helm's release label and annotations, and the managedFields managers. The owning
// object itself (the CR, the Application, the Flux object) is looked up through `read`, which the
// OwnerIndex serves from its watches: readable → its settings (selfHeal, ignoreDifferences, suspend)
// decide what reverts what; 403 or a missing CRD → "not readable", never "unmanaged".
import type { KObject, StatefulSet } from '../types';

export type OwnerType = 'operator' | 'argocd' | 'flux' | 'helm';

/** Where the owning object lives (the API resource is resolved by the index). */
export interface OwnerRef {
  type: OwnerType;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  /** the plural when known without discovery (Argo and Flux kinds) */
  plural?: string;
  /** why we think so: "ownerReference (controller)", "label app.kubernetes.io/instance", … */
  evidence: string;
}

/** What the index knows of the owning object. */
export type OwnerRead =
  | { state: 'read'; object: KObject }
  | { state: 'notFound' }
  | { state: 'forbidden'; message?: string }
  | { state: 'missing'; message?: string }
  | { state: 'pending' }
  | { state: 'error'; message?: string };

/** How a live edit of the StatefulSet fares. */
export type Reverts =
  /** the owner puts it back within seconds (operator, Argo selfHeal, Flux not suspended) */
  | 'soon'
  /** only when someone syncs / upgrades (Argo without selfHeal, Helm) */
  | 'later'
  /** the owner leaves it (Flux suspended, reconcile disabled, Argo sync not automated) */
  | 'no'
  /** the owning object cannot be read: assume the worst */
  | 'unknown';

export interface Owner {
  type: OwnerType;
  ref: OwnerRef;
  /** "RabbitmqCluster mq", "Argo CD app payments", "Flux Kustomization flux-system/apps", "Helm release mq" */
  title: string;
  /** the title, with "(Application not readable (403))" and the like when the owning object cannot be read */
  label: string;
  /** the owning object as last seen (read-only) */
  object?: KObject;
  read: OwnerRead['state'] | 'none';
  /** a readable reason when the owning object cannot be read */
  readMessage?: string;
  reverts: Reverts;
  /** one sentence: what reverts what */
  revertsText: string;
  /** Argo CD: automated sync / selfHeal / JSON pointers of ignoreDifferences that apply to this StatefulSet */
  automated?: boolean;
  selfHeal?: boolean;
  ignored?: string[];
  /** Flux: spec.suspend of the Flux object; the object's own `reconcile: disabled` annotation */
  suspended?: boolean;
  optedOut?: boolean;
  /** other marks on the object (a Helm chart synced by Argo CD: Argo first, Helm also) */
  also: OwnerRef[];
  /** metadata.managedFields managers */
  managers: string[];
}

export const ARGO_INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const ARGO_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
export const ARGO_DEFAULT_NAMESPACE = 'argocd';
export const FLUX_KS_NAME = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_KS_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';
export const FLUX_HR_NAME = 'helm.toolkit.fluxcd.io/name';
export const FLUX_HR_NAMESPACE = 'helm.toolkit.fluxcd.io/namespace';
export const FLUX_RECONCILE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/reconcile';
export const HELM_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const HELM_RELEASE_NAME = 'meta.helm.sh/release-name';
export const HELM_RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';

export const APPLICATION = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', plural: 'applications' } as const;
export const KUSTOMIZATION = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations' } as const;
export const HELMRELEASE = { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases' } as const;

const ARGO_MANAGERS = /^argocd(-application)?-controller$|^argocd/;

/** metadata.managedFields[].manager, in order, without repeats. */
export function managersOf(o: KObject): string[] {
  const mf = o.metadata?.managedFields;
  if (!Array.isArray(mf)) return [];
  const out: string[] = [];
  for (const e of mf as Array<{ manager?: unknown }>) if (typeof e?.manager === 'string' && !out.includes(e.manager)) out.push(e.manager);
  return out;
}

/** Argo CD tracking id `APP:GROUP/KIND:NAMESPACE/NAME`; APP may be `APPNS_APP` (apps in any namespace). */
export function parseTrackingId(id: string): { app: string; appNamespace?: string } | undefined {
  const m = id.match(/^([^:]+):([^:]*)\/([^:]+):([^/]*)\/(.+)$/);
  if (!m) return undefined;
  const [ns, app] = m[1].includes('_') ? m[1].split('_', 2) : [undefined, m[1]];
  return { app, appNamespace: ns };
}

/** Every ownership mark the StatefulSet carries, strongest first (operator, Argo CD, Flux, Helm). */
export function ownerMarks(sts: StatefulSet): OwnerRef[] {
  const md = sts.metadata ?? {};
  const ns = md.namespace ?? '';
  const labels = md.labels ?? {};
  const ann = md.annotations ?? {};
  const managers = managersOf(sts);
  const out: OwnerRef[] = [];
  const ctl = md.ownerReferences?.find((r) => r.controller);
  if (ctl?.kind && ctl.name) {
    out.push({ type: 'operator', apiVersion: ctl.apiVersion ?? '', kind: ctl.kind, name: ctl.name, namespace: ns, evidence: `ownerReference (controller) ${ctl.kind}/${ctl.name}` });
  }
  const tracking = ann[ARGO_TRACKING_ANNOTATION] ? parseTrackingId(ann[ARGO_TRACKING_ANNOTATION]) : undefined;
  const helmRelease = ann[HELM_RELEASE_NAME];
  const instance = labels[ARGO_INSTANCE_LABEL];
  if (tracking) {
    out.push(argoRef(tracking.app, tracking.appNamespace ?? ARGO_DEFAULT_NAMESPACE, `annotation ${ARGO_TRACKING_ANNOTATION}`));
  } else if (instance && (!helmRelease || managers.some((m) => ARGO_MANAGERS.test(m)))) {
    // Helm charts set app.kubernetes.io/instance to the release name too; a chart installed by
    // `helm install` also carries meta.helm.sh/release-name, which Argo CD (helm template) never writes.
    out.push(argoRef(instance, ARGO_DEFAULT_NAMESPACE, `label ${ARGO_INSTANCE_LABEL}`));
  }
  if (labels[FLUX_KS_NAME]) {
    const fns = labels[FLUX_KS_NAMESPACE] ?? ns;
    out.push({ type: 'flux', apiVersion: `${KUSTOMIZATION.group}/${KUSTOMIZATION.version}`, kind: KUSTOMIZATION.kind, plural: KUSTOMIZATION.plural, name: labels[FLUX_KS_NAME], namespace: fns, evidence: `label ${FLUX_KS_NAME}` });
  }
  if (labels[FLUX_HR_NAME]) {
    const fns = labels[FLUX_HR_NAMESPACE] ?? ns;
    out.push({ type: 'flux', apiVersion: `${HELMRELEASE.group}/${HELMRELEASE.version}`, kind: HELMRELEASE.kind, plural: HELMRELEASE.plural, name: labels[FLUX_HR_NAME], namespace: fns, evidence: `label ${FLUX_HR_NAME}` });
  }
  if (helmRelease || labels[HELM_MANAGED_BY] === 'Helm') {
    const name = helmRelease ?? instance ?? labels['release'] ?? '';
    const evidence = helmRelease ? `annotation ${HELM_RELEASE_NAME}` : `label ${HELM_MANAGED_BY}=Helm`;
    if (name) out.push({ type: 'helm', apiVersion: 'v1', kind: 'Secret', name, namespace: ann[HELM_RELEASE_NAMESPACE] ?? ns, evidence });
  }
  return out;
}

function argoRef(app: string, namespace: string, evidence: string): OwnerRef {
  return { type: 'argocd', apiVersion: `${APPLICATION.group}/${APPLICATION.version}`, kind: APPLICATION.kind, plural: APPLICATION.plural, name: app, namespace, evidence };
}

type Json = Record<string, any>;

/** The JSON pointers an Application's ignoreDifferences lists for this StatefulSet. */
export function argoIgnored(app: KObject, sts: StatefulSet): string[] {
  const list = ((app as Json).spec?.ignoreDifferences ?? []) as Json[];
  const out: string[] = [];
  for (const d of list) {
    if (d.kind && d.kind !== 'StatefulSet') continue;
    if (d.group && d.group !== 'apps') continue;
    if (d.name && d.name !== sts.metadata?.name) continue;
    if (d.namespace && d.namespace !== sts.metadata?.namespace) continue;
    for (const p of d.jsonPointers ?? []) if (typeof p === 'string') out.push(p);
  }
  return out;
}

function title(r: OwnerRef): string {
  switch (r.type) {
    case 'operator':
      return `${r.kind} ${r.name}`;
    case 'argocd':
      return `Argo CD app ${r.name}`;
    case 'flux':
      return `Flux ${r.kind} ${r.namespace}/${r.name}`;
    case 'helm':
      return `Helm release ${r.name}`;
  }
}

/**
 * The owner of a StatefulSet: the strongest mark, with what its owning object (through `read`) says
 * about reverting; undefined when nothing marks it (then it is the user's to edit).
 */
export function detectOwner(sts: StatefulSet, read: (r: OwnerRef) => OwnerRead): Owner | undefined {
  const marks = ownerMarks(sts);
  if (!marks.length) return undefined;
  const [ref, ...also] = marks;
  const managers = managersOf(sts);
  const base = { type: ref.type, ref, title: title(ref), label: title(ref), also, managers };
  if (ref.type === 'helm') {
    return { ...base, read: 'none', reverts: 'later', revertsText: `The next \`helm upgrade\` of release ${ref.namespace}/${ref.name} overwrites the fields its chart sets (a live change stands until then).` };
  }
  const r = read(ref);
  const what = ref.type === 'operator' ? `${ref.kind} ${ref.namespace}/${ref.name}` : title(ref);
  if (r.state !== 'read') {
    const why =
      r.state === 'forbidden' ? `${ref.kind} not readable (403)` : r.state === 'missing' ? `${ref.kind} kind not served by this cluster` : r.state === 'notFound' ? `${ref.kind} not found` : r.state === 'pending' ? `reading ${ref.kind}…` : `${ref.kind} not readable`;
    const label = `${title(ref)} (${why})`;
    const msg = 'message' in r ? r.message : undefined;
    return { ...base, label, read: r.state, readMessage: msg, reverts: 'unknown', revertsText: `Owned by ${what} (${ref.evidence}); it cannot be read here (${why}), so assume a live change is reverted.` };
  }
  const obj = r.object as Json;
  if (ref.type === 'operator') {
    return { ...base, object: r.object, read: 'read', reverts: 'soon', revertsText: `The operator of ${what} reconciles this StatefulSet back to what the ${ref.kind} says: change the ${ref.kind}, not the StatefulSet.` };
  }
  if (ref.type === 'argocd') {
    const automated = !!obj.spec?.syncPolicy?.automated;
    const selfHeal = automated && obj.spec.syncPolicy.automated.selfHeal === true;
    const ignored = argoIgnored(r.object, sts);
    const ign = ignored.length ? ` (ignoreDifferences: ${ignored.join(', ')} — those stand)` : '';
    const reverts: Reverts = selfHeal ? 'soon' : automated ? 'later' : 'no';
    const revertsText = selfHeal
      ? `Argo CD app ${ref.name} syncs from git with selfHeal: a live change is reverted within seconds${ign}. Git is the source of truth.`
      : automated
        ? `Argo CD app ${ref.name} syncs automatically without selfHeal: a live change stands until the next sync from git${ign}.`
        : `Argo CD app ${ref.name} syncs only by hand: a live change shows as OutOfSync and is reverted by the next sync${ign}.`;
    return { ...base, object: r.object, read: 'read', automated, selfHeal, ignored, reverts, revertsText };
  }
  // flux
  const suspended = obj.spec?.suspend === true;
  const optedOut = sts.metadata?.annotations?.[FLUX_RECONCILE_ANNOTATION] === 'disabled';
  const reverts: Reverts = suspended || optedOut ? 'no' : 'soon';
  const revertsText = optedOut
    ? `${title(ref)} leaves this object alone (${FLUX_RECONCILE_ANNOTATION}: disabled).`
    : suspended
      ? `${title(ref)} is suspended: a live change stands until it is resumed, then it is reverted to git.`
      : `${title(ref)} reconciles from git: a live change is reverted at its next reconcile (spec.interval). Git is the source of truth.`;
  return { ...base, object: r.object, read: 'read', suspended, optedOut, reverts, revertsText };
}

/** Whether the owner reverts a change at this JSON pointer (e.g. `/spec/replicas`). */
export function revertsField(o: Owner, pointer: string): boolean {
  if (o.reverts === 'no') return false;
  if (o.ignored?.some((p) => pointer === p || pointer.startsWith(`${p}/`))) return false;
  return true;
}
