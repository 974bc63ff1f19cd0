import { obj, str, type Rule } from '../framework';
import { labelSelectorSelects, labelsOf, related } from './util';

/** An IntOrString as a count of `total` pods: integers as they are, percentages rounded up (as the disruption controller does). */
function scaled(v: unknown, total: number): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const m = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
  return m ? Math.ceil((Number(m[1]) * total) / 100) : undefined;
}

export const pdbBlocksDisruptions: Rule = {
  id: 'pdb-blocks-disruptions',
  severity: 'warning',
  title: 'PodDisruptionBudget that allows no voluntary disruption (maxUnavailable 0, or minAvailable ≥ replicas)',
  doc:
    'A budget of maxUnavailable: 0 (or 0%), minAvailable: 100%, or a minAvailable at or above the replica count of the StatefulSet it selects never allows an eviction: ' +
    '`kubectl drain`, cluster upgrades and the cluster autoscaler wait on its nodes forever, until someone deletes the budget or the pods by hand.',
  kinds: ['PodDisruptionBudget'],
  parity: {
    kubeLinter: 'pdb-max-unavailable, pdb-min-available',
    differs: 'minAvailable is compared with the replicas of the StatefulSets the budget selects in this file or the workspace (kube-linter: Deployments and other workloads in the same run).',
  },
  checkWithEnvironment(ctx, env) {
    const max = ctx.get(['spec', 'maxUnavailable']);
    if (max === 0 || max === '0%') {
      ctx.report(
        ['spec', 'maxUnavailable'],
        `maxUnavailable: ${String(max)} allows no voluntary disruption at all: a node drain or cluster upgrade waits forever on the nodes that run these pods. Use maxUnavailable: 1.`,
        { at: 'value' },
      );
      return;
    }
    const min = ctx.get(['spec', 'minAvailable']);
    if (min === undefined || min === null) return;
    if (min === '100%') {
      ctx.report(['spec', 'minAvailable'], 'minAvailable: 100% allows no voluntary disruption: a node drain or cluster upgrade waits forever on the nodes that run these pods. Use maxUnavailable: 1 instead.', { at: 'value' });
      return;
    }
    const ns = str(ctx.get(['metadata', 'namespace']));
    const selector = ctx.get(['spec', 'selector']);
    for (const sts of related(env, 'StatefulSet', ns)) {
      const spec = obj(sts.value.spec);
      const labels = labelsOf(obj(obj(spec?.template)?.metadata)?.labels);
      if (!Object.keys(labels).length || !labelSelectorSelects(selector, labels)) continue;
      const replicas = spec?.replicas === undefined || spec?.replicas === null ? 1 : spec.replicas;
      if (typeof replicas !== 'number' || replicas < 1) continue;
      const need = scaled(min, replicas);
      if (need === undefined || need < replicas) continue;
      const where = sts.uri === env.uri ? '' : ` (in ${sts.uri.replace(/^.*\//, '')})`;
      ctx.report(
        ['spec', 'minAvailable'],
        `minAvailable: ${String(min)} with ${replicas} replica${replicas === 1 ? '' : 's'} of StatefulSet "${sts.name ?? '?'}"${where}: the budget allows no voluntary disruption, so a node drain or cluster upgrade waits forever. Use maxUnavailable: 1, or a minAvailable below ${replicas}.`,
        { at: 'value' },
      );
      return;
    }
  },
};
