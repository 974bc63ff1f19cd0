// How an owner reads in the tree and in prompts (plain strings; no I/O).
import type { Owner } from './detect';

/** For the tree row's description: "owner: RabbitmqCluster mq", "owner: Argo CD app payments (no selfHeal)", … */
export function ownerBadge(o: Owner): string {
  const state =
    o.read !== 'read'
      ? ''
      : o.type === 'argocd'
        ? !o.automated
          ? ' (manual sync)'
          : !o.selfHeal
            ? ' (no selfHeal)'
            : ''
        : o.type === 'flux' && o.suspended
          ? ' (suspended)'
          : o.type === 'flux' && o.optedOut
            ? ' (reconcile disabled)'
            : '';
  return `owner: ${o.label}${state}`;
}

/** The tooltip lines: who, how we know, what reverts what. */
export function ownerTooltip(o: Owner): string {
  const lines = [`managed by ${o.label} (${o.ref.evidence})`, o.revertsText];
  if (o.ignored?.length) lines.push(`ignoreDifferences: ${o.ignored.join(', ')}`);
  if (o.also.length) lines.push(`also marked: ${o.also.map((m) => `${m.kind === 'Secret' ? 'Helm release' : m.kind} ${m.name} (${m.evidence})`).join('; ')}`);
  if (o.managers.length) lines.push(`field managers: ${o.managers.join(', ')}`);
  if (o.readMessage) lines.push(o.readMessage);
  return lines.join('\n');
}

/** Where a change belongs instead, for refusals: "change `spec.replicas` of RabbitmqCluster prod/mq instead". */
export function changeInstead(o: Owner, field: string): string {
  switch (o.type) {
    case 'operator':
      return `change \`${field}\` of ${o.ref.kind} ${o.ref.namespace}/${o.ref.name} instead`;
    case 'argocd':
      return `change \`${field}\` in git (the source of Argo CD app ${o.ref.name}) instead`;
    case 'flux':
      return `change \`${field}\` in git (the source of Flux ${o.ref.kind} ${o.ref.namespace}/${o.ref.name}) instead`;
    case 'helm':
      return `set the chart value behind \`${field}\` and run \`helm upgrade ${o.ref.name}\` instead`;
  }
}

/** The owner's last sync failed — Argo CD `status.operationState.phase: Failed`, Flux `Ready=False` — its message (else undefined). */
export function syncFailure(o: Owner | undefined): string | undefined {
  const st = (o?.object as { status?: Record<string, any> } | undefined)?.status;
  if (!o || !st) return undefined;
  if (o.type === 'argocd' && st.operationState?.phase === 'Failed') return String(st.operationState.message ?? 'sync failed');
  if (o.type === 'flux') {
    const ready = (st.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready');
    if (ready?.status === 'False') return String(ready.message ?? ready.reason ?? 'not ready');
  }
  return undefined;
}
