// Resize Storage… from a PVC row (a full one, say): the existing resize workflow (grow the PVCs, then orphan-
// delete and re-create the StatefulSet with the new claim template size), with the next size suggested.
import { preflight } from '../cluster/workflows/recreate';
import { recreatable } from '../cluster/workflows/restore';
import { storageBytes } from '../cluster/workflows/immutable';
import { nextSize } from '../cluster/usage';
import { leaveToOwner, runOwned, type WorkflowOutcome } from '../explorer/workflowRunner';
import { askOwner } from '../explorer/ownerGate';
import { confirmWithSnapshotsFirst } from '../explorer/snapshotsFirst';
import * as prompts from '../ui/prompts';
import type { Command, CommandContext, Target } from './context';

export const resizePvc: Command = {
  id: 'statefulsetStudio.resizePvc',
  run: async (c: CommandContext, t?: Target): Promise<WorkflowOutcome & { suggested?: string }> => {
    const conn = c.needConn();
    if (!t || typeof t === 'string' || !t.stsKey || !t.pvcName) throw new Error('Run Resize Storage… on a PVC of the StatefulSets tree');
    const v = conn.model.view(t.stsKey);
    if (!v) throw new Error(`StatefulSet ${t.stsKey} not found`);
    const pvc = v.ordinals.flatMap((o) => o.pvcs).find((p) => p.name === t.pvcName) ?? v.orphans.find((p) => p.name === t.pvcName);
    if (!pvc) throw new Error(`${t.pvcName} is not a PVC of ${v.name}`);
    // its owner first: an operator / Argo CD / Flux re-creates the StatefulSet the resize deletes (or it is paused)
    const owner = v.owner ? await askOwner(c, v, 'resize') : undefined;
    if (owner && !owner.choice) return owner.verdict.kind === 'refuse' ? { refused: [owner.verdict.message] } : { cancelled: true };
    const usage = conn.disks.pvc(v.namespace, pvc.name, undefined).reading;
    const cap = storageBytes(pvc.capacity ?? pvc.requested);
    const suggested = nextSize(cap);
    const answer = await prompts.inputBox({
      prompt: `New size of the "${pvc.template}" claims of ${v.name} (now ${pvc.capacity ?? pvc.requested}${usage ? `, ${pvc.name} ${usage.text}` : ''}); every ordinal's PVC grows`,
      value: suggested,
      validateInput: (s) => (!/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.test(s.trim()) ? 'A quantity such as 20Gi' : storageBytes(s.trim()) <= cap ? `Larger than ${pvc.capacity ?? pvc.requested}: PVCs cannot shrink` : undefined),
    });
    if (!answer) return { cancelled: true, suggested };
    const live = await conn.http.request<Record<string, any>>('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(v.namespace)}/statefulsets/${encodeURIComponent(v.name)}`);
    const manifest = structuredClone(recreatable(live));
    const tpl = (manifest.spec?.volumeClaimTemplates ?? []).find((x: Record<string, any>) => x.metadata?.name === pvc.template);
    if (!tpl) throw new Error(`${v.name} has no claim template ${pvc.template}`);
    tpl.spec.resources = { ...(tpl.spec.resources ?? {}), requests: { ...(tpl.spec.resources?.requests ?? {}), storage: answer.trim() } };
    const existing = c.ex.journal.load(conn.server, v.namespace, v.name);
    if (existing) throw new Error(`A ${existing.workflow} of ${v.namespace}/${v.name} is pending (step ${existing.stage}): run "Finish Pending Re-create" first`);
    const pf = await preflight(conn.http, { cluster: conn.server, context: conn.context, namespace: v.namespace, manifest, workflow: 'resize' });
    const title = `Resize storage of ${v.namespace}/${v.name}`;
    if (!pf.ok) {
      void prompts.error(`${title}: ${pf.refusals.join(' ')}`);
      return { refused: pf.refusals, plan: pf.plan, suggested };
    }
    leaveToOwner(pf, v, owner);
    if (!(await confirmWithSnapshotsFirst(c, pf, v.namespace, v.name, title, 'Resize'))) return { cancelled: true, plan: pf.plan, suggested };
    return { ...(await runOwned(c, pf.entry!, title, v, owner)), plan: pf.plan, suggested };
  },
};
