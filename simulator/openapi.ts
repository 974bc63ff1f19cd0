// A minimal OpenAPI v3 surface: enough for kubectl to see that the server validates fields itself
// (the fieldValidation query parameter on PATCH), so `kubectl apply`/`create` work without
// --validate=false. No schemas are served: kubectl falls back to its built-in types for patches.
import { GROUPS, RESOURCES } from './resources';
import type { Obj } from './status';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openapiRoot(): Obj {
  const paths: Obj = {};
  for (const g of [{ name: '', version: 'v1' }, ...GROUPS]) {
    const p = gvPath(g.name, g.version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${Buffer.from(p).toString('hex').slice(0, 32).toUpperCase()}` };
  }
  return { paths };
}

const PARAMS = [
  { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.', schema: { type: 'string', uniqueItems: true } },
  { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
  { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
];

/** The OpenAPI v3 document of one group/version, or undefined. */
export function openapiGroupVersion(segs: string[]): Obj | undefined {
  const [kind, a, b] = segs; // ["api","v1"] or ["apis","apps","v1"]
  const group = kind === 'apis' ? a : '';
  const version = kind === 'apis' ? b : a;
  if (!version || !(group === '' ? version === 'v1' : GROUPS.some((g) => g.name === group && g.version === version))) return undefined;
  const paths: Obj = {};
  for (const r of RESOURCES.filter((x) => x.group === group && x.version === version)) {
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    const gvk = { group, version, kind: r.kind };
    const op = (id: string): Obj => ({ operationId: id, 'x-kubernetes-action': id, 'x-kubernetes-group-version-kind': gvk, parameters: PARAMS, responses: {} });
    paths[base] = { post: op('post'), get: op('list') };
    paths[`${base}/{name}`] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (StatefulSet Studio simulator)', version: 'v1.32.0-simulator' },
    paths,
    components: { schemas: {} },
  };
}
