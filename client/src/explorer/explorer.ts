// The cluster explorer: owns the connection (context + namespace), the tree view, the status bar
// item, the log channel, and the stream of live StatefulSets for the language server.
import { tmpdir } from 'node:os';
import { FileJournal } from '../cluster/workflows/journal';
import { resumeOwnerPauses } from './ownerResume';
import { pendingMessage } from '../cluster/workflows/recreate';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ALL_NAMESPACES, ClusterConnection } from '../cluster/connection';
import { errorMessage } from '../cluster/errors';
import { NoKubeconfigError, kubeconfigFiles, loadKubeConfig } from '../cluster/kubeconfig';
import { Logger } from '../cluster/log';
import type { StatefulSet } from '../cluster/types';
import { renderTree } from '../cluster/tree';
import * as prompts from '../ui/prompts';
import { StatefulSetTreeProvider } from './treeProvider';
import { diskOptions, followVisibility, pendingRestoreMessage, restoreJournal } from './disks';
import type { RestoreJournal } from '../cluster/workflows/restore';

export const VIEW_ID = 'statefulsetStudio.explorer';
const STATE_CONTEXT = 'statefulsetStudio.explorer.context';
const STATE_NAMESPACE = 'statefulsetStudio.explorer.namespace';

export type ExplorerState = 'untrusted' | 'noKubeconfig' | 'connecting' | 'connected' | 'unreachable' | 'disconnected' | 'unauthorized';

