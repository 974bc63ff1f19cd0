import { obj, type Rule } from '../framework';
import { inOtherFile } from './resolve';
import { headlessServiceData, type HeadlessServiceData } from './service-not-found';
import { isPartial, labelsOf, mapSelects, nameOf, namespaceOf, related, relatedNamed, templateLabels } from './util';

/** What the "set serviceName (and add the headless Service)" quick fix needs, carried in Diagnostic.data. */
export interface ServiceNameData {
  fix: 'set-service-name';
  /** The serviceName to set. */
  name: string;
  /** The headless Service to append after the StatefulSet; absent when one that selects the pods exists. */
  service?: HeadlessServiceData;
}

export const missingServiceName: Rule = {
  id: 'missing-service-name',
  severity: 'warning',
  title: 'No serviceName: the pods get no stable DNS names',
  doc:
    'A StatefulSet gives each pod a stable network identity, a DNS name <pod>.<serviceName>.<namespace>.svc that survives rescheduling, ' +
    'through the governing headless Service that spec.serviceName names. The API server accepts a StatefulSet without it (the field is documented ' +
    'as optional since Kubernetes 1.33), but then no pod has a name of its own that resolves and peers cannot find each other. ' +
    'serviceName cannot be changed on a live StatefulSet: set it before the first apply.',
  kinds: ['StatefulSet'],
  parity: {
    kubeScore: 'statefulset-has-servicename',
    differs: 'Split in three: no serviceName (this rule), a serviceName that names no Service (service-not-found), a Service that is not headless (service-not-headless).',
  },
  checkWithEnvironment(ctx, env) {
    if (isPartial(ctx)) return; // a Kustomize patch or overlay: the base has it
    const set = ctx.get(['spec', 'serviceName']);
    if (set !== undefined && set !== null && set !== '') return;
    const ns = namespaceOf(ctx);
    const labels = templateLabels(ctx);
    // a headless Service in reach that selects these pods: name it
    const existing = Object.keys(labels).length
      ? related(env, 'Service', ns).find((s) => {
          const spec = obj(s.value.spec);
          return !!s.name && spec?.clusterIP === 'None' && mapSelects(labelsOf(spec.selector), labels);
        })
      : undefined;
    const why = 'its pods get no stable DNS names (<pod>.<service>.<namespace>.svc), the stable network identity a StatefulSet exists for: Kubernetes accepts it, but no pod has a name of its own that resolves.';
    const where = ctx.node(['spec', 'serviceName']) ? ['spec', 'serviceName'] : ['spec'];
    if (existing?.name) {
      ctx.report(where, `No serviceName: ${why} The headless Service "${existing.name}"${inOtherFile(env.uri, existing)} selects these pods: set serviceName: ${existing.name} (before the first apply: it cannot change later).`, {
        data: { fix: 'set-service-name', name: existing.name } satisfies ServiceNameData,
      });
      return;
    }
    const stsName = nameOf(ctx) ?? 'statefulset';
    // the StatefulSet's own name, unless a Service of that name is already taken for something else
    const name = relatedNamed(env, 'Service', ns, stsName).length ? `${stsName}-headless` : stsName;
    ctx.report(where, `No serviceName: ${why} Set serviceName and add a headless Service (clusterIP: None) of that name that selects the pods, e.g. "${name}" (before the first apply: serviceName cannot change later).`, {
      data: { fix: 'set-service-name', name, service: headlessServiceData(ctx.value, name) } satisfies ServiceNameData,
    });
  },
};
