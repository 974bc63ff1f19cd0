// Resize Storage… and Re-create Keeping Pods and Data…, as plain Node over the wire:
//   preflight (RBAC by SelfSubjectAccessReview, StorageClass allowVolumeExpansion, Bound, no shrink,
//   a selector that still matches the pods) → [grow each PVC → wait for its capacity] → delete the
//   StatefulSet with propagationPolicy Orphan → create it from the file → verify the same pods and
//   PVCs (same UIDs) are owned by the new one.
// Every step is idempotent and journaled before it runs; no step deletes a pod or a PVC.
import { KubeError } from '../errors';
import { until as poll } from '../wait';
import { PATCH, type KubeHttp } from '../http';
import { selectorString } from '../operations';
import type { Pod, PersistentVolumeClaim } from '../types';
import { FIELD_MANAGER, serverApply, type Manifest } from '../fileApply';
import { immutableChanges, storageBytes, type ImmutableChanges } from './immutable';
import type { Journal, JournalEntry, Stage } from './journal';
import { takeSnapshots } from '../snapshots';

const enc = encodeURIComponent;
const stsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/statefulsets/${enc(name)}`;
const pvcPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims/${enc(name)}`;
const podPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`;

export interface PvcState {
  name: string;
  template: string;
  ordinal: number;
  uid: string;
  phase: string;
  request?: string;
  capacity?: string;
  storageClass?: string;
  /** an ordinal ≥ replicas: a claim retained from an earlier scale-down */
  retained: boolean;
  conditions: string[];
  /** the size it grows to (resize only) */
  to?: string;
}

export interface PreflightResult {
  ok: boolean;
  /** why it cannot go ahead (each a full sentence) */
  refusals: string[];
  /** consequences to say before acting */
  notes: string[];
  pvcs: PvcState[];
  pods: Array<{ name: string; uid: string }>;
  changes?: ImmutableChanges;
  /** the confirmation text: every step and what happens to each pod and PVC */
  plan: string;
  /** the journal entry to run (when ok) */
  entry?: JournalEntry;
}

export interface WorkflowTarget {
  cluster: string;
  context: string;
  namespace: string;
  manifest: Manifest;
  workflow: 'resize' | 'recreate';
}

/** A bounded wait (../wait.ts) whose timeout says how to go on. */
const until = <T>(fn: () => Promise<T | undefined>, what: string, hooks: RunHooks): Promise<T> => poll(fn, what, hooks, 'run the command again to continue from here');

async function getOrUndefined<T>(http: KubeHttp, path: string): Promise<T | undefined> {
  try {
    return await http.request<T>('GET', path);
  } catch (e) {
    if (e instanceof KubeError && e.code === 404) return undefined;
    throw e;
  }
}

/** SelfSubjectAccessReview: may the current user do `verb` on `resource` in `namespace`? */
export async function canI(http: KubeHttp, verb: string, resource: string, group: string, namespace?: string): Promise<boolean> {
  const r = await http.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb, group, resource } } },
  });
  return r.status?.allowed === true;
}

function conditionTypes(p: PersistentVolumeClaim): string[] {
  return ((p.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? []).filter((c) => c.status !== 'False').map((c) => String(c.type));
}

/** Everything checked before anything changes; a refusal names its reason. */
export async function preflight(http: KubeHttp, t: WorkflowTarget): Promise<PreflightResult> {
  const ns = t.namespace;
  const name = String(t.manifest.metadata?.name ?? '');
  const out: PreflightResult = { ok: false, refusals: [], notes: [], pvcs: [], pods: [], plan: '' };
  if (t.manifest.kind !== 'StatefulSet' || !name) {
    out.refusals.push('The document is not a StatefulSet with a name.');
    return out;
  }
  const live = await getOrUndefined<Manifest>(http, stsPath(ns, name));
  if (!live) {
    out.refusals.push(`StatefulSet ${ns}/${name} is not in the cluster: Apply creates it.`);
    return out;
  }
  if (live.metadata?.deletionTimestamp) out.refusals.push(`StatefulSet ${ns}/${name} is being deleted.`);
  const ch = immutableChanges(live, t.manifest);
  out.changes = ch;
  if (ch.kind === 'none') out.refusals.push('Nothing immutable changes between the file and the cluster: use Apply.');
  if (ch.shrinks.length)
    out.refusals.push(`PVCs cannot shrink: ${ch.shrinks.map((s) => `${s.template} ${s.from} → ${s.to}`).join(', ')} (the API server refuses "field can not be less than status.capacity").`);
  if (t.workflow === 'resize' && ch.kind === 'recreate')
    out.refusals.push(`The file changes more than claim storage (${ch.changes.filter((c) => !/storage/.test(c)).join('; ')}): use Re-create Keeping Pods and Data….`);

  // RBAC, up front rather than a failure half-way
  const needs: Array<[string, string, string]> = [
    ['list', 'persistentvolumeclaims', ''],
    ['list', 'pods', ''],
    ['delete', 'statefulsets', 'apps'],
    ['create', 'statefulsets', 'apps'],
    ['patch', 'statefulsets', 'apps'],
  ];
  if (t.workflow === 'resize') needs.push(['patch', 'persistentvolumeclaims', ''], ['get', 'storageclasses', 'storage.k8s.io']);
  const denied: string[] = [];
  for (const [verb, resource, group] of needs) if (!(await canI(http, verb, resource, group, ns))) denied.push(`${verb} ${group ? `${resource}.${group}` : resource}`);
  if (denied.length) {
    out.refusals.push(`Your account may not: ${denied.join(', ')} in namespace ${ns} (SelfSubjectAccessReview). Nothing was changed.`);
    out.plan = out.refusals.join('\n');
    return out;
  }

  const replicas = live.spec?.replicas ?? 1;
  const start = live.spec?.ordinals?.start ?? 0;
  const pods = await http.request<{ items?: Pod[] }>('GET', `/api/v1/namespaces/${enc(ns)}/pods`, { query: { labelSelector: selectorString(live) } });
  out.pods = (pods.items ?? [])
    .filter((p) => (p.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === live.metadata?.uid))
    .map((p) => ({ name: String(p.metadata?.name), uid: String(p.metadata?.uid) }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const claims = await http.request<{ items?: PersistentVolumeClaim[] }>('GET', `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims`);
  const templates: string[] = (live.spec?.volumeClaimTemplates ?? []).map((x: Manifest) => String(x.metadata?.name));
  for (const c of claims.items ?? []) {
    const n = String(c.metadata?.name);
    for (const tpl of templates) {
      const m = new RegExp(`^${tpl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${name}-(\\d+)$`).exec(n);
      if (!m) continue;
      const ordinal = Number(m[1]);
      out.pvcs.push({
        name: n,
        template: tpl,
        ordinal,
        uid: String(c.metadata?.uid),
        phase: String(c.status?.phase ?? 'Pending'),
        request: c.spec?.resources?.requests?.storage,
        capacity: c.status?.capacity?.storage,
        storageClass: c.spec?.storageClassName,
        retained: ordinal < start || ordinal >= start + replicas,
        conditions: conditionTypes(c),
      });
    }
  }
  out.pvcs.sort((a, b) => a.template.localeCompare(b.template) || a.ordinal - b.ordinal);

  const classes = new Map<string, Manifest | undefined>();
  if (t.workflow === 'resize') {
    for (const r of ch.resizes) {
      for (const p of out.pvcs.filter((x) => x.template === r.template)) {
        p.to = r.to;
        if (p.phase !== 'Bound') out.refusals.push(`${p.name} is ${p.phase}, not Bound: only bound claims can be expanded.`);
        const have = Math.max(storageBytes(p.request), storageBytes(p.capacity) || 0);
        if (storageBytes(r.to) < have) out.refusals.push(`${p.name} already holds ${p.capacity ?? p.request}: ${r.to} would shrink it, and PVCs cannot shrink.`);
        const sc = p.storageClass ?? '';
        if (!classes.has(sc)) classes.set(sc, sc ? await getOrUndefined<Manifest>(http, `/apis/storage.k8s.io/v1/storageclasses/${enc(sc)}`) : undefined);
        const cls = classes.get(sc);
        if (!cls) out.refusals.push(`${p.name}: StorageClass "${sc || '(none)'}" not found: only dynamically provisioned PVCs can be resized.`);
        else if (cls.allowVolumeExpansion !== true) out.refusals.push(`${p.name}: StorageClass "${sc}" does not set allowVolumeExpansion: true, so the API server refuses to grow its PVCs.`);
      }
    }
    const missing = out.pvcs.length === 0 && ch.resizes.length > 0;
    if (missing) out.notes.push('No PVC exists yet for the resized templates: the new size applies to PVCs created from now on.');
  } else {
    if (ch.resizes.length) out.notes.push(`Storage grows only for PVCs created from now on; existing PVCs keep their size (Resize Storage… grows them): ${ch.resizes.map((r) => `${r.template} ${r.from} → ${r.to}`).join(', ')}.`);
    if (ch.selectorChanged) {
      const labelsOf = await http.request<{ items?: Pod[] }>('GET', `/api/v1/namespaces/${enc(ns)}/pods`, { query: { labelSelector: selectorString(t.manifest) } });
      const matched = new Set((labelsOf.items ?? []).map((p) => String(p.metadata?.name)));
      const lost = out.pods.filter((p) => !matched.has(p.name));
      if (lost.length)
        out.refusals.push(`The new selector does not match ${lost.map((p) => p.name).join(', ')}: the new StatefulSet would not adopt them and they would stay orphaned. Relabel those pods first (or keep the selector).`);
    }
    if (ch.serviceName) out.notes.push(`serviceName ${ch.serviceName.from || '(none)'} → ${ch.serviceName.to || '(none)'}: existing pods keep their hostname/subdomain (DNS under the old Service) until each is recreated.`);
    if (ch.podManagementPolicy) out.notes.push(`podManagementPolicy ${ch.podManagementPolicy.from} → ${ch.podManagementPolicy.to}: applies to pods created or deleted from now on.`);
    for (const tpl of ch.removedTemplates) {
      const kept = out.pvcs.filter((p) => p.template === tpl).map((p) => p.name);
      out.notes.push(`Claim template ${tpl} is removed: its PVCs are KEPT, orphaned (not mounted by new pods, not deleted): ${kept.join(', ') || 'none exist'}.`);
    }
    for (const tpl of ch.addedTemplates) out.notes.push(`Claim template ${tpl} is added: existing pods get its PVC only when they are recreated; new pods get it at once.`);
  }
  const podUids: Record<string, string> = Object.fromEntries(out.pods.map((p) => [p.name, p.uid]));
  const restarts: Record<string, number> = {};
  for (const p of pods.items ?? []) restarts[String(p.metadata?.name)] = (p.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0);
  out.ok = out.refusals.length === 0;
  out.plan = planText(t, live, out);
  if (out.ok)
    out.entry = {
      version: 1,
      workflow: t.workflow,
      cluster: t.cluster,
      context: t.context,
      namespace: ns,
      name,
      startedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      manifest: t.manifest,
      before: { stsUid: String(live.metadata?.uid), pods: podUids, pvcs: Object.fromEntries(out.pvcs.map((p) => [p.name, p.uid])), podRestarts: restarts },
      resizes: t.workflow === 'resize' ? out.pvcs.filter((p) => p.to && storageBytes(p.to) > storageBytes(p.request)).map((p) => ({ pvc: p.name, to: p.to! })) : [],
      stage: t.workflow === 'resize' ? 'patch-pvcs' : 'orphan-delete',
    };
  return out;
}

function planText(t: WorkflowTarget, live: Manifest, pf: PreflightResult): string {
  const ns = t.namespace;
  const name = String(live.metadata?.name);
  const lines: string[] = [];
  if (pf.refusals.length) lines.push('Cannot go ahead:', ...pf.refusals.map((r) => `✗ ${r}`), '');
  let n = 1;
  if (t.workflow === 'resize') {
    lines.push(`${n++}. Grow each PVC (request patched; the volume expands, status.capacity follows):`);
    for (const p of pf.pvcs.filter((x) => !x.retained)) lines.push(`   • ${p.name} (ordinal ${p.ordinal}): ${p.capacity ?? p.request} → ${p.to ?? 'unchanged'} [${p.storageClass ?? 'no class'}, ${p.phase}]`);
    const retained = pf.pvcs.filter((x) => x.retained);
    if (retained.length) {
      lines.push('   Retained PVCs beyond replicas (from an earlier scale-down), grown too:');
      for (const p of retained) lines.push(`   • ${p.name} (ordinal ${p.ordinal}): ${p.capacity ?? p.request} → ${p.to ?? 'unchanged'}`);
    }
    lines.push(`${n++}. Wait until each PVC reports the new capacity (or FileSystemResizePending: the file system grows when its pod restarts).`);
  }
  lines.push(`${n++}. Delete StatefulSet ${ns}/${name} with propagationPolicy Orphan: pods ${pf.pods.map((p) => p.name).join(', ') || '(none)'} keep running, PVCs and revisions stay.`);
  lines.push(`${n++}. Create ${name} from the file: it adopts those pods (same UIDs, no restart when the pod template is unchanged) and finds the PVCs by name.`);
  lines.push(`${n++}. Verify: same pod and PVC UIDs, owned by the new StatefulSet, all ready.`);
  lines.push('No step deletes a pod or a PVC. Each step is journaled: if anything stops it, "Finish Pending Re-create" completes it.');
  if (pf.notes.length) lines.push('', ...pf.notes.map((x) => `• ${x}`));
  return lines.join('\n');
}

/** What the caller of a journaled workflow may hook into: cancel, progress, a call before each step. */
export interface StepHooks<S, E> {
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
  /** Called before each step (tests stop the workflow here to prove it resumes). */
  beforeStep?: (stage: S, entry: E) => void | Promise<void>;
  /** bound on each wait (capacity, orphan GC, adoption, binding), ms (default 300,000) */
  waitTimeoutMs?: number;
}

export type RunHooks = StepHooks<Stage, JournalEntry>;

export interface RunResult {
  /** pods whose UID changed (recreated) */
  recreatedPods: string[];
  /** pods whose containers restarted during the workflow */
  restartedPods: string[];
  samePods: boolean;
  samePvcs: boolean;
  /** PVCs waiting for their pod to restart to grow the file system */
  fileSystemResizePending: string[];
  newUid: string;
  currentRevision?: string;
  updateRevision?: string;
}



/**
 * A StatefulSet found at the create step that another manager made (an owner that re-created it first) and
 * that differs from the file in an immutable field: what differs, and who made it. Undefined when it is ours or
 * matches.
 */
export function ownerRace(cur: Manifest, file: Manifest): { by: string; diff: string } | undefined {
  const managers = ((cur.metadata as { managedFields?: Array<{ manager?: string }> } | undefined)?.managedFields ?? []).map((m) => m.manager ?? '');
  if (managers.includes(FIELD_MANAGER) && managers.every((m) => m === FIELD_MANAGER || m === 'kube-controller-manager')) return undefined;
  const ch = immutableChanges(cur, file);
  if (ch.kind === 'none') return undefined;
  return { by: managers.filter((m) => m && m !== FIELD_MANAGER).join(', ') || 'another client', diff: ch.changes.join('; ') || ch.kind };
}

/** Run (or resume) a journaled workflow to its end. Throws on the first failure; the journal keeps the step. */
export async function runWorkflow(http: KubeHttp, journal: Journal, entry: JournalEntry, hooks: RunHooks = {}): Promise<RunResult> {
  const ns = entry.namespace;
  const name = entry.name;
  const say = (s: string) => hooks.onProgress?.(s);
  let fsPending: string[] = [];
  const step = async (stage: Stage, next: Stage, fn: () => Promise<void>) => {
    if (entry.stage !== stage) return;
    journal.save(entry);
    if (hooks.signal?.aborted) throw new KubeError(0, 'cancelled', 'Cancelled');
    await hooks.beforeStep?.(stage, entry);
    try {
      await fn();
    } catch (e) {
      entry.lastError = e instanceof Error ? e.message : String(e);
      journal.save(entry);
      throw e;
    }
    entry.stage = next;
    delete entry.lastError;
    journal.save(entry);
  };

  // asked for: VolumeSnapshots of the PVCs, all ready, before anything changes
  await step('snapshots', entry.workflow === 'resize' ? 'patch-pvcs' : 'orphan-delete', async () => {
    const planned = entry.snapshots ?? [];
    if (!planned.length) return;
    say(`taking ${planned.length} snapshot${planned.length === 1 ? '' : 's'} first`);
    const out = await takeSnapshots(http, planned, { signal: hooks.signal, timeoutMs: hooks.waitTimeoutMs, onProgress: say });
    const bad = out.filter((o) => !o.ready);
    if (bad.length) throw new KubeError(0, `Snapshots first: ${bad.map((o) => `${o.name} (${o.pvc}): ${o.error ?? 'not ready'}`).join('; ')}. Nothing else was changed; run it again to retry the snapshots`);
  });

  await step('patch-pvcs', 'wait-capacity', async () => {
    for (const r of entry.resizes) {
      const cur = await http.request<PersistentVolumeClaim>('GET', pvcPath(ns, r.pvc));
      if (storageBytes(cur.spec?.resources?.requests?.storage) >= storageBytes(r.to)) continue; // already done
      say(`growing ${r.pvc} to ${r.to}`);
      await http.request('PATCH', pvcPath(ns, r.pvc), { body: { spec: { resources: { requests: { storage: r.to } } } }, contentType: PATCH.merge });
    }
  });

  await step('wait-capacity', 'orphan-delete', async () => {
    fsPending = [];
    for (const r of entry.resizes) {
      say(`waiting for ${r.pvc} to reach ${r.to}`);
      const state = await until(
        async () => {
          const c = await http.request<PersistentVolumeClaim>('GET', pvcPath(ns, r.pvc));
          if (storageBytes(c.status?.capacity?.storage) >= storageBytes(r.to)) return 'grown';
          if (conditionTypes(c).includes('FileSystemResizePending')) return 'fs-pending';
          return undefined;
        },
        `${r.pvc} to reach ${r.to}`,
        hooks,
      );
      if (state === 'fs-pending') fsPending.push(r.pvc);
    }
  });

  await step('orphan-delete', 'create', async () => {
    const cur = await getOrUndefined<Manifest>(http, stsPath(ns, name));
    if (cur && cur.metadata?.uid !== entry.before.stsUid) {
      entry.stage = 'create'; // a StatefulSet of that name exists already (the create went through)
      return;
    }
    if (cur) {
      say(`deleting ${name} with propagationPolicy Orphan (pods and PVCs stay)`);
      try {
        await http.request('DELETE', stsPath(ns, name), {
          body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan', preconditions: { uid: entry.before.stsUid } },
        });
      } catch (e) {
        if (!(e instanceof KubeError && e.code === 404)) throw e;
      }
    }
    // the garbage collector removes the owner reference from the pods, then the object goes
    await until(async () => ((await getOrUndefined<Manifest>(http, stsPath(ns, name)))?.metadata?.uid === entry.before.stsUid ? undefined : true), `${name} to be deleted`, hooks);
  });

  await step('create', 'verify', async () => {
    let cur = await getOrUndefined<Manifest>(http, stsPath(ns, name));
    if (cur && cur.metadata?.uid === entry.before.stsUid) throw new KubeError(409, `${name} still exists with its old UID: the orphan delete did not happen`);
    const mode = entry.ownerRecreates;
    if (!cur && mode) {
      // the owner re-creates it: wait for that (bounded, with progress) instead of creating it
      say(`waiting for ${mode.owner} to re-create ${name}`);
      cur = await until(async () => (await getOrUndefined<Manifest>(http, stsPath(ns, name))) ?? undefined, `${mode.owner} to re-create ${name}`, { ...hooks, waitTimeoutMs: mode.timeoutMs });
    }
    if (cur) {
      // created already — by this workflow, or by an owner that raced it: then it must be what the file says
      const raced = ownerRace(cur, entry.manifest);
      if (raced) throw new KubeError(409, `${name} was re-created by someone else (${raced.by}) differently from the file: ${raced.diff}. Nothing was deleted: pods and PVCs are intact; change the owner's source (CR, git) to match, then run "Finish Pending Re-create"`);
      return;
    }
    say(`creating ${name} from the file`);
    await serverApply(http, entry.manifest, ns);
  });

  let result: RunResult | undefined;
  await step('verify', 'done', async () => {
    say(`waiting for ${name} to adopt its pods`);
    const sts = await until(
      async () => {
        const s = await getOrUndefined<Manifest>(http, stsPath(ns, name));
        if (!s) throw new KubeError(404, `${name} is gone again: run the command to create it`);
        const st = s.status ?? {};
        const want = s.spec?.replicas ?? 1;
        return (st.observedGeneration ?? 0) >= (s.metadata?.generation ?? 1) && (st.readyReplicas ?? 0) === want && (st.replicas ?? 0) === want ? s : undefined;
      },
      `${name} to be ready`,
      hooks,
    );
    const uid = String(sts.metadata?.uid);
    const pods = await http.request<{ items?: Pod[] }>('GET', `/api/v1/namespaces/${enc(ns)}/pods`, { query: { labelSelector: selectorString(sts) } });
    const now = new Map((pods.items ?? []).map((p) => [String(p.metadata?.name), p]));
    const recreated: string[] = [];
    const restarted: string[] = [];
    for (const [pn, puid] of Object.entries(entry.before.pods)) {
      const p = now.get(pn);
      if (!p) continue; // scaled away by the file's replicas
      if (p.metadata?.uid !== puid) recreated.push(pn);
      else if ((p.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0) > (entry.before.podRestarts[pn] ?? 0)) restarted.push(pn);
      if (!(p.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === uid)) throw new KubeError(409, `${pn} is not owned by the new ${name}: its labels no longer match the selector`);
    }
    const claims = await http.request<{ items?: PersistentVolumeClaim[] }>('GET', `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims`);
    const byName = new Map((claims.items ?? []).map((c) => [String(c.metadata?.name), c]));
    const samePvcs = Object.entries(entry.before.pvcs).every(([n, u]) => byName.get(n)?.metadata?.uid === u);
    if (!samePvcs) throw new KubeError(409, `A PVC of ${name} has a new UID: this must not happen; nothing else was changed`);
    if (fsPending.length === 0)
      fsPending = entry.resizes.filter((r) => conditionTypes(byName.get(r.pvc) ?? {}).includes('FileSystemResizePending')).map((r) => r.pvc);
    result = {
      recreatedPods: recreated,
      restartedPods: restarted,
      samePods: recreated.length === 0,
      samePvcs,
      fileSystemResizePending: fsPending,
      newUid: uid,
      currentRevision: sts.status?.currentRevision,
      updateRevision: sts.status?.updateRevision,
    };
  });
  journal.remove(entry.cluster, ns, name);
  if (!result) throw new KubeError(0, `The workflow for ${ns}/${name} had nothing left to do`);
  return result;
}

