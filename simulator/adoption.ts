// Adoption, as the StatefulSet controller's ClaimPods / ClaimControllerRevisions do: a StatefulSet
// takes as its own (controller owner reference) every pod and ControllerRevision in its namespace
// that has no controller, matches its selector and — for pods — is named <set>-<ordinal>. This is
// what lets a StatefulSet deleted with propagationPolicy Orphan be re-created without restarting
// its pods.
import { resourceByKind } from './resources';
import { matchesLabelSelector } from './selectors';
import type { Obj } from './status';
import { clone, type Store } from './store';

const POD = resourceByKind('Pod');
const REV = resourceByKind('ControllerRevision');

function hasController(o: Obj): boolean {
  return (o.metadata?.ownerReferences ?? []).some((r: Obj) => r.controller);
}

/** Adopt matching orphans; returns how many objects were adopted. */
export function adoptOrphans(store: Store, sts: Obj): number {
  const ns = sts.metadata.namespace;
  const name = sts.metadata.name;
  const sel = sts.spec?.selector;
  if (!sel || sts.metadata.deletionTimestamp) return 0;
  let n = 0;
  const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true };
  for (const [t, memberOf] of [
    [POD, (o: Obj) => /^\d+$/.test(String(o.metadata.name).slice(name.length + 1)) && String(o.metadata.name).startsWith(`${name}-`)],
    [REV, () => true],
  ] as const) {
    for (const o of store.listRaw(t, ns)) {
      if (hasController(o) || o.metadata.deletionTimestamp || !memberOf(o) || !matchesLabelSelector(sel, o.metadata.labels)) continue;
      const next = clone(o);
      next.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), ref];
      store.update(t, next);
      n++;
    }
  }
  return n;
}
