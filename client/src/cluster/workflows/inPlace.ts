// KEP-4650 (in-place StatefulSet claim template updates, behind a feature gate, off unless the cluster
// enables it): ask the API server itself whether it accepts a change to spec.volumeClaimTemplates — a
// server-side apply dry run (dryRun=All) of the file's StatefulSet with every other immutable field set
// to the live value. Accepted: a plain Apply replaces the orphan-delete/re-create. Plain Node.
import { KubeError } from '../errors';
import type { KubeHttp } from '../http';
import { serverApply, type Manifest } from '../fileApply';
import { immutableChanges, type ImmutableChanges } from './immutable';

/** The last answer per cluster (server URL): what the CodeLens and quick fixes say without a request. */
const known = new Map<string, boolean>();

export function inPlaceKnown(cluster: string): boolean | undefined {
  return known.get(cluster);
}

/** True when the only immutable changes are in the claim templates (what KEP-4650 makes mutable). */
export function onlyClaimTemplateChanges(ch: ImmutableChanges): boolean {
  return ch.kind !== 'none' && !ch.serviceName && !ch.podManagementPolicy && !ch.selectorChanged;
}

/**
 * Whether the cluster updates claim templates in place, by a dry run of `file` against `live`
 * (undefined when the file changes nothing in the claim templates: nothing to ask). A refusal of the
 * immutable-field kind means no; any other error is thrown (unreachable, 403: said as such).
 */
export async function probeInPlaceClaimTemplates(http: KubeHttp, cluster: string, live: Manifest, file: Manifest, defaultNs: string): Promise<boolean | undefined> {
  const ch = immutableChanges(live, file);
  if (!ch.changes.some((c) => c.startsWith('claim template'))) return undefined;
  const probe: Manifest = structuredClone(file);
  probe.spec ??= {};
  // every immutable field but volumeClaimTemplates as it is live
  for (const k of ['serviceName', 'podManagementPolicy', 'selector'] as const) {
    if (live.spec?.[k] === undefined) delete probe.spec[k];
    else probe.spec[k] = structuredClone(live.spec[k]);
  }
  try {
    await serverApply(http, probe, defaultNs, { dryRun: true, force: true });
    known.set(cluster, true);
    return true;
  } catch (e) {
    if (e instanceof KubeError && e.code === 422 && /updates to statefulset spec for fields other than/.test(`${e.message} ${JSON.stringify(e.status ?? {})}`)) {
      known.set(cluster, false);
      return false;
    }
    throw e;
  }
}

/** What an in-place claim template update does and does not do, said before Apply. */
export function inPlaceMessage(name: string, ch: ImmutableChanges): string {
  const lines = [
    `This cluster updates StatefulSet claim templates in place (KEP-4650 enabled): the API server accepted a dry run that changes only spec.volumeClaimTemplates of ${name}.`,
    'A plain Apply changes the template: no orphan delete, no re-create; pods and PVCs are not deleted (same UIDs).',
    'The template is what PVCs created from now on (new ordinals) get.',
  ];
  if (ch.resizes.length)
    lines.push(
      'Existing PVCs: this extension does not grow them on this path; growing a bound PVC is still a PVC expansion, allowed only when its StorageClass sets allowVolumeExpansion: true (Resize Storage… on a cluster without the gate, or kubectl patch pvc).',
    );
  return lines.join(' ');
}
