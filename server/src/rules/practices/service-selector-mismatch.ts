import { str, type Rule } from '../framework';
import { inOtherFile } from './resolve';
import { isPartial, labelsOf, mapSelects, namespaceOf, relatedNamed, showLabels, templateLabels } from './util';

export const serviceSelectorMismatch: Rule = {
  id: 'service-selector-mismatch',
  severity: 'warning',
  title: "The governing Service's selector does not select the pods",
  doc:
    "A Service publishes DNS records only for the pods its selector selects. If the governing Service's selector does not match the pod template's labels, " +
    'it has no endpoints and the pods get no DNS names.',
  kinds: ['StatefulSet'],
  parity: { kubeScore: 'service-targets-pod', kubeLinter: 'dangling-service', differs: 'Checked from the StatefulSet for its governing Service only.' },
  checkWithEnvironment(ctx, env) {
    if (isPartial(ctx)) return;
    const serviceName = str(ctx.get(['spec', 'serviceName']));
    if (!serviceName) return;
    const services = relatedNamed(env, 'Service', namespaceOf(ctx), serviceName);
    if (services.length === 0) return;
    const labels = templateLabels(ctx);
    // the Service meant: the one in this file, else the nearest (named in the message when elsewhere)
    const service = services[0];
    const sel = labelsOf(((service.value.spec ?? {}) as Record<string, unknown>).selector);
    if (mapSelects(sel, labels)) return;
    const why = Object.keys(sel).length === 0 ? 'has no selector, so it selects no pod' : `selects ${showLabels(sel)}, which the pod template's labels (${showLabels(labels)}) do not match`;
    ctx.report(
      ['spec', 'serviceName'],
      `Service "${serviceName}"${inOtherFile(env.uri, service)} ${why}: these pods get no endpoints in it, so Kubernetes publishes no DNS records for them. Make the Service's selector a subset of the template's labels.`,
      { at: 'value' },
    );
  },
};
