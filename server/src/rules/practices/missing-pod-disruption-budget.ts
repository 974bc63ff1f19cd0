import { obj, str, type Rule } from '../framework';
import { isPartial, labelSelectorSelects, namespaceOf, related, replicasOf, templateLabels } from './util';

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
  title: 'Several replicas and no PodDisruptionBudget selects the pods',
  doc:
    'Node drains (cluster upgrades, autoscaler scale-downs) evict pods through the eviction API, which honours PodDisruptionBudgets. ' +
    'Without one, a drain may evict several replicas of a quorum-based store at once.',
  kinds: ['StatefulSet'],
  checkWithEnvironment(ctx, env) {
    if (isPartial(ctx)) return;
    const replicas = replicasOf(ctx);
    if (replicas === undefined || replicas <= 1) return;
    const labels = templateLabels(ctx);
    if (Object.keys(labels).length === 0) return; // nothing to select: the label rules say so
    const pdbs = related(env, 'PodDisruptionBudget', namespaceOf(ctx));
    if (pdbs.some((p) => labelSelectorSelects(obj(p.value.spec)?.selector, labels))) return;
    ctx.report(
      ['spec', 'replicas'],
      `${replicas} replicas and no PodDisruptionBudget selects these pods: a node drain or cluster upgrade may evict several of them at once and lose quorum. Add a PodDisruptionBudget with maxUnavailable: 1 and the StatefulSet's selector.`,
      { data: { ...pdbData(ctx.value) } },
    );
  },
};
