// Loads the user's kubeconfig exactly like kubectl: an explicit path (the machine-scoped setting,
// several files separated by the OS path delimiter), else KUBECONFIG (several files merged, first
// file wins for current-context), else ~/.kube/config.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { registerSecret } from './errors';

export interface KubeconfigSource {
  /** Explicit path(s) from the setting; overrides KUBECONFIG when non-empty. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export class NoKubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoKubeconfigError';
  }
}

export function kubeconfigFiles(src: KubeconfigSource = {}): string[] {
  const env = src.env ?? process.env;
  const raw = src.path?.trim() ? src.path : env.KUBECONFIG;
  if (raw && raw.trim()) {
    return raw
      .split(path.delimiter)
      .map((f) => f.trim())
      .filter(Boolean)
      .map((f) => (f.startsWith('~') ? path.join(src.home ?? os.homedir(), f.slice(1)) : f));
  }
  return [path.join(src.home ?? env.HOME ?? os.homedir(), '.kube', 'config')];
}

/** Loads and merges the kubeconfig files; throws NoKubeconfigError when none exists or none has a context. */
export function loadKubeConfig(src: KubeconfigSource = {}): { kc: KubeConfig; files: string[] } {
  const files = kubeconfigFiles(src).filter((f) => fs.existsSync(f));
  if (files.length === 0) throw new NoKubeconfigError(`No kubeconfig found (looked at ${kubeconfigFiles(src).join(', ')})`);
  const kc = new KubeConfig();
  kc.loadFromFile(files[0]);
  for (const f of files.slice(1)) {
    const other = new KubeConfig();
    other.loadFromFile(f);
    mergeFirstWins(kc, other);
  }
  if (kc.getContexts().length === 0) throw new NoKubeconfigError(`The kubeconfig (${files.join(', ')}) has no contexts`);
  if (!kc.getCurrentContext() || !kc.getContextObject(kc.getCurrentContext())) kc.setCurrentContext(kc.getContexts()[0].name);
  registerKubeconfigSecrets(kc);
  return { kc, files };
}

/** kubectl's merge rule: the first file to set a name wins (the library's mergeConfig throws on duplicates). */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  const names = (xs: Array<{ name: string }>) => new Set(xs.map((x) => x.name));
  const c = names(into.clusters);
  const u = names(into.users);
  const x = names(into.contexts);
  into.clusters = [...into.clusters, ...from.clusters.filter((v) => !c.has(v.name))];
  into.users = [...into.users, ...from.users.filter((v) => !u.has(v.name))];
  into.contexts = [...into.contexts, ...from.contexts.filter((v) => !x.has(v.name))];
  if (!into.currentContext && from.currentContext) into.currentContext = from.currentContext;
}

export function registerKubeconfigSecrets(kc: KubeConfig): void {
  for (const u of kc.users) {
    registerSecret(u.token);
    registerSecret(u.password);
    const cfg = (u.authProvider as { config?: Record<string, string> } | undefined)?.config;
    if (cfg) for (const k of ['id-token', 'refresh-token', 'access-token', 'client-secret']) registerSecret(cfg[k]);
  }
}

/** A copy of kc whose current context is `context`. */
export function withContext(kc: KubeConfig, context: string): KubeConfig {
  const copy = new KubeConfig();
  copy.clusters = kc.clusters;
  copy.users = kc.users;
  copy.contexts = kc.contexts;
  copy.currentContext = context;
  if (!copy.getContextObject(context)) throw new NoKubeconfigError(`Context "${context}" is not in the kubeconfig`);
  return copy;
}

export function contextNamespace(kc: KubeConfig): string {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
}
