import { type Rule } from '../framework';

export const pvcDeletedOnScaleDown: Rule = {
  id: 'pvc-deleted-on-scale-down',
  severity: 'information',
  title: 'whenScaled: Delete deletes the volumes of removed ordinals',
  doc:
    'With persistentVolumeClaimRetentionPolicy.whenScaled: Delete, scaling down deletes the PersistentVolumeClaims of the removed ordinals, ' +
    'and with a Delete reclaim policy their volumes and data. Scaling back up starts those ordinals empty.',
  kinds: ['StatefulSet'],
  parity: { differs: 'No linter has it.' },
  check(ctx) {
    const path = ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled'];
    if (ctx.get(path) !== 'Delete') return;
    ctx.report(
      path,
      'whenScaled: Delete: on scale-down Kubernetes deletes the PersistentVolumeClaims of the removed ordinals, and with them (Delete reclaim policy) their data; scaling back up starts those ordinals empty. Use Retain unless the data is disposable.',
      { at: 'value' },
    );
  },
};
