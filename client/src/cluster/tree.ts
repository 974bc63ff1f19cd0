// The explorer tree as plain data (labels, descriptions, tooltips, codicons, context values), built
// from the model. The VS Code TreeDataProvider only maps these to TreeItems, so the tree content is
// tested in plain Node against the API server simulator.
import { missingPermission } from './errors';
import type { ClusterModel, OrdinalInfo, PvcInfo, ResourceName, StatefulSetView } from './model';
import { RESOURCES } from './model';
import { age, changeCause, revisionImages } from './operations';
import type { ControllerRevision } from './types';
import { DEFAULT_STUCK_GRACE_MS, onLostNode, podNotReady, rolloutState, type Why } from './trouble';
import { diskOfStatefulSet, pvcDiskParts, snapshotNodes } from './diskTree';
import { ownerBadge, ownerTooltip } from './owners/text';

export type NodeKind = 'context' | 'namespace' | 'statefulset' | 'ordinal' | 'pvc' | 'orphans' | 'revisions' | 'revision' | 'message' | 'snapshot';

export interface TreeNode {
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** codicon id */
  icon: string;
  /** theme color id for the icon */
  color?: string;
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  namespace?: string;
  stsKey?: string;
  ordinal?: number;
  podName?: string;
  pvcName?: string;
  revision?: number;
  /** a VolumeSnapshot row's snapshot */
  snapshotName?: string;
  /** run on click (VS Code command id and arguments) */
  command?: { id: string; args: unknown[] };
}

export function contextNode(context: string, server: string, namespace: string | undefined, model: ClusterModel | undefined): TreeNode {
  const conn = model?.connection();
  let description = `${namespace ?? 'all namespaces'}`;
  let icon = 'server-environment';
  let color: string | undefined;
  if (conn?.phase === 'disconnected') {
    description += ' · disconnected — retrying';
    icon = 'debug-disconnect';
    color = 'list.warningForeground';
  } else if (conn?.phase === 'unauthorized') {
    description += ' · unauthorized — re-authenticate';
    icon = 'lock';
    color = 'list.errorForeground';
  } else if (conn?.phase === 'connecting') description += ' · connecting…';
  return {
    id: `ctx:${context}`,
    kind: 'context',
    label: context,
    description,
    tooltip: `Context ${context}\nServer ${server}\nNamespace: ${namespace ?? 'all'}${conn?.message ? `\n${conn.message}` : ''}`,
    icon,
    color,
    contextValue: 'statefulsetStudio.context',
    collapsible: 'expanded',
  };
}

/** The explorer opens on the kubeconfig context's namespace: the first row under the context says so and how to
 *  see the others (a click shows all namespaces). */
export function namespaceHintNode(context: string, namespace: string): TreeNode {
  return {
    id: `ctx:${context}:namespace-hint`,
    kind: 'message',
    label: `Only namespace "${namespace}" is shown`,
    description: 'click to show all namespaces',
    tooltip:
      `The explorer opens on the namespace of the kubeconfig context "${context}". ` +
      'Click here to show every namespace, or pick one with Switch Namespace… (title bar of this view, or the status bar item).',
    icon: 'filter',
    contextValue: 'statefulsetStudio.namespaceHint',
    collapsible: 'none',
    command: { id: 'statefulsetStudio.selectNamespace', args: ['*'] },
  };
}

/** Nodes for resources that cannot be read (403) or while disconnected: shown under the context. */
export function problemNodes(context: string, model: ClusterModel): TreeNode[] {
  const out: TreeNode[] = [];
  const states = model.states();
  for (const r of Object.keys(states) as ResourceName[]) {
    const s = states[r];
    const def = RESOURCES[r];
    if (s.phase === 'forbidden') {
      out.push({
        id: `ctx:${context}:forbidden:${r}`,
        kind: 'message',
        label: missingPermission('list, watch', def.plural, def.group, model.namespace),
        description: '403',
        tooltip: s.message,
        icon: 'shield',
        color: 'list.warningForeground',
        contextValue: 'statefulsetStudio.forbidden',
        collapsible: 'none',
      });
    }
  }
  const conn = model.connection();
  if (conn.phase === 'disconnected') {
    out.unshift({ id: `ctx:${context}:disconnected`, kind: 'message', label: 'disconnected — retrying', description: conn.message, tooltip: conn.message, icon: 'sync', color: 'list.warningForeground', contextValue: 'statefulsetStudio.disconnected', collapsible: 'none' });
  } else if (conn.phase === 'unauthorized') {
    out.unshift({ id: `ctx:${context}:unauthorized`, kind: 'message', label: 'Unauthorized (401): re-authenticate to this cluster', description: conn.message, tooltip: conn.message, icon: 'lock', color: 'list.errorForeground', contextValue: 'statefulsetStudio.unauthorized', collapsible: 'none' });
  }
  return out;
}

