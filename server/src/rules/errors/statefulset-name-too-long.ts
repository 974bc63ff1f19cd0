import { str, type Rule } from '../framework';

const MAX = 52;

export const statefulsetNameTooLong: Rule = {
  id: 'statefulset-name-too-long',
  severity: 'error',
  title: 'StatefulSet name longer than 52 characters',
  doc:
    'The controller labels every pod with controller-revision-hash = <name>-<hash>, and a label value may not exceed 63 characters. ' +
    'With a name over 52 characters the API server accepts the StatefulSet but the controller can never create a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const name = str(ctx.get(['metadata', 'name']));
    if (name && name.length > MAX) {
      ctx.report(
        ['metadata', 'name'],
        `The name "${name}" has ${name.length} characters; over ${MAX}, the pods' controller-revision-hash label would exceed 63 characters, so the API server accepts the StatefulSet but the controller never creates a pod. Shorten it to ${MAX} characters or fewer.`,
        { at: 'value' },
      );
    }
  },
};
