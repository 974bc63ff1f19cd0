// Plain functions (no `vscode`) for living beside the Microsoft Kubernetes extension's Cluster Explorer.

/** The StatefulSet key (`namespace/name`) of one of the Kubernetes extension's Cluster Explorer nodes, as VS Code passes
 *  it to a command run from that node's context menu (its internal ResourceNode: nodeType 'resource', kind.manifestKind,
 *  name, namespace or metadata.namespace), or its API shape (ClusterExplorerV1_1.ClusterExplorerResourceNode:
 *  resourceKind.manifestKind); undefined for anything else. */
export function kubernetesExplorerStatefulSetKey(target: unknown, defaultNamespace = 'default'): string | undefined {
  if (!target || typeof target !== 'object') return undefined;
  const t = target as { nodeType?: unknown; kind?: { manifestKind?: unknown }; resourceKind?: { manifestKind?: unknown }; name?: unknown; namespace?: unknown; metadata?: { namespace?: unknown } };
  if (t.nodeType !== 'resource') return undefined;
  const kind = t.kind?.manifestKind ?? t.resourceKind?.manifestKind;
  if (kind !== 'StatefulSet' || typeof t.name !== 'string' || !t.name) return undefined;
  const ns = typeof t.namespace === 'string' && t.namespace ? t.namespace : typeof t.metadata?.namespace === 'string' && t.metadata.namespace ? t.metadata.namespace : defaultNamespace;
  return `${ns}/${t.name}`;
}

/** Where the Kubernetes extension's kubeconfig path may be followed from: never from a workspace's settings (a folder
 *  must not choose which kubeconfig we read), never over an explicit path of ours. */
export function followedKubeconfig(o: {
  ourExplicitPath?: string;
  follow: boolean;
  theirs?: { pathType: string; hostPath?: string };
  /** the `vs-kubernetes` setting object as set in the workspace or a workspace folder (inspect()), if any */
  theirWorkspaceSetting?: Record<string, unknown>;
}): { path?: string; why: string } {
  if (o.ourExplicitPath?.trim()) return { why: 'statefulsetStudio.kubeconfig is set: it wins' };
  if (!o.follow) return { why: 'statefulsetStudio.followKubernetesExtension is off' };
  if (!o.theirs || o.theirs.pathType !== 'host' || !o.theirs.hostPath) return { why: 'the Kubernetes extension gives no host kubeconfig path (WSL?)' };
  if (o.theirWorkspaceSetting && Object.prototype.hasOwnProperty.call(o.theirWorkspaceSetting, 'vs-kubernetes.kubeconfig')) {
    return { why: 'the Kubernetes extension\'s kubeconfig path comes from this workspace\'s settings: not followed (a workspace never chooses the kubeconfig we read)' };
  }
  return { path: o.theirs.hostPath, why: `following the Kubernetes extension's kubeconfig ${o.theirs.hostPath}` };
}
