import { arr, obj, str, type Rule } from '../framework';
import { isPartial, labelSelectorSelects, replicasOf, templateLabels } from './util';

const HOSTNAME = 'kubernetes.io/hostname';

export const missingPodAntiAffinity: Rule = {
  id: 'missing-pod-anti-affinity',
  severity: 'warning',
  title: 'Several replicas and no pod anti-affinity on kubernetes.io/hostname',
  doc:
    'Without pod anti-affinity (or a topology spread constraint) on the node hostname, the scheduler may place several replicas on one node, ' +
    'so losing that node loses several replicas, and their data, at once.',
  kinds: ['StatefulSet'],
  check(ctx) {
    if (isPartial(ctx)) return;
    const replicas = replicasOf(ctx);
    if (replicas === undefined || replicas <= 1) return;
    const labels = templateLabels(ctx);
    const pod = ['spec', 'template', 'spec'];
    const anti = obj(ctx.get([...pod, 'affinity', 'podAntiAffinity']));
    const terms = [
      ...arr(anti?.requiredDuringSchedulingIgnoredDuringExecution),
      ...arr(anti?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => obj(w)?.podAffinityTerm),
    ];
    const spreads = arr(ctx.get([...pod, 'topologySpreadConstraints']));
    let hostTerm = false;
    for (const t of [...terms, ...spreads]) {
      const term = obj(t);
      if (!term || str(term.topologyKey) !== HOSTNAME) continue;
      hostTerm = true;
      if (labelSelectorSelects(term.labelSelector, labels)) return;
    }
    const at = anti ? [...pod, 'affinity', 'podAntiAffinity'] : ctx.node([...pod, 'affinity']) ? [...pod, 'affinity'] : ['spec', 'template', 'spec'];
    ctx.report(
      ctx.node(at) ? at : ['spec', 'template'],
      hostTerm
        ? `The anti-affinity on ${HOSTNAME} does not select this StatefulSet's own pods, so the scheduler may still put several of its ${replicas} replicas on one node. Make the term's labelSelector match the template's labels.`
        : `${replicas} replicas and no pod anti-affinity on ${HOSTNAME}: the scheduler may put several replicas on one node, and losing that node loses them all at once. Add a podAntiAffinity term (preferred or required) with topologyKey: ${HOSTNAME} that selects the pods' labels.`,
    );
  },
};
