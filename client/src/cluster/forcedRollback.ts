// Forced rollback (Kubernetes docs, StatefulSets → "Forced rollback"; kubernetes/kubernetes#67250):
// with OrderedReady + RollingUpdate a pod that never becomes Ready halts the rollout, and reverting the
// template is not enough — the pods already on the bad revision must be deleted so that the controller
// recreates them from the reverted template. Plan (which revision, which pods, said by name), then:
// server dry run, template back, delete exactly those pods (UID preconditions: a pod already recreated
// is never deleted), follow until every ordinal is Ready. Never touches a PVC. Resumable: run again
// after an interruption, the template already matches and only pods still broken are deleted.
import { KubeError } from './errors';
import type { KubeHttp } from './http';
import type { StatefulSetView } from './model';
import { revisionImages, rollbackApply, rollbackDryRun, rollbackPlan, type RollbackPlan } from './operations';
import type { ControllerRevision, StatefulSet } from './types';

export interface PodToDelete {
  name: string;
  uid: string;
  revision?: string;
  ready: boolean;
  reason?: string;
}

export interface ForcedRollbackPlan {
  key: string;
  namespace: string;
  name: string;
  target: ControllerRevision;
  /** the revision being rolled away from (the update revision before the revert) */
  bad?: string;
  /** undefined: the template already matches the target (an interrupted run resumed) */
  rollback?: RollbackPlan;
  pods: PodToDelete[];
  /** the claims of those pods, kept: said in the confirmation */
  keptClaims: string[];
  text: string;
}

/**
 * The revision to return to by default: the last one whose pods were all Ready — the StatefulSet's
 * currentRevision while an update is in progress (the controller moves it only once every pod runs the
 * update revision and is Ready), else the newest revision older than the update revision.
 */
export function defaultTarget(sts: StatefulSet, revs: ControllerRevision[]): ControllerRevision | undefined {
  const cur = sts.status?.currentRevision;
  const upd = sts.status?.updateRevision;
  const sorted = [...revs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  if (cur && cur !== upd) {
    const r = sorted.find((x) => x.metadata?.name === cur);
    if (r) return r;
  }
  const u = sorted.find((x) => x.metadata?.name === upd);
  const older = sorted.filter((x) => x.metadata?.name !== upd && (x.revision ?? 0) < (u?.revision ?? Infinity));
  return older.at(-1);
}

export function forcedRollbackPlan(v: StatefulSetView, sts: StatefulSet, target: ControllerRevision): ForcedRollbackPlan {
  const targetName = target.metadata?.name ?? '';
  const bad = sts.status?.updateRevision !== targetName ? sts.status?.updateRevision : undefined;
  const rb = rollbackPlan(sts, target);
  const pods: PodToDelete[] = [];
  for (const o of [...v.ordinals].reverse()) {
    const p = o.pod;
    if (!p || p.terminating || p.revision === targetName) continue;
    // on the bad revision (ready or not), or not Ready on any revision other than the target
    if ((bad && p.revision === bad) || !p.ready)
      pods.push({ name: p.name, uid: p.pod.metadata?.uid ?? '', revision: p.revision, ready: p.ready, reason: p.reason });
  }
  const keptClaims = v.ordinals.filter((o) => pods.some((p) => p.name === o.podName)).flatMap((o) => o.pvcs.filter((c) => c.pvc).map((c) => c.name));
  const lines = [
    rb.alreadyMatches ? `The template already matches revision ${target.revision} (${targetName}): it is not changed.` : `The pod template goes back to revision ${target.revision} (${targetName}: ${revisionImages(target).join(', ')}), after a server dry run.`,
    pods.length
      ? `Then these pods are deleted so that the controller recreates them from that template: ${pods.map((p) => `${p.name} (revision ${p.revision ?? '?'}${p.reason ? `, ${p.reason}` : ''}${p.ready ? ', Ready' : ''})`).join(', ')}.`
      : 'No pod needs deleting: no pod runs the bad revision.',
    keptClaims.length ? `Their PVCs are kept and reattached: ${keptClaims.join(', ')}. No PVC is deleted.` : 'No PVC is deleted.',
    'Other pods are left to the controller.',
  ];
  return { key: v.key, namespace: v.namespace, name: v.name, target, bad, rollback: rb.alreadyMatches ? undefined : rb, pods, keptClaims, text: lines.join('\n') };
}

/** The server dry run of the template change (nothing to check when the template already matches). */
export async function forcedRollbackDryRun(http: KubeHttp, plan: ForcedRollbackPlan): Promise<void> {
  if (plan.rollback) await rollbackDryRun(http, plan.rollback);
}

/** Template back, then delete exactly the planned pods. Returns the pods deleted (a pod already gone or recreated is skipped). */
export async function executeForcedRollback(http: KubeHttp, plan: ForcedRollbackPlan, onStep?: (text: string) => void): Promise<string[]> {
  if (plan.rollback) {
    onStep?.(`rolling the template back to revision ${plan.target.revision}`);
    await rollbackApply(http, plan.rollback);
  }
  const deleted: string[] = [];
  for (const p of plan.pods) {
    onStep?.(`deleting ${p.name}`);
    try {
      await http.request('DELETE', `/api/v1/namespaces/${encodeURIComponent(plan.namespace)}/pods/${encodeURIComponent(p.name)}`, {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: p.uid } },
      });
      deleted.push(p.name);
    } catch (e) {
      // already gone, or a new pod of that name (the controller was quicker): not ours to delete
      if (e instanceof KubeError && (e.code === 404 || e.code === 409)) continue;
      throw e;
    }
  }
  return deleted;
}
