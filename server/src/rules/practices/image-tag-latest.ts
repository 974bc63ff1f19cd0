import { str, type Rule } from '../framework';
import { containersOf, listPhrases } from './util';
import type { Segment } from '../../schema';

/** The tag of an image reference: undefined when there is none, '' when pinned by digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '';
  const slash = image.lastIndexOf('/');
  const last = image.slice(slash + 1);
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

/** Tags that registries move to a new build: latest and the usual branch or channel names. */
export const MOVING_TAGS: readonly string[] = ['latest', 'nightly', 'main', 'master', 'edge', 'stable', 'dev', 'develop', 'development', 'canary', 'unstable', 'snapshot'];

/** Does the image name a build that moves (no tag, latest, nightly, main …)? Digests never move. */
export function isMovingImage(image: string): boolean {
  const tag = imageTag(image);
  return tag === undefined || MOVING_TAGS.includes(tag.toLowerCase());
}

export const imageTagLatest: Rule = {
  id: 'image-tag-latest',
  severity: 'warning',
  title: 'Image tag latest, another moving tag (nightly, main, stable …) or no tag',
  doc:
    'An image without a tag means :latest, and tags such as nightly, main, master, edge, stable or dev are moved to new builds as well. Pods of a StatefulSet are ' +
    'created one by one, at different times (scale-up, reschedule, node loss), so replicas can run different builds; and a rollback restores the same reference, not the old image.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-image-tag',
    kubeLinter: 'latest-tag',
    differs: 'Also the moving tags nightly, main, master, edge, stable, dev (and develop, canary, unstable, snapshot), which neither linter flags by default.',
  },
  check(ctx) {
    // one finding per StatefulSet, on the first such image, naming every one
    const found: Array<{ path: Segment[]; text: string }> = [];
    const containers = containersOf(ctx, true);
    for (const c of containers) {
      const image = str(c.value.image);
      if (!image || image.includes('{{') || image.includes('$(')) continue;
      if (!isMovingImage(image)) continue;
      const tag = imageTag(image);
      const what = tag === undefined ? 'has no tag, so it means :latest' : tag === 'latest' ? 'uses the tag latest' : `uses the tag ${tag}, which its publisher moves to new builds`;
      found.push({ path: [...c.path, 'image'], text: `"${image}"${containers.length > 1 ? ` (container "${c.name}")` : ''} ${what}` });
    }
    if (!found.length) return;
    ctx.report(
      found[0].path,
      `Image ${listPhrases(found.map((f) => f.text))}: pods created at different times (scale-up, reschedule) may run different builds, and a rollback does not bring the old image back. Pin a version tag or a digest.`,
      { at: 'value' },
    );
  },
};
