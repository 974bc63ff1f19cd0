// Scale…: the plan names every PVC kept or deleted; scale-down and scale to 0 ask first; progress until done.
import * as vscode from 'vscode';
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { afterOwner, askOwner, ownerResult, runAnswered } from '../explorer/ownerGate';

export const scale: Command = {
  id: 'statefulsetStudio.scale',
  run: async (c: CommandContext, t?: Target, replicasArg?: number) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Scale which StatefulSet?');
    if (!v) return;
    // its owner first: an operator's StatefulSet is scaled through its CR; Argo CD / Flux revert a live scale
    const owner = await askOwner(c, v, 'scale');
    if (!owner.choice) return;
    let target = replicasArg;
    if (target === undefined) {
      const input = await prompts.inputBox({
        title: `Scale ${v.namespace}/${v.name}`,
        prompt: `Replicas for ${v.name} (now ${v.replicas})`,
        value: String(v.replicas),
        validateInput: ops.validateReplicas,
      });
      if (input === undefined) return;
      target = Number(input.trim());
    }
    const plan = ops.scalePlan(v, target);
    if (plan.direction === 'none') {
      void prompts.info(plan.text);
      return;
    }
    if (plan.direction === 'down') {
      const button = plan.deletesData ? 'Scale down and DELETE PVCs' : 'Scale down';
      const ok = await prompts.warning(`Scale ${v.name} from ${plan.from} to ${plan.to}?`, { detail: plan.text, modal: true }, button);
      if (ok !== button) return;
      if (plan.toZero) {
        const z = await prompts.warning(`Scale ${v.name} to 0? Every pod of ${v.namespace}/${v.name} stops.`, { detail: 'This needs an explicit confirmation.', modal: true }, 'Scale to 0');
        if (z !== 'Scale to 0') return;
      }
    }
    let reached = false;
    await runAnswered(c, v, owner, `Scale of ${v.key} to ${target}`, async () => {
      await ops.scale(conn.http, v.namespace, v.name, target!);
      c.ex.logger.info(`scaled ${v.key} from ${plan.from} to ${target}`);
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Scaling ${v.name} to ${target}`, cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          // an owner that puts spec.replicas back ends the wait (the target is never reached)
          let seen = false;
          let reverted = false;
          const unsub = conn.model.onDidChange((ch) => {
            if (!ch.keys.has(v.key)) return;
            const r = conn.model.view(v.key)?.sts.spec?.replicas;
            if (r === target) seen = true;
            else if (seen && v.owner) {
              reverted = true;
              ac.abort();
            }
          });
          try {
            await ops.waitForScale(conn.model, v.key, target!, ac.signal, (text) => progress.report({ message: text }));
            reached = true;
          } catch (err) {
            if (reverted) reached = true;
            else if (ac.signal.aborted) void prompts.info(`Stopped waiting: ${v.name} keeps scaling to ${target} in the cluster`);
            else throw err;
          } finally {
            unsub();
          }
        },
      );
    });
    if (reached) {
      // no success for a change its owner reverts: watched for a settle period first
      const change = { before: { spec: { replicas: plan.from } }, after: { spec: { replicas: target } } };
      const r = await afterOwner(conn, v, owner, `${v.name} scaled to ${target}`, (now) => now?.replicas === target, change);
      ownerResult(c, v, owner, r, change);
      if (r.reverted) return undefined;
    }
    return target;
  },
};
