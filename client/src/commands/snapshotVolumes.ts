// Snapshot Volumes…: VolumeSnapshots of a StatefulSet's PVCs (all ordinals or chosen ones), class picked from
// the VolumeSnapshotClasses, each named and labelled after the StatefulSet, ordinal, claim template and time,
// followed until readyToUse; errors shown. Where the cluster has no VolumeSnapshot API, says so and why.
import * as vscode from 'vscode';
import { errorMessage } from '../cluster/errors';
import { ABSENT_TEXT, deletionPolicyText, listSnapshotClasses, planSnapshots, snapshotApiPresent, takeSnapshots, type SnapshotOutcome } from '../cluster/snapshots';
import * as prompts from '../ui/prompts';
import type { Command, CommandContext, Target } from './context';

export interface SnapshotVolumesOutcome {
  absent?: boolean;
  cancelled?: boolean;
  outcomes?: SnapshotOutcome[];
}

export const snapshotVolumes: Command = {
  id: 'statefulsetStudio.snapshotVolumes',
  run: async (c: CommandContext, t?: Target): Promise<SnapshotVolumesOutcome> => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Snapshot the volumes of which StatefulSet?');
    if (!v) return { cancelled: true };
    if (!(await snapshotApiPresent(conn.http))) {
      void prompts.error(`Snapshot Volumes… cannot run: ${ABSENT_TEXT}`);
      return { absent: true };
    }
    const pvcs = v.ordinals.flatMap((o) => o.pvcs.filter((p) => p.pvc && p.phase === 'Bound').map((p) => ({ pvc: p.name, template: p.template, ordinal: p.ordinal })));
    if (!pvcs.length) throw new Error(`${v.namespace}/${v.name} has no bound PVCs to snapshot`);
    const classes = await listSnapshotClasses(conn.http);
    if (!classes.length) throw new Error('The cluster has the VolumeSnapshot API but no VolumeSnapshotClass: ask your cluster admin for one (it names the CSI driver that takes the snapshots)');
    const cls =
      classes.length === 1
        ? classes[0]
        : await prompts.quickPick(
            classes.map((k) => ({ label: k.name, description: `${k.driver} · deletionPolicy ${k.deletionPolicy}${k.isDefault ? ' · default' : ''}`, value: k })),
            { title: 'VolumeSnapshotClass' },
          );
    if (!cls) return { cancelled: true };
    const ordinals = [...new Set(pvcs.map((p) => p.ordinal))];
    const ALL = -1;
    const SOME = -2;
    const choice = await prompts.quickPick<number>(
      [
        { label: `All ordinals`, description: `${pvcs.length} PVC${pvcs.length === 1 ? '' : 's'}: ${pvcs.map((p) => p.pvc).join(', ')}`, value: ALL },
        ...ordinals.map((o) => ({ label: `Ordinal ${o}`, description: pvcs.filter((p) => p.ordinal === o).map((p) => p.pvc).join(', '), value: o })),
        ...(ordinals.length > 2 ? [{ label: 'Some ordinals…', description: 'type them, e.g. 0,2', value: SOME }] : []),
      ],
      { title: `Snapshot the volumes of ${v.name}` },
    );
    if (choice === undefined) return { cancelled: true };
    let chosen = choice === ALL ? ordinals : [choice];
    if (choice === SOME) {
      const typed = await prompts.inputBox({
        prompt: `Ordinals of ${v.name} to snapshot (${ordinals.join(', ')})`,
        validateInput: (s) => (s.split(',').every((x) => ordinals.includes(Number(x.trim())) && x.trim() !== '') ? undefined : `Ordinals among ${ordinals.join(', ')}, separated by commas`),
      });
      if (!typed) return { cancelled: true };
      chosen = [...new Set(typed.split(',').map((x) => Number(x.trim())))];
    }
    const plan = planSnapshots(v.namespace, v.name, pvcs.filter((p) => chosen.includes(p.ordinal)), cls.name);
    c.ex.logger.info(`Snapshot Volumes: ${plan.map((p) => `${p.name} of ${p.pvc}`).join(', ')} with class ${cls.name} (${deletionPolicyText(cls.deletionPolicy)})`);
    let outcomes: SnapshotOutcome[];
    try {
      outcomes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Snapshots of ${v.name}`, cancellable: true }, (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return takeSnapshots(conn.http, plan, { signal: ac.signal, onProgress: (message) => progress.report({ message }) });
      });
    } catch (e) {
      throw new Error(`Snapshots of ${v.name}: ${errorMessage(e)} (the snapshots already created stay; see them under each PVC)`);
    }
    const bad = outcomes.filter((o) => !o.ready);
    if (bad.length) void prompts.error(`Snapshots of ${v.name}: ${outcomes.length - bad.length}/${outcomes.length} ready. ${bad.map((o) => `${o.name} (${o.pvc}): ${o.error ?? 'not ready'}`).join('; ')}`);
    else void prompts.info(`Snapshots of ${v.name}: ${outcomes.length}/${outcomes.length} ready (${outcomes.map((o) => o.name).join(', ')})`);
    return { outcomes };
  },
};
