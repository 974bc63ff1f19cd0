import { arr, obj, str, type Rule } from '../framework';
import { containerLabel, containersOf, TEMPLATE_FAILS } from './support';

const SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];
const present = (o: Record<string, unknown>, k: string) => o[k] !== undefined && o[k] !== null;

export const invalidEnvVar: Rule = {
  id: 'invalid-env-var',
  severity: 'error',
  title: 'Environment variable with both value and valueFrom, or a valueFrom without exactly one source',
  doc:
    'An env entry takes either a literal `value` or a `valueFrom` with exactly one source (fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef); ' +
    'configMapKeyRef/secretKeyRef need a name and key, and each envFrom entry exactly one of configMapRef/secretRef. A pod template that breaks this never yields a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      arr(at.c.env).forEach((e, i) => {
        const env = obj(e);
        if (!env) return;
        const base = [...at.path, 'env', i];
        const name = str(env.name) ?? `env[${i}]`;
        const vf = obj(env.valueFrom);
        if (!vf) return;
        if (typeof env.value === 'string' && env.value !== '') {
          ctx.report([...base, 'valueFrom'], `The variable ${name} of ${containerLabel(at)} has both value and valueFrom ("may not be specified when \`value\` is not empty"). It is ${TEMPLATE_FAILS}. Keep one of them.`);
        }
        const sources = SOURCES.filter((s) => present(vf, s));
        if (sources.length === 0) {
          ctx.report([...base, 'valueFrom'], `valueFrom of the variable ${name} in ${containerLabel(at)} names no source. It is ${TEMPLATE_FAILS}. Add one of fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef.`);
        } else if (sources.length > 1) {
          ctx.report([...base, 'valueFrom', sources[1]], `valueFrom of the variable ${name} in ${containerLabel(at)} has ${sources.join(' and ')}; it may have only one source. It is ${TEMPLATE_FAILS}. Keep one.`);
        }
        for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
          const r = obj(vf[ref]);
          if (!r) continue;
          for (const f of ['name', 'key']) {
            if (typeof r[f] === 'string' && r[f] !== '') continue;
            if (r[f] !== undefined && r[f] !== null && typeof r[f] !== 'string') continue; // invalid-type
            ctx.report([...base, 'valueFrom', ref, ...(r[f] === undefined ? [] : [f])], `${ref} of the variable ${name} in ${containerLabel(at)} needs a non-empty "${f}". It is ${TEMPLATE_FAILS}. Name the ${ref === 'secretKeyRef' ? 'Secret' : 'ConfigMap'}${f === 'key' ? "'s key" : ''}.`);
          }
        }
      });
      arr(at.c.envFrom).forEach((e, i) => {
        const ef = obj(e);
        if (!ef) return;
        const path = [...at.path, 'envFrom', i];
        const refs = ['configMapRef', 'secretRef'].filter((s) => present(ef, s));
        if (refs.length !== 1) {
          ctx.report(path, `envFrom[${i}] of ${containerLabel(at)} must have exactly one of configMapRef or secretRef${refs.length ? ', not both' : ''}. It is ${TEMPLATE_FAILS}.${refs.length ? ' Split it into two entries.' : ' Add the source.'}`);
        }
        for (const ref of refs) {
          const r = obj(ef[ref]);
          if (r && (r.name === undefined || r.name === '')) ctx.report([...path, ref], `envFrom ${ref} of ${containerLabel(at)} needs a non-empty "name". It is ${TEMPLATE_FAILS}. Name the ${ref === 'secretRef' ? 'Secret' : 'ConfigMap'}.`);
        }
      });
    }
  },
};
