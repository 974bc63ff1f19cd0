// Loads the explorer's VS Code side against the stand-in `vscode` module of test/explorer/fixtures
// (bundled with esbuild by test/explorer/standIn.ts), and records everything the
// extension shows: log channel lines, messages, prompts, modal options.
import { bundleExplorer } from '../explorer/standIn';

export { root } from '../explorer/standIn';

export interface Stub {
  trusted: boolean;
  config: Record<string, unknown>;
  commands: Map<string, (...a: unknown[]) => unknown>;
  contextKeys: Record<string, unknown>;
  treeViews: Array<{ message?: string; provider: { getChildren(e?: unknown): Array<{ label: string; description?: string; collapsible: string }> } }>;
  statusBars: Array<{ text: string; tooltip?: string }>;
  logLines: string[];
  grantTrust: Array<() => void>;
  configListeners: Array<(e: unknown) => void>;
  shown: unknown[][];
}

export interface Prompt {
  kind: string;
  message: string;
  detail?: string;
  items?: string[];
  value?: string;
  answer?: string | null;
  validationMessage?: string;
}

export interface ExplorerApi {
  explorer: { dispose(): void; renderTree(): string; state: string; conn?: unknown };
  onLiveStatefulSets(l: (o: unknown[]) => void): unknown;
}

export interface StandIn {
  stub: Stub;
  vscode: any;
  /** workspace-level values of settings (the stand-in's inspect() gives them as workspaceValue) */
  workspaceConfig: Record<string, unknown>;
  /** options of every vscode.window.showWarningMessage call that reached the editor */
  warnings: Array<{ message: string; options: { modal?: boolean; detail?: string }; buttons: string[] }>;
  /** every prompt recorded by the test hook, accumulated (getPrompts clears its own record) */
  prompts: Prompt[];
  activate(): ExplorerApi;
  run(id: string, ...args: unknown[]): Promise<unknown>;
  /** the prompts since the last call (also appended to `prompts`) */
  takePrompts(): Promise<Prompt[]>;
  fireConfig(key: string): void;
  ctx: { subscriptions: Array<{ dispose(): void }> };
  dispose(): void;
}

export async function loadStandIn(): Promise<StandIn> {
  process.env.STATEFULSET_STUDIO_TEST = '1';
  const bundled = await bundleExplorer('sts-security-', { globalStorage: false });
  const mod = bundled.mod as { activateExplorer(ctx: unknown): ExplorerApi };
  const vscode = bundled.vscode;
  const stub = vscode.__stub as Stub;

  // Settings as VS Code scopes them: get() is the effective value (workspace wins), inspect() has
  // every scope. The stand-in only knew globalValue; workspace values are added here.
  const workspaceConfig: Record<string, unknown> = {};
  vscode.workspace.getConfiguration = (section?: string) => {
    const full = (k: string) => (section ? `${section}.${k}` : k);
    return {
      inspect: (k: string) => ({ key: full(k), globalValue: stub.config[full(k)], workspaceValue: workspaceConfig[full(k)], workspaceFolderValue: workspaceConfig[full(k)] }),
      get: (k: string) => workspaceConfig[full(k)] ?? stub.config[full(k)],
    };
  };
  const warnings: StandIn['warnings'] = [];
  vscode.window.showWarningMessage = async (message: string, options: { modal?: boolean; detail?: string }, ...buttons: string[]) => {
    warnings.push({ message, options: typeof options === 'object' ? options : {}, buttons });
    stub.shown.push(['warning', message, options?.detail]);
    return undefined; // Escape / Cancel
  };
  vscode.window.showErrorMessage = async (message: string, ...rest: unknown[]) => {
    stub.shown.push(['error', message, ...rest]);
    return undefined;
  };
  vscode.window.showInputBox = async (o: unknown) => {
    stub.shown.push(['inputBox', JSON.stringify(o)]);
    return undefined; // Escape
  };

  const ctx = bundled.ctx;
  const prompts: Prompt[] = [];
  let api: ExplorerApi | undefined;
  const run = (id: string, ...a: unknown[]) => {
    const fn = stub.commands.get(id);
    if (!fn) throw new Error(`command ${id} is not registered`);
    return Promise.resolve(fn(...a));
  };
  return {
    stub,
    vscode,
    workspaceConfig,
    warnings,
    prompts,
    ctx,
    activate() {
      api = mod.activateExplorer(ctx);
      return api;
    },
    run,
    async takePrompts() {
      const p = (await run('statefulsetStudio.test.getPrompts')) as Prompt[];
      prompts.push(...p);
      return p;
    },
    fireConfig(key: string) {
      for (const l of stub.configListeners) l({ affectsConfiguration: (k: string) => k === key });
    },
    dispose() {
      api?.explorer.dispose();
      for (const d of ctx.subscriptions) d.dispose();
      bundled.remove();
    },
  };
}

export { waitUntil } from '../explorer/standIn';
