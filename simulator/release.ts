// Release, the other half of the StatefulSet controller's ClaimPods: a pod the StatefulSet controls
// whose labels no longer match its selector (or whose name is not <set>-<ordinal>) loses the
// StatefulSet's controller owner reference and becomes an orphan; the set then creates a new pod
// for that ordinal once the name is free. (upstream: "should adopt matching orphans and release
// non-matching pods".)
import { resourceByKind } from './resources';
import { matchesLabelSelector } from './selectors';
import type { Obj } from './status';
import { clone, type Store } from './store';

const POD = resourceByKind('Pod');

/** Is the pod a member of the set by name: <set>-<ordinal>? */
export function isMemberName(setName: string, podName: string): boolean {
  return podName.startsWith(`${setName}-`) && /^\d+$/.test(podName.slice(setName.length + 1));
}

/** Releases the set's pods that no longer match; returns the names released. */
export function releaseNonMatching(store: Store, sts: Obj, podNames: Iterable<string>): string[] {
  const ns = sts.metadata.namespace;
  const out: string[] = [];
  if (sts.metadata.deletionTimestamp) return out;
  for (const n of podNames) {
    const p = store.peek(POD, ns, n);
    if (!p || p.metadata.deletionTimestamp) continue;
    const refs: Obj[] = p.metadata.ownerReferences ?? [];
    if (!refs.some((r) => r.controller && r.uid === sts.metadata.uid)) continue;
    if (matchesLabelSelector(sts.spec?.selector, p.metadata.labels) && isMemberName(sts.metadata.name, n)) continue;
    const next = clone(p);
    next.metadata.ownerReferences = refs.filter((r) => r.uid !== sts.metadata.uid);
    if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
    store.update(POD, next);
    out.push(n);
  }
  return out;
}