export class Explorer implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly logger = new Logger();
  readonly provider = new StatefulSetTreeProvider();
  readonly treeView: vscode.TreeView<import('../cluster/tree').TreeNode>;
  readonly statusBar: vscode.StatusBarItem;
  conn?: ClusterConnection;
  state: ExplorerState = 'connecting';
  private everSynced = false;
  private told401 = false;
  private disposables: vscode.Disposable[] = [];
  private connUnsub?: () => void;
  private liveEmitter = new vscode.EventEmitter<StatefulSet[]>();
  /** the live StatefulSet objects (latest from the informer), debounced ~300 ms */
  readonly onLiveStatefulSets = this.liveEmitter.event;
  private liveTimer?: NodeJS.Timeout;
  private versionEmitter = new vscode.EventEmitter<string | undefined>();
  /** The connected cluster's version (`GET /version` gitVersion); undefined when not connected. */
  readonly onClusterVersion = this.versionEmitter.event;
  clusterVersion?: string;
  private versionOf?: ClusterConnection;
  private stateEmitter = new vscode.EventEmitter<ExplorerState>();
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly ctx: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('StatefulSet Studio: Cluster', { log: true });
    this.logger.addSink((level, msg) => {
      switch (level) {
        case 'trace':
          return this.output.trace(msg);
        case 'debug':
          return this.output.debug(msg);
        case 'info':
          return this.output.info(msg);
        case 'warn':
          return this.output.warn(msg);
        case 'error':
          return this.output.error(msg);
      }
    });
    this.treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.statusBar = vscode.window.createStatusBarItem('statefulsetStudio.cluster', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = 'StatefulSet Studio: Cluster';
    this.statusBar.command = 'statefulsetStudio.switchContextOrNamespace';
    this.disposables.push(
      this.output,
      this.treeView,
      this.statusBar,
      this.liveEmitter,
      this.versionEmitter,
      this.stateEmitter,
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.connect()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // also when no event names it: in a remote window a machine-scoped value of the user's settings goes once the
        // window knows it is remote (client/src/helmAccess.ts), and the connection must follow what VS Code applies
        if (e.affectsConfiguration('statefulsetStudio.kubeconfig') || this.ourKubeconfig() !== this.connectedSetting) this.connect();
      }),
    );
  }

  get selectedContext(): string | undefined {
    return this.ctx.globalState.get<string>(STATE_CONTEXT);
  }

  get selectedNamespace(): string | undefined {
    return this.ctx.globalState.get<string>(STATE_NAMESPACE);
  }

  /** The kubeconfig path followed from the Microsoft Kubernetes extension when our setting is empty
   *  (client/src/neighbours/kubernetesNeighbour.ts); never from a workspace's settings. */
  followedKubeconfig?: () => string | undefined;

  /** Our setting: machine-scoped, so only the user's (or the remote machine's) value counts, never a workspace value. */
  private ourKubeconfig(): string | undefined {
    return vscode.workspace.getConfiguration('statefulsetStudio').inspect<string>('kubeconfig')?.globalValue || undefined;
  }

  /** Our setting's value at the last connect. */
  private connectedSetting: string | undefined;

  kubeconfigPath(): string | undefined {
    return this.ourKubeconfig() || this.followedKubeconfig?.() || undefined;
  }

  /** (Re)connects with the current settings; in an untrusted workspace nothing is contacted. */
  connect(): void {
    this.disconnect();
    this.connectedSetting = this.ourKubeconfig();
    if (!vscode.workspace.isTrusted) {
      this.logger.info('untrusted workspace: no cluster connection is made');
      this.setState('untrusted');
      return;
    }
    let conn: ClusterConnection;
    this.watchKubeconfig();
    try {
      const { kc } = loadKubeConfig({ path: this.kubeconfigPath() });
      let context = this.selectedContext;
      if (context && !kc.getContextObject(context)) context = undefined;
      conn = new ClusterConnection({ kubeConfig: kc, context, namespace: this.selectedNamespace, logger: this.logger, disks: diskOptions() });
    } catch (err) {
      this.logger.warn(errorMessage(err));
      this.noKubeconfigReason = errorMessage(err);
      this.setState(err instanceof NoKubeconfigError ? 'noKubeconfig' : 'noKubeconfig');
      return;
    }
    this.conn = conn;
    this.everSynced = false;
    this.told401 = false;
    this.connUnsub = conn.model.onDidChange((c) => {
      if (c.state) this.updateState();
      if (c.keys.size || c.namespaces.size) this.scheduleLive();
    });
    this.provider.setConnection(conn, () => this.pendingHere(conn.server));
    this.setState('connecting');
    conn.start();
    this.visibility = followVisibility(this.treeView, conn);
    resumeOwnerPauses(this.journal.dir, this.logger, conn, (ns, name) => this.pendingWorkflow(conn.server, ns, name)).catch((e: unknown) => this.logger.warn(`resuming paused owners: ${errorMessage(e)}`));
  }

  private visibility?: vscode.Disposable;

  /** A journaled workflow of this StatefulSet still pending (re-create / resize, restore of one of its PVCs), as text. */
  pendingWorkflow(server: string, namespace: string, name: string): string | undefined {
    const w = this.journal.load(server, namespace, name);
    if (w) return `the ${w.workflow} of ${namespace}/${name} is pending at step "${w.stage}" ("Finish Pending Re-create" continues it)`;
    const r = this.restoreJournal.list().find((e) => e.cluster === server && e.namespace === namespace && e.name === name);
    if (r) return `the restore of ${namespace}/${r.pvc} is pending at step "${r.stage}" (Restore from Snapshot… on ${r.pvc} continues it)`;
    return undefined;
  }

  noKubeconfigReason = '';
  private watchers: fs.FSWatcher[] = [];
  private reloadTimer?: NodeJS.Timeout;

  /**
   * Reconnect when a kubeconfig file changes (a new token after re-authenticating, another current
   * context, the file appearing): its folder is watched, since tools replace the file by renaming.
   */
  private watchKubeconfig(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    const files = kubeconfigFiles({ path: this.kubeconfigPath() });
    const byDir = new Map<string, Set<string>>();
    for (const f of files) {
      const dir = path.dirname(f);
      if (!byDir.has(dir)) byDir.set(dir, new Set());
      byDir.get(dir)!.add(path.basename(f));
    }
    for (const [dir, names] of byDir) {
      try {
        const w = fs.watch(dir, { persistent: false }, (_ev, name) => {
          if (name && !names.has(name.toString())) return;
          if (this.reloadTimer) clearTimeout(this.reloadTimer);
          this.reloadTimer = setTimeout(() => {
            this.reloadTimer = undefined;
            this.logger.info(`kubeconfig changed (${path.join(dir, name?.toString() ?? '')}): reconnecting`);
            this.connect();
          }, 300);
        });
        w.on('error', () => w.close());
        this.watchers.push(w);
      } catch {
        // folder missing: nothing to watch (the welcome view says no kubeconfig was found)
      }
    }
  }

  disconnect(): void {
    this.visibility?.dispose();
    this.visibility = undefined;
    this.connUnsub?.();
    this.connUnsub = undefined;
    this.conn?.stop();
    this.conn = undefined;
    this.versionOf = undefined;
    if (this.clusterVersion !== undefined) this.versionEmitter.fire((this.clusterVersion = undefined));
    this.provider.setConnection(undefined);
    this.scheduleLive();
  }

  private scheduleLive(): void {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.liveEmitter.fire(this.conn?.model.liveObjects() ?? []);
    }, 300);
  }

  liveObjects(): StatefulSet[] {
    return this.conn?.model.liveObjects() ?? [];
  }

  private updateState(): void {
    const conn = this.conn;
    if (!conn) return;
    const c = conn.model.connection();
    if (c.phase === 'connected') this.everSynced = true;
    if (c.phase === 'connected' && this.versionOf !== conn) {
      // once per connection: the language server checks fields against the cluster's version
      this.versionOf = conn;
      void import('../cluster/operations')
        .then(({ serverVersion }) => serverVersion(conn.http))
        .then(
        (v) => {
          if (this.conn !== conn) return;
          this.logger.info(`cluster version ${v}`);
          this.versionEmitter.fire((this.clusterVersion = v));
        },
        (err: unknown) => this.logger.warn(`GET /version failed: ${errorMessage(err)}; the language server checks against its default Kubernetes version`),
      );
    }
    let s: ExplorerState;
    switch (c.phase) {
      case 'connected':
        s = 'connected';
        break;
      case 'connecting':
        s = 'connecting';
        break;
      case 'unauthorized':
        s = 'unauthorized';
        break;
      default:
        s = this.everSynced ? 'disconnected' : 'unreachable';
    }
    if (s === 'unauthorized' && !this.told401) {
      this.told401 = true;
      void prompts
        .error(`Unauthorized (401) on context "${conn.context}": re-authenticate (refresh your credentials or log in again), then Refresh. ${c.message ?? ''}`.trim(), 'Refresh', 'Show Log')
        .then((a) => {
          if (a === 'Refresh') void vscode.commands.executeCommand('statefulsetStudio.refresh');
          else if (a === 'Show Log') this.output.show();
        });
    }
    this.setState(s);
  }

  private journalStore: FileJournal | undefined;
  /** Journals of the resize / re-create workflows, in the extension's global storage. */
  get journal(): FileJournal {
    const base = this.ctx.globalStorageUri?.fsPath ?? path.join(tmpdir(), 'statefulset-studio');
    return (this.journalStore ??= new FileJournal(path.join(base, 'recreate-journal')));
  }

  private restoreJournalStore: RestoreJournal | undefined;
  /** Journals of Restore from Snapshot…, in the extension's global storage. */
  get restoreJournal(): RestoreJournal {
    return (this.restoreJournalStore ??= restoreJournal(this.ctx.globalStorageUri?.fsPath ?? path.join(tmpdir(), 'statefulset-studio')));
  }

  /** Show (or stop showing) pending re-creates above the tree and as rows under their namespaces. */
  refreshPending(): void {
    this.setState(this.state);
    this.provider.refreshAll();
  }

  /** The journaled re-creates of this cluster. */
  private pendingHere(server: string): { namespace: string; name: string }[] {
    return this.journal.list().filter((e) => e.cluster === server && e.stage !== 'done');
  }

  private setState(s: ExplorerState): void {
    const changed = s !== this.state;
    this.state = s;
    void vscode.commands.executeCommand('setContext', 'statefulsetStudio.state', s);
    const conn = this.conn;
    const msg = conn?.model.connection().message;
    const where = conn ? `${conn.context}/${conn.namespace ?? 'all'}` : '';
    // the view's title line: which namespace is shown, and how to see the others
    this.treeView.description = conn ? (conn.namespace === undefined ? 'all namespaces' : `namespace ${conn.namespace} · Switch Namespace… for all`) : undefined;
    switch (s) {
      case 'untrusted':
        this.treeView.message = 'Untrusted workspace: StatefulSet Studio makes no cluster call until you trust this folder.';
        this.statusBar.text = '$(shield) StatefulSet: untrusted workspace';
        this.statusBar.tooltip = 'Cluster access is disabled in an untrusted workspace';
        break;
      case 'noKubeconfig':
        this.treeView.message = this.noKubeconfigReason || 'No kubeconfig found.';
        this.statusBar.text = '$(circle-slash) StatefulSet: no kubeconfig';
        this.statusBar.tooltip = this.noKubeconfigReason;
        break;
      case 'connecting':
        this.treeView.message = undefined;
        this.statusBar.text = `$(sync~spin) ${where}`;
        this.statusBar.tooltip = `Connecting to ${conn?.server}`;
        break;
      case 'connected':
        this.treeView.message = [pendingMessage(this.journal.list(), conn?.server ?? ''), pendingRestoreMessage(this.restoreJournal, conn?.server ?? '')].filter(Boolean).join(' · ') || undefined;
        this.statusBar.text = `$(database) ${where}`;
        this.statusBar.tooltip = `Connected to ${conn?.server}\nContext ${conn?.context}, namespace ${conn?.namespace ?? 'all'}\nClick to switch context or namespace`;
        break;
      case 'unreachable':
      case 'disconnected':
        this.treeView.message = `Disconnected — retrying. ${msg ?? ''}`.trim();
        this.statusBar.text = `$(debug-disconnect) ${where}: disconnected — retrying`;
        this.statusBar.tooltip = msg;
        break;
      case 'unauthorized':
        this.treeView.message = `Unauthorized: re-authenticate to "${conn?.context}". ${msg ?? ''}`.trim();
        this.statusBar.text = `$(lock) ${where}: re-authenticate`;
        this.statusBar.tooltip = msg;
        break;
    }
    this.statusBar.show();
    this.provider.setHidden(s === 'unreachable' || s === 'untrusted' || s === 'noKubeconfig');
    if (changed) this.stateEmitter.fire(s);
  }

  async selectContext(name?: string): Promise<void> {
    let contexts: string[];
    let current: string;
    try {
      const { kc } = loadKubeConfig({ path: this.kubeconfigPath() });
      contexts = kc.getContexts().map((c) => c.name);
      current = this.conn?.context ?? kc.getCurrentContext();
    } catch (err) {
      void prompts.error(errorMessage(err));
      return;
    }
    const picked =
      name ??
      (await prompts.quickPick(
        contexts.map((c) => ({ label: c, description: c === current ? 'current' : undefined, value: c })),
        { title: 'Switch Kubernetes context', placeHolder: current },
      ));
    if (!picked) return;
    await this.ctx.globalState.update(STATE_CONTEXT, picked);
    await this.ctx.globalState.update(STATE_NAMESPACE, undefined);
    this.connect();
  }

  async selectNamespace(name?: string): Promise<void> {
    const conn = this.conn;
    let picked = name;
    if (!picked) {
      let names: string[] = [];
      if (conn) {
        try {
          const { listNamespaces } = await import('../cluster/operations');
          names = await listNamespaces(conn.http);
        } catch (err) {
          this.logger.info(`cannot list namespaces (${errorMessage(err)}): asking for a name`);
        }
      }
      if (names.length) {
        picked = await prompts.quickPick(
          [{ label: 'All namespaces', description: conn?.namespace === undefined ? 'current' : undefined, value: ALL_NAMESPACES }, ...names.map((n) => ({ label: n, description: n === conn?.namespace ? 'current' : undefined, value: n }))],
          { title: 'Switch namespace' },
        );
      } else {
        picked = await prompts.inputBox({
          prompt: `Namespace to show (${ALL_NAMESPACES} for all namespaces)`,
          value: conn?.namespace ?? ALL_NAMESPACES,
          validateInput: (v) => (v === ALL_NAMESPACES || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'A namespace is a DNS label (lowercase letters, digits, "-")'),
        });
      }
    }
    if (!picked) return;
    await this.ctx.globalState.update(STATE_NAMESPACE, picked);
    this.connect();
  }

  /** The tree as text (test hook and debugging). */
  renderTree(): string {
    const conn = this.conn;
    if (!conn) return `(${this.state})`;
    return renderTree(conn.context, conn.server, conn.model, true, this.pendingHere(conn.server));
  }

  refresh(): void {
    if (!this.conn || this.state === 'noKubeconfig' || this.state === 'unauthorized') return this.connect();
    this.conn.model.retryNow();
    this.conn.disks.retryNow();
    this.provider.refreshAll();
  }

  dispose(): void {
    for (const w of this.watchers) w.close();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.disconnect();
    if (this.liveTimer) clearTimeout(this.liveTimer);
    for (const d of this.disposables) d.dispose();
  }
}
