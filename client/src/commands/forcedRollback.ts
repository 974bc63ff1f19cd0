// Forced Rollback…: for a rollout stuck on a broken pod. Pick the revision (default: the last whose pods were all
// Ready), see the diff and the pods that will be deleted (named), confirm after a server dry run, then the template
// goes back, exactly those pods are deleted, and progress is followed until every ordinal is Ready. Never a PVC.
import * as vscode from 'vscode';
import { defaultTarget, executeForcedRollback, forcedRollbackDryRun, forcedRollbackPlan } from '../cluster/forcedRollback';
import * as ops from '../cluster/operations';
import { rolloutProgressText, waitForRollout } from '../cluster/trouble';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { afterOwner, askOwner, ownerResult, runAnswered } from '../explorer/ownerGate';

export const forcedRollback: Command = {
  id: 'statefulsetStudio.forcedRollback',
  run: async (c: CommandContext, t?: Target, toRevision?: number) => {
    const conn = c.needConn();
    const v0 = await c.pickSts(t, 'Forced rollback of which StatefulSet?');
    if (!v0) return;
    const owner = await askOwner(c, v0, 'forcedRollback');
    if (!owner.choice) return;
    const sts = await ops.getStatefulSet(conn.http, v0.namespace, v0.name);
    const revs = await ops.listRevisions(conn.http, sts);
    if (revs.length === 0) throw new Error(`No rollout history for ${v0.name}`);
    const def = defaultTarget(sts, revs);
    let target = typeof toRevision === 'number' ? ops.pickRevision(revs, toRevision) : undefined;
    if (!target) {
      const now = Date.now();
      const ordered = [...revs].reverse().sort((a, b) => Number(b === def) - Number(a === def));
      target = await prompts.quickPick(
        ordered.map((r) => ({
          label: `revision ${r.revision}`,
          description: [r === def ? 'default: the last revision whose pods were all Ready' : '', r.metadata?.name === sts.status?.updateRevision ? 'current template' : '', ops.age(r.metadata?.creationTimestamp, now), ops.revisionImages(r).join(', ')]
            .filter(Boolean)
            .join(' · '),
          detail: ops.changeCause(r) || r.metadata?.name,
          value: r,
        })),
        { title: `Forced rollback of ${v0.name} to…` },
      );
      if (!target) return;
    }
    const v = conn.model.view(v0.key) ?? v0;
    const plan = forcedRollbackPlan(v, sts, target);
    if (!plan.rollback && plan.pods.length === 0) {
      void prompts.info(`${v.name}: the template already matches revision ${target.revision} and no pod runs a bad revision; nothing to do`);
      return 'nothing';
    }
    if (plan.rollback) {
      const base = `/${v.namespace}/${v.name}`;
      const left = c.docs.put(`${base}/template-current.yaml`, ops.templateYaml(plan.rollback.currentTemplate));
      const right = c.docs.put(`${base}/template-revision-${target.revision}.yaml`, ops.templateYaml(plan.rollback.targetTemplate));
      await vscode.commands.executeCommand('vscode.diff', left, right, `${v.name}: current template ↔ revision ${target.revision} (read-only)`, { preview: true });
    }
    await forcedRollbackDryRun(conn.http, plan);
    const button = plan.pods.length ? `Roll back and delete ${plan.pods.length} pod${plan.pods.length === 1 ? '' : 's'}` : `Roll back to revision ${target.revision}`;
    const ok = await prompts.warning(`Forced rollback of ${v.namespace}/${v.name} to revision ${target.revision}?`, { detail: `${plan.rollback ? 'The server accepted a dry run. ' : ''}${plan.text}`, modal: true }, button);
    if (ok !== button) return;
    const deleted = await runAnswered(c, v0, owner, `Forced Rollback of ${v.key}`, () => executeForcedRollback(conn.http, plan, (s) => c.ex.logger.info(`forced rollback of ${v.key}: ${s}`)));
    c.ex.logger.info(`forced rollback of ${v.key} to revision ${target.revision}: deleted ${deleted.join(', ') || 'no pod'}`);
    // no success for a change its owner reverts: the template is watched for the settle period first
    if (plan.rollback) {
      const change = { before: plan.rollback.currentTemplate, after: plan.rollback.targetTemplate, prefix: 'spec.template' };
      const tpl = plan.rollback.targetTemplate;
      const r = await afterOwner(conn, v0, owner, `${v.name} rolled back to revision ${target.revision} (deleted ${deleted.join(', ') || 'no pod'})`, (now) => ops.templatesEqual(now?.sts.spec?.template, tpl), change);
      if (r.reverted) {
        ownerResult(c, v0, owner, { ...r, message: `${r.message} Its pods roll back to the owner's template.` }, change);
        return 'reverted';
      }
      if (v0.owner && owner.choice !== 'free') ownerResult(c, v0, owner, r, change);
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Forced rollback of ${v.name}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        try {
          const r = await waitForRollout(conn.model, v.key, {
            signal: ac.signal,
            onProgress: (st, view) => progress.report({ message: rolloutProgressText(view, st) }),
            // the old broken pods may still be going: wait until the controller works on the reverted template
            until: (st) => st.done || (st.kind === 'stuck' && !deleted.includes(st.stuckAt ?? '')),
          });
          if (r.kind === 'stuck') {
            void prompts.warning(`${v.name}: ${r.text}`, { detail: `Rolled back to revision ${target!.revision} and deleted ${deleted.join(', ') || 'no pod'}, but ${r.stuckAt} stays broken.`, modal: false });
            return 'stuck';
          }
          void prompts.info(`${v.name}: rolled back to revision ${target!.revision}; deleted ${deleted.join(', ') || 'no pod'}; every ordinal is Ready (no PVC deleted)`);
          return 'done';
        } catch (err) {
          if (ac.signal.aborted) {
            void prompts.info(`Stopped following: ${v.name} keeps rolling back in the cluster; run Forced Rollback… again to resume`);
            return 'cancelled';
          }
          throw err;
        }
      },
    );
  },
};
