import { obj, type Rule } from '../framework';
import { containerAnchor, containersOf, isPartial } from './util';

export const containerCpuRequest: Rule = {
  id: 'container-cpu-request',
  severity: 'warning',
  title: 'Container without a CPU request',
  doc:
    'The scheduler places pods by their requests. Without a CPU request a replica may land on a busy node and get almost no CPU under contention, ' +
    'missing heartbeats and leader elections. (A CPU limit alone is enough: the request defaults to it.)',
  kinds: ['StatefulSet'],
  check(ctx) {
    if (isPartial(ctx)) return;
    for (const c of containersOf(ctx, true)) {
      const res = obj(c.value.resources);
      const has = (m: unknown) => {
        const o = obj(m);
        return o !== undefined && o.cpu !== undefined && o.cpu !== null;
      };
      if (has(res?.requests) || has(res?.limits)) continue;
      ctx.report(
        containerAnchor(ctx, c, ['resources', 'requests']),
        `${c.init ? 'Init container' : 'Container'} "${c.name}" has no CPU request: the scheduler reserves no CPU for it, so under contention it may be starved and miss heartbeats. Set resources.requests.cpu.`,
      );
    }
  },
};
