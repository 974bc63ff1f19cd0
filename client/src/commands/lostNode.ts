// Lost Node…: for a pod Terminating past its grace period on a NotReady node. Explains the safe procedure
// (confirm the node is gone; the out-of-service taint; force delete only then) and force-deletes only after the
// pod's name is typed.
import * as vscode from 'vscode';
import { forceDeletePod, lostNodeProcedure, outOfServiceCommand, readNode } from '../cluster/lostNode';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { ownerVerdict } from '../cluster/owners/gate';

export const lostNode: Command = {
  id: 'statefulsetStudio.lostNode',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const p = await c.pickPod(t, 'Which pod is stuck on a lost node?');
    if (!p) return;
    const o = p.v.ordinals.find((x) => x.ordinal === p.ordinal);
    const pod = o?.pod?.pod;
    if (!pod) throw new Error(`Pod ${p.v.name}-${p.ordinal} does not exist`);
    const name = pod.metadata?.name ?? '';
    if (!pod.metadata?.deletionTimestamp) {
      void prompts.info(`${name} is not Terminating: nothing to do`);
      return 'not-terminating';
    }
    const node = await readNode(conn.http, pod.spec?.nodeName ?? '');
    const copy = 'Copy out-of-service taint command';
    const force = 'Force delete…';
    const choice = await prompts.warning(`${name} is stuck Terminating on node ${node.name} (Ready: ${node.ready})`, { detail: `${lostNodeProcedure(pod, node)}${p.v.owner ? `\n\n${ownerVerdict(p.v, 'deletePod').detail}` : ''}`, modal: true }, copy, force);
    if (choice === copy) {
      await vscode.env.clipboard.writeText(outOfServiceCommand(node.name));
      void prompts.info(`Copied: ${outOfServiceCommand(node.name)}`);
      return 'copied';
    }
    if (choice !== force) return;
    const typed = await prompts.inputBox({
      title: `Force delete ${p.v.namespace}/${name}`,
      prompt: `Only if node ${node.name} is really down. Type the pod's name (${name}) to force delete it; its PVCs are kept.`,
      validateInput: (s) => (s === name ? undefined : `Type ${name} exactly`),
    });
    if (typed !== name) return;
    await forceDeletePod(conn.http, p.v.namespace, name, pod.metadata?.uid ?? '');
    c.ex.logger.info(`force deleted ${p.v.namespace}/${name} (node ${node.name}, Ready ${node.ready})`);
    void prompts.info(`${name} force deleted; the StatefulSet recreates it with the same name and PVCs`);
    return 'deleted';
  },
};