export function namespaceNode(context: string, ns: string, count: number): TreeNode {
  return {
    id: `ctx:${context}/ns:${ns}`,
    kind: 'namespace',
    label: ns,
    description: `${count} StatefulSet${count === 1 ? '' : 's'}`,
    icon: 'symbol-namespace',
    contextValue: 'statefulsetStudio.namespace',
    collapsible: 'expanded',
    namespace: ns,
  };
}

/** Why an ordinal's pod is not Ready (its Warning events and claims included), or undefined. */
export function ordinalWhy(v: StatefulSetView, o: OrdinalInfo, model?: ClusterModel, now = Date.now()): Why | undefined {
  if (!o.pod) return undefined;
  return podNotReady(o.pod.pod, { events: model?.warnings.of(o.pod.pod.metadata?.uid), pvcs: o.pvcs, now });
}

function badge(n: number): string {
  return n > 0 ? `⚠ ${n}` : '';
}

export function statefulSetNode(context: string, v: StatefulSetView, model?: ClusterModel, now = Date.now()): TreeNode {
  const rollout = rolloutState(v, now, model?.stuckGraceMs ?? DEFAULT_STUCK_GRACE_MS, (o) => ordinalWhy(v, o, model, now));
  const w = model?.warnings;
  const warnings = w
    ? w.count(v.sts.metadata?.uid) + v.ordinals.reduce((n, o) => n + w.count(o.pod?.pod.metadata?.uid) + o.pvcs.reduce((m, c) => m + w.count(c.pvc?.metadata?.uid), 0), 0)
    : 0;
  const healthy = v.ready === v.replicas && !v.updating && rollout.kind !== 'stuck' && rollout.kind !== 'outdated';
  const tip = [
    `StatefulSet ${v.namespace}/${v.name}`,
    `replicas: ${v.replicas} (ready ${v.ready}, current ${v.current}, updated ${v.updated})`,
    `update strategy: ${v.strategy}${v.partition !== undefined ? `, partition ${v.partition}` : ''}`,
    `pod management: ${v.policy}`,
    `PVC retention: whenScaled ${v.whenScaled}, whenDeleted ${v.whenDeleted}`,
    `service: ${v.sts.spec?.serviceName ?? '-'}`,
    `current revision: ${v.currentRevision ?? '-'}`,
    `update revision: ${v.updateRevision ?? '-'}`,
    `claim templates: ${v.templates.join(', ') || '-'}`,
    rollout.text ? `rollout: ${rollout.text}` : '',
    rollout.kind === 'stuck' ? 'The controller waits for this pod (OrderedReady + RollingUpdate): reverting the template is not enough — use Forced Rollback… (reverts, then deletes the pods on the bad revision).' : '',
    warnings ? `${warnings} warning event${warnings === 1 ? '' : 's'} on the set, its pods and claims` : '',
    v.owner ? ownerTooltip(v.owner) : '',
  ]
    .filter(Boolean)
    .join('\n');
  const troubled = rollout.kind === 'stuck' || rollout.kind === 'outdated';
  const disk = diskOfStatefulSet(v, model?.disks);
  return {
    id: `ctx:${context}/sts:${v.key}`,
    kind: 'statefulset',
    label: v.name,
    // the owner right after the state: in a narrow sidebar it must not be the part cut off
    description: [troubled ? `${rollout.text} · ${v.ready}/${v.replicas} ready` : v.summary, v.owner ? ownerBadge(v.owner) : '', disk?.text, v.policy, badge(warnings)].filter(Boolean).join(' · '),
    tooltip: disk ? `${tip}\n${disk.tooltip}` : tip,
    icon: rollout.kind === 'stuck' ? 'warning' : 'database',
    color: rollout.kind === 'stuck' || disk?.level === 'error' ? 'list.errorForeground' : disk?.level === 'warning' ? 'list.warningForeground' : healthy ? undefined : v.updating ? 'charts.blue' : 'list.warningForeground',
    contextValue: `statefulsetStudio.statefulset${v.updating ? '.updating' : ''}${rollout.kind === 'stuck' ? '.stuck' : ''}${rollout.kind === 'outdated' ? '.outdated' : ''}${v.owner ? `.owned.${v.owner.type}` : ''}`,
    collapsible: 'collapsed',
    namespace: v.namespace,
    stsKey: v.key,
  };
}

