// Every write asks the StatefulSet's owner first: what the owner does with the change a command is
// about to make, and which paths are open (plain functions of the view; the vscode side asks).
// - operator-owned: Scale, Roll Back, Forced Rollback, Apply, Re-create and Resize Storage are refused
//   ("change `spec.replicas` of RabbitmqCluster prod/mq instead"), the CR is opened; pod-only steps
//   (delete a pod) go ahead with the warning; Restart / canary / delete ask;
// - Argo CD with selfHeal, Flux not suspended (or an owner that cannot be read): ask — "pause sync, do
//   it, resume" (when the owner object can be patched) or "do it once, knowing it will be reverted";
// - Argo CD without selfHeal, Helm: ask, saying when it is overwritten; Flux suspended: say it stands
//   until resumed.
import { revertsField, type Owner } from './detect';
import { changeInstead } from './text';

export type Write = 'scale' | 'rollback' | 'forcedRollback' | 'apply' | 'recreate' | 'resize' | 'canary' | 'restart' | 'delete' | 'deletePod' | 'restore';

interface WriteInfo {
  /** the command as a user names it */
  title: string;
  /** the field the change lands in (for "change … instead") and its JSON pointer */
  field: string;
  pointer: string;
  /** refused when an operator owns the StatefulSet */
  refuseForOperator: boolean;
  /** touches pods only (the owner does not revert it) */
  podOnly?: boolean;
}

export const WRITES: Record<Write, WriteInfo> = {
  scale: { title: 'Scale', field: 'spec.replicas', pointer: '/spec/replicas', refuseForOperator: true },
  rollback: { title: 'Roll Back', field: 'spec.template', pointer: '/spec/template', refuseForOperator: true },
  forcedRollback: { title: 'Forced Rollback', field: 'spec.template', pointer: '/spec/template', refuseForOperator: true },
  apply: { title: 'Apply', field: 'spec', pointer: '/spec', refuseForOperator: true },
  recreate: { title: 'Re-create', field: 'spec', pointer: '/spec', refuseForOperator: true },
  resize: { title: 'Resize Storage', field: 'spec.volumeClaimTemplates', pointer: '/spec/volumeClaimTemplates', refuseForOperator: true },
  canary: { title: 'Canary step', field: 'spec.updateStrategy.rollingUpdate.partition', pointer: '/spec/updateStrategy', refuseForOperator: false },
  restart: { title: 'Restart', field: 'spec.template.metadata.annotations', pointer: '/spec/template', refuseForOperator: false },
  delete: { title: 'Delete', field: 'the StatefulSet', pointer: '', refuseForOperator: false },
  deletePod: { title: 'Delete Pod', field: 'a pod', pointer: '', refuseForOperator: false, podOnly: true },
  restore: { title: 'Restore from Snapshot', field: 'the PVC', pointer: '', refuseForOperator: true },
};

export type Choice = 'pause' | 'once' | 'proceed' | 'ownerRecreates';

export const CHOICE_LABELS: Record<Choice, string> = {
  pause: 'Pause sync, do it, resume',
  once: 'Do it once (it will be reverted)',
  proceed: 'Do it anyway',
  ownerRecreates: 'Let the owner re-create it',
};

export interface Verdict {
  /** free: no owner or nothing to say; refuse: do not do it; ask: say what happens, offer `choices` */
  kind: 'free' | 'refuse' | 'ask';
  owner?: Owner;
  /** the headline (refusal or question) */
  message: string;
  /** what the owner will do, and where the change belongs */
  detail: string;
  choices: Choice[];
  /** whether the owner reverts this change (soon or when it next syncs) */
  reverted: boolean;
}

/** Whether the owner's sync can be paused from here (its object read, and patchable in principle). */
export function canPause(o: Owner): boolean {
  if (o.read !== 'read') return false;
  if (o.type === 'argocd') return o.selfHeal === true;
  if (o.type === 'flux') return !o.suspended && !o.optedOut;
  return false;
}

/** What the gate reads of a StatefulSet's view (model.ts StatefulSetView has it). */
export interface Owned {
  namespace: string;
  name: string;
  owner?: Owner;
}

/**
 * `setBy`: for a Helm owner, what sets the written field at the next upgrade, when it is known (e.g.
 * "spec.replicas from values key `replicaCount` (…)"): the question then says to change it there.
 */
