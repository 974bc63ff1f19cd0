import { type Rule } from '../framework';
import { containerAnchor, containersOf, isPartial, securityField } from './util';

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
    for (const c of containersOf(ctx, true)) {
      if (securityField(ctx, c, 'readOnlyRootFilesystem', false) === true) continue;
      ctx.report(
        containerAnchor(ctx, c, ['securityContext', 'readOnlyRootFilesystem']),
        `${c.init ? 'Init container' : 'Container'} "${c.name}" can write to its root file system: writes that miss its volumes are lost on restart. Set securityContext.readOnlyRootFilesystem: true (with emptyDir volumes for scratch paths such as /tmp).`,
      );
    }
  },
};
