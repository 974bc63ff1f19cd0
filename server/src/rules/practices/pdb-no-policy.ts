import { type Rule } from '../framework';

const set = (v: unknown) => v !== undefined && v !== null;

export const pdbNoPolicy: Rule = {
  id: 'pdb-no-policy',
  severity: 'warning',
  title: 'PodDisruptionBudget without minAvailable or maxUnavailable',
  doc:
    'A PodDisruptionBudget states its budget with minAvailable or maxUnavailable. With neither, it gives the eviction API no number to hold a drain to, ' +
    'so it does not do what its presence suggests.',
  kinds: ['PodDisruptionBudget'],
  parity: { kubeScore: 'poddisruptionbudget-has-policy' },
  check(ctx) {
    const spec = ctx.get(['spec']);
    if (spec !== undefined && (spec === null || typeof spec !== 'object')) return;
    if (set(ctx.get(['spec', 'minAvailable'])) || set(ctx.get(['spec', 'maxUnavailable']))) return;
    ctx.report(
      ctx.node(['spec']) ? ['spec'] : ['kind'],
      'This PodDisruptionBudget sets neither minAvailable nor maxUnavailable, so it does not say how many of its pods a drain may evict at once. Set maxUnavailable: 1 (or a minAvailable below the replica count).',
    );
  },
};
