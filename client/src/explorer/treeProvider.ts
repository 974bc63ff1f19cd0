// VS Code side of the tree: maps the plain TreeNode data (client/src/cluster/tree.ts) to TreeItems,
// and refreshes only the nodes whose StatefulSet changed.
import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { ModelChange } from '../cluster/model';
import { childrenOf, type TreeNode } from '../cluster/tree';

export class StatefulSetTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private conn?: ClusterConnection;
  /** the node objects VS Code holds, by id, so that a change refreshes exactly them */
  private nodes = new Map<string, TreeNode>();
  /** when no connection: why (untrusted, no kubeconfig, …); the view then shows its welcome content */
  private unsubscribe?: () => void;

  setConnection(conn: ClusterConnection | undefined): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.conn = conn;
    this.nodes.clear();
    if (conn) this.unsubscribe = conn.model.onDidChange((c) => this.onModelChange(c));
    this.emitter.fire();
  }

  private hidden = false;

  /** hidden: the view shows its welcome content (untrusted, no kubeconfig, cluster unreachable) */
  setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    this.emitter.fire();
  }

  refreshAll(): void {
    this.emitter.fire();
  }

  private onModelChange(c: ModelChange): void {
    const conn = this.conn;
    if (!conn) return;
    if (c.state || c.namespaces.size > 0) {
      // connection state or the set of namespaces/StatefulSets changed: the context node and below
      const ctx = this.nodes.get(`ctx:${conn.context}`);
      this.emitter.fire(ctx ? [ctx] : undefined);
      return;
    }
    const changed: TreeNode[] = [];
    for (const key of c.keys) {
      const n = this.nodes.get(`ctx:${conn.context}/sts:${key}`);
      if (n) changed.push(n);
      else {
        // a StatefulSet VS Code has not seen yet: its namespace node
        const ns = this.nodes.get(`ctx:${conn.context}/ns:${key.split('/')[0]}`);
        if (ns) changed.push(ns);
      }
    }
    if (changed.length) this.emitter.fire([...new Set(changed)]);
  }

  /** keep the same object per id: VS Code matches refreshed elements by identity */
  private intern(n: TreeNode): TreeNode {
    const prev = this.nodes.get(n.id);
    if (prev) {
      for (const k of Object.keys(prev) as Array<keyof TreeNode>) delete prev[k];
      Object.assign(prev, n);
      return prev;
    }
    this.nodes.set(n.id, n);
    return n;
  }

  getChildren(element?: TreeNode): TreeNode[] {
    const conn = this.conn;
    if (!conn || this.hidden) return [];
    return childrenOf(element, conn.context, conn.server, conn.model).map((n) => this.intern(n));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      n.label,
      n.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None : n.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.contextValue = n.contextValue;
    item.iconPath = new vscode.ThemeIcon(n.icon, n.color ? new vscode.ThemeColor(n.color) : undefined);
    if (n.kind === 'revision') item.command = { command: 'statefulsetStudio.history', title: 'Rollout history', arguments: [n] };
    return item;
  }

  getParent(n: TreeNode): TreeNode | undefined {
    const conn = this.conn;
    if (!conn || n.kind === 'context') return undefined;
    if (n.kind === 'namespace' || n.kind === 'message') return this.nodes.get(`ctx:${conn.context}`);
    if (n.kind === 'statefulset') return this.nodes.get(`ctx:${conn.context}/ns:${n.namespace}`);
    const stsId = `ctx:${conn.context}/sts:${n.stsKey}`;
    if (n.kind === 'pvc' && n.ordinal !== undefined) {
      const ord = this.nodes.get(`${stsId}/ord:${n.ordinal}`);
      if (ord) return ord;
      return this.nodes.get(`${stsId}/orphans`);
    }
    if (n.kind === 'revision') return this.nodes.get(`${stsId}/revisions`);
    return this.nodes.get(stsId);
  }
}
