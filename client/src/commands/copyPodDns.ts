// Copy Pod DNS Name: <pod>.<service>.<namespace>.svc.cluster.local.
import * as vscode from 'vscode';
import * as ops from '../cluster/operations';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const copyPodDns: Command = {
  id: 'statefulsetStudio.copyPodDns',
  run: async (c: CommandContext, t?: Target) => {
    const p = await c.pickPod(t, 'Copy the DNS name of which pod?');
    if (!p) return;
    const dns = ops.podDnsName(p.v.sts, p.ordinal);
    await vscode.env.clipboard.writeText(dns);
    void prompts.info(`Copied ${dns}`);
    return dns;
  },
};
