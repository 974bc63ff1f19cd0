import { str, type Rule } from '../framework';
import { containersOf } from './util';
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
    for (const c of containersOf(ctx, true)) {
      const image = str(c.value.image);
      if (!image || image.includes('{{') || image.includes('$(') || !isMovingImage(image)) continue;
      const tag = imageTag(image) ?? 'latest';
      const policy = c.value.imagePullPolicy;
      if (policy === 'Always') continue;
      if (policy === undefined || policy === null || policy === '') {
        if (tag === 'latest') continue; // defaults to Always
        ctx.report(
          [...c.path, 'image'],
          `Image "${image}" uses the moving tag ${tag} and imagePullPolicy is ${policy === '' ? 'empty' : 'not set'}, so it defaults to IfNotPresent: each node keeps the build it pulled first, and replicas on different nodes run different builds. Set imagePullPolicy: Always, or better, pin a version.`,
          { at: 'value' },
        );
      } else if (policy === 'IfNotPresent' || policy === 'Never') {
        ctx.report(
          [...c.path, 'imagePullPolicy'],
          `imagePullPolicy ${String(policy)} with the moving tag ${tag} ("${image}"): each node keeps the build it has, so replicas on different nodes run different builds. Use Always, or pin a version.`,
          { at: 'value' },
        );
      }
    }
  },
};
