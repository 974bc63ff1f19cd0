import { arr, obj, str, type Rule } from '../framework';
import { containersOf, isPartial } from './util';

export const duplicateEnvVar: Rule = {
  id: 'duplicate-env-var',
  severity: 'warning',
  title: 'Environment variable defined twice in one container',
  doc:
    'When a container\'s env lists a name twice, the later entry silently wins; the API server accepts it and only warns ("hides previous definition"). ' +
    'Usually one of the two is a leftover, and which value the database starts with depends on the order of the list.',
  kinds: ['StatefulSet'],
  parity: { kubeScore: 'environment-variable-key-duplication', kubeLinter: 'duplicate-env-var' },
  check(ctx) {
    if (isPartial(ctx)) return;
    for (const c of containersOf(ctx, true)) {
      const first = new Map<string, number>();
      arr(c.value.env).forEach((e, i) => {
        const name = str(obj(e)?.name);
        if (name === undefined) return;
        const prev = first.get(name);
        if (prev === undefined) {
          first.set(name, i);
          return;
        }
        ctx.report(
          [...c.path, 'env', i, 'name'],
          `Container "${c.name}" defines environment variable "${name}" again (first at env[${prev}]): the API server warns that this hides the previous definition, and only this later value reaches the process. Remove one of them.`,
          { at: 'value' },
        );
      });
    }
  },
};
