// Update Next Ordinal (OnDelete): delete the highest-ordinal pod still on an old revision, after a confirmation,
// and follow until it is back and Ready on the update revision. Its PVCs are kept.
import * as vscode from 'vscode';
import { nextOrdinalToUpdate } from '../cluster/lostNode';
import { waitForRollout } from '../cluster/trouble';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { ownerVerdict } from '../cluster/owners/gate';

export const updateNextOrdinal: Command = {
  id: 'statefulsetStudio.updateNextOrdinal',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Update the next ordinal of which StatefulSet?');
    if (!v) return;
    if (v.strategy !== 'OnDelete') throw new Error(`${v.name} uses ${v.strategy}: the controller updates its pods itself (Update Next Ordinal is for OnDelete)`);
    const next = nextOrdinalToUpdate(v);
    if (!next) {
      void prompts.info(`${v.name}: every pod runs the update revision`);
      return 'none';
    }
    const claims = v.ordinals.find((o) => o.ordinal === next.ordinal)?.pvcs.filter((x) => x.pvc).map((x) => x.name) ?? [];
    const button = `Delete ${next.podName}`;
    const ok = await prompts.warning(
      `Update ${next.podName} to the update revision?`,
      { detail: `${next.podName} (revision ${next.revision ?? '?'}) is deleted; the controller recreates it from ${v.updateRevision}. ${claims.length ? `Its PVCs are kept and reattached: ${claims.join(', ')}.` : ''} No PVC is deleted.${v.owner ? ` ${ownerVerdict(v, 'deletePod').detail}` : ''}`, modal: true },
      button,
    );
    if (ok !== button) return;
    await conn.http.request('DELETE', `/api/v1/namespaces/${encodeURIComponent(v.namespace)}/pods/${encodeURIComponent(next.podName)}`, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: next.uid } },
    });
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating ${next.podName}` }, async () => {
      await waitForRollout(conn.model, v.key, {
        until: () => {
          const o = conn.model.view(v.key)?.ordinals.find((x) => x.ordinal === next.ordinal);
          return !!o?.pod && o.pod.ready && !o.pod.terminating && o.pod.revision === conn.model.view(v.key)?.updateRevision;
        },
      });
      void prompts.info(`${next.podName} runs the update revision and is Ready`);
      return next.podName;
    });
  },
};
