import { arr, obj, str, type Rule } from '../framework';
import { CLAIM_TEMPLATE_FAILS, isPartial } from './support';

export const invalidClaimTemplate: Rule = {
  id: 'invalid-claim-template',
  severity: 'error',
  title: 'volumeClaimTemplate without a name, access modes or a storage request',
  doc:
    'Each volumeClaimTemplate becomes one PVC per pod (<name>-<statefulset>-<ordinal>), so it needs metadata.name, at least one access mode ' +
    'and spec.resources.requests.storage. Without them no PVC can be created and the pods that need it never start.',
  kinds: ['StatefulSet'],
  check(ctx) {
    if (isPartial(ctx)) return;
    arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((c, i) => {
      const ct = obj(c);
      if (!ct) return;
      const base = ['spec', 'volumeClaimTemplates', i];
      const name = str(obj(ct.metadata)?.name);
      const label = name ? `claim template "${name}"` : `volumeClaimTemplates[${i}]`;
      if (name === undefined || name === '') {
        ctx.report(ct.metadata !== undefined ? [...base, 'metadata'] : base, `${label} has no metadata.name. It is ${CLAIM_TEMPLATE_FAILS}. Name it after the volumeMount that uses it (e.g. "data").`);
      }
      const spec = obj(ct.spec);
      if (!spec) return; // missing-required reports a missing spec
      const modes = spec.accessModes;
      if (!Array.isArray(modes) || modes.length === 0) {
        ctx.report(modes !== undefined ? [...base, 'spec', 'accessModes'] : [...base, 'spec'], `${label} has no accessModes. It is ${CLAIM_TEMPLATE_FAILS}. Add \`accessModes: ["ReadWriteOnce"]\`.`);
      } else if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
        ctx.report([...base, 'spec', 'accessModes'], `${label} combines ReadWriteOncePod with other access modes, which is not allowed. It is ${CLAIM_TEMPLATE_FAILS}. Use ReadWriteOncePod alone.`);
      }
      const storage = obj(obj(spec.resources)?.requests)?.storage;
      if (storage === undefined || storage === null || storage === '') {
        const at = spec.resources === undefined ? [...base, 'spec'] : obj(obj(spec.resources)?.requests) ? [...base, 'spec', 'resources', 'requests'] : [...base, 'spec', 'resources'];
        ctx.report(at, `${label} has no spec.resources.requests.storage. It is ${CLAIM_TEMPLATE_FAILS}. Add the size, e.g. \`resources: {requests: {storage: 10Gi}}\`.`);
      }
    });
  },
};
