import type { Rule } from '../framework';
import { cap, containerLabel, containersOf, isPartial, TEMPLATE_FAILS } from './support';

export const missingImage: Rule = {
  id: 'missing-image',
  severity: 'error',
  title: 'Container without an image',
  doc: 'Every container of a pod needs an image. The schema leaves `image` optional (for higher-level controllers), but a pod without one is invalid, so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    if (isPartial(ctx)) return;
    for (const at of containersOf(ctx)) {
      const image = at.c.image;
      if (image === undefined || image === null) {
        ctx.report(at.c.name !== undefined ? [...at.path, 'name'] : at.path, `${cap(containerLabel(at))} has no image. It is ${TEMPLATE_FAILS}. Add \`image: <repository>:<tag>\`.`);
      } else if (typeof image === 'string' && image.trim() === '') {
        ctx.report([...at.path, 'image'], `${cap(containerLabel(at))} has an empty image. It is ${TEMPLATE_FAILS}. Set the image to pull.`, { at: 'value' });
      } else if (typeof image === 'string' && image !== image.trim()) {
        ctx.report([...at.path, 'image'], `The image "${image}" of ${containerLabel(at)} has leading or trailing whitespace. It is ${TEMPLATE_FAILS}. Remove the spaces.`, { at: 'value' });
      }
    }
  },
};

