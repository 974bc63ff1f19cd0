import { arr, obj, str, type Rule } from '../framework';
import { CLAIM_TEMPLATE_FAILS, POD_SPEC, TEMPLATE_FAILS } from './support';

export const duplicateVolumeName: Rule = {
  id: 'duplicate-volume-name',
  severity: 'error',
  title: 'Two pod volumes or two claim templates with the same name',
  doc:
    'Volume names must be unique in a pod, and claim template names unique in a StatefulSet (each becomes a pod volume). ' +
    'A claim template may share its name with a pod volume: the controller replaces that volume with the claim.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const seen = new Set<string>();
    arr(ctx.get([...POD_SPEC, 'volumes'])).forEach((v, i) => {
      const name = str(obj(v)?.name);
      if (!name) return;
      if (seen.has(name)) ctx.report([...POD_SPEC, 'volumes', i, 'name'], `The volume name "${name}" is used twice in the pod template. It is ${TEMPLATE_FAILS}. Rename or merge the volumes.`, { at: 'value' });
      seen.add(name);
    });
    const claims = new Set<string>();
    arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((c, i) => {
      const name = str(obj(obj(c)?.metadata)?.name);
      if (!name) return;
      if (claims.has(name)) ctx.report(['spec', 'volumeClaimTemplates', i, 'metadata', 'name'], `The claim template name "${name}" is used twice. It is ${CLAIM_TEMPLATE_FAILS}. Rename one of them.`, { at: 'value' });
      claims.add(name);
    });
  },
};
