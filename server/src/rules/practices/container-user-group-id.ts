import { type Rule } from '../framework';
import { containersOf, describeContainers, isPartial, listPhrases, securityField, type ContainerRef } from './util';
import type { Segment } from '../../schema';

const LOW = 10000;

export const containerUserGroupId: Rule = {
  id: 'container-user-group-id',
  severity: 'information',
  title: 'runAsUser or runAsGroup below 10000',
  doc:
    'User and group ids below 10000 are likely to exist on the node too (system accounts, other services). A container process that escapes its ' +
    'namespaces then acts as that host user, and files it writes to hostPath or shared volumes belong to it. kube-score recommends ids of 10000 or more.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-security-context-user-group-id (container-security-context in older releases)',
    differs:
      'Only ids that are set are compared (container, else pod securityContext); an unset runAsUser is the job of container-run-as-non-root. Information: many official database images run as a fixed low id (999, 1001) that their volumes are prepared for.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    // one finding per StatefulSet: each id with where it is set and the containers that run with it
    const groups = new Map<string, { field: string; value: number; path: Segment[]; pod: boolean; containers: ContainerRef[] }>();
    for (const c of containersOf(ctx, true)) {
      for (const field of ['runAsUser', 'runAsGroup'] as const) {
        const v = securityField(ctx, c, field, true);
        if (typeof v !== 'number' || v >= LOW || v === 0) continue; // 0 is root: container-run-as-non-root says so
        const own = (c.value.securityContext as Record<string, unknown> | undefined)?.[field] !== undefined;
        const key = own ? `${field}:${v}:own` : `${field}:${v}:pod`;
        const g = groups.get(key);
        if (g) g.containers.push(c);
        else groups.set(key, { field, value: v, pod: !own, path: own ? [...c.path, 'securityContext', field] : ['spec', 'template', 'spec', 'securityContext', field], containers: [c] });
      }
    }
    if (!groups.size) return;
    // runAsUser before runAsGroup, each in the order the containers first use them
    const sorted = [...groups.values()].sort((a, b) => (a.field === b.field ? 0 : a.field === 'runAsUser' ? -1 : 1));
    const parts = sorted.map((g) => `${g.field} ${g.value} ${g.pod ? `from the pod securityContext (${describeContainers(g.containers)})` : `on ${describeContainers(g.containers)}`}`);
    const first = sorted[0];
    ctx.report(
      first.path,
      `Ids below ${LOW}: ${listPhrases(parts)}. ${groups.size > 1 ? 'Such ids' : 'Such an id'} may belong to a user on the node. Use ids of ${LOW} or more if the image allows it.`,
      { at: 'value' },
    );
  },
};
