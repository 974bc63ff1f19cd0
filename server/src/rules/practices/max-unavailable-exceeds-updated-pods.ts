import { type Rule } from '../framework';
import { replicasOf } from './util';

export const maxUnavailableExceedsUpdatedPods: Rule = {
  id: 'max-unavailable-exceeds-updated-pods',
  severity: 'warning',
  title: 'rollingUpdate.maxUnavailable greater than the pods the update reaches (replicas − partition)',
  doc:
    'A rolling update replaces only the pods with an ordinal at or above the partition, replicas − partition of them. A maxUnavailable above that number is ' +
    'not a limit at all: every pod the update reaches may be taken down at once, which for partition 0 is the whole StatefulSet.',
  kinds: ['StatefulSet'],
  parity: { differs: 'No linter has it.' },
  check(ctx) {
    const ru = ['spec', 'updateStrategy', 'rollingUpdate'];
    const max = ctx.get([...ru, 'maxUnavailable']);
    if (ctx.get(['spec', 'updateStrategy', 'type']) === 'OnDelete') return;
    const replicas = replicasOf(ctx);
    if (replicas === undefined || replicas < 1) return;
    const p = ctx.get([...ru, 'partition']);
    const partition = typeof p === 'number' && Number.isInteger(p) && p > 0 ? p : 0;
    const reached = Math.max(0, replicas - partition);
    if (reached === 0) return; // partition-reaches-no-pod says so
    let n: number | undefined;
    if (typeof max === 'number' && Number.isInteger(max)) n = max;
    else if (typeof max === 'string' && /^\d+%$/.test(max)) n = Math.max(1, Math.floor((Number(max.slice(0, -1)) * replicas) / 100)); // rounded down, at least 1
    if (n === undefined || n <= reached) return;
    const what = partition ? `replicas ${replicas} − partition ${partition} = ${reached} pod${reached === 1 ? '' : 's'}` : `${replicas} replica${replicas === 1 ? '' : 's'}`;
    ctx.report(
      [...ru, 'maxUnavailable'],
      `maxUnavailable ${String(max)}${typeof max === 'string' ? ` (${n} of ${replicas})` : ''} is more than the ${what} this update reaches: it sets no limit, and every one of them may be down at once. Use a value of at most ${Math.max(1, reached - 1)} to keep some serving.`,
      { at: 'value' },
    );
  },
};
