// The resource types the simulator serves, with what discovery reports for each.

export interface Subresource {
  name: string; // "status", "scale"
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceType {
  group: string; // "" for core
  version: string;
  resource: string; // plural
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Subresource[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

/** A resource type as discovery serves it (also the CRDs of snapshots.ts and owners/resources.ts). */
export function rt(
  group: string,
  version: string,
  resource: string,
  singular: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  categories: string[],
  subresources: Subresource[] = [],
): ResourceType {
  return {
    group,
    version,
    resource,
    singular,
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames,
    categories,
    verbs: kind === 'Namespace' ? ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] : ALL_VERBS,
    subresources,
  };
}

/** The `status` subresource of a kind. */
export function statusOf(group: string, version: string, kind: string): Subresource {
  return { name: 'status', group, version, kind, verbs: STATUS_VERBS };
}

export const RESOURCES: ResourceType[] = [
  rt('', 'v1', 'namespaces', 'namespace', 'Namespace', false, ['ns'], [], [statusOf('', 'v1', 'Namespace')]),
  rt('', 'v1', 'pods', 'pod', 'Pod', true, ['po'], ['all'], [
    { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
    statusOf('', 'v1', 'Pod'),
  ]),
  rt('', 'v1', 'persistentvolumeclaims', 'persistentvolumeclaim', 'PersistentVolumeClaim', true, ['pvc'], [], [
    statusOf('', 'v1', 'PersistentVolumeClaim'),
  ]),
  rt('', 'v1', 'services', 'service', 'Service', true, ['svc'], ['all'], [statusOf('', 'v1', 'Service')]),
  rt('', 'v1', 'events', 'event', 'Event', true, ['ev'], []),
  rt('apps', 'v1', 'statefulsets', 'statefulset', 'StatefulSet', true, ['sts'], ['all'], [
    { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: STATUS_VERBS },
    statusOf('apps', 'v1', 'StatefulSet'),
  ]),
  rt('apps', 'v1', 'controllerrevisions', 'controllerrevision', 'ControllerRevision', true, [], []),
  rt('policy', 'v1', 'poddisruptionbudgets', 'poddisruptionbudget', 'PodDisruptionBudget', true, ['pdb'], [], [
    statusOf('policy', 'v1', 'PodDisruptionBudget'),
  ]),
  // the same Events in the events.k8s.io/v1 shape (regarding, note, series); the simulator writes both
  rt('events.k8s.io', 'v1', 'events', 'event', 'Event', true, ['ev'], []),
  rt('', 'v1', 'nodes', 'node', 'Node', false, ['no'], [], [statusOf('', 'v1', 'Node')]),
  rt('storage.k8s.io', 'v1', 'storageclasses', 'storageclass', 'StorageClass', false, ['sc'], []),
  { ...rt('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', '', 'SelfSubjectAccessReview', false, [], []), verbs: ['create'] },
];

/** Key used by the store for a resource type: "pods", "apps/statefulsets". */
export function resourceKey(t: { group: string; resource: string }): string {
  return t.group ? `${t.group}/${t.resource}` : t.resource;
}

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function resourceByKind(kind: string): ResourceType {
  const r = RESOURCES.find((x) => x.kind === kind);
  if (!r) throw new Error(`unknown kind ${kind}`);
  return r;
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** "statefulsets.apps" / "pods": how the API server names a resource in messages. */
export function qualifiedName(t: { group: string; resource: string }): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

export const GROUPS: { name: string; version: string }[] = [
  { name: 'apps', version: 'v1' },
  { name: 'policy', version: 'v1' },
  { name: 'storage.k8s.io', version: 'v1' },
  { name: 'events.k8s.io', version: 'v1' },
  { name: 'authorization.k8s.io', version: 'v1' },
  // autoscaling/v1 only carries the Scale kind of statefulsets/scale; no resources of its own here.
  { name: 'autoscaling', version: 'v1' },
];
