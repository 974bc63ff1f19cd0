import { type Rule } from '../framework';

export const terminationGracePeriodZero: Rule = {
  id: 'termination-grace-period-zero',
  severity: 'information',
  title: 'terminationGracePeriodSeconds: 0',
  doc:
    'A grace period of 0 kills the containers with SIGKILL at once, with no chance to flush, close files or leave the cluster cleanly; ' +
    'the StatefulSet documentation calls it unsafe and strongly discouraged.',
  kinds: ['StatefulSet'],
  parity: { differs: 'No linter has it.' },
  check(ctx) {
    const path = ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'];
    if (ctx.get(path) !== 0) return;
    ctx.report(
      path,
      'terminationGracePeriodSeconds: 0 risks data corruption: Kubernetes kills the containers immediately, with no time to flush writes or hand over leadership. Give the process time to stop cleanly (the default is 30 seconds).',
      { at: 'value' },
    );
  },
};
