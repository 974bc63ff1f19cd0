// The explorer's VS Code side in plain Node: bundled with esbuild against the stand-in `vscode` module
// (test/explorer/fixtures/vscode-stub.cjs, kept external so that the test shares its instance), the extension
// context it is activated with, and — for the tests that drive commands — activation against a simulator with
// prompts answered through the test hooks. Shared by activation.test.ts and the owners tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { ApiServer } from '../../simulator/index';

export const root = new URL('../..', import.meta.url).pathname;

export interface Stub {
  trusted: boolean;
  config: Record<string, unknown>;
  commands: Map<string, (...a: unknown[]) => unknown>;
  contextKeys: Record<string, unknown>;
  treeViews: Array<{ message?: string; description?: string; provider: { getChildren(e?: unknown): Array<{ label: string; description?: string; collapsible: string }>; getTreeItem(n: unknown): { command?: { command: string; arguments?: unknown[] } } } }>;
  statusBars: Array<{ text: string; command?: string }>;
  logLines: string[];
  grantTrust: Array<() => void>;
  shown: string[][];
  /** in-memory text documents by uri string, for workspace.openTextDocument */
  documents: Map<string, string>;
}

export interface ExplorerApi {
  explorer: { dispose(): void; renderTree(): string };
  onLiveStatefulSets(l: (o: unknown[]) => void): unknown;
}

export interface Prompt {
  kind: string;
  message: string;
  detail?: string;
  items?: string[];
}

/** Checked on a short tick (the stand-in has no events for everything), bounded. */
export function waitUntil<T>(check: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check();
      if (v) return resolve(v);
      if (Date.now() > deadline) return reject(new Error(`timed out: ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export interface Bundled {
  dir: string;
  /** the stand-in `vscode` module the bundle uses (tests may replace its functions) */
  vscode: any;
  mod: { activateExplorer(ctx: unknown): ExplorerApi };
  stub: Stub;
  /** the extension context: subscriptions, globalState, globalStorageUri (under dir) */
  ctx: { subscriptions: Array<{ dispose(): void }>; globalState: { get(k: string): unknown; update(k: string, v: unknown): Promise<void> }; asAbsolutePath(p: string): string; globalStorageUri?: { fsPath: string } };
  /** removes the bundle's temporary folder */
  remove(): void;
}

/**
 * Bundle client/src/explorer/index.ts against the stand-in into a temporary folder of its own (prefix names it).
 * `globalStorage: false`: the context has no globalStorageUri (the explorer then keeps its journals in the temp folder).
 */
export async function bundleExplorer(prefix: string, o: { globalStorage?: boolean } = {}): Promise<Bundled> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const out = join(dir, 'explorer.cjs');
  await esbuild.build({
    entryPoints: [join(root, 'client/src/explorer/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: out,
    plugins: [{ name: 'vscode-stub', setup: (b) => b.onResolve({ filter: /^vscode$/ }, () => ({ path: join(root, 'test/explorer/fixtures/vscode-stub.cjs'), external: true })) }],
    logLevel: 'silent',
  });
  const req = createRequire(out);
  const state = new Map<string, unknown>();
  return {
    dir,
    mod: req(out),
    vscode: req(join(root, 'test/explorer/fixtures/vscode-stub.cjs')),
    stub: (req(join(root, 'test/explorer/fixtures/vscode-stub.cjs')) as { __stub: Stub }).__stub,
    ctx: {
      subscriptions: [],
      globalState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v) },
      asAbsolutePath: (p: string) => join(root, p),
      ...(o.globalStorage === false ? {} : { globalStorageUri: { fsPath: join(dir, 'storage') } }),
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Driven extends Bundled {
  explorerApi: ExplorerApi;
  /** runs a registered command */
  run(id: string, ...a: unknown[]): Promise<unknown>;
  /** the prompts shown since the last call */
  prompts(): Promise<Prompt[]>;
  tree(): string;
  dispose(): void;
}

/** Bundle, trust, point at the simulator's kubeconfig, activate, wait until connected (test mode on). */
export async function driveExplorer(api: ApiServer, prefix: string): Promise<Driven> {
  process.env.STATEFULSET_STUDIO_TEST = '1';
  const b = await bundleExplorer(prefix);
  b.stub.trusted = true;
  b.stub.config['statefulsetStudio.kubeconfig'] = api.kubeconfigPath;
  const explorerApi = b.mod.activateExplorer(b.ctx);
  const run = (id: string, ...a: unknown[]) => Promise.resolve(b.stub.commands.get(id)!(...a));
  const d: Driven = {
    ...b,
    explorerApi,
    run,
    prompts: async () => (await run('statefulsetStudio.test.getPrompts')) as Prompt[],
    tree: () => explorerApi.explorer.renderTree(),
    dispose: () => {
      explorerApi.explorer.dispose();
      for (const s of b.ctx.subscriptions) s.dispose();
      b.remove();
    },
  };
  try {
    await waitUntil(() => b.stub.contextKeys['statefulsetStudio.state'] === 'connected', 'connected');
  } catch (e) {
    d.dispose();
    throw e;
  }
  return d;
}
