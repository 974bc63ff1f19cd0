import { arr, obj, str, type Rule } from '../framework';
import { containersOf, isPartial, listNames } from './util';

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
    // one finding per StatefulSet, on the first unused template, naming every one
    const unused: Array<{ i: number; name: string }> = [];
    arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((t, i) => {
      const name = str(obj(obj(t)?.metadata)?.name);
      if (name && !used.has(name)) unused.push({ i, name });
    });
    if (!unused.length) return;
    const one = unused.length === 1;
    const names = listNames(unused.map((u) => u.name));
    ctx.report(
      ['spec', 'volumeClaimTemplates', unused[0].i, 'metadata', 'name'],
      `No container mounts the claim template${one ? '' : 's'} ${names}: every pod gets a PersistentVolumeClaim for ${one ? 'it' : 'each'} that nothing uses, and what the containers write to the directory meant for ${one ? 'it' : 'them'} goes to the container file system, lost on restart. Add a volumeMount named ${one ? names : 'after each'} at the data directory.`,
      { at: 'value' },
    );
  },
};
