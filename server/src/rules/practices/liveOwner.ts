// Who manages a live StatefulSet, from the marks the object itself carries (the language server's
// own reading — it never imports the client; the explorer's full detection is
// client/src/cluster/owners): a controller owner reference (an operator), Argo CD tracking, Flux
// labels, Helm's release annotations. Used to say, in a forbidden-update finding, that a live apply
// is not the way to change it anyway.
type Obj = Record<string, any>;

export function liveOwnerNote(live: Obj): string | undefined {
  const md: Obj = live?.metadata ?? {};
  const labels: Obj = md.labels ?? {};
  const ann: Obj = md.annotations ?? {};
  const ctl = (Array.isArray(md.ownerReferences) ? md.ownerReferences : []).find((r: Obj) => r?.controller);
  if (ctl?.kind && ctl?.name) return `managed by ${ctl.kind} ${ctl.name} (an operator): change the ${ctl.kind}; a live apply is reverted`;
  const tracking = typeof ann['argocd.argoproj.io/tracking-id'] === 'string' ? String(ann['argocd.argoproj.io/tracking-id']).split(':')[0].split('_').pop() : undefined;
  const helm = typeof ann['meta.helm.sh/release-name'] === 'string' ? ann['meta.helm.sh/release-name'] : undefined;
  const app = tracking ?? (!helm && typeof labels['app.kubernetes.io/instance'] === 'string' ? labels['app.kubernetes.io/instance'] : undefined);
  if (app) return `managed by Argo CD app ${app}: edit in git; a live apply will be reverted`;
  for (const [k, kind] of [
    ['kustomize.toolkit.fluxcd.io', 'Kustomization'],
    ['helm.toolkit.fluxcd.io', 'HelmRelease'],
  ] as const) {
    const name = labels[`${k}/name`];
    if (typeof name === 'string') return `managed by Flux ${kind} ${labels[`${k}/namespace`] ?? md.namespace ?? ''}/${name}: edit in git; a live apply will be reverted`;
  }
  if (helm || labels['app.kubernetes.io/managed-by'] === 'Helm') return `managed by Helm release ${helm ?? labels['app.kubernetes.io/instance'] ?? '?'}: change the chart values; the next helm upgrade overwrites a live apply`;
  return undefined;
}
