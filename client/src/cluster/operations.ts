// StatefulSet operations, as kubectl does them on the wire, plus the plans and texts the UI shows
// before anything is changed (scale-down data fate, rollback diff, canary steps, delete choices).
import { stringify } from 'yaml';
import { KubeError } from './errors';
import { PATCH, type KubeHttp } from './http';
import type { ClusterModel, StatefulSetView } from './model';
import type { ControllerRevision, KObject, Pod, PodTemplate, StatefulSet } from './types';

const stsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets/${encodeURIComponent(name)}`;
const podPath = (ns: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

// ---------------------------------------------------------------- scale

export interface ScaleRemoval {
  ordinal: number;
  podName: string;
  pvcs: Array<{ name: string; fate: 'kept' | 'DELETED'; size?: string }>;
}

export interface ScalePlan {
  from: number;
  to: number;
  direction: 'up' | 'down' | 'none';
  whenScaled: string;
  /** pods that will go, highest ordinal first */
  removed: ScaleRemoval[];
  /** pods that will be created, lowest ordinal first */
  added: string[];
  deletesData: boolean;
  toZero: boolean;
  /** the modal text */
  text: string;
}

export function validateReplicas(input: string): string | undefined {
  const t = input.trim();
  if (!/^\d+$/.test(t)) return 'Enter a whole number of replicas (0 or more)';
  const n = Number(t);
  if (n > 100000) return 'That is more replicas than a StatefulSet can reasonably have';
  return undefined;
}

export function scalePlan(v: StatefulSetView, to: number): ScalePlan {
  const from = v.replicas;
  const direction = to > from ? 'up' : to < from ? 'down' : 'none';
  const del = v.whenScaled === 'Delete';
  const removed: ScaleRemoval[] = [];
  const added: string[] = [];
  if (direction === 'down') {
    for (let o = v.start + from - 1; o >= v.start + to; o--) {
      const ord = v.ordinals.find((x) => x.ordinal === o);
      removed.push({
        ordinal: o,
        podName: `${v.name}-${o}`,
        pvcs: v.templates.map((t) => {
          const p = ord?.pvcs.find((x) => x.template === t);
          return { name: `${t}-${v.name}-${o}`, fate: del ? 'DELETED' : 'kept', size: p?.capacity ?? p?.requested };
        }),
      });
    }
  } else if (direction === 'up') {
    for (let o = v.start + from; o < v.start + to; o++) added.push(`${v.name}-${o}`);
  }
  const lines: string[] = [];
  if (direction === 'none') lines.push(`${v.name} already has ${from} replicas.`);
  else if (direction === 'up') lines.push(`Scale ${v.namespace}/${v.name} up from ${from} to ${to}: creates ${added.join(', ')}.`);
  else {
    lines.push(`Scale ${v.namespace}/${v.name} down from ${from} to ${to}. These pods will be deleted, highest ordinal first:`);
    for (const r of removed) {
      const pvcText = r.pvcs.length
        ? r.pvcs.map((p) => `${p.name}${p.size ? ` (${p.size})` : ''} ${p.fate === 'DELETED' ? 'DELETED' : 'kept'}`).join(', ')
        : 'no PVCs';
      lines.push(`• ${r.podName}: ${pvcText}`);
    }
    if (v.templates.length) {
      lines.push(
        del
          ? `persistentVolumeClaimRetentionPolicy.whenScaled is Delete: the PVCs above are DELETED with their pods and their data is lost.`
          : `whenScaled is Retain: the PVCs are kept and reattached if you scale up again.`,
      );
    }
    if (to === 0) lines.push('Scaling to 0 stops every pod of this StatefulSet.');
  }
  return { from, to, direction, whenScaled: v.whenScaled, removed, added, deletesData: del && removed.some((r) => r.pvcs.length > 0), toZero: to === 0 && from > 0, text: lines.join('\n') };
}

/** kubectl scale: merge patch of the scale subresource. */
export async function scale(http: KubeHttp, ns: string, name: string, replicas: number): Promise<KObject> {
  return http.request('PATCH', `${stsPath(ns, name)}/scale`, { body: { spec: { replicas } }, contentType: PATCH.merge });
}

export function scaleReached(s: StatefulSet | undefined, target: number): boolean {
  if (!s) return false;
  const st = s.status ?? {};
  const gen = s.metadata?.generation ?? 0;
  return (s.spec?.replicas ?? 1) === target && (st.observedGeneration ?? gen) >= gen && (st.replicas ?? 0) === target && (st.readyReplicas ?? 0) === target;
}

/**
 * Resolves when the StatefulSet reports `target` ready replicas, watching the model (no polling).
 * Rejects with 'cancelled' on abort. onProgress gets "2/5 ready".
 */
export function waitForScale(model: ClusterModel, key: string, target: number, signal?: AbortSignal, onProgress?: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let last = '';
    const check = () => {
      const v = model.view(key);
      if (!v) {
        done();
        reject(new KubeError(404, `StatefulSet ${key} no longer exists`));
        return;
      }
      const text = `${v.sts.status?.readyReplicas ?? 0}/${target} ready (${v.sts.status?.replicas ?? 0} pods)`;
      if (text !== last) onProgress?.((last = text));
      // the StatefulSet's status says so, and the pods we watch agree (those above the target gone,
      // the others ready); pods are not checked when we may not watch them (403)
      const podsVisible = model.states().pods.phase === 'synced';
      const podsAgree = !podsVisible || v.ordinals.every((o) => (o.desired ? o.pod?.ready : !o.pod));
      if (scaleReached(v.sts, target) && podsAgree) {
        done();
        resolve();
      }
    };
    const unsub = model.onDidChange((c) => {
      if (c.keys.has(key)) check();
    });
    const onAbort = () => {
      done();
      reject(new KubeError(0, 'cancelled', 'Cancelled'));
    };
    const done = () => {
      unsub();
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    check();
  });
}

// ---------------------------------------------------------------- revisions / rollback

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .filter((k) => k !== '$patch' && (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function templatesEqual(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return stableStringify(a ?? {}) === stableStringify(b ?? {});
}

export function revisionTemplate(rev: ControllerRevision): PodTemplate | undefined {
  const t = rev.data?.spec?.template;
  if (!t) return undefined;
  const { $patch: _drop, ...rest } = t;
  return rest;
}

export function revisionImages(rev: ControllerRevision): string[] {
  return (revisionTemplate(rev)?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean);
}

export function changeCause(o: KObject): string {
  return o.metadata?.annotations?.['kubernetes.io/change-cause'] ?? '';
}

export function age(ts: string | undefined, now = Date.now()): string {
  if (!ts) return '?';
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function selectorString(sts: StatefulSet): string {
  const sel = sts.spec?.selector ?? {};
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export async function getStatefulSet(http: KubeHttp, ns: string, name: string): Promise<StatefulSet> {
  return http.request<StatefulSet>('GET', stsPath(ns, name));
}

/** kubectl rollout history's reads: revisions by the StatefulSet's selector, owned (controller) by its UID. */
export async function listRevisions(http: KubeHttp, sts: StatefulSet): Promise<ControllerRevision[]> {
  const ns = sts.metadata?.namespace ?? '';
  const list = await http.request<{ items?: ControllerRevision[] }>('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions`, {
    query: { labelSelector: selectorString(sts) },
  });
  const uid = sts.metadata?.uid;
  return (list.items ?? [])
    .filter((r) => r.metadata?.ownerReferences?.some((o) => o.controller && o.uid === uid))
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
}

