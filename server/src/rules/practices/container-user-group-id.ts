import { type Rule } from '../framework';
import { containersOf, isPartial, securityField } from './util';

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
    for (const c of containersOf(ctx, true)) {
      for (const field of ['runAsUser', 'runAsGroup'] as const) {
        const v = securityField(ctx, c, field, true);
        if (typeof v !== 'number' || v >= LOW || v === 0) continue; // 0 is root: container-run-as-non-root says so
        const own = (c.value.securityContext as Record<string, unknown> | undefined)?.[field] !== undefined;
        ctx.report(
          own ? [...c.path, 'securityContext', field] : ['spec', 'template', 'spec', 'securityContext', field],
          `${c.init ? 'Init container' : 'Container'} "${c.name}" runs with ${field} ${v}${own ? '' : ' (from the pod securityContext)'}, below ${LOW}: the id may belong to a user on the node. Use an id of ${LOW} or more if the image allows it.`,
          { at: 'value' },
        );
      }
    }
  },
};
