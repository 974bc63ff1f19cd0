// Port Forward: `kubectl port-forward pod/POD LOCAL:REMOTE` in a VS Code terminal (close it to stop), with the
// explorer's kubeconfig and context.
import * as vscode from 'vscode';
import { findKubectl, KUBECTL_MISSING, kubectlEnv, portForwardArgs, validatePorts } from '../cluster/kubectlTerminal';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const portForward: Command = {
  id: 'statefulsetStudio.portForward',
  run: async (c: CommandContext, t?: Target, portsArg?: string) => {
    const conn = c.needConn();
    const p = await c.pickPod(t, 'Forward a port of which pod?');
    if (!p) return;
    const kubectl = findKubectl();
    if (!kubectl) throw new Error(KUBECTL_MISSING);
    const pod = `${p.v.name}-${p.ordinal}`;
    const first = (p.v.ordinals.find((o) => o.ordinal === p.ordinal)?.pod?.pod.spec?.containers ?? [])[0] as { ports?: Array<{ containerPort?: number }> } | undefined;
    const port = first?.ports?.[0]?.containerPort;
    const ports = portsArg ?? (await prompts.inputBox({ title: `Port forward to ${pod}`, prompt: 'LOCAL:REMOTE (or PORT for the same on both sides)', value: port ? `${port < 1024 ? port + 8000 : port}:${port}` : '', validateInput: validatePorts }));
    if (!ports || validatePorts(ports)) return;
    const target = { files: conn.files, context: conn.context, namespace: p.v.namespace, pod };
    const term = vscode.window.createTerminal({ name: `port-forward ${pod} ${ports}`, shellPath: kubectl, shellArgs: portForwardArgs(target, ports), env: kubectlEnv(target) });
    term.show();
    return portForwardArgs(target, ports);
  },
};
