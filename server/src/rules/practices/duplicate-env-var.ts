import { arr, obj, str, type Rule } from '../framework';
import { containersOf, isPartial, listPhrases } from './util';
import type { Segment } from '../../schema';

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
    // one finding per StatefulSet, on the first repeated entry, naming every repeat
    const repeats: string[] = [];
    let at: Segment[] | undefined;
    for (const c of containersOf(ctx, true)) {
      const first = new Map<string, number>();
      const mine: string[] = [];
      arr(c.value.env).forEach((e, i) => {
        const name = str(obj(e)?.name);
        if (name === undefined) return;
        const prev = first.get(name);
        if (prev === undefined) {
          first.set(name, i);
          return;
        }
        at ??= [...c.path, 'env', i, 'name'];
        mine.push(`"${name}" again at env[${i}] (first at env[${prev}])`);
      });
      if (mine.length) repeats.push(`container "${c.name}" defines environment variable ${listPhrases(mine)}`);
    }
    if (!at) return;
    const text = listPhrases(repeats);
    ctx.report(
      at,
      `${text.charAt(0).toUpperCase()}${text.slice(1)}: the API server warns that a repeated name hides the previous definition, and only the later value reaches the process. Remove one of ${repeats.length > 1 || repeats[0].includes(' and ') ? 'each pair' : 'them'}.`,
      { at: 'value' },
    );
  },
};
