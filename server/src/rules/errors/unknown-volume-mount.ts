import { arr, obj, str, type Rule } from '../framework';
import { containerLabel, containersOf, isPartial, POD_SPEC, TEMPLATE_FAILS } from './support';
import { closest } from '../../engine/suggest';

export const unknownVolumeMount: Rule = {
  id: 'unknown-volume-mount',
  severity: 'error',
  title: 'volumeMount names no pod volume or claim template',
  doc:
    'Every volumeMount (and volumeDevice) must name a volume of the pod template or a volumeClaimTemplate (the controller adds one volume per claim template, ' +
    'replacing a pod volume of the same name). A mount of an unknown volume makes every pod invalid, so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    if (isPartial(ctx)) return;
    const names = new Set<string>();
    for (const v of arr(ctx.get([...POD_SPEC, 'volumes']))) {
      const n = str(obj(v)?.name);
      if (n) names.add(n);
    }
    for (const c of arr(ctx.get(['spec', 'volumeClaimTemplates']))) {
      const n = str(obj(obj(c)?.metadata)?.name);
      if (n) names.add(n);
    }
    for (const at of containersOf(ctx)) {
      for (const list of ['volumeMounts', 'volumeDevices']) {
        arr(at.c[list]).forEach((m, i) => {
          const name = str(obj(m)?.name);
          if (!name || names.has(name)) return;
          const near = closest(name, [...names], 1);
          ctx.report(
            [...at.path, list, i, 'name'],
            `${list === 'volumeMounts' ? 'The volumeMount' : 'The volumeDevice'} "${name}" of ${containerLabel(at)} names no volume in spec.template.spec.volumes and no volumeClaimTemplate. It is ${TEMPLATE_FAILS}. ${near.length ? `Did you mean "${near[0]}"?` : 'Add the volume or a claim template with that name.'}`,
            { at: 'value', data: near.length ? { replacements: near } : undefined },
          );
        });
      }
    }
  },
};
