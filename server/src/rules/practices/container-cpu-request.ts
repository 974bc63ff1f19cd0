import { obj, type Rule } from '../framework';
import { isPartial, reportResource } from './util';

export const containerCpuRequest: Rule = {
  id: 'container-cpu-request',
  severity: 'warning',
  title: 'Container without a CPU request',
  doc:
    'The scheduler places pods by their requests. Without a CPU request a replica may land on a busy node and get almost no CPU under contention, ' +
    'missing heartbeats and leader elections. (A CPU limit alone is enough: the request defaults to it.) One finding per StatefulSet ' +
    'names every container that lacks one.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-resources',
    kubeLinter: 'unset-cpu-requirements',
    differs: 'No CPU limit is required (limits throttle a database under load; kube-score has --ignore-container-cpu-limit for this); one finding per StatefulSet lists every container that lacks one (kube-score and kube-linter report each container).',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    const has = (m: unknown) => {
      const o = obj(m);
      return o !== undefined && o.cpu !== undefined && o.cpu !== null;
    };
    reportResource(
      ctx,
      (c) => {
        const res = obj(c.value.resources);
        return !has(res?.requests) && !has(res?.limits);
      },
      ['resources', 'requests'],
      (what, plural) =>
        `${what} ${plural ? 'have' : 'has'} no CPU request: the scheduler reserves no CPU for ${plural ? 'them' : 'it'}, so under contention ${plural ? 'they' : 'it'} may be starved${plural ? '' : ' and miss heartbeats'}. Set resources.requests.cpu.`,
    );
  },
};
