import { str, type Rule } from '../framework';
import { dnsLabelProblem } from './support';

export const invalidServiceName: Rule = {
  id: 'invalid-service-name',
  severity: 'error',
  title: 'serviceName is not a DNS-1123 label',
  doc:
    'serviceName names the governing headless Service; the pods\' DNS names are <pod>.<serviceName>.<namespace>.svc, so it must be a DNS label. ' +
    'It is optional since Kubernetes 1.33, but when set the API server rejects an invalid value.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const name = str(ctx.get(['spec', 'serviceName']));
    if (name === undefined || name === '') return; // optional; empty means unset
    const p = dnsLabelProblem(name);
    if (p) ctx.report(['spec', 'serviceName'], `serviceName "${name}" is not a DNS-1123 label: ${p}. The API server rejects the StatefulSet; use the name of the headless Service (lowercase letters, digits and "-").`, { at: 'value' });
  },
};
