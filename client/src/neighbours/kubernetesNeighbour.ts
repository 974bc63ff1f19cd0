// Microsoft Kubernetes (ms-kubernetes-tools.vscode-kubernetes-tools), when installed:
//   - our explorer follows its kubeconfig path and current context (its `configuration` API v1_1:
//     getKubeconfigPath, onDidChangeKubeconfigPath, onDidChangeContext) unless statefulsetStudio.kubeconfig is set
//     or statefulsetStudio.followKubernetesExtension is off;
//   - under its Cluster Explorer's StatefulSet nodes, our ordinal rows (pod, PVCs, states) from our model
//     (`clusterexplorer` API v1_1 registerNodeContributor); our commands on its StatefulSet nodes come from
//     package.json menus (view == extension.vsKubernetesExplorer), their target read by kubernetesTarget.ts;
//   - the context key statefulsetStudio.kubernetesExtension, so a setting can hide our own view beside theirs.
// Its API is reached the documented way (the extension's exports are an API broker: get(component, version)); the
// shapes used are declared here (the npm package vscode-kubernetes-tools-api only carries these declarations).
import * as vscode from 'vscode';
import { childrenOf, statefulSetChildren, type TreeNode } from '../cluster/tree';
import type { Explorer } from '../explorer/explorer';
import { followedKubeconfig } from './kubernetesTarget';
import { KUBERNETES_EXTENSION_ID } from './yamlNeighbour';

type Available<T> = { available: true; api: T } | { available: false; reason: string };
interface ApiBroker {
  get(component: string, version: string): Available<unknown> | Promise<Available<unknown>>;
}
interface ConfigurationV1_1 {
  getKubeconfigPath(): { pathType: 'host'; hostPath: string } | { pathType: 'wsl'; wslPath: string };
  readonly onDidChangeKubeconfigPath: vscode.Event<unknown>;
  readonly onDidChangeContext: vscode.Event<string | null>;
}
interface ExplorerNode {
  getChildren(): Promise<ExplorerNode[]>;
  getTreeItem(): vscode.TreeItem;
}
interface ClusterExplorerV1_1 {
  registerNodeContributor(c: { contributesChildren(parent: unknown): boolean; getChildren(parent: unknown): Promise<ExplorerNode[]> }): void;
  refresh(): void;
}
interface ResourceNode {
  nodeType: 'resource';
  namespace?: string;
  name: string;
  resourceKind: { manifestKind: string };
}

const isStatefulSetNode = (n: unknown): n is ResourceNode => {
  const r = n as Partial<ResourceNode> | undefined;
  return r?.nodeType === 'resource' && r.resourceKind?.manifestKind === 'StatefulSet' && typeof r.name === 'string';
};

export class KubernetesNeighbour implements vscode.Disposable {
  private attachedTo?: vscode.Extension<unknown>;
  private attaching?: Promise<void>;
  private readonly disposables: vscode.Disposable[] = [];
  private subscriptions: vscode.Disposable[] = [];
  private clusterExplorer?: ClusterExplorerV1_1;
  private refreshTimer?: NodeJS.Timeout;
  /** the context the Kubernetes extension last reported */
  theirContext?: string;

