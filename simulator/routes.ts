// Paths served by modules of their own (the kubelet's stats/summary through the node proxy), and API
// groups that can be switched off per server (CRDs that a cluster may or may not have installed).
// server.ts asks these before its own routing; the modules say what a request needs (RBAC) and answer it.
import type { ServerResponse } from 'node:http';
import { ApiError, type Obj } from './status';

export interface ExtraMatch {
  /** what RBAC checks: verb on resource/subresource (e.g. get nodes/proxy) */
  verb: string;
  resource: string;
  subresource?: string;
  group?: string;
  name?: string;
  serve(res: ServerResponse): void;
}

export interface ExtraRoute {
  /** undefined when the path is not this route's */
  match(segs: string[], method: string): ExtraMatch | undefined;
}

/** The 403 the API server gives for a denied extra route (same wording as for resources). */
export function extraForbidden(user: string, m: ExtraMatch): ApiError {
  const res = m.subresource ? `${m.resource}/${m.subresource}` : m.resource;
  const what = m.name ? `${m.group ? `${m.resource}.${m.group}` : m.resource} "${m.name}"` : m.resource;
  return new ApiError(403, 'Forbidden', `${what} is forbidden: User "${user}" cannot ${m.verb} resource "${res}" in API group "${m.group ?? ''}" at the cluster scope`, {
    ...(m.name ? { name: m.name } : {}),
    kind: m.resource,
  });
}

/** Discovery documents without the API groups that are switched off on this server. */
export function withoutGroups(doc: Obj, hidden: (group: string) => boolean): Obj {
  if (doc.kind === 'APIGroupList') return { ...doc, groups: (doc.groups ?? []).filter((g: Obj) => !hidden(g.name)) };
  if (doc.kind === 'APIGroupDiscoveryList') return { ...doc, items: (doc.items ?? []).filter((g: Obj) => !hidden(g.metadata?.name ?? '')) };
  return doc;
}
