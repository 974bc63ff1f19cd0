import { isPatchDirectiveKey } from '../../engine/partial';
import { arr, obj, str, type Rule } from '../framework';
import { POD_SPEC, TEMPLATE_FAILS } from './support';

export const multipleVolumeSources: Rule = {
  id: 'multiple-volume-sources',
  severity: 'error',
  title: 'Volume with more than one source',
  doc:
    'A volume has exactly one source (emptyDir, configMap, secret, persistentVolumeClaim …); with none, Kubernetes defaults it to emptyDir. ' +
    'A volume with two sources makes the pod template invalid ("may not specify more than 1 volume type"), so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    arr(ctx.get([...POD_SPEC, 'volumes'])).forEach((v, i) => {
      const vol = obj(v);
      if (!vol) return;
      const sources = Object.keys(vol).filter((k) => k !== 'name' && !isPatchDirectiveKey(k) && vol[k] !== undefined && vol[k] !== null);
      if (sources.length > 1) {
        ctx.report([...POD_SPEC, 'volumes', i, sources[1]], `The volume "${str(vol.name) ?? i}" has ${sources.length} sources (${sources.join(', ')}); a volume may have only one. It is ${TEMPLATE_FAILS}. Split it into separate volumes.`);
      }
    });
  },
};
