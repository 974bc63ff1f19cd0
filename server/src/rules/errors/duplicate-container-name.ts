import { str, type Rule } from '../framework';
import { cap, containerLabel, containersOf, TEMPLATE_FAILS } from './support';

export const duplicateContainerName: Rule = {
  id: 'duplicate-container-name',
  severity: 'error',
  title: 'Two containers with the same name',
  doc: 'Container names must be unique across containers and init containers of a pod. A duplicate in the template means the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const seen = new Map<string, string>();
    for (const at of containersOf(ctx)) {
      const name = str(at.c.name);
      if (!name) continue;
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.report([...at.path, 'name'], `${cap(containerLabel(at))} duplicates the name of an earlier ${first}; names must be unique across containers and initContainers. It is ${TEMPLATE_FAILS}. Rename one of them.`, { at: 'value' });
      } else seen.set(name, at.list === 'initContainers' ? 'init container' : 'container');
    }
  },
};
