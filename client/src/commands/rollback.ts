// Rollback…: to a ControllerRevision, with a diff of the templates and a server dry run before the confirmation.
import * as vscode from 'vscode';
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { confirmRollbackWithSnapshotsFirst } from '../explorer/snapshotsFirst';
import { afterOwner, askOwner, ownerResult, runAnswered } from '../explorer/ownerGate';

export const rollback: Command = {
  id: 'statefulsetStudio.rollback',
  run: async (c: CommandContext, t?: Target, toRevision?: number) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Roll back which StatefulSet?');
    if (!v) return;
    const owner = await askOwner(c, v, 'rollback');
    if (!owner.choice) return;
    const sts = await ops.getStatefulSet(conn.http, v.namespace, v.name);
    const revs = await ops.listRevisions(conn.http, sts);
    // from a revision node of the tree: that revision
    const fromNode = t && typeof t !== 'string' && t.kind === 'revision' ? t.revision : undefined;
    const wanted = typeof toRevision === 'number' ? toRevision : fromNode;
    let rev = wanted !== undefined ? ops.pickRevision(revs, wanted) : undefined;
    if (!rev) {
      if (revs.length === 0) throw new Error(`No rollout history for ${v.name}`);
      const now = Date.now();
      rev = await prompts.quickPick(
        [...revs].reverse().map((r) => ({
          label: `revision ${r.revision}`,
          description: [r.metadata?.name === sts.status?.updateRevision ? 'current template' : '', ops.age(r.metadata?.creationTimestamp, now), ops.revisionImages(r).join(', ')].filter(Boolean).join(' · '),
          detail: ops.changeCause(r) || r.metadata?.name,
          value: r,
        })),
        { title: `Roll back ${v.name} to…` },
      );
      if (!rev) return;
    }
    const plan = ops.rollbackPlan(sts, rev);
    if (plan.alreadyMatches) {
      void prompts.info(`${v.name}: the template already matches revision ${rev.revision}; nothing to do (skipped rollback)`);
      return 'skipped';
    }
    const base = `/${v.namespace}/${v.name}`;
    const left = c.docs.put(`${base}/template-current.yaml`, ops.templateYaml(plan.currentTemplate));
    const right = c.docs.put(`${base}/template-revision-${rev.revision}.yaml`, ops.templateYaml(plan.targetTemplate));
    await vscode.commands.executeCommand('vscode.diff', left, right, `${v.name}: current template ↔ revision ${rev.revision} (read-only)`, { preview: true });
    await ops.rollbackDryRun(conn.http, plan);
    const button = `Roll back to revision ${rev.revision}`;
    const detail = `The server accepted a dry run. The pod template of revision ${rev.revision} (${ops.revisionImages(rev).join(', ')}) replaces the current one; pods are updated per the update strategy (${v.strategy}${v.partition !== undefined ? `, partition ${v.partition}` : ''}).`;
    if (!(await confirmRollbackWithSnapshotsFirst(c, v, `Roll back ${v.namespace}/${v.name} to revision ${rev.revision}?`, detail, button))) return;
    await runAnswered(c, v, owner, `Roll Back of ${v.key} to revision ${rev.revision}`, () => ops.rollbackApply(conn.http, plan));
    c.ex.logger.info(`rolled back ${v.key} to revision ${rev.revision}`);
    // Argo CD / Flux keep it only when git has it: the template fields that differ are the change to commit
    const change = { before: plan.currentTemplate, after: plan.targetTemplate, prefix: 'spec.template' };
    const r = await afterOwner(conn, v, owner, `${v.name} rolled back to revision ${rev.revision}`, (now) => ops.templatesEqual(now?.sts.spec?.template, plan.targetTemplate), change);
    ownerResult(c, v, owner, r, change);
    return r.reverted ? undefined : rev.revision;
  },
};
