// Discovery documents: legacy (/api, /apis, /api/v1, /apis/<group>/<version>) and aggregated v2.
import { GROUPS, RESOURCES, type ResourceType } from './resources';
import type { Obj } from './status';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version (if any) an Accept header asks for first. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('as=APIGroupDiscoveryList')) {
      if (p.startsWith('application/json') || p.startsWith('*/*')) return undefined;
      continue;
    }
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}

export function versionInfo(): Obj {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-simulator',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(): Obj {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  };
}

function groupVersionOf(name: string, version: string): Obj {
  return { groupVersion: `${name}/${version}`, version };
}

export function apiGroup(name: string): Obj | undefined {
  const g = GROUPS.find((x) => x.name === name);
  if (!g) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: [groupVersionOf(name, g.version)], preferredVersion: groupVersionOf(name, g.version) };
}

export function apiGroupList(): Obj {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: GROUPS.map((g) => ({ name: g.name, versions: [groupVersionOf(g.name, g.version)], preferredVersion: groupVersionOf(g.name, g.version) })),
  };
}

function legacyResource(r: ResourceType): Obj {
  const o: Obj = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  };
  if (r.shortNames.length) o.shortNames = r.shortNames;
  if (r.categories.length) o.categories = r.categories;
  o.storageVersionHash = Buffer.from(r.resource).toString('base64').slice(0, 11);
  return o;
}

export function resourceList(group: string, version: string): Obj | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  const isGroup = group === '' || GROUPS.some((g) => g.name === group && g.version === version);
  if (!isGroup) return undefined;
  const resources: Obj[] = [];
  for (const r of RESOURCES.filter((x) => x.group === group && x.version === version)) {
    resources.push(legacyResource(r));
    for (const s of r.subresources) {
      const sub: Obj = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== r.group || s.version !== r.version) {
        sub.group = s.group;
        sub.version = s.version;
      }
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function aggregatedResource(r: ResourceType): Obj {
  const o: Obj = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) o.shortNames = r.shortNames;
  if (r.categories.length) o.categories = r.categories;
  if (r.subresources.length)
    o.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  return o;
}

/** APIGroupDiscoveryList for /api (core) or /apis (named groups). */
export function aggregated(core: boolean, version: 'v2' | 'v2beta1'): Obj {
  const groups = core ? [{ name: '', version: 'v1' }] : GROUPS;
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
      versions: [
        {
          version: g.version,
          resources: RESOURCES.filter((r) => r.group === g.name && r.version === g.version).map(aggregatedResource),
          freshness: 'Current',
        },
      ],
    })),
  };
}
