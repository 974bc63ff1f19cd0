import { obj, type Rule } from '../framework';
import { containerAnchor, containersOf, describeContainers, isPartial, listPhrases, type ContainerRef } from './util';

const has = (m: unknown) => {
  const o = obj(m);
  return o !== undefined && o['ephemeral-storage'] !== undefined && o['ephemeral-storage'] !== null;
};

export const containerEphemeralStorage: Rule = {
  id: 'container-ephemeral-storage',
  severity: 'information',
  title: 'Container without an ephemeral-storage limit',
  doc:
    'Logs, emptyDir volumes and writes to the container file system use the node\'s ephemeral storage. Without a limit one container can fill the node\'s disk, ' +
    'and the kubelet then evicts pods, a StatefulSet replica among them; without a request the scheduler does not account for it either. ' +
    'A limit alone is enough: the API server sets the request to it. One finding per StatefulSet names every container that lacks one, and says which of the two it lacks.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-ephemeral-storage-request-and-limit',
    differs:
      'Information, not critical: most stateful workloads write to their claim volumes, not to ephemeral storage. A limit without a request is enough (the request defaults to the limit); ' +
      'one finding per StatefulSet lists the containers.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    // a limit alone is enough: the API server defaults the request to the limit
    const neither: ContainerRef[] = [];
    const noLimit: ContainerRef[] = [];
    for (const c of containersOf(ctx, true)) {
      const res = obj(c.value.resources);
      if (has(res?.limits)) continue;
      (has(res?.requests) ? noLimit : neither).push(c);
    }
    const all = [...neither, ...noLimit];
    if (!all.length) return;
    const parts: string[] = [];
    if (neither.length) parts.push(`${describeContainers(neither)} ${neither.length > 1 ? 'have' : 'has'} neither an ephemeral-storage request nor a limit`);
    if (noLimit.length) parts.push(`${describeContainers(noLimit)} ${noLimit.length > 1 ? 'have' : 'has'} an ephemeral-storage request but no limit`);
    const text = listPhrases(parts);
    const first = containersOf(ctx, true).find((c) => all.includes(c)) ?? all[0];
    ctx.report(
      containerAnchor(ctx, first, ['resources']),
      `${text.charAt(0).toUpperCase()}${text.slice(1)}: ${
        neither.length ? "logs, emptyDir and container-file-system writes are not accounted for, and " : ''
      }one container can fill the node's disk, which gets pods evicted. Set resources.limits "ephemeral-storage" (the request defaults to it).`,
    );
  },
};
