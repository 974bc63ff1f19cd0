import { str, type Rule } from '../framework';
import { containersOf, listPhrases } from './util';
import type { Segment } from '../../schema';
import { imageTag, isMovingImage } from './image-tag-latest';

export const imagePullPolicy: Rule = {
  id: 'image-pull-policy',
  severity: 'warning',
  title: 'A moving image tag that nodes do not pull again (imagePullPolicy IfNotPresent or Never)',
  doc:
    'With imagePullPolicy IfNotPresent (the default for any tag other than latest) or Never, a node reuses whatever build of the image it pulled first. ' +
    'For a moving tag (latest, nightly, main, stable …) the replicas of a StatefulSet then run different builds depending on the node they land on, ' +
    'and a restarted pod may come back with an older one.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'container-image-pull-policy',
    differs:
      'kube-score asks for Always everywhere. We flag only a moving tag that nodes will not pull again: for a pinned version or digest, IfNotPresent is the right policy, ' +
      'and Always only adds a registry round trip (and a registry outage) to every pod start.',
  },
  check(ctx) {
    // one finding per StatefulSet, on the first container, naming every image that nodes will not pull again
    const found: Array<{ path: Segment[]; text: string }> = [];
    for (const c of containersOf(ctx, true)) {
      const image = str(c.value.image);
      if (!image || image.includes('{{') || image.includes('$(') || !isMovingImage(image)) continue;
      const tag = imageTag(image);
      const moving = tag === undefined ? 'no tag (so :latest)' : `the moving tag ${tag}`;
      const policy = c.value.imagePullPolicy;
      if (policy === 'Always') continue;
      if (policy === undefined || policy === null || policy === '') {
        if ((tag ?? 'latest') === 'latest') continue; // defaults to Always
        found.push({ path: [...c.path, 'image'], text: `"${image}" of container "${c.name}" has ${moving} and ${policy === '' ? 'an empty imagePullPolicy' : 'no imagePullPolicy'}, which then defaults to IfNotPresent` });
      } else if (policy === 'IfNotPresent' || policy === 'Never') {
        found.push({ path: [...c.path, 'imagePullPolicy'], text: `"${image}" of container "${c.name}" has ${moving} and imagePullPolicy ${String(policy)}` });
      }
    }
    if (!found.length) return;
    ctx.report(
      found[0].path,
      `Image ${listPhrases(found.map((f) => f.text))}: each node keeps the build it pulled first, so replicas on different nodes run different builds. Set imagePullPolicy: Always, or better, pin a version.`,
      { at: 'value' },
    );
  },
};
