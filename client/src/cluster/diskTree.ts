// The disk parts of the tree: a PVC row's usage ("930 MiB / 1 GiB (91%) · full in ~9 h", or why there is
// none), the StatefulSet row's fullest disk, and the VolumeSnapshots under each PVC. Plain data.
import type { DiskSource } from './disks';
import type { PvcInfo, StatefulSetView } from './model';
import { snapshotStatusText, LABEL_TAKEN } from './snapshots';
import { FORBIDDEN_TEXT, fullInText } from './usage';

export interface PvcDiskParts {
  text?: string;
  tooltip: string[];
  level: 'ok' | 'warning' | 'error' | 'none';
  /** number of snapshots of this PVC */
  snapshots: number;
}

function nodeOf(v: StatefulSetView, p: PvcInfo): string | undefined {
  return v.ordinals.find((o) => o.ordinal === p.ordinal)?.pod?.node;
}

export function pvcDiskParts(v: StatefulSetView, p: PvcInfo, disks: DiskSource | undefined): PvcDiskParts {
  if (!disks || !p.pvc) return { tooltip: [], level: 'none', snapshots: 0 };
  const d = disks.pvc(v.namespace, p.name, nodeOf(v, p));
  const snaps = disks.snapshotsOf(v.namespace, p.name);
  const tooltip: string[] = [];
  let text: string | undefined;
  if (d.reading) {
    const r = d.reading;
    text = [r.text, r.fullInDays !== undefined ? fullInText(r.fullInDays) : ''].filter(Boolean).join(' · ');
    tooltip.push(
      `usage: ${r.text}${r.limit === 'inodes' ? ' — inodes are the tighter limit' : ''} (kubelet stats/summary)`,
      r.fullInDays !== undefined ? `trend: ${fullInText(r.fullInDays)} at the rate seen this session` : 'trend: not clear yet (needs a few samples over minutes)',
      r.level === 'error' || r.level === 'warning' ? `over the ${r.level} threshold (${r.level === 'error' ? disks.thresholds.error : disks.thresholds.warning}%): Resize Storage… grows it` : '',
    );
  } else if (d.note) {
    text = d.note;
    tooltip.push(d.note === FORBIDDEN_TEXT ? `${FORBIDDEN_TEXT}: the kubelet's volume stats are read through the API server's node proxy, which your account may not use (403).` : d.note);
  }
  if (snaps.length) tooltip.push(`${snaps.length} VolumeSnapshot${snaps.length === 1 ? '' : 's'} (expand to see them)`);
  return { text, tooltip: tooltip.filter(Boolean), level: d.level, snapshots: snaps.length };
}

/** The fullest PVC of a StatefulSet, when one is over a threshold (else undefined). */
export function diskOfStatefulSet(v: StatefulSetView, disks: DiskSource | undefined): { text: string; tooltip: string; level: 'warning' | 'error' } | undefined {
  if (!disks) return undefined;
  let worst: { name: string; percent: number; level: 'warning' | 'error' } | undefined;
  for (const o of v.ordinals)
    for (const p of o.pvcs) {
      if (!p.pvc) continue;
      const d = disks.pvc(v.namespace, p.name, o.pod?.node);
      const r = d.reading;
      if (!r || (r.level !== 'warning' && r.level !== 'error')) continue;
      if (!worst || r.percent > worst.percent) worst = { name: p.name, percent: r.percent, level: r.level };
    }
  if (!worst) return undefined;
  return { text: `disk ${Math.floor(worst.percent)}% full (${worst.name})`, tooltip: `fullest PVC: ${worst.name} at ${Math.floor(worst.percent)}%`, level: worst.level };
}

/** The PVC row a snapshot row hangs under (the fields of tree.ts's TreeNode it reads). */
export interface PvcRowRef {
  id: string;
  namespace?: string;
  pvcName?: string;
  stsKey?: string;
  ordinal?: number;
}

/** A snapshot row (a tree.ts TreeNode of kind 'snapshot'). */
export interface SnapshotRow extends PvcRowRef {
  kind: 'snapshot';
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  color?: string;
  contextValue: string;
  collapsible: 'none';
  snapshotName: string;
}

/** Children of a PVC row: its VolumeSnapshots, newest first. */
export function snapshotNodes(pvcNode: PvcRowRef, disks: DiskSource | undefined): SnapshotRow[] {
  if (!disks || !pvcNode.namespace || !pvcNode.pvcName) return [];
  return disks.snapshotsOf(pvcNode.namespace, pvcNode.pvcName).map((s) => {
    const name = String(s.metadata?.name);
    const status = snapshotStatusText(s);
    const ready = s.status?.readyToUse === true;
    const failed = !ready && !!s.status?.error?.message;
    return {
      id: `${pvcNode.id}/snap:${name}`,
      kind: 'snapshot',
      label: name,
      description: [status, s.spec?.volumeSnapshotClassName, s.status?.creationTime ?? s.metadata?.labels?.[LABEL_TAKEN]].filter(Boolean).join(' · '),
      tooltip: [
        `VolumeSnapshot ${pvcNode.namespace}/${name}`,
        `of PVC ${pvcNode.pvcName}`,
        `class: ${s.spec?.volumeSnapshotClassName ?? '(default)'}`,
        `status: ${status}`,
        s.status?.boundVolumeSnapshotContentName ? `content: ${s.status.boundVolumeSnapshotContentName}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      icon: failed ? 'error' : ready ? 'device-camera' : 'loading',
      color: failed ? 'list.errorForeground' : ready ? undefined : 'list.warningForeground',
      contextValue: `statefulsetStudio.snapshot${ready ? '.ready' : ''}`,
      collapsible: 'none',
      namespace: pvcNode.namespace,
      stsKey: pvcNode.stsKey,
      ordinal: pvcNode.ordinal,
      pvcName: pvcNode.pvcName,
      snapshotName: name,
    };
  });
}
