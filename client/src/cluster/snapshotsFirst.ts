// "Snapshot Volumes first": what a risky workflow (Resize Storage…, Re-create…, Roll Back…) offers before it
// changes anything, where the cluster has the VolumeSnapshot API: one snapshot of each PVC of the StatefulSet,
// with the default VolumeSnapshotClass (else the first), and the sentence that says so in the confirmation.
import { errorMessage } from './errors';
import type { KubeHttp } from './http';
import type { Logger } from './log';
import { deletionPolicyText, listSnapshotClasses, planSnapshots, snapshotApiPresent, type PlannedSnapshot, type SnapshotTarget } from './snapshots';

export interface SnapshotsFirst {
  className: string;
  planned: PlannedSnapshot[];
  /** for the confirmation: what is taken, with which class, and what then */
  text: string;
}

/** The offer, or undefined where it cannot be made (no API, no class, no PVC, or the check failed). */
export async function snapshotsFirstOffer(http: KubeHttp, log: Logger, namespace: string, sts: string, targets: SnapshotTarget[]): Promise<SnapshotsFirst | undefined> {
  if (!targets.length) return undefined;
  try {
    if (!(await snapshotApiPresent(http))) return undefined;
    const classes = await listSnapshotClasses(http);
    const cls = classes.find((c) => c.isDefault) ?? classes[0];
    if (!cls) return undefined;
    const planned = planSnapshots(namespace, sts, targets, cls.name);
    const text = `first, VolumeSnapshots of ${planned.map((p) => p.pvc).join(', ')} (class ${cls.name}; ${deletionPolicyText(cls.deletionPolicy).split(':')[0]}), each followed until readyToUse; nothing else starts unless all are ready.`;
    return { className: cls.name, planned, text };
  } catch (e) {
    log.info(`no "snapshots first" offer for ${namespace}/${sts}: ${errorMessage(e)}`);
    return undefined;
  }
}