  constructor(private readonly ex: Explorer, private readonly log: (msg: string) => void) {
    this.disposables.push(
      vscode.extensions.onDidChange(() => this.sync()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('statefulsetStudio.followKubernetesExtension') || e.affectsConfiguration('vs-kubernetes')) this.applyPath(true);
      }),
      // our rows under their StatefulSet nodes follow our model (debounced by the explorer, ~300 ms)
      ex.onLiveStatefulSets(() => this.scheduleRefresh()),
    );
    this.sync();
  }

  private configuration?: ConfigurationV1_1;

  private sync(): void {
    const ext = vscode.extensions.getExtension<ApiBroker>(KUBERNETES_EXTENSION_ID);
    void vscode.commands.executeCommand('setContext', 'statefulsetStudio.kubernetesExtension', Boolean(ext));
    if (!ext) {
      if (this.attachedTo) {
        this.log('the Kubernetes extension was disabled or removed: our explorer uses its own kubeconfig again');
        this.detach();
      }
      return;
    }
    if (this.attachedTo === ext || this.attaching) return;
    this.attaching = this.attach(ext).finally(() => {
      this.attaching = undefined;
    });
  }

  private detach(): void {
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions = [];
    this.attachedTo = undefined;
    this.configuration = undefined;
    this.clusterExplorer = undefined;
    this.theirContext = undefined;
    if (this.ex.followedKubeconfig) {
      this.ex.followedKubeconfig = undefined;
      this.ex.connect();
    }
  }

  private async attach(ext: vscode.Extension<ApiBroker>): Promise<void> {
    let broker: ApiBroker | undefined;
    try {
      broker = ext.isActive ? ext.exports : await ext.activate();
    } catch (e) {
      this.log(`the Kubernetes extension did not activate (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    if (!broker || typeof broker.get !== 'function') {
      this.log('the Kubernetes extension exports no API broker: not followed');
      return;
    }
    this.attachedTo = ext;
    const cfg = await broker.get('configuration', 'v1_1');
    if (cfg.available) {
      this.configuration = cfg.api as ConfigurationV1_1;
      this.subscriptions.push(
        this.configuration.onDidChangeKubeconfigPath(() => this.applyPath(true)),
        this.configuration.onDidChangeContext((c) => this.followContext(c)),
      );
      this.applyPath(false);
    } else {
      this.log(`the Kubernetes extension's configuration API v1_1 is not available (${cfg.reason})`);
    }
    const ce = await broker.get('clusterexplorer', 'v1_1');
    if (ce.available) {
      this.clusterExplorer = ce.api as ClusterExplorerV1_1;
      this.clusterExplorer.registerNodeContributor({
        contributesChildren: (parent) => isStatefulSetNode(parent),
        getChildren: async (parent) => (isStatefulSetNode(parent) ? this.rowsFor(parent) : []),
      });
      this.log('contributing our ordinal rows to the Kubernetes extension\'s Cluster Explorer');
    } else {
      this.log(`the Kubernetes extension's cluster explorer API v1_1 is not available (${ce.reason})`);
    }
  }

  /** Applies their kubeconfig path to our explorer (or stops following), reconnecting when it changed. */
  private applyPath(reconnect: boolean): void {
    const ours = vscode.workspace.getConfiguration('statefulsetStudio').inspect<string>('kubeconfig');
    const theirs = vscode.workspace.getConfiguration().inspect<Record<string, unknown>>('vs-kubernetes');
    let theirPath: { pathType: string; hostPath?: string } | undefined;
    try {
      theirPath = this.configuration?.getKubeconfigPath();
    } catch (e) {
      this.log(`the Kubernetes extension's kubeconfig path is unknown (${e instanceof Error ? e.message : String(e)})`);
    }
    const f = followedKubeconfig({
      ourExplicitPath: ours?.globalValue,
      follow: vscode.workspace.getConfiguration('statefulsetStudio').get<boolean>('followKubernetesExtension', true) !== false,
      theirs: this.configuration ? theirPath : undefined,
      theirWorkspaceSetting: { ...(theirs?.workspaceValue ?? {}), ...(theirs?.workspaceFolderValue ?? {}) },
    });
    const before = this.ex.followedKubeconfig?.();
    this.ex.followedKubeconfig = f.path ? () => f.path : undefined;
    if (f.path !== before) {
      this.log(f.why);
      if (reconnect || f.path) this.ex.connect();
    }
  }

  /** Their current context changed (also reported once when they start): ours switches to it. */
  private followContext(context: string | null): void {
    if (!context) return;
    this.theirContext = context;
    const follow = vscode.workspace.getConfiguration('statefulsetStudio').get<boolean>('followKubernetesExtension', true) !== false;
    if (!follow || this.ex.conn?.context === context) return;
    this.log(`the Kubernetes extension switched to context "${context}": following`);
    void this.ex.selectContext(context);
  }

  private scheduleRefresh(): void {
    if (!this.clusterExplorer || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.clusterExplorer?.refresh();
    }, 1000);
  }

  /** Our rows under one of their StatefulSet nodes: ordinals (pod + PVCs + state), retained PVCs, revisions. */
  private rowsFor(node: ResourceNode): ExplorerNode[] {
    const conn = this.ex.conn;
    if (!conn) return [this.message(`StatefulSet Studio: ${this.ex.state === 'untrusted' ? 'untrusted workspace' : 'not connected'}`)];
    if (this.theirContext && conn.context !== this.theirContext) return [this.message(`StatefulSet Studio shows context "${conn.context}"`)];
    const ns = node.namespace || conn.namespace || 'default';
    const v = conn.model.view(`${ns}/${node.name}`);
    if (!v) return [this.message(conn.namespace && conn.namespace !== ns ? `StatefulSet Studio shows namespace ${conn.namespace}` : 'StatefulSet Studio: not loaded yet')];
    const wrap = (n: TreeNode): ExplorerNode => ({
      getTreeItem: () => {
        const item = this.ex.provider.getTreeItem(n);
        item.id = `statefulsetStudio:${n.id}`; // unique in their view too
        return item;
      },
      getChildren: async () => (this.ex.conn === conn ? childrenOf(n, conn.context, conn.server, conn.model).map(wrap) : []),
    });
    return statefulSetChildren(conn.context, v, conn.model).map(wrap);
  }

  private message(text: string): ExplorerNode {
    return {
      getTreeItem: () => {
        const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      },
      getChildren: async () => [],
    };
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of [...this.disposables, ...this.subscriptions]) d.dispose();
  }
}
