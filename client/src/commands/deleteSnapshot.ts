// Delete Snapshot: one VolumeSnapshot, after a confirmation that states what its deletionPolicy does to the
// stored snapshot (Delete: gone for good; Retain: the content and the storage snapshot stay).
import { deleteSnapshot as remove, planDeleteSnapshot, snapshotApiPresent, ABSENT_TEXT } from '../cluster/snapshots';
import * as prompts from '../ui/prompts';
import type { Command, CommandContext, Target } from './context';

export const deleteSnapshot: Command = {
  id: 'statefulsetStudio.deleteSnapshot',
  run: async (c: CommandContext, t?: Target): Promise<{ deleted?: string; policy?: string } | undefined> => {
    const conn = c.needConn();
    let ns: string | undefined;
    let name: string | undefined;
    if (t && typeof t !== 'string') {
      ns = t.namespace;
      name = t.snapshotName;
    } else if (typeof t === 'string') {
      [ns, name] = t.includes('/') ? t.split('/', 2) : [conn.namespace ?? 'default', t];
    }
    if (!name || !ns) {
      if (!(await snapshotApiPresent(conn.http))) {
        void prompts.error(`Delete Snapshot cannot run: ${ABSENT_TEXT}`);
        return undefined;
      }
      const all = conn.disks.allSnapshots();
      if (!all.length) throw new Error('No VolumeSnapshots in the namespaces shown');
      const picked = await prompts.quickPick(
        all.map((s) => ({ label: String(s.metadata?.name), description: `${s.metadata?.namespace} · of ${s.spec?.source?.persistentVolumeClaimName ?? '?'}`, value: s })),
        { title: 'Delete which VolumeSnapshot?' },
      );
      if (!picked) return undefined;
      ns = String(picked.metadata?.namespace);
      name = String(picked.metadata?.name);
    }
    const plan = await planDeleteSnapshot(conn.http, ns, name);
    const BUTTON = 'Delete Snapshot';
    const ok = await prompts.warning(`Delete VolumeSnapshot ${name}?`, { detail: plan.text, modal: true }, BUTTON);
    if (ok !== BUTTON) return undefined;
    await remove(conn.http, ns, name, plan.snapshot.metadata?.uid);
    void prompts.info(`Deleted VolumeSnapshot ${ns}/${name} (deletionPolicy ${plan.deletionPolicy})`);
    return { deleted: name, policy: plan.deletionPolicy };
  },
};
