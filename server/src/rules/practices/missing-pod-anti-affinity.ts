import { arr, obj, str, type Rule } from '../framework';
import { declaredReplicas, isPartial, labelSelectorSelects, labelsOf, showLabels, showReplicas, templateLabels } from './util';

const HOSTNAME = 'kubernetes.io/hostname';
/** Zone keys: a required anti-affinity term on a zone also keeps two replicas off one node. */
const ZONES = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

interface Term {
  key: string;
  selector: unknown;
  /** matchLabelKeys: the pod's own values for these keys are added to the selector. */
  matchLabelKeys: string[];
  required: boolean;
}

/** Does the term select the pod's own labels (matchLabelKeys take the pod's own values, so they always match)? */
function selectsOwn(t: Term, labels: Record<string, string>): boolean {
  if (t.matchLabelKeys.some((k) => !(k in labels))) return false;
  return labelSelectorSelects(t.selector, labels);
}

export const missingPodAntiAffinity: Rule = {
  id: 'missing-pod-anti-affinity',
  severity: 'warning',
  title: 'Several replicas (or replicas not set) and nothing keeps them on separate nodes',
  doc:
    'Without pod anti-affinity or a topology spread constraint on the node hostname, the scheduler may place several replicas on one node, ' +
    'so losing that node loses several replicas, and their data, at once. Required and preferred anti-affinity terms count, a required term on the zone ' +
    '(or region) counts as it also keeps replicas on separate nodes, and so does a topologySpreadConstraint on kubernetes.io/hostname; ' +
    "a term counts only if its labelSelector selects the pod's own labels. replicas left unset counts as \"may be more than one\" (an autoscaler or operator may own it).",
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'statefulset-has-host-podantiaffinity',
    kubeLinter: 'no-anti-affinity',
    differs:
      'Also accepted: a required zone or region term (it implies separate nodes) and a topologySpreadConstraint on the hostname (kube-score counts only hostname anti-affinity terms); ' +
      'a term whose selector misses the pod\'s own labels is named as such rather than reported as missing.',
  },
  check(ctx) {
    if (isPartial(ctx)) return;
    const replicas = declaredReplicas(ctx);
    if (replicas === undefined || (replicas !== 'unset' && replicas <= 1)) return;
    const labels = templateLabels(ctx);
    const pod = ['spec', 'template', 'spec'];
    const anti = obj(ctx.get([...pod, 'affinity', 'podAntiAffinity']));
    const term = (t: unknown, required: boolean): Term | undefined => {
      const o = obj(t);
      const key = str(o?.topologyKey);
      return o && key ? { key, selector: o.labelSelector, matchLabelKeys: arr(o.matchLabelKeys).map(String), required } : undefined;
    };
    const terms: Term[] = [
      ...arr(anti?.requiredDuringSchedulingIgnoredDuringExecution).map((t) => term(t, true)),
      ...arr(anti?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => term(obj(w)?.podAffinityTerm, false)),
      ...arr(ctx.get([...pod, 'topologySpreadConstraints'])).map((t) => term(t, false)),
    ].filter((t): t is Term => t !== undefined);
    const counts = terms.filter((t) => t.key === HOSTNAME || (t.required && ZONES.includes(t.key)));
    if (counts.some((t) => selectsOwn(t, labels))) return;
    const at = anti ? [...pod, 'affinity', 'podAntiAffinity'] : ctx.node([...pod, 'affinity']) ? [...pod, 'affinity'] : ['spec', 'template', 'spec'];
    const miss = counts[0];
    const missed = miss ? labelsOf(obj(miss.selector)?.matchLabels) : {};
    ctx.report(
      ctx.node(at) ? at : ['spec', 'template'],
      miss
        ? `The anti-affinity on ${miss.key} does not select this StatefulSet's own pods (${Object.keys(missed).length ? `it selects ${showLabels(missed)}, ` : ''}the pods have ${showLabels(labels)}), so the scheduler may still put several of its replicas on one node. Make the term's labelSelector match the template's labels.`
        : `${showReplicas(replicas)} and no pod anti-affinity or topology spread on ${HOSTNAME}: the scheduler may put several replicas on one node, and losing that node loses them all at once. Add a podAntiAffinity term (preferred or required) with topologyKey: ${HOSTNAME} that selects the pods' labels.`,
    );
  },
};
