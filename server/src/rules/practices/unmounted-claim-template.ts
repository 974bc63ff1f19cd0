import { arr, obj, str, type Rule } from '../framework';
import { containersOf, isPartial } from './util';

export const unmountedClaimTemplate: Rule = {
  id: 'unmounted-claim-template',
  severity: 'warning',
  title: 'volumeClaimTemplate that no container mounts',
  doc:
    'Each claim template gives every pod its own PersistentVolumeClaim, but the volume holds data only where a container mounts it. If no container (or init container) ' +
    'mounts it (volumeMounts) or uses it as a block device (volumeDevices), the database writes to the container file system instead, and that data is lost on every restart, ' +
    'while the claim sits empty.',
  kinds: ['StatefulSet'],
  parity: { differs: 'No linter has it (kube-score and kube-linter do not relate claim templates to mounts).' },
  check(ctx) {
    if (isPartial(ctx)) return;
    const used = new Set<string>();
    for (const c of containersOf(ctx, true)) {
      for (const m of [...arr(c.value.volumeMounts), ...arr(c.value.volumeDevices)]) {
        const n = str(obj(m)?.name);
        if (n) used.add(n);
      }
    }
    arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((t, i) => {
      const name = str(obj(obj(t)?.metadata)?.name);
      if (!name || used.has(name)) return;
      ctx.report(
        ['spec', 'volumeClaimTemplates', i, 'metadata', 'name'],
        `No container mounts the claim template "${name}": every pod gets a PersistentVolumeClaim for it, but the data goes to the container file system and is lost on restart. Add a volumeMount named "${name}" at the data directory.`,
        { at: 'value' },
      );
    });
  },
};
