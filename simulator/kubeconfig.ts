// The kubeconfig a simulator writes: its throwaway CA inline (no insecure-skip-tls-verify) and one
// context per bearer-token user.
import { stringify } from 'yaml';
import type { User } from './server';

export function contextName(user: User, index: number): string {
  return index === 0 ? 'simulator' : `simulator-${user.name}`;
}

export function makeKubeconfig(url: string, caPem: string, users: User[], namespace = 'default'): string {
  const cluster = 'statefulset-studio-simulator';
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': contextName(users[0], 0),
    clusters: [{ name: cluster, cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: users.map((u) => ({ name: u.name, user: { token: u.token } })),
    contexts: users.map((u, i) => ({ name: contextName(u, i), context: { cluster, user: u.name, namespace } })),
  };
  return `# Kubeconfig for the StatefulSet Studio local API server SIMULATOR (not a real cluster).\n${stringify(doc)}`;
}
