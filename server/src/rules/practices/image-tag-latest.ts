import { str, type Rule } from '../framework';
import { containersOf } from './util';

/** The tag of an image reference: undefined when there is none, '' when pinned by digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '';
  const slash = image.lastIndexOf('/');
  const last = image.slice(slash + 1);
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

export const imageTagLatest: Rule = {
  id: 'image-tag-latest',
  severity: 'warning',
  title: 'Image tag latest or no tag',
  doc:
    'An image without a tag means :latest. Pods of a StatefulSet are created one by one, at different times (scale-up, reschedule, node loss), ' +
    'so replicas can run different versions; and a rollback restores the same :latest reference, not the old image.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const c of containersOf(ctx, true)) {
      const image = str(c.value.image);
      if (!image || image.includes('{{')) continue;
      const tag = imageTag(image);
      if (tag !== undefined && tag !== 'latest') continue;
      ctx.report(
        [...c.path, 'image'],
        `Image "${image}" ${tag === undefined ? 'has no tag, so it means :latest' : 'uses the tag latest'}: pods created at different times (scale-up, reschedule) may run different versions, and a rollback does not bring the old image back. Pin a version tag or a digest.`,
        { at: 'value' },
      );
    }
  },
};
