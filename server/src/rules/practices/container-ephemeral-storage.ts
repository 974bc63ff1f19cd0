import { obj, type Rule } from '../framework';
import { isPartial, reportResource } from './util';

const has = (m: unknown) => {
  const o = obj(m);
  return o !== undefined && o['ephemeral-storage'] !== undefined && o['ephemeral-storage'] !== null;
};

export const containerEphemeralStorage: Rule = {
  id: 'container-ephemeral-storage',
  severity: 'information',
  title: 'Container without an ephemeral-storage request and limit',
  doc:
    'Logs, emptyDir volumes and writes to the container file system use the node\'s ephemeral storage. Without a request the scheduler does not account for it; ' +
    'without a limit one container can fill the node\'s disk, and the kubelet then evicts pods, a StatefulSet replica among them. Short init containers are reported together, once per pod.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-ephemeral-storage-request-and-limit',
    differs: 'Information, not critical: most stateful workloads write to their claim volumes, not to ephemeral storage; init containers that run to completion are grouped.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    reportResource(
      ctx,
      (c) => {
        const res = obj(c.value.resources);
        return !has(res?.requests) || !has(res?.limits);
      },
      ['resources'],
      (what, plural) =>
        `${what} ${plural ? 'lack' : 'lacks'} an ephemeral-storage request or limit: logs, emptyDir and container-file-system writes are not accounted for, and filling the node's disk gets pods evicted. Set both resources.requests and resources.limits "ephemeral-storage".`,
    );
  },
};
