// A pod stuck Terminating on a node that is gone (Kubernetes docs "Force Delete StatefulSet Pods"): the
// safe procedure said plainly, and the force delete (grace period 0, UID precondition) for when the user has
// confirmed the node is really down. Also Update Next Ordinal for OnDelete StatefulSets.
import type { KubeHttp } from './http';
import type { StatefulSetView } from './model';
import type { Pod } from './types';

export interface NodeInfo {
  name: string;
  ready: string; // True | False | Unknown | ? (not readable)
  message?: string;
  taints: string[];
}

export async function readNode(http: KubeHttp, name: string): Promise<NodeInfo> {
  try {
    const n = await http.request<{ spec?: { taints?: Array<{ key: string; value?: string; effect: string }> }; status?: { conditions?: Array<{ type: string; status: string; message?: string }> } }>('GET', `/api/v1/nodes/${encodeURIComponent(name)}`);
    const r = n.status?.conditions?.find((c) => c.type === 'Ready');
    return { name, ready: r?.status ?? '?', message: r?.message, taints: (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`) };
  } catch (e) {
    return { name, ready: '?', message: `cannot read the node: ${e instanceof Error ? e.message : String(e)}`, taints: [] };
  }
}

/** The safe procedure, for the confirmation's detail. */
export function lostNodeProcedure(pod: Pod, node: NodeInfo): string {
  const p = pod.metadata?.name ?? '?';
  return [
    `Pod ${p} has been Terminating since ${pod.metadata?.deletionTimestamp ?? '?'} on node ${node.name} (Ready: ${node.ready}${node.message ? `, ${node.message}` : ''}${node.taints.length ? `; taints ${node.taints.join(', ')}` : ''}).`,
    'Nothing confirms that its containers stopped, so the StatefulSet does not create a replacement: two pods with one identity could both write to the same volume.',
    `1. Confirm that the node ${node.name} is really down (powered off, deleted from the cloud console) — not just unreachable from the control plane.`,
    `2. Preferred: mark it out of service and let Kubernetes delete the pods and detach the volumes: kubectl taint nodes ${node.name} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
    `3. Only then, if the pod is still there: force delete ${p} (grace period 0). The StatefulSet recreates it with the same name and PVCs; no PVC is deleted.`,
  ].join('\n');
}

export function outOfServiceCommand(node: string): string {
  return `kubectl taint nodes ${node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`;
}

/** DELETE with gracePeriodSeconds 0 and a UID precondition (never another pod of that name). */
export async function forceDeletePod(http: KubeHttp, namespace: string, name: string, uid: string): Promise<void> {
  await http.request('DELETE', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`, {
    query: { gracePeriodSeconds: 0 },
    body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } },
  });
}

/** OnDelete: the highest-ordinal pod not on the update revision (the one to delete next), if any. */
export function nextOrdinalToUpdate(v: StatefulSetView): { podName: string; ordinal: number; uid: string; revision?: string } | undefined {
  if (v.strategy !== 'OnDelete' || !v.updateRevision) return undefined;
  for (const o of [...v.ordinals].reverse()) {
    if (!o.desired || !o.pod || o.pod.terminating) continue;
    if (o.pod.revision !== v.updateRevision) return { podName: o.podName, ordinal: o.ordinal, uid: o.pod.pod.metadata?.uid ?? '', revision: o.pod.revision };
  }
  return undefined;
}
