// Scale…: the plan names every PVC kept or deleted; scale-down and scale to 0 ask first; progress until done.
import * as vscode from 'vscode';
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const scale: Command = {
  id: 'statefulsetStudio.scale',
  run: async (c: CommandContext, t?: Target, replicasArg?: number) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Scale which StatefulSet?');
    if (!v) return;
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
    await ops.scale(conn.http, v.namespace, v.name, target);
    c.ex.logger.info(`scaled ${v.key} from ${plan.from} to ${target}`);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scaling ${v.name} to ${target}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        try {
          await ops.waitForScale(conn.model, v.key, target!, ac.signal, (text) => progress.report({ message: text }));
          void prompts.info(`${v.name} scaled to ${target}`);
        } catch (err) {
          if (ac.signal.aborted) void prompts.info(`Stopped waiting: ${v.name} keeps scaling to ${target} in the cluster`);
          else throw err;
        }
      },
    );
    return target;
  },
};
