import { arr, obj, type Rule } from '../framework';
import { labelValueProblem, POD_SPEC, qualifiedNameProblem, TEMPLATE_FAILS } from './support';

export const invalidToleration: Rule = {
  id: 'invalid-toleration',
  severity: 'error',
  title: 'Toleration with a value on Exists, an empty key without Exists, or tolerationSeconds without NoExecute',
  doc:
    'operator Exists matches any value, so it takes none; Equal (the default) needs a valid label value. An empty key means "every taint" and requires operator Exists. ' +
    'tolerationSeconds only applies to NoExecute taints. A toleration that breaks these rules makes the pod template invalid, so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    arr(ctx.get([...POD_SPEC, 'tolerations'])).forEach((t, i) => {
      const tol = obj(t);
      if (!tol) return;
      const path = [...POD_SPEC, 'tolerations', i];
      const at = (f: string) => (tol[f] !== undefined ? [...path, f] : path);
      const op = tol.operator === undefined || tol.operator === null || tol.operator === '' ? 'Equal' : tol.operator; // "" is Equal to the API server
      const key = typeof tol.key === 'string' ? tol.key : '';
      const value = typeof tol.value === 'string' ? tol.value : '';
      if (key === '' && op !== 'Exists') {
        ctx.report(at('operator'), `A toleration with an empty key must use operator Exists (it matches every taint). It is ${TEMPLATE_FAILS}. Add a key or set operator: Exists.`, { at: 'value' });
      } else if (key !== '') {
        const p = qualifiedNameProblem(key);
        if (p) ctx.report([...path, 'key'], `The toleration key "${key}" is invalid: ${p}. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
      }
      if (op === 'Exists' && value !== '') {
        ctx.report([...path, 'value'], `A toleration with operator Exists must have no value ("value must be empty when \`operator\` is 'Exists'"). It is ${TEMPLATE_FAILS}. Remove the value or use operator: Equal.`, { at: 'value' });
      } else if ((op === 'Gt' || op === 'Lt') && !/^-?\d+$/.test(value)) {
        ctx.report(at('value'), `A toleration with operator ${op} compares integers; the value must be an integer ("value must be an integer when \`operator\` is 'Lt' or 'Gt'"). It is ${TEMPLATE_FAILS}.`, { at: 'value' });
      } else if (op === 'Equal' && value !== '') {
        const p = labelValueProblem(value);
        if (p) ctx.report([...path, 'value'], `The toleration value "${value}" is invalid: ${p}. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
      }
      if (tol.tolerationSeconds !== undefined && tol.tolerationSeconds !== null && tol.effect !== 'NoExecute') {
        ctx.report(
          [...path, 'tolerationSeconds'],
          `tolerationSeconds is only allowed with effect NoExecute ("effect must be 'NoExecute' when \`tolerationSeconds\` is set")${typeof tol.effect === 'string' ? `, not ${tol.effect}` : ''}. It is ${TEMPLATE_FAILS}. Set effect: NoExecute or remove tolerationSeconds.`,
        );
      }
    });
  },
};
