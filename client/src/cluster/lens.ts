// The CodeLens line above each StatefulSet document of a file: the live state from the explorer's
// model ("3/3 ready · revision web-7d9f", "3/3 ready · updating 1/3, partition 2", "not in the
// cluster") and how many fields the file sets differently from the live object. Computed from
// objects already watched: no request per keystroke. Plain Node.
import type { StatefulSetView } from './model';
import type { Manifest } from './fileApply';
import { immutableChanges } from './workflows/immutable';
import { onlyClaimTemplateChanges } from './workflows/inPlace';
import type { Owner } from './owners/detect';

/** For the CodeLens: who manages the live object and what a live apply meets. */
export function managedText(o: Owner): string {
  const then =
    o.type === 'operator'
      ? `change the ${o.ref.kind}; a live apply is reverted`
      : o.type === 'helm'
        ? 'the next helm upgrade overwrites a live apply'
        : o.reverts === 'no'
          ? 'edit in git; a live apply stands until sync resumes'
          : 'edit in git; a live apply will be reverted';
  return `managed by ${o.title}: ${then}`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Fields the file sets to a value the live object does not have ("spec.replicas",
 * "spec.template.spec.containers[0].image"). Fields the file leaves out are the server's (defaults,
 * other managers) and do not count, as with server-side apply.
 */
export function fieldsDifferingFromLive(file: unknown, live: unknown, path = ''): string[] {
  if (isObj(file)) {
    if (path === '' || path === 'metadata') {
      // bookkeeping the file does not own (list items come without apiVersion and kind)
      const skip = path === '' ? new Set(['status', 'apiVersion', 'kind']) : new Set(['resourceVersion', 'uid', 'generation', 'creationTimestamp', 'managedFields', 'namespace']);
      return Object.keys(file)
        .filter((k) => !skip.has(k))
        .flatMap((k) => fieldsDifferingFromLive(file[k], isObj(live) ? live[k] : undefined, path ? `${path}.${k}` : k));
    }
    if (Object.keys(file).length === 0) return isObj(live) || live === undefined ? [] : [path];
    return Object.keys(file).flatMap((k) => fieldsDifferingFromLive(file[k], isObj(live) ? live[k] : undefined, `${path}.${k}`));
  }
  if (Array.isArray(file)) {
    if (!Array.isArray(live) || live.length !== file.length) return [path];
    return file.flatMap((x, i) => fieldsDifferingFromLive(x, live[i], `${path}[${i}]`));
  }
  if (file === null || file === undefined) return [];
  // quantities and numbers as strings compare by text, like the API server's canonical form would mostly keep them
  return String(file) === String(live) ? [] : [path];
}

export interface LensInfo {
  /** "3/3 ready · revision web-7d9f", "not in the cluster" */
  state: string;
  /** "file differs: 2 fields", "file matches the cluster", or undefined when not in the cluster */
  differs?: string;
  fields: string[];
  /** an immutable change (the forbidden-update case): which guided path fits; 'in-place' when the
   * cluster is known to update claim templates in place (KEP-4650) and only they change: a plain Apply */
  guided?: 'resize' | 'recreate' | 'refuse' | 'in-place';
  /** "managed by Argo CD app payments: edit in git; a live apply will be reverted" when an owner reverts live changes */
  managed?: string;
}

export function lensInfo(view: StatefulSetView | undefined, file: Manifest, inPlaceClaimTemplates = false): LensInfo {
  if (!view) return { state: 'not in the cluster', fields: [] };
  const rev = view.updating ? '' : view.currentRevision ? ` · revision ${view.currentRevision}` : '';
  const fields = fieldsDifferingFromLive(file, view.sts);
  const ch = immutableChanges(view.sts as Manifest, file);
  return {
    state: `${view.summary}${rev}`,
    differs: fields.length ? `file differs: ${fields.length} field${fields.length === 1 ? '' : 's'}` : 'file matches the cluster',
    fields,
    guided: ch.kind === 'none' ? undefined : inPlaceClaimTemplates && onlyClaimTemplateChanges(ch) ? 'in-place' : ch.kind,
    managed: view.owner ? managedText(view.owner) : undefined,
  };
}
