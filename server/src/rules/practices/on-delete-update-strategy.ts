import { type Rule } from '../framework';

export const onDeleteUpdateStrategy: Rule = {
  id: 'on-delete-update-strategy',
  severity: 'information',
  title: 'updateStrategy OnDelete: template changes wait for pod deletion',
  doc:
    'With updateStrategy.type: OnDelete the controller does not update running pods: a pod gets the new template only when someone deletes it. ' +
    'Applying a new image changes nothing visible until then.',
  kinds: ['StatefulSet'],
  parity: { kubeLinter: 'no-rolling-update-strategy', differs: 'Information, not a failure: OnDelete is a deliberate choice for some databases; we say what it means for a rollout.' },
  check(ctx) {
    const path = ['spec', 'updateStrategy', 'type'];
    if (ctx.get(path) !== 'OnDelete') return;
    ctx.report(
      path,
      'updateStrategy OnDelete: Kubernetes does not update running pods when the template changes; each pod gets the new template only when you delete it. Delete the pods one by one to roll out, or use RollingUpdate.',
      { at: 'value' },
    );
  },
};
