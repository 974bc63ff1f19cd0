import { type Rule } from '../framework';
import { containerAnchor, containersOf, describeContainers, isPartial, listPhrases, securityField, type ContainerRef } from './util';

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
    const root: ContainerRef[] = [];
    const maybe: ContainerRef[] = [];
    let first: { c: ContainerRef; field: string } | undefined;
    for (const c of containersOf(ctx, true)) {
      const user = securityField(ctx, c, 'runAsUser', true);
      if (typeof user === 'number' && user > 0) continue;
      if (securityField(ctx, c, 'runAsNonRoot', true) === true && user !== 0) continue;
      (user === 0 ? root : maybe).push(c);
      first ??= { c, field: user === 0 ? 'runAsUser' : 'runAsNonRoot' };
    }
    if (!first) return;
    const parts: string[] = [];
    if (root.length) parts.push(`${describeContainers(root)} ${root.length > 1 ? 'run' : 'runs'} as root (runAsUser 0)`);
    if (maybe.length)
      parts.push(`${describeContainers(maybe)} may run as root (neither runAsNonRoot: true nor a non-zero runAsUser is set on ${maybe.length > 1 ? 'them' : 'it'} or the pod)`);
    const text = listPhrases(parts);
    ctx.report(
      containerAnchor(ctx, first.c, ['securityContext', first.field]),
      `${text.charAt(0).toUpperCase()}${text.slice(1)}: a process that escapes is root on the node. ` +
        (maybe.length ? 'Set securityContext.runAsNonRoot: true (and a non-zero runAsUser) if the image allows it.' : 'Run as a non-root user if the image allows it.'),
    );
  },
};
