// Describe: a StatefulSet, a pod or a PVC as a read-only document like kubectl describe (events oldest first
// with counts and ages), refreshed while it is open.
import { describeObject, type DescribeKind } from '../cluster/describe';
import { openLiveDocument } from '../explorer/liveDocument';
import type { Command, CommandContext, Target } from './context';

export const describe: Command = {
  id: 'statefulsetStudio.describe',
  run: async (c: CommandContext, t?: Target) => {
    const conn = c.needConn();
    let kind: DescribeKind;
    let ns: string;
    let name: string;
    let key: string;
    if (t && typeof t !== 'string' && t.kind === 'pvc' && t.pvcName) {
      kind = 'PersistentVolumeClaim';
      ns = t.namespace!;
      name = t.pvcName;
      key = t.stsKey!;
    } else if (t && typeof t !== 'string' && t.kind === 'statefulset') {
      const v = await c.pickSts(t, 'Describe which StatefulSet?');
      if (!v) return;
      kind = 'StatefulSet';
      ({ namespace: ns, name, key } = v);
    } else {
      const p = await c.pickPod(t, 'Describe which pod?');
      if (!p) return;
      kind = 'Pod';
      ns = p.v.namespace;
      name = `${p.v.name}-${p.ordinal}`;
      key = p.v.key;
    }
    const render = async () => {
      try {
        return await describeObject(conn.http, kind, ns, name);
      } catch (e) {
        return `${kind} ${ns}/${name}: ${e instanceof Error ? e.message : String(e)}\n`;
      }
    };
    const uri = await openLiveDocument(c.docs, `/${ns}/${name}/describe-${kind.toLowerCase()}.txt`, {
      render,
      start: (update) => {
        const unsub = conn.model.onDidChange((ch) => {
          if (ch.keys.has(key)) update();
        });
        const tick = setInterval(update, 5000); // ages, and Normal events (not watched)
        return () => {
          unsub();
          clearInterval(tick);
        };
      },
    }, { throttleMs: 500 });
    return uri.toString();
  },
};
