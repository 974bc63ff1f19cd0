import { type Rule } from '../framework';
import { containerAnchor, containersOf, describeContainers, isPartial, securityField } from './util';

export const containerReadOnlyRootFs: Rule = {
  id: 'container-read-only-root-fs',
  severity: 'information',
  title: 'Container root file system is writable',
  doc:
    'With readOnlyRootFilesystem: true a container can write only to its volumes. For a StatefulSet that is also a guard for the data: ' +
    'a write that misses the claim volume (a wrong path) fails at once instead of going to the container file system, where it is lost on the next restart.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-security-context-readonlyrootfilesystem (container-security-context in older releases)',
    kubeLinter: 'no-read-only-root-fs',
    differs: 'Information rather than critical: many database images write to paths outside their data volume (sockets, pid files) and need extra emptyDir mounts first.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    const found = containersOf(ctx, true).filter((c) => securityField(ctx, c, 'readOnlyRootFilesystem', false) !== true);
    if (!found.length) return;
    const many = found.length > 1;
    ctx.report(
      containerAnchor(ctx, found[0], ['securityContext', 'readOnlyRootFilesystem']),
      `${describeContainers(found, true)} can write to ${many ? 'their' : 'its'} root file system: writes that miss ${many ? 'their' : 'its'} volumes are lost on restart. Set securityContext.readOnlyRootFilesystem: true (with emptyDir volumes for scratch paths such as /tmp).`,
    );
  },
};
