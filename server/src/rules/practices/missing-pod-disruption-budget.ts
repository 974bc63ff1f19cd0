import { obj, str, type IndexedObject, type Rule } from '../framework';
import { declaredReplicas, isPartial, labelSelectorSelects, namespaceOf, allNamespaces, related, showReplicas, templateLabels } from './util';

/** What the "add a PodDisruptionBudget" quick fix needs, carried in Diagnostic.data. */
export interface PdbData {
  fix: 'add-pod-disruption-budget';
  name: string;
  namespace?: string;
  selector: Record<string, unknown>;
}

/** The PodDisruptionBudget a StatefulSet (plain value) needs: maxUnavailable 1, the StatefulSet's selector. */
export function pdbData(sts: Record<string, unknown>): PdbData {
  const meta = obj(sts.metadata);
  const spec = obj(sts.spec);
  const namespace = str(meta?.namespace);
  const selector = obj(spec?.selector) ?? { matchLabels: obj(obj(obj(spec?.template)?.metadata)?.labels) ?? {} };
  return { fix: 'add-pod-disruption-budget', name: `${str(meta?.name) ?? 'statefulset'}-pdb`, ...(namespace ? { namespace } : {}), selector };
}

export const missingPodDisruptionBudget: Rule = {
  id: 'missing-pod-disruption-budget',
  severity: 'warning',
  title: 'Several replicas (or replicas not set) and no PodDisruptionBudget in the namespace selects the pods',
  doc:
    'Node drains (cluster upgrades, autoscaler scale-downs) evict pods through the eviction API, which honours PodDisruptionBudgets. ' +
    'Without one, a drain may evict several replicas at once, and each comes back only after it has been rescheduled and has re-attached its volume. ' +
    'A budget counts only in the StatefulSet\'s namespace and only if its selector selects the pod template\'s labels. ' +
    'replicas left unset counts as "may be more than one": an autoscaler or operator may own it.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'statefulset-has-poddisruptionbudget',
    differs: 'A budget found elsewhere in the workspace counts, and one that selects the pods from another namespace is named in the message.',
  },
  checkWithEnvironment(ctx, env) {
    if (isPartial(ctx)) return;
    const replicas = declaredReplicas(ctx);
    if (replicas === undefined || (replicas !== 'unset' && replicas <= 1)) return;
    const labels = templateLabels(ctx);
    if (Object.keys(labels).length === 0) return; // nothing to select: the label rules say so
    const ns = namespaceOf(ctx);
    const selects = (p: IndexedObject) => labelSelectorSelects(obj(p.value.spec)?.selector, labels);
    if (related(env, 'PodDisruptionBudget', ns).some(selects)) return;
    const elsewhere = ns === undefined ? undefined : allNamespaces(env, 'PodDisruptionBudget').find((p) => p.namespace !== undefined && p.namespace !== ns && selects(p));
    const also = elsewhere ? ` (PodDisruptionBudget "${elsewhere.name ?? '?'}" selects them, but it is in namespace ${elsewhere.namespace} and a budget only applies in its own namespace)` : '';
    ctx.report(
      ctx.node(['spec', 'replicas']) ? ['spec', 'replicas'] : ['spec'],
      `${showReplicas(replicas)} and no PodDisruptionBudget in ${ns ? `namespace ${ns}` : 'this namespace'} selects these pods${also}: a node drain or cluster upgrade may evict several of them at once, and each is unavailable until it is rescheduled and its volume re-attached. Add a PodDisruptionBudget with maxUnavailable: 1 and the StatefulSet's selector.`,
      { data: { ...pdbData(ctx.value) } },
    );
  },
};
