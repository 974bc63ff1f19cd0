// The owners' resource types, registered with the simulator's discovery and store: an operator's
// custom resource (RabbitmqCluster, as the RabbitMQ cluster operator serves it), Argo CD's
// Application, Flux's Kustomization and HelmRelease, and core Secrets (Helm's release history).
// Imported for its side effect before any Store is made (simulator/index.ts).
import { GROUPS, RESOURCES, rt, statusOf, type ResourceType } from '../resources';

function crd(group: string, version: string, resource: string, kind: string, shortNames: string[], categories: string[] = []): ResourceType {
  return rt(group, version, resource, kind.toLowerCase(), kind, true, shortNames, categories, [statusOf(group, version, kind)]);
}

export const OPERATOR_GROUP = 'rabbitmq.com';
export const OWNER_RESOURCES: ResourceType[] = [
  crd(OPERATOR_GROUP, 'v1beta1', 'rabbitmqclusters', 'RabbitmqCluster', ['rmq'], ['all', 'rabbitmq']),
  crd('argoproj.io', 'v1alpha1', 'applications', 'Application', ['app', 'apps'], ['argo']),
  crd('kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations', 'Kustomization', ['ks'], ['fluxcd']),
  crd('helm.toolkit.fluxcd.io', 'v2', 'helmreleases', 'HelmRelease', ['hr'], ['fluxcd']),
  { ...crd('', 'v1', 'secrets', 'Secret', []), subresources: [] },
];

/** Add the owners' types (once). */
export function registerOwnerResources(): void {
  for (const r of OWNER_RESOURCES) {
    if (!RESOURCES.some((x) => x.group === r.group && x.version === r.version && x.resource === r.resource)) RESOURCES.push(r);
    if (r.group && !GROUPS.some((g) => g.name === r.group)) GROUPS.push({ name: r.group, version: r.version });
  }
}

registerOwnerResources();
