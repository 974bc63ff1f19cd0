// What every command module gets: the explorer, the read-only documents, and the pickers that turn a tree node,
// a "ns/name" string or nothing (a quick pick) into the StatefulSet or pod a command acts on.
// Every prompt goes through ../ui/prompts so that tests in the real editor can answer them.
import type { ClusterConnection } from '../cluster/connection';
import type { StatefulSetView } from '../cluster/model';
import type { TreeNode } from '../cluster/tree';
import type { VirtualDocuments } from '../explorer/documents';
import type { Explorer } from '../explorer/explorer';
import * as prompts from '../ui/prompts';
import { kubernetesExplorerStatefulSetKey } from '../neighbours/kubernetesTarget';

export type Target = TreeNode | string | undefined;

export interface PodTarget {
  v: StatefulSetView;
  ordinal: number;
}

export interface CommandContext {
  readonly ex: Explorer;
  readonly docs: VirtualDocuments;
  /** The live connection, or an error that says why there is none. */
  needConn(): ClusterConnection;
  /** The StatefulSet a command acts on: from the tree node, a "ns/name" string, or a quick pick. */
  pickSts(t: Target, title: string): Promise<StatefulSetView | undefined>;
  /** A pod: from a tree node, a "ns/pod" string, or a quick pick. */
  pickPod(t: Target, title: string): Promise<PodTarget | undefined>;
}

/** One command: its id (as in package.json) and what it does. Errors thrown reach the user as one message. */
export interface Command {
  readonly id: string;
  run(c: CommandContext, ...args: any[]): unknown;
}

export function commandContext(ex: Explorer, docs: VirtualDocuments): CommandContext {
  const needConn = (): ClusterConnection => {
    if (!ex.conn) throw new Error(ex.state === 'untrusted' ? 'Cluster access is disabled in an untrusted workspace' : 'Not connected to a cluster');
    return ex.conn;
  };

  const pickSts = async (t: Target, title: string): Promise<StatefulSetView | undefined> => {
    const conn = needConn();
    // a node of ours, a name, or a StatefulSet node of the Kubernetes extension's Cluster Explorer (its context menu)
    const key = typeof t === 'string' ? (t.includes('/') ? t : `${conn.namespace ?? 'default'}/${t}`) : t?.stsKey ?? kubernetesExplorerStatefulSetKey(t, conn.namespace ?? 'default');
    if (key) {
      const v = conn.model.view(key);
      if (!v) throw new Error(`StatefulSet ${key} not found in the cluster`);
      return v;
    }
    const all = conn.model.statefulSets();
    if (all.length === 0) throw new Error('No StatefulSets in the current namespace');
    return prompts.quickPick(
      all.map((v) => ({ label: conn.namespace ? v.name : `${v.namespace}/${v.name}`, description: v.summary, value: v })),
      { title },
    );
  };

  const pickPod = async (t: Target, title: string): Promise<PodTarget | undefined> => {
    const conn = needConn();
    if (t && typeof t !== 'string' && t.stsKey && t.ordinal !== undefined) {
      const v = conn.model.view(t.stsKey);
      return v ? { v, ordinal: t.ordinal } : undefined;
    }
    const items: Array<prompts.PickItem<PodTarget>> = [];
    for (const v of conn.model.statefulSets()) {
      for (const o of v.ordinals) {
        const label = conn.namespace ? o.podName : `${v.namespace}/${o.podName}`;
        if (typeof t === 'string' && t !== label && t !== `${v.namespace}/${o.podName}`) continue;
        items.push({ label, description: o.pod ? `${o.pod.phase}${o.pod.ready ? ', ready' : ''}` : 'missing', value: { v, ordinal: o.ordinal } });
      }
    }
    if (typeof t === 'string') {
      if (!items.length) throw new Error(`Pod ${t} not found`);
      return items[0].value;
    }
    return prompts.quickPick(items, { title });
  };

  return { ex, docs, needConn, pickSts, pickPod };
}
