// VS Code side of the tree: maps the plain TreeNode data (client/src/cluster/tree.ts) to TreeItems and
// refreshes only the nodes whose StatefulSet changed (plan and node identity: cluster/treeState.ts).
import * as vscode from 'vscode';
import type { ClusterConnection } from '../cluster/connection';
import type { ModelChange } from '../cluster/model';
import type { PendingRecreate, TreeNode } from '../cluster/tree';
import { TreeState } from '../cluster/treeState';

export class StatefulSetTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private state?: TreeState;
  private unsubscribe?: () => void;
  private hidden = false;
  /** refresh statistics (test hook) */
  readonly stats = { changes: 0, fires: 0, rootFires: 0, elementsFired: 0, lastFired: [] as string[] };

  setConnection(conn: ClusterConnection | undefined, pending: () => PendingRecreate[] = () => []): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.state = conn ? new TreeState(conn, pending) : undefined;
    if (conn) this.unsubscribe = conn.model.onDidChange((c) => this.onModelChange(c));
    this.fire(undefined);
  }

  /** hidden: the view shows its welcome content (untrusted, no kubeconfig, cluster unreachable) */
  setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    this.fire(undefined);
  }

  refreshAll(): void {
    this.fire(undefined);
  }

  private fire(nodes: TreeNode[] | undefined): void {
    this.stats.fires++;
    if (!nodes) this.stats.rootFires++;
    else this.stats.elementsFired += nodes.length;
    this.stats.lastFired = nodes ? nodes.map((n) => n.id) : ['<root>'];
    this.emitter.fire(nodes);
  }

  private onModelChange(c: ModelChange): void {
    if (!this.state) return;
    this.stats.changes++;
    const nodes = this.state.refreshFor(c);
    if (!nodes || nodes.length) this.fire(nodes);
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!this.state || this.hidden) return [];
    return this.state.children(element);
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
    if (n.command) item.command = { command: n.command.id, title: n.label, arguments: n.command.args };
    else if (n.kind === 'revision') item.command = { command: 'statefulsetStudio.history', title: 'Rollout history', arguments: [n] };
    return item;
  }

  getParent(n: TreeNode): TreeNode | undefined {
    return this.state?.parent(n);
  }
}
