import { arr, obj, str, type Rule } from '../framework';
import { CLAIM_TEMPLATE_FAILS, dnsLabelProblem, POD_SPEC, TEMPLATE_FAILS } from './support';

export const invalidVolumeName: Rule = {
  id: 'invalid-volume-name',
  severity: 'error',
  title: 'Volume or claim template name is not a DNS-1123 label',
  doc:
    'Pod volume names and claim template names (which become pod volume names, and PVC names <claim>-<statefulset>-<ordinal>) must be DNS-1123 labels: ' +
    'at most 63 lowercase letters, digits and "-".',
  kinds: ['StatefulSet'],
  check(ctx) {
    arr(ctx.get([...POD_SPEC, 'volumes'])).forEach((v, i) => {
      const name = str(obj(v)?.name);
      if (name === undefined) return;
      const p = dnsLabelProblem(name);
      if (p) ctx.report([...POD_SPEC, 'volumes', i, 'name'], `The volume name "${name}" is not a DNS-1123 label: ${p}. It is ${TEMPLATE_FAILS}. Rename it (and its volumeMounts).`, { at: 'value' });
    });
    arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((c, i) => {
      const name = str(obj(obj(c)?.metadata)?.name);
      if (name === undefined) return;
      const p = dnsLabelProblem(name);
      if (p) ctx.report(['spec', 'volumeClaimTemplates', i, 'metadata', 'name'], `The claim template name "${name}" is not a DNS-1123 label: ${p}. It is ${CLAIM_TEMPLATE_FAILS}. Rename it (and its volumeMounts).`, { at: 'value' });
    });
  },
};