export function historyText(sts: StatefulSet, revs: ControllerRevision[], now = Date.now()): string {
  const cur = sts.status?.currentRevision;
  const upd = sts.status?.updateRevision;
  const lines = [`# Rollout history of statefulset ${sts.metadata?.namespace}/${sts.metadata?.name} (read-only)`, ''];
  lines.push(['REVISION', 'NAME', 'AGE', 'IMAGES', 'CHANGE-CAUSE', 'STATE'].join('\t'));
  for (const r of revs) {
    const state = [r.metadata?.name === cur ? 'current' : '', r.metadata?.name === upd ? 'update' : ''].filter(Boolean).join('+');
    lines.push([r.revision ?? '?', r.metadata?.name ?? '', age(r.metadata?.creationTimestamp, now), revisionImages(r).join(',') || '-', changeCause(r) || '<none>', state].join('\t'));
  }
  return lines.join('\n') + '\n';
}

export interface RollbackPlan {
  sts: StatefulSet;
  revision: ControllerRevision;
  currentTemplate: PodTemplate | undefined;
  targetTemplate: PodTemplate | undefined;
  alreadyMatches: boolean;
  /** the patch body, exactly the revision's data (like kubectl rollout undo) */
  patch: unknown;
}

/** toRevision 0 (or undefined) = the previous revision, like kubectl. */
export function pickRevision(revs: ControllerRevision[], toRevision?: number): ControllerRevision {
  if (revs.length === 0) throw new KubeError(404, 'no rollout history found');
  if (!toRevision) {
    if (revs.length < 2) throw new KubeError(400, 'no revision to roll back to: there is only one revision');
    return revs[revs.length - 2];
  }
  const r = revs.find((x) => x.revision === toRevision);
  if (!r) throw new KubeError(404, `unable to find specified revision ${toRevision} in history`);
  return r;
}

