import type { Rule } from '../framework';

export const rollingUpdateWithOnDelete: Rule = {
  id: 'rolling-update-with-on-delete',
  severity: 'error',
  title: 'rollingUpdate set with updateStrategy type OnDelete',
  doc: 'updateStrategy.rollingUpdate (partition, maxUnavailable) only applies to the RollingUpdate strategy; the API server rejects it alongside type: OnDelete.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const type = ctx.get(['spec', 'updateStrategy', 'type']);
    const ru = ctx.get(['spec', 'updateStrategy', 'rollingUpdate']);
    if (type === 'OnDelete' && ru !== undefined && ru !== null) {
      ctx.report(
        ['spec', 'updateStrategy', 'rollingUpdate'],
        'rollingUpdate is only allowed with updateStrategy type RollingUpdate; with OnDelete the API server rejects the StatefulSet. Remove rollingUpdate or set type: RollingUpdate.',
      );
    }
  },
};
