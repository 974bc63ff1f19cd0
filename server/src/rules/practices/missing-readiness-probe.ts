import { type Rule } from '../framework';
import { containersOf, isPartial } from './util';

export const missingReadinessProbe: Rule = {
  id: 'missing-readiness-probe',
  severity: 'warning',
  title: 'No container has a readiness probe',
  doc:
    'A rolling update (and OrderedReady scaling) moves to the next ordinal once the current pod is Ready. Without a readiness probe a pod is Ready as soon as ' +
    'its containers start, so the update can replace every replica before the first one actually serves, and the Service routes traffic to pods that are not ready.',
  kinds: ['StatefulSet'],
  parity: { kubeScore: 'pod-probes', kubeLinter: 'no-readiness-probe', differs: 'One readiness probe in the pod is enough (sidecars need none), as in kube-score; but it applies whether or not a Service targets the pods (kube-score skips untargeted pods): a StatefulSet\'s rolling update and OrderedReady scaling wait for Ready themselves. A missing liveness probe is not reported (kube-score: only if you really need one).' },
  check(ctx) {
    if (isPartial(ctx)) return;
    const containers = containersOf(ctx, false);
    if (containers.length === 0) return;
    if (containers.some((c) => c.value.readinessProbe !== undefined && c.value.readinessProbe !== null)) return;
    const c = containers[0];
    ctx.report(
      ctx.node([...c.path, 'name']) ? [...c.path, 'name'] : ['spec', 'template', 'spec', 'containers'],
      `No container has a readiness probe ("${c.name}"${containers.length > 1 ? ` and ${containers.length - 1} more` : ''}): each pod counts as Ready as soon as it starts, so a rolling update moves on to the next ordinal before this one serves, and may take down every replica. Add a readinessProbe that checks the service is ready.`,
    );
  },
};
