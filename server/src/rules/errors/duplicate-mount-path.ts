import { arr, obj, str, type Rule } from '../framework';
import { cap, containerLabel, containersOf, TEMPLATE_FAILS } from './support';

export const duplicateMountPath: Rule = {
  id: 'duplicate-mount-path',
  severity: 'error',
  title: 'Two volumeMounts of a container at the same mountPath',
  doc: 'A container can mount only one volume at a given path ("must be unique"). Two mounts at one path make the pod template invalid, so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      const seen = new Set<string>();
      arr(at.c.volumeMounts).forEach((m, i) => {
        const p = str(obj(m)?.mountPath);
        if (!p) return;
        const norm = p.length > 1 ? p.replace(/\/+$/, '') : p;
        if (seen.has(norm)) ctx.report([...at.path, 'volumeMounts', i, 'mountPath'], `${cap(containerLabel(at))} mounts two volumes at "${p}"; mountPath must be unique within a container. It is ${TEMPLATE_FAILS}. Use a different path or a subPath.`, { at: 'value' });
        seen.add(norm);
      });
    }
  },
};
