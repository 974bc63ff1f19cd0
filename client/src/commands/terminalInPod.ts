// Terminal in Pod: `kubectl exec -it POD -- /bin/sh` in a VS Code terminal, with the explorer's kubeconfig and context.
import * as vscode from 'vscode';
import { execArgs, findKubectl, KUBECTL_MISSING, kubectlEnv } from '../cluster/kubectlTerminal';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const terminalInPod: Command = {
  id: 'statefulsetStudio.terminalInPod',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    const p = await c.pickPod(t, 'Open a terminal in which pod?');
    if (!p) return;
    const kubectl = findKubectl();
    if (!kubectl) throw new Error(KUBECTL_MISSING);
    const pod = `${p.v.name}-${p.ordinal}`;
    const names = (p.v.ordinals.find((o) => o.ordinal === p.ordinal)?.pod?.pod.spec?.containers ?? []).map((x) => x.name ?? '');
    let container = names[0];
    if (names.length > 1) {
      container = (await prompts.quickPick(names.map((n) => ({ label: n, value: n })), { title: `Terminal in ${pod}: which container?` })) ?? '';
      if (!container) return;
    }
    const target = { files: conn.files, context: conn.context, namespace: p.v.namespace, pod };
    const term = vscode.window.createTerminal({ name: `${pod} (${container})`, shellPath: kubectl, shellArgs: execArgs(target, container), env: kubectlEnv(target) });
    term.show();
    return execArgs(target, container);
  },
};