function pvcDescription(p: PvcInfo): string {
  if (p.phase === 'Missing') return `not created${p.requested ? ` · ${p.requested}` : ''}`;
  return [p.phase + (p.terminating ? ' (terminating)' : ''), p.capacity ?? p.requested, p.storageClass].filter(Boolean).join(' · ');
}

function pvcNode(context: string, v: StatefulSetView, p: PvcInfo, orphan: boolean, model?: ClusterModel): TreeNode {
  const disk = pvcDiskParts(v, p, model?.disks);
  const color = p.phase === 'Lost' || disk.level === 'error' ? 'list.errorForeground' : p.phase !== 'Bound' || disk.level === 'warning' ? 'list.warningForeground' : undefined;
  const warn = model?.warnings.of(p.pvc?.metadata?.uid) ?? [];
  const n = warn.reduce((m, e) => m + (e.count ?? 1), 0);
  return {
    id: `ctx:${context}/sts:${v.key}/pvc:${p.name}`,
    kind: 'pvc',
    label: p.name,
    description: [disk.level !== 'none' ? disk.text : '', orphan ? `${p.capacity ?? p.requested ?? '?'} · ${p.phase} · retained after scale-down` : pvcDescription(p), disk.level === 'none' ? disk.text : '', badge(n)].filter(Boolean).join(' · '),
    tooltip: [
      `PersistentVolumeClaim ${p.name}`,
      `claim template: ${p.template}, ordinal ${p.ordinal}`,
      `status: ${p.phase}`,
      `capacity: ${p.capacity ?? '-'} (requested ${p.requested ?? '-'})`,
      `storage class: ${p.storageClass ?? '(default)'}`,
      orphan ? `retained after scale-down: ordinal ${p.ordinal} ≥ replicas (${v.replicas}); reattached if you scale up again` : '',
      ...warn.slice(-5).map((e) => `⚠ ${e.reason}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}: ${e.message}`),
      ...disk.tooltip,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: orphan ? 'archive' : disk.level === 'error' || disk.level === 'warning' ? 'warning' : 'database',
    color,
    contextValue: (orphan ? 'statefulsetStudio.pvc.orphan' : `statefulsetStudio.pvc${p.pvc ? '' : '.missing'}`) + (disk.level === 'error' || disk.level === 'warning' ? '.full' : ''),
    collapsible: disk.snapshots ? 'collapsed' : 'none',
    namespace: v.namespace,
    stsKey: v.key,
    ordinal: p.ordinal,
    pvcName: p.name,
  };
}

export function ordinalNode(context: string, v: StatefulSetView, o: OrdinalInfo, model?: ClusterModel, now = Date.now()): TreeNode {
  const p = o.pod;
  const why = ordinalWhy(v, o, model, now);
  const warnCount = model?.warnings.count(p?.pod.metadata?.uid) ?? 0;
  const lost = !!p && onLostNode(p.pod, model?.warnings.of(p.pod.metadata?.uid) ?? [], now);
  let description: string;
  let icon = 'circle-large-outline';
  let color: string | undefined;
  let tooltip: string;
  if (!p) {
    description = o.desired ? 'missing (not created yet)' : 'gone';
    icon = 'circle-slash';
    color = 'list.warningForeground';
    tooltip = `Pod ${o.podName} does not exist yet: the controller has not created it (ordinal ${o.ordinal})`;
  } else {
    const rev = p.revision ? `${o.revisionState === 'update' ? 'update' : o.revisionState === 'current' ? 'current' : 'other'} rev ${p.revision}` : 'no revision';
    description = [
      why ? why.short : p.terminating ? 'Terminating' : p.phase + (p.reason && p.reason !== p.phase ? ` (${p.reason})` : ''),
      p.ready ? 'ready' : why ? '' : 'not ready',
      badge(warnCount),
      `${p.restarts} restart${p.restarts === 1 ? '' : 's'}`,
      p.node ? `on ${p.node}` : 'unscheduled',
      rev,
    ]
      .filter(Boolean)
      .join(' · ');
    if (lost) {
      icon = 'debug-disconnect';
      color = 'list.errorForeground';
    } else if (why?.severity === 'error') {
      icon = 'error';
      color = 'list.errorForeground';
    } else if (p.terminating) {
      icon = 'trash';
      color = 'list.warningForeground';
    } else if (p.ready) {
      icon = 'pass-filled';
      color = 'testing.iconPassed';
    } else if (p.phase === 'Failed') {
      icon = 'error';
      color = 'list.errorForeground';
    } else {
      icon = 'loading';
      color = 'list.warningForeground';
    }
    tooltip = [
      `Pod ${p.name}`,
      `phase: ${p.phase}${p.reason ? ` (${p.reason})` : ''}`,
      `ready: ${p.ready ? 'yes' : 'no'} (${p.readyContainers} containers)`,
      `restarts: ${p.restarts}`,
      `node: ${p.node ?? '-'}`,
      `revision: ${p.revision ?? '-'} (current ${v.currentRevision ?? '-'}, update ${v.updateRevision ?? '-'})`,
      !o.desired ? `ordinal ${o.ordinal} ≥ replicas: being removed` : '',
      why ? `\n${why.full}` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }
  return {
    id: `ctx:${context}/sts:${v.key}/ord:${o.ordinal}`,
    kind: 'ordinal',
    label: o.podName,
    description,
    tooltip,
    icon,
    color,
    contextValue: p ? `statefulsetStudio.pod${lost ? '.lost' : ''}` : 'statefulsetStudio.ordinal.missing',
    collapsible: o.pvcs.length ? 'collapsed' : 'none',
    namespace: v.namespace,
    stsKey: v.key,
    ordinal: o.ordinal,
    podName: o.podName,
  };
}

function revisionNode(context: string, v: StatefulSetView, r: ControllerRevision, now: number): TreeNode {
  const name = r.metadata?.name ?? '';
  const tags = [name === v.currentRevision ? 'current' : '', name === v.updateRevision ? 'update' : ''].filter(Boolean).join(', ');
  return {
    id: `ctx:${context}/sts:${v.key}/rev:${name}`,
    kind: 'revision',
    label: `revision ${r.revision ?? '?'}`,
    description: [tags, age(r.metadata?.creationTimestamp, now), revisionImages(r).join(', ')].filter(Boolean).join(' · '),
    tooltip: `${name}\n${changeCause(r) || 'no change-cause'}`,
    icon: 'history',
    contextValue: 'statefulsetStudio.revision',
    collapsible: 'none',
    namespace: v.namespace,
    stsKey: v.key,
    revision: r.revision,
  };
}

/** Children of a StatefulSet: ordinals, then "retained after scale-down", then revisions. */
export function statefulSetChildren(context: string, v: StatefulSetView, model?: ClusterModel, now = Date.now()): TreeNode[] {
  const out = v.ordinals.map((o) => ordinalNode(context, v, o, model, now));
  if (v.orphans.length) {
    out.push({
      id: `ctx:${context}/sts:${v.key}/orphans`,
      kind: 'orphans',
      label: 'retained after scale-down',
      description: `${v.orphans.length} PVC${v.orphans.length === 1 ? '' : 's'}`,
      tooltip: 'PVCs of ordinals ≥ replicas: kept by whenScaled: Retain, reattached on scale-up, still using storage',
      icon: 'archive',
      contextValue: 'statefulsetStudio.orphans',
      collapsible: 'expanded',
      namespace: v.namespace,
      stsKey: v.key,
    });
  }
  const revState = model?.states().revisions;
  if (revState?.phase === 'forbidden') {
    out.push({ id: `ctx:${context}/sts:${v.key}/revisions-forbidden`, kind: 'message', label: missingPermission('list, watch', 'controllerrevisions', 'apps', model?.namespace), icon: 'shield', color: 'list.warningForeground', contextValue: 'statefulsetStudio.forbidden', collapsible: 'none', tooltip: revState.message });
  } else if (v.revisions.length) {
    out.push({
      id: `ctx:${context}/sts:${v.key}/revisions`,
      kind: 'revisions',
      label: 'revisions',
      description: `${v.revisions.length}`,
      icon: 'history',
      contextValue: 'statefulsetStudio.revisions',
      collapsible: 'collapsed',
      namespace: v.namespace,
      stsKey: v.key,
    });
  }
  return out;
}

export function orphanChildren(context: string, v: StatefulSetView, model?: ClusterModel): TreeNode[] {
  return v.orphans.map((p) => pvcNode(context, v, p, true, model));
}

export function ordinalChildren(context: string, v: StatefulSetView, ordinal: number, model?: ClusterModel): TreeNode[] {
  const o = v.ordinals.find((x) => x.ordinal === ordinal);
  if (!o) return [];
  if (model?.states().pvcs.phase === 'forbidden') {
    return [{ id: `ctx:${context}/sts:${v.key}/ord:${ordinal}/pvc-forbidden`, kind: 'message', label: missingPermission('list, watch', 'persistentvolumeclaims', '', model.namespace), icon: 'shield', color: 'list.warningForeground', contextValue: 'statefulsetStudio.forbidden', collapsible: 'none' }];
  }
  return o.pvcs.map((p) => pvcNode(context, v, p, false, model));
}

export function revisionChildren(context: string, v: StatefulSetView, now = Date.now()): TreeNode[] {
  return [...v.revisions].reverse().map((r) => revisionNode(context, v, r, now));
}

/** Children of any node, for the provider and for tests. `root` = context level. */
/** A resize / re-create whose journal exists (from the extension's journal store). */
export interface PendingRecreate {
  namespace: string;
  name: string;
}

/** Pending re-creates whose StatefulSet is absent (between the orphan delete and the create), in a namespace. */
function absentPending(model: ClusterModel, pending: PendingRecreate[], ns?: string): PendingRecreate[] {
  return pending.filter((p) => (ns === undefined || p.namespace === ns) && (model.namespace === undefined || p.namespace === model.namespace) && !model.view(`${p.namespace}/${p.name}`));
}

/** The row of a StatefulSet whose re-create is pending: its pods run unowned and its PVCs are intact. */
export function pendingRecreateNode(context: string, p: PendingRecreate): TreeNode {
  return {
    id: `ctx:${context}/pending:${p.namespace}/${p.name}`,
    kind: 'message',
    label: `${p.name} — re-create pending (pods and PVCs kept)`,
    tooltip: `${p.namespace}/${p.name} was deleted with propagationPolicy Orphan and is not re-created yet: its pods keep running, its PVCs are intact. Click (or run "Finish Pending Re-create") to create it from the journal.`,
    icon: 'history',
    color: 'list.warningForeground',
    contextValue: 'statefulsetStudio.pendingRecreate',
    collapsible: 'none',
    namespace: p.namespace,
    command: { id: 'statefulsetStudio.finishRecreate', args: [`${p.namespace}/${p.name}`] },
  };
}

export function childrenOf(node: TreeNode | undefined, context: string, server: string, model: ClusterModel, pending: PendingRecreate[] = []): TreeNode[] {
  if (!node) return [contextNode(context, server, model.namespace, model)];
  switch (node.kind) {
    case 'context': {
      const probs = problemNodes(context, model);
      if (model.namespace !== undefined) {
        return [...probs, namespaceHintNode(context, model.namespace), namespaceNode(context, model.namespace, model.statefulSets(model.namespace).length)];
      }
      const names = [...new Set([...model.namespaces(), ...absentPending(model, pending).map((p) => p.namespace)])].sort();
      return [...probs, ...names.map((ns) => namespaceNode(context, ns, model.statefulSets(ns).length))];
    }
    case 'namespace':
      return [
        ...model.statefulSets(node.namespace).map((v) => statefulSetNode(context, v, model)),
        ...absentPending(model, pending, node.namespace!).map((p) => pendingRecreateNode(context, p)),
      ];
    case 'statefulset': {
      const v = model.view(node.stsKey!);
      return v ? statefulSetChildren(context, v, model) : [];
    }
    case 'ordinal': {
      const v = model.view(node.stsKey!);
      return v ? ordinalChildren(context, v, node.ordinal!, model) : [];
    }
    case 'orphans': {
      const v = model.view(node.stsKey!);
      return v ? orphanChildren(context, v, model) : [];
    }
    case 'revisions': {
      const v = model.view(node.stsKey!);
      return v ? revisionChildren(context, v) : [];
    }
    case 'pvc':
      return node.namespace && node.pvcName ? snapshotNodes(node, model.disks) : [];
    default:
      return [];
  }
}

/** The whole tree as indented text (tests, e2e, debugging). */
export function renderTree(context: string, server: string, model: ClusterModel, expandAll = true, pending: PendingRecreate[] = []): string {
  const lines: string[] = [];
  const walk = (n: TreeNode | undefined, depth: number) => {
    for (const c of childrenOf(n, context, server, model, pending)) {
      lines.push(`${'  '.repeat(depth)}${c.label}${c.description ? ` — ${c.description}` : ''}`);
      if (c.collapsible !== 'none' && (expandAll || c.collapsible === 'expanded')) walk(c, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}