/** The pods an optional roll after a re-create recreates: the StatefulSet's pods as they were, highest ordinal first. */
export function podsToRoll(entry: Pick<JournalEntry, 'name' | 'before'>): string[] {
  const ordinal = (n: string) => Number(/-(\d+)$/.exec(n)?.[1] ?? 0);
  return Object.keys(entry.before.pods)
    .filter((n) => n.startsWith(`${entry.name}-`) && /-\d+$/.test(n))
    .sort((a, b) => ordinal(b) - ordinal(a));
}

/** Restart pods one at a time, highest ordinal first, each after the previous is Ready again (only when asked). */
export async function restartPodsOneByOne(http: KubeHttp, ns: string, podNames: string[], hooks: RunHooks = {}): Promise<void> {
  const ordinal = (n: string) => Number(/-(\d+)$/.exec(n)?.[1] ?? 0);
  for (const pn of [...podNames].sort((a, b) => ordinal(b) - ordinal(a))) {
    const before = await getOrUndefined<Pod>(http, podPath(ns, pn));
    if (!before) continue;
    hooks.onProgress?.(`restarting ${pn}`);
    await http.request('DELETE', podPath(ns, pn));
    await until(
      async () => {
        const p = await getOrUndefined<Pod>(http, podPath(ns, pn));
        const ready = p && p.metadata?.uid !== before.metadata?.uid && p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
        return ready ? true : undefined;
      },
      `${pn} to be Ready again`,
      hooks,
    );
  }
}

/** The PVCs a resize would grow, for a podName → pvc names map (FileSystemResizePending per ordinal). */
export function pendingByOrdinal(pvcs: string[], stsName: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of pvcs) {
    const m = new RegExp(`-${stsName}-(\\d+)$`).exec(p);
    if (!m) continue;
    const pod = `${stsName}-${m[1]}`;
    out.set(pod, [...(out.get(pod) ?? []), p]);
  }
  return out;
}

/** The tree's line for re-creates cut half-way on this cluster (undefined when there is none). */
export function pendingMessage(entries: JournalEntry[], cluster: string): string | undefined {
  const mine = entries.filter((e) => e.cluster === cluster && e.stage !== 'done');
  if (!mine.length) return undefined;
  return `${mine.map((e) => `${e.namespace}/${e.name}`).join(', ')}: re-create pending (pods and PVCs kept) — run "Finish Pending Re-create"`;
}