export function ownerVerdict(v: Owned, w: Write, setBy?: string): Verdict {
  const o = v.owner;
  const info = WRITES[w];
  const none: Verdict = { kind: 'free', message: '', detail: '', choices: [], reverted: false };
  if (!o) return none;
  const who = `${v.namespace}/${v.name} is managed by ${o.title}${o.read !== 'read' && o.read !== 'none' && o.read !== 'pending' ? ` (${o.label.slice(o.title.length + 2, -1)})` : ''}`;
  if (info.podOnly) {
    return { ...none, owner: o, detail: `${who}. ${o.type === 'operator' ? `The operator of ${o.ref.kind} ${o.ref.name}` : 'Its owner'} does not bring a deleted pod back itself: the StatefulSet controller re-creates it with the same PVCs.` };
  }
  // Resize Storage / Re-create delete the StatefulSet (orphan): an owner that re-creates it can do that part
  const recreating = w === 'resize' || w === 'recreate';
  const ownerRecreates = o.type === 'operator' || (o.type === 'argocd' && o.automated === true) || (o.type === 'flux' && !o.suspended && !o.optedOut);
  if (recreating && ownerRecreates && (o.type !== 'operator' || w === 'resize')) {
    const from = o.type === 'operator' ? `the ${o.ref.kind} ${o.ref.namespace}/${o.ref.name}` : 'git';
    const choices: Choice[] = canPause(o) ? ['pause', 'ownerRecreates'] : ['ownerRecreates'];
    return {
      kind: 'ask',
      owner: o,
      message: `${who}: ${info.title} deletes the StatefulSet (orphan, pods and PVCs kept), and ${o.title} re-creates it from ${from} — ${changeInstead(o, info.field)} first.`,
      detail:
        `${o.revertsText} "${CHOICE_LABELS.ownerRecreates}": the PVCs are grown, the StatefulSet is deleted with propagationPolicy Orphan, then the workflow waits (up to 2 minutes) for ${o.title} to re-create it instead of creating it, and verifies that it adopted the same pods and PVCs; if it is re-created differently from the file (the source not changed yet), that is reported and nothing is deleted.` +
        (choices.includes('pause') ? ` "${CHOICE_LABELS.pause}": ${o.type === 'argocd' ? 'selfHeal is off' : 'the Flux object is suspended'} while the workflow creates it from the file, then restored (journaled); unless the source has the change, the owner's next sync fails on the immutable field.` : ''),
      choices,
      reverted: true,
    };
  }
  // Restore from Snapshot orphan-deletes the StatefulSet while it swaps one PVC: an owner that re-creates it
  // meanwhile races the swap (its controller would bring the pod back on the old PVC or a new empty one)
  if (w === 'restore') {
    if (!ownerRecreates) return { kind: 'ask', owner: o, message: `${who}: Restore from Snapshot deletes and re-creates the StatefulSet (orphan, same spec); ${o.title} does not re-create it meanwhile.`, detail: o.revertsText, choices: ['proceed'], reverted: false };
    const race = `${info.title} deletes the StatefulSet (orphan) while it replaces the PVC, and ${o.title} re-creates a deleted StatefulSet — mid-restore that races the PVC swap (the pod could come back on the old PVC or a new empty one)`;
    if (canPause(o))
      return {
        kind: 'ask',
        owner: o,
        message: `${who}: ${race}.`,
        detail: `"${CHOICE_LABELS.pause}" ${o.type === 'argocd' ? 'turns selfHeal off on the Application' : 'sets spec.suspend on the Flux object'} for the restore and restores it afterwards (journaled: restored after a crash too). The restored StatefulSet has the same spec, so the owner finds nothing to change.`,
        choices: ['pause'],
        reverted: false,
      };
    return { kind: 'refuse', owner: o, message: `${info.title} refused: ${who} — ${race}. ${o.type === 'operator' ? `Restore through the operator of ${o.ref.kind} ${o.ref.namespace}/${o.ref.name}, or stop it first` : `Suspend ${o.title}'s automated sync first`}.`, detail: o.revertsText, choices: [], reverted: true };
  }
  if (o.type === 'operator' && info.refuseForOperator) {
    return {
      kind: 'refuse',
      owner: o,
      message: `${info.title} refused: ${who} — ${changeInstead(o, info.field)}.`,
      detail: o.revertsText,
      choices: [],
      reverted: true,
    };
  }
  // a restart adds an annotation git does not set: Argo CD's diff and Flux's server-side apply leave it alone
  if (w === 'restart' && o.type !== 'operator') {
    return { ...none, owner: o, detail: `${who}; the restart annotation is not in its source, so it is left alone.` };
  }
  if (w === 'delete') {
    const recreates = o.type === 'operator' || (o.type === 'argocd' && o.automated) || (o.type === 'flux' && !o.suspended && !o.optedOut);
    return {
      kind: 'ask',
      owner: o,
      message: `${who}: ${recreates ? 'it will re-create the StatefulSet after you delete it' : 'deleting it here leaves the owner out of step'}.`,
      detail: `${o.revertsText}${recreates ? ` The re-created StatefulSet adopts the pods and PVCs that are left.` : ''}`,
      choices: ['proceed'],
      reverted: recreates,
    };
  }
  const field = info.pointer ? revertsField(o, info.pointer) : true;
  const reverts = field ? o.reverts : 'no';
  const instead = changeInstead(o, info.field);
  if (reverts === 'soon' || reverts === 'unknown') {
    const choices: Choice[] = canPause(o) ? ['pause', 'once'] : ['once'];
    const gitNote = o.type === 'argocd' || o.type === 'flux' ? ' To keep the change, commit it to git.' : '';
    return {
      kind: 'ask',
      owner: o,
      message: `${who}: a live ${info.title.toLowerCase()} ${reverts === 'soon' ? 'is reverted' : 'may be reverted'} — ${instead}.`,
      detail: `${o.revertsText}${gitNote}${choices.includes('pause') ? ` "${CHOICE_LABELS.pause}" ${o.type === 'argocd' ? 'turns selfHeal off on the Application' : 'sets spec.suspend on the Flux object'} while the command runs and restores it afterwards (journaled: restored after a crash too); when it is restored, the owner puts git back unless the change is committed.` : ''}`,
      choices,
      reverted: true,
    };
  }
  if (reverts === 'later') {
    return {
      kind: 'ask',
      owner: o,
      message: `${who}: the change stands only until ${o.type === 'helm' ? `the next \`helm upgrade ${o.ref.name}\`` : 'the next sync'}${o.type === 'helm' && setBy ? `, which sets ${setBy} — change it there instead` : ` — ${instead}`}.`,
      detail: o.revertsText,
      choices: ['proceed'],
      reverted: true,
    };
  }
  return { ...none, kind: 'ask', owner: o, message: `${who}, which does not revert this now.`, detail: o.revertsText, choices: ['proceed'] };
}