export function rollbackPlan(sts: StatefulSet, revision: ControllerRevision): RollbackPlan {
  const targetTemplate = revisionTemplate(revision);
  return {
    sts,
    revision,
    currentTemplate: sts.spec?.template,
    targetTemplate,
    alreadyMatches: templatesEqual(sts.spec?.template, targetTemplate),
    patch: revision.data,
  };
}

/** A pod template as YAML for the rollback diff: keys sorted, so that both sides list fields in one order and the
 *  diff shows only what differs (the live object and a revision's data serialise fields in different orders). */
export function templateYaml(t: PodTemplate | undefined): string {
  return stringify(t ?? {}, { sortMapEntries: true });
}

/** Server-side dry run of the rollback patch; returns the object the server would store. */
export async function rollbackDryRun(http: KubeHttp, plan: RollbackPlan): Promise<StatefulSet> {
  return http.request<StatefulSet>('PATCH', stsPath(plan.sts.metadata!.namespace!, plan.sts.metadata!.name!), {
    body: plan.patch,
    contentType: PATCH.strategic,
    query: { dryRun: 'All' },
  });
}

export async function rollbackApply(http: KubeHttp, plan: RollbackPlan): Promise<StatefulSet> {
  return http.request<StatefulSet>('PATCH', stsPath(plan.sts.metadata!.namespace!, plan.sts.metadata!.name!), {
    body: plan.patch,
    contentType: PATCH.strategic,
  });
}

// ---------------------------------------------------------------- canary (partitioned rollout)

export interface CanaryPlan {
  from?: number;
  to: number;
  before: string[];
  after: string[];
  done: boolean;
  text: string;
}

function revisionLine(v: StatefulSetView, partition: number | undefined, predicted: boolean): string[] {
  return v.ordinals
    .filter((o) => o.desired)
    .map((o) => {
      let rev: string;
      if (predicted) rev = o.ordinal >= (partition ?? v.start) ? (v.updateRevision ?? '?') : (o.pod?.revision ?? v.currentRevision ?? '?');
      else rev = o.pod?.revision ?? (o.missing ? 'missing' : '?');
      const tag = rev === v.updateRevision && v.updating ? ' (new)' : '';
      return `${o.podName}: ${rev}${tag}`;
    });
}

/**
 * Next canary step: with no partition, a partition beyond the last ordinal, or a finished rollout
 * (partition at the first ordinal, nothing pending), set it to the last ordinal (the next template
 * change reaches one pod); otherwise lower it by one ordinal.
 */
