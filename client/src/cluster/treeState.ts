// The tree's node identity and refresh plan, in plain Node: VS Code matches refreshed elements by
// object identity and asks getTreeItem() again for exactly those, so each node object is kept per id
// and its data is brought up to date *before* it is handed over for refresh.
import type { ClusterModel, ModelChange } from './model';
import { childrenOf, statefulSetNode, type PendingRecreate, type TreeNode } from './tree';

export interface TreeSource {
  context: string;
  server: string;
  model: ClusterModel;
}

export class TreeState {
  private nodes = new Map<string, TreeNode>();

  /** `pending`: the re-creates whose journal exists (their absent StatefulSets get a row under their namespace) */
  constructor(
    readonly src: TreeSource,
    private readonly pending: () => PendingRecreate[] = () => [],
  ) {}

  /** Children of a node (undefined = the root), as the same objects across calls. */
  children(node?: TreeNode): TreeNode[] {
    return childrenOf(node, this.src.context, this.src.server, this.src.model, this.pending()).map((n) => this.intern(n));
  }

  get(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  /**
   * The nodes to refresh for a model change, their data already current:
   * undefined = the whole tree (connection state, StatefulSets added or removed); [] = nothing shown changed.
   */
  refreshFor(c: ModelChange): TreeNode[] | undefined {
    if (c.state || c.namespaces.size > 0) return undefined;
    const { context, model } = this.src;
    const out = new Set<TreeNode>();
    for (const key of c.keys) {
      const n = this.nodes.get(`ctx:${context}/sts:${key}`);
      const v = model.view(key);
      if (n && v) out.add(this.intern(statefulSetNode(context, v, model)));
      else if (!n) {
        // a StatefulSet VS Code has not asked for yet: its namespace node (if shown)
        const ns = this.nodes.get(`ctx:${context}/ns:${key.split('/')[0]}`);
        if (ns) out.add(ns);
      } else return undefined; // shown but gone: refresh all
    }
    return [...out];
  }

  /** Parent of a node VS Code holds (for reveal). */
  parent(n: TreeNode): TreeNode | undefined {
    const ctx = this.src.context;
    if (n.kind === 'context') return undefined;
    if (n.kind === 'namespace' || (n.kind === 'message' && !n.stsKey)) return this.nodes.get(`ctx:${ctx}`);
    if (n.kind === 'statefulset') return this.nodes.get(`ctx:${ctx}/ns:${n.namespace}`);
    const stsId = `ctx:${ctx}/sts:${n.stsKey}`;
    if (n.kind === 'pvc' && n.ordinal !== undefined) return this.nodes.get(`${stsId}/ord:${n.ordinal}`) ?? this.nodes.get(`${stsId}/orphans`);
    if (n.kind === 'revision') return this.nodes.get(`${stsId}/revisions`);
    if (n.kind === 'snapshot') return this.nodes.get(`${stsId}/pvc:${n.pvcName}`);
    return this.nodes.get(stsId);
  }

  private intern(n: TreeNode): TreeNode {
    const prev = this.nodes.get(n.id);
    if (!prev) {
      this.nodes.set(n.id, n);
      return n;
    }
    for (const k of Object.keys(prev) as Array<keyof TreeNode>) delete prev[k];
    return Object.assign(prev, n);
  }
}
