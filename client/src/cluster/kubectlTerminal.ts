// Terminal in Pod / Port Forward run the user's own kubectl, pointed at the explorer's kubeconfig files and
// context (never a token on the command line): find it on PATH, build the arguments and the environment.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The kubectl executable on PATH (or the configured path), undefined when there is none. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env, configured?: string): string | undefined {
  const exe = process.platform === 'win32' ? ['kubectl.exe', 'kubectl.cmd', 'kubectl'] : ['kubectl'];
  const ok = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (configured) return ok(configured) ? configured : undefined;
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) for (const e of exe) if (ok(join(dir, e))) return join(dir, e);
  return undefined;
}

export const KUBECTL_MISSING =
  'kubectl was not found on PATH. Terminal in Pod and Port Forward run your own kubectl (https://kubernetes.io/docs/tasks/tools/): install it, or put it on the PATH VS Code starts with.';

export interface KubectlTarget {
  /** kubeconfig files the explorer loaded (KUBECONFIG order) */
  files: string[];
  context: string;
  namespace: string;
  pod: string;
}

function common(t: KubectlTarget): string[] {
  return ['--context', t.context, '--namespace', t.namespace];
}

/** Environment for the terminal: KUBECONFIG = the explorer's files, so kubectl merges them as it did. */
export function kubectlEnv(t: KubectlTarget): Record<string, string> {
  return t.files.length ? { KUBECONFIG: t.files.join(delimiter) } : {};
}

export function execArgs(t: KubectlTarget, container?: string, shell = '/bin/sh'): string[] {
  return [...common(t), 'exec', '-it', t.pod, ...(container ? ['-c', container] : []), '--', shell];
}

export function validatePorts(input: string): string | undefined {
  const m = input.trim().match(/^(\d{1,5})(?::(\d{1,5}))?$/);
  if (!m) return 'LOCAL:REMOTE or PORT, e.g. 8080:80';
  const bad = [m[1], m[2]].filter((x) => x !== undefined).some((x) => Number(x) < 1 || Number(x) > 65535);
  return bad ? 'ports are 1–65535' : undefined;
}

export function portForwardArgs(t: KubectlTarget, ports: string): string[] {
  return [...common(t), 'port-forward', `pod/${t.pod}`, ports.trim()];
}
