// Authorization answers: whether a user's deny rules forbid a request, and the
// authorization.k8s.io/v1 SelfSubjectAccessReview a client asks before acting (kubectl auth can-i,
// the extension's preflight of a workflow).
import { badRequest, type Obj } from './status';

export interface DenyRule {
  /** Kubernetes verbs (get, list, watch, create, update, patch, delete, deletecollection) or "*". */
  verbs: string[] | '*';
  /** Plural resource name, e.g. "persistentvolumeclaims", or "*". */
  resource: string;
  /** Subresource ("scale", "status"); omitted = only the main resource. */
  subresource?: string;
}

export function isDenied(deny: DenyRule[] | undefined, verb: string, resource: string, subresource?: string): boolean {
  return (deny ?? []).some(
    (r) =>
      (r.verbs === '*' || r.verbs.includes(verb)) &&
      (r.resource === '*' || r.resource === resource) &&
      (r.subresource ?? '') === (subresource ?? ''),
  );
}

/** The reviewed object with its status filled in. */
export function selfSubjectAccessReview(user: { name: string; deny?: DenyRule[] }, review: Obj): Obj {
  const attrs = review.spec?.resourceAttributes;
  const nonResource = review.spec?.nonResourceAttributes;
  if (!attrs && !nonResource) throw badRequest('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  const allowed = attrs ? !isDenied(user.deny, String(attrs.verb ?? ''), String(attrs.resource ?? ''), attrs.subresource || undefined) : true;
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: allowed
      ? { allowed: true, reason: `RBAC: allowed by simulator user "${user.name}"` }
      : { allowed: false, denied: true, reason: `RBAC: user "${user.name}" may not ${attrs.verb} ${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''}` },
  };
}
