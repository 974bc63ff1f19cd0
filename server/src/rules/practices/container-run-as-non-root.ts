import { type Rule } from '../framework';
import { containerAnchor, containersOf, isPartial, securityField } from './util';

export const containerRunAsNonRoot: Rule = {
  id: 'container-run-as-non-root',
  severity: 'information',
  title: 'Container may run as root (no runAsNonRoot: true and no non-zero runAsUser)',
  doc:
    'Unless runAsNonRoot: true or a non-zero runAsUser is set (on the container or the pod), the container runs as whatever user the image names, often root. ' +
    'A root process that escapes the container is root on the node, next to the volumes of the other replicas.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-security-context-user-group-id (container-security-context in older releases)',
    kubeLinter: 'run-as-non-root',
    differs: 'Same test as kube-linter (runAsNonRoot or a non-zero runAsUser, container or pod); information, since init containers that chown a volume legitimately run as root.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    for (const c of containersOf(ctx, true)) {
      const user = securityField(ctx, c, 'runAsUser', true);
      if (typeof user === 'number' && user > 0) continue;
      if (securityField(ctx, c, 'runAsNonRoot', true) === true && user !== 0) continue;
      ctx.report(
        containerAnchor(ctx, c, ['securityContext', user === 0 ? 'runAsUser' : 'runAsNonRoot']),
        user === 0
          ? `${c.init ? 'Init container' : 'Container'} "${c.name}" runs as root (runAsUser 0): a process that escapes it is root on the node. Run it as a non-root user if the image allows it.`
          : `${c.init ? 'Init container' : 'Container'} "${c.name}" may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set on it or the pod. Set securityContext.runAsNonRoot: true (and a runAsUser) if the image allows it.`,
      );
    }
  },
};