export function canaryPlan(v: StatefulSetView, toPartition?: number): CanaryPlan {
  const last = v.start + v.replicas - 1;
  const cur = v.partition;
  let to: number;
  if (toPartition !== undefined) to = toPartition;
  else if (cur === undefined || cur > last || (cur <= v.start && !v.updating)) to = last;
  else to = Math.max(v.start, cur - 1);
  const done = cur !== undefined && cur <= v.start && v.updating && toPartition === undefined;
  const before = revisionLine(v, cur, false);
  const after = revisionLine(v, to, true);
  const text = [
    `Partition ${cur ?? 'unset'} → ${to}: ordinals ≥ ${to} run the update revision ${v.updateRevision ?? ''}.`,
    `Before: ${before.join(', ')}`,
    `After:  ${after.join(', ')}`,
  ].join('\n');
  return { from: cur, to, before, after, done, text };
}

export async function setPartition(http: KubeHttp, ns: string, name: string, partition: number): Promise<StatefulSet> {
  return http.request<StatefulSet>('PATCH', stsPath(ns, name), {
    body: { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } } } },
    contentType: PATCH.merge,
  });
}

// ---------------------------------------------------------------- delete, restart, pods

export type DeleteMode = 'keepPvcs' | 'orphan';

export function deleteText(v: StatefulSetView, mode: DeleteMode): string {
  const pvcs = v.ordinals.flatMap((o) => o.pvcs.filter((p) => p.pvc).map((p) => p.name)).concat(v.orphans.map((p) => p.name));
  if (mode === 'orphan') {
    return `Delete ${v.namespace}/${v.name} only (like kubectl delete --cascade=orphan): its pods and PVCs stay.`;
  }
  if (v.whenDeleted === 'Delete') {
    return `Delete ${v.namespace}/${v.name} and its pods. persistentVolumeClaimRetentionPolicy.whenDeleted is Delete: its PVCs (${pvcs.join(', ') || 'none'}) will be DELETED too and their data is lost.`;
  }
  return `Delete ${v.namespace}/${v.name} and its pods. Its PVCs are kept (whenDeleted: Retain)${pvcs.length ? `: ${pvcs.join(', ')}` : ''}.`;
}

export async function deleteStatefulSet(http: KubeHttp, ns: string, name: string, mode: DeleteMode): Promise<unknown> {
  return http.request('DELETE', stsPath(ns, name), {
    body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: mode === 'orphan' ? 'Orphan' : 'Background' },
  });
}

/** kubectl rollout restart: the restartedAt annotation on the pod template. */
export async function restart(http: KubeHttp, ns: string, name: string, now = new Date()): Promise<StatefulSet> {
  return http.request<StatefulSet>('PATCH', stsPath(ns, name), {
    body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } } },
    contentType: PATCH.strategic,
  });
}

export async function deletePod(http: KubeHttp, ns: string, name: string): Promise<Pod> {
  return http.request<Pod>('DELETE', podPath(ns, name));
}

export function podDnsName(sts: StatefulSet, ordinal: number): string {
  const ns = sts.metadata?.namespace ?? 'default';
  const pod = `${sts.metadata?.name}-${ordinal}`;
  const svc = sts.spec?.serviceName;
  return svc ? `${pod}.${svc}.${ns}.svc.cluster.local` : `${pod}.${ns}.pod.cluster.local`;
}

export function manifestYaml(o: KObject): string {
  const copy = structuredClone(o) as KObject;
  if (copy.metadata) delete copy.metadata.managedFields;
  return stringify(copy);
}

export async function listNamespaces(http: KubeHttp): Promise<string[]> {
  const l = await http.request<{ items?: KObject[] }>('GET', '/api/v1/namespaces');
  return (l.items ?? []).map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
}

/** The cluster's version (`GET /version`): its gitVersion, e.g. "v1.32.0" (the language server's default target version). */
export async function serverVersion(http: KubeHttp): Promise<string> {
  const v = await http.request<{ gitVersion?: string; major?: string; minor?: string }>('GET', '/version');
  if (typeof v.gitVersion === 'string' && v.gitVersion) return v.gitVersion;
  if (v.major && v.minor) return `v${v.major}.${v.minor.replace(/\+$/, '')}`;
  throw new Error('GET /version returned no version');
}
