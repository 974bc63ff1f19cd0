// Fields of feature gates that are off in the Kubernetes version the simulator claims (v1.32, default
// gates): the real API server drops them on write unless the stored object already uses them
// (dropStatefulSetDisabledFields in pkg/registry/apps/statefulset/strategy.go). The simulator does the
// same rather than pretend to honour them.
//   - spec.updateStrategy.rollingUpdate.maxUnavailable: MaxUnavailableStatefulSet (alpha, off), so a
//     rolling update replaces one pod at a time whatever maxUnavailable says.
import type { Obj } from './status';

function maxUnavailableInUse(sts: Obj | undefined): boolean {
  const v = sts?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
  return v !== undefined && v !== null;
}

/** Drops the fields of disabled gates from a StatefulSet about to be stored (old: the stored one, on update). */
export function dropDisabledStatefulSetFields(next: Obj, old?: Obj): void {
  const ru = next?.spec?.updateStrategy?.rollingUpdate;
  if (ru && typeof ru === 'object' && 'maxUnavailable' in ru && !maxUnavailableInUse(old)) delete ru.maxUnavailable;
}
