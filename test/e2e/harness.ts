// Runs mocha suites inside a real VS Code: code-server (VS Code 1.139, Node 24, remote extension host) with the
// packaged VSIX installed, driven by Debian's headless Chromium through playwright-core.
// See test/e2e/README.md for the arrangement and ../../README.md "Editor tests (code-server)".
//
// Arrangement (why the INSTALLED extension is what runs):
//   - the VSIX is installed with `code-server --install-extension X.vsix --extensions-dir EXT`;
//   - extensionDevelopmentPath points at a tiny throwaway "host" extension (no code), only because VS Code
//     wants one to run extensionTestsPath; our extension is therefore loaded from EXT like a user's install;
//   - the suite asserts `getExtension(ID).extensionPath` lies inside EXT (env E2E_EXTENSIONS_DIR).
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { provisionEditor, type EditorEnv } from '../../scripts/provision-editor.mjs';
import { packageVsix } from '../../scripts/package.mjs';
import { EXTENSION_ID, codeServerEnv, freePort, installOtherVsix, installVsix, prepareProfile, sleep, startCodeServer, withTimeout, type CodeServer } from './code-server';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where published screenshots are kept after a passing session: test-results/e2e/<suite>/published/ (ignored by
 *  git). `npm run screenshots` (scripts/publish-screenshots.mjs) copies them to docs/images/, which README.md and the
 *  walkthrough show and the VSIX ships; a test run never writes a tracked file. */
export const publishedDir = (resultsDir: string): string => join(resultsDir, 'published');
export { EXTENSION_ID, freePort };

export type { EditorEnv };

export const provision = (log?: (s: string) => void): Promise<EditorEnv> => provisionEditor(log ? { log } : {});
export const buildVsix = (out: string, log?: (s: string) => void): Promise<string> => packageVsix({ out, log });

/** Bundles mocha + the given *.e2e.ts files (plus test/e2e/suite/index.ts) into one CommonJS file the
 *  extension host can `require`. Only `vscode` stays external. */
export async function bundleSuite(suiteFiles: string[], outFile: string): Promise<string> {
  const index = join(ROOT, 'test', 'e2e', 'suite', 'index.ts');
  const contents = [
    `import { runSuites } from ${JSON.stringify(index)};`,
    `export function run() {`,
    `  return runSuites(() => {`,
    ...suiteFiles.map((f) => `    require(${JSON.stringify(resolve(f))});`),
    `  });`,
    `}`,
  ].join('\n');
  await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'e2e-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: outFile,
    sourcemap: 'inline',
    logLevel: 'error', // mocha's parallel-mode require.resolve warnings do not concern us
  });
  return outFile;
}

export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface RunOptions {
  env: EditorEnv;
  vsix: string;
  /** Absolute paths of *.e2e.ts files to run (in one extension host, in this order). */
  suiteFiles: string[];
  /** Folder opened as the workspace; a fresh empty temp folder when omitted. Files can be copied in first. */
  workspace?: string;
  /** Extra user settings (e.g. { "statefulsetStudio.kubeconfig": "/tmp/x/kubeconfig" }). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server, inherited by the extension host (and so by the suite and the extension). */
  extraEnv?: Record<string, string>;
  /** Screenshots and logs go here (created). */
  resultsDir: string;
  /** Bound on the whole editor session (start to codeAutomationExit). */
  timeoutMs?: number;
  log?: (s: string) => void;
  /** Other extensions' VSIX files, installed in this order before ours (e.g. Red Hat YAML, then Kubernetes). */
  extraVsix?: string[];
  /** Install only `extraVsix`, not our extension: a baseline of what the neighbours do alone. */
  withoutOurs?: boolean;
}

export interface RunResult {
  exitCode: number;
  tests: TestResult[];
  console: string[];
  screenshots: string[];
  /** Screenshots the suite asked to publish (README / walkthrough pictures), in resultsDir. */
  published: string[];
  timings: Record<string, number>;
  port: number;
}

/** Installs the VSIX into a throwaway extensions dir, starts code-server, opens the workbench in Chromium with the
 *  test payload, waits for codeAutomationExit, then stops everything (browser, then code-server's process group). */
export async function runEditorSuite(o: RunOptions): Promise<RunResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'sss-e2e-'));
  try {
    return await runIn(tmp, o);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function runIn(tmp: string, o: RunOptions): Promise<RunResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`[e2e] ${s}\n`));
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const mark = (k: string, since = t0) => (timings[k] = Date.now() - since);
  mkdirSync(o.resultsDir, { recursive: true });
  // Throwaway profile (HOME, XDG_*, user data, extensions, config: test/e2e/code-server.ts), plus the harness's own
  // folders: the test host extension and the suite's RPC folder.
  // a solid cursor: a screenshot never catches it mid-blink
  const profile = prepareProfile(tmp, { workspace: o.workspace, settings: { 'editor.cursorBlinking': 'solid', ...o.settings } });
  const dirs = { ...profile, host: join(tmp, 'host-extension'), rpc: join(tmp, 'rpc') };
  for (const d of [dirs.host, dirs.rpc]) mkdirSync(d, { recursive: true });
  // The development extension VS Code insists on for extensionTestsPath: no code, activates nothing.
  writeFileSync(join(dirs.host, 'package.json'), JSON.stringify({
    name: 'statefulset-studio-e2e-host', publisher: 'statefulset-studio-e2e', version: '0.0.0',
    engines: { vscode: '^1.82.0' }, description: 'e2e test host (no code)',
  }, null, 2));
  const suiteJs = await bundleSuite(o.suiteFiles, join(tmp, 'suite', 'suite.js'));
  const resultsFile = join(tmp, 'results.json');

  const env = codeServerEnv(o.env, profile, {
    extra: {
      E2E_WORKSPACE: dirs.workspace,
      E2E_EXTENSIONS_DIR: dirs.extensions,
      E2E_RPC_DIR: dirs.rpc,
      E2E_RESULTS_FILE: resultsFile,
      E2E_EXTENSION_ID: EXTENSION_ID,
      ...o.extraEnv,
    },
  });

  // 1. Install the packaged VSIX exactly as a user would.
  let t = Date.now();
  for (const x of o.extraVsix ?? []) installOtherVsix(o.env, profile, env, x);
  const installed = o.withoutOurs ? '(not ours: baseline run)' : installVsix(o.env, profile, env, o.vsix);
  mark('installVsixMs', t);
  log(`installed ${installed} (${timings.installVsixMs} ms)`);

  // 2. Start code-server in its own process group.
  const port = await freePort();
  let server: CodeServer | undefined;
  const serverLog: string[] = []; // kept even when code-server fails to start
  let browser: Browser | undefined;
  const consoleLines: string[] = [];
  const screenshots: string[] = [];
  const published: string[] = [];
  let exitCode = -1;
  let leftovers = (): string[] => [];
  try {
    t = Date.now();
    server = await startCodeServer(o.env, profile, env, {
      port,
      args: ['--vscode-option', 'enable-smoke-test-driver'], // without it the payload is ignored and the run hangs
      onOutput: (c) => serverLog.push(c),
    });
    mark('serverListeningMs', t);
    log(`code-server listening on 127.0.0.1:${port} (${timings.serverListeningMs} ms)`);

    // 3. Chromium with the test payload.
    t = Date.now();
    // Playwright gives Chromium a fresh temporary profile of its own (it refuses --user-data-dir in args);
    // it sometimes leaves the emptied folders behind, so we note what is new in the temp dir and remove it.
    const before = new Set(readdirSync(tmpdir()));
    leftovers = () => readdirSync(tmpdir()).filter((f) => !before.has(f) && /^playwright[-_]/.test(f)).map((f) => join(tmpdir(), f));
    browser = await withTimeout(chromium.launch({
      executablePath: o.env.chromium, // Debian's chromium: Playwright never downloads a browser
      headless: true,
      env: { ...env, HOME: dirs.home },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    }), 60_000, 'chromium launch');
    const page: Page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Console messages arrive printf-style in pieces ('%c INFO', 'color: #33f', '  ✔ %s (%dms)', title, 634):
    // reassemble them; order is kept by reserving the slot before the async argument fetch.
    page.on('console', (m) => {
      const slot = consoleLines.push(m.text()) - 1;
      void Promise.all(m.args().map((a) => a.jsonValue().catch(() => String(a))))
        .then((values) => { consoleLines[slot] = printf(values); }, () => {});
    });
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    const exited = new Promise<number>((res) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => { res(code); });
    });

    // Requests from the suite (test/e2e/suite/util.ts): it writes RPC/<token>.req holding JSON
    // {op:'screenshot', name} or {op:'eval', expression}; we answer RPC/<token>.done with {ok, value | error}.
    let stopRpc = false;
    const rpcLoop = (async () => {
      while (!stopRpc) {
        for (const f of existsSync(dirs.rpc) ? readdirSync(dirs.rpc) : []) {
          if (!f.endsWith('.req')) continue;
          const token = f.slice(0, -4);
          let answer: { ok: boolean; value?: unknown; error?: string };
          try {
            const req = JSON.parse(readFileSync(join(dirs.rpc, f), 'utf8')) as { op: string; name?: string; expression?: string; publish?: boolean; selector?: string; button?: string };
            rmSync(join(dirs.rpc, f), { force: true });
            if (req.op === 'screenshot') {
              const file = join(o.resultsDir, `${String(req.name).replace(/[^\w.-]+/g, '_')}.png`);
              await page.screenshot({ path: file, timeout: 15_000 });
              screenshots.push(file);
              if (req.publish && !published.includes(file)) published.push(file);
              answer = { ok: true, value: file };
            } else if (req.op === 'click') {
              // a real mouse click (Playwright selector, e.g. '.monaco-list-row:has-text("web") .monaco-tl-twistie')
              await page.click(String(req.selector), { timeout: 15_000, button: req.button === 'right' ? 'right' : 'left' });
              answer = { ok: true, value: true };
            } else if (req.op === 'eval') {
              answer = { ok: true, value: await withTimeout(page.evaluate(String(req.expression)), 15_000, 'page.evaluate') };
            } else {
              answer = { ok: false, error: `unknown op ${req.op}` };
            }
          } catch (e) {
            answer = { ok: false, error: (e as Error).message };
          }
          writeFileSync(join(dirs.rpc, `${token}.done.tmp`), JSON.stringify(answer ?? null));
          renameSync(join(dirs.rpc, `${token}.done.tmp`), join(dirs.rpc, `${token}.done`));
        }
        await sleep(100);
      }
    })();

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${dirs.host}`],
      ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${suiteJs}`],
      ['skipWelcome', 'true'],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await withTimeout(page.goto(url, { waitUntil: 'domcontentloaded' }), 60_000, 'workbench page load');
    await withTimeout(page.waitForSelector('.monaco-workbench', { timeout: 60_000 }), 61_000, 'workbench DOM');
    mark('workbenchLoadedMs', t);
    log(`workbench loaded (${timings.workbenchLoadedMs} ms); running ${o.suiteFiles.length} suite file(s)`);

    t = Date.now();
    try {
      exitCode = await withTimeout(exited, o.timeoutMs ?? 300_000, 'extension tests (codeAutomationExit)');
    } catch (e) {
      await page.screenshot({ path: join(o.resultsDir, 'timeout.png') }).catch(() => {});
      throw e;
    } finally {
      mark('suiteMs', t);
      stopRpc = true;
      await rpcLoop;
    }
    await page.screenshot({ path: join(o.resultsDir, 'final.png'), timeout: 10_000 }).then(() => screenshots.push(join(o.resultsDir, 'final.png')), () => {});
    log(`extension host exited with ${exitCode} after ${timings.suiteMs} ms`);
    await withTimeout(browser.close(), 15_000, 'chromium close').catch(() => {});
    browser = undefined;
  } finally {
    writeFileSync(join(o.resultsDir, 'console.log'), consoleLines.join('\n'));
    writeFileSync(join(o.resultsDir, 'code-server.log'), serverLog.join(''));
    // VS Code's own logs, the extensions' output channels among them (the language server's log): what to read when a run fails
    try {
      cpSync(join(profile.userData, 'logs'), join(o.resultsDir, 'logs'), { recursive: true });
    } catch {
      // no logs written
    }
    if (browser) await withTimeout(browser.close(), 15_000, 'chromium close').catch(() => {});
    await server?.stop();
    for (const d of leftovers()) rmSync(d, { recursive: true, force: true });
    mark('totalMs');
  }
  const tests: TestResult[] = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : [];
  return { exitCode, tests, console: consoleLines, screenshots, published, timings, port };
}

export interface EditorTestOptions {
  /** Names under test/e2e/suite/ (e.g. ['language.e2e.ts']) or absolute paths. */
  suites: string[];
  /** Screenshots and logs: test-results/e2e/<resultsName>/ (cleared first). */
  resultsName: string;
  settings?: Record<string, unknown>;
  extraEnv?: Record<string, string>;
  workspace?: string;
  timeoutMs?: number;
  /** See RunOptions.extraVsix / withoutOurs. */
  extraVsix?: string[];
  withoutOurs?: boolean;
}

/** Everything a node test needs to run e2e suites in code-server: provisions (cached), packages the VSIX, runs the
 *  suites, reports every mocha test as a subtest of `t`, and fails when the extension host did not exit 0.
 *  Returns the run for extra assertions (timings, screenshots, console). */
export async function editorTest(t: { test: (name: string, opts: { skip?: boolean }, fn: () => void) => Promise<void> }, o: EditorTestOptions): Promise<RunResult> {
  const log = (s: string) => process.stderr.write(`[e2e] ${s}\n`);
  const resultsDir = join(ROOT, 'test-results', 'e2e', o.resultsName);
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  let t0 = Date.now();
  const env = await provision(log);
  log(`provisioned in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t0 = Date.now();
  const vsix = await buildVsix(join(ROOT, '.cache', 'e2e', `statefulset-studio-${process.pid}.vsix`), log);
  log(`packaged in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const suiteFiles = o.suites.map((f) => resolve(join(ROOT, 'test', 'e2e', 'suite'), f));
  let r: RunResult;
  try {
    r = await runEditorSuite({ env, vsix, suiteFiles, resultsDir, settings: o.settings, extraEnv: o.extraEnv, workspace: o.workspace, timeoutMs: o.timeoutMs ?? 8 * 60_000, log, extraVsix: o.extraVsix, withoutOurs: o.withoutOurs });
  } finally {
    rmSync(vsix, { force: true });
  }
  log(`timings (ms): ${JSON.stringify(r.timings)}; screenshots: ${r.screenshots.map((x) => x.slice(ROOT.length + 1)).join(', ')}`);
  for (const res of r.tests) {
    await t.test(`[editor] ${res.fullTitle}`, { skip: res.state === 'pending' }, () => {
      if (res.state === 'failed') throw new Error(res.error ?? 'failed');
    });
  }
  if (r.exitCode !== 0 || r.tests.length === 0) {
    const failed = r.tests.filter((x) => x.state === 'failed').length;
    throw new Error(`extension host exited with ${r.exitCode}; ${r.tests.length} tests reported, ${failed} failed. Console tail:\n${r.console.slice(-80).join('\n')}`);
  }
  // The README's and the walkthrough's pictures: only from a session that passed, so they show what works now; kept
  // under test-results/ (ignored), published to docs/images/ only by `npm run screenshots`.
  if (r.published.length) {
    const dir = publishedDir(resultsDir);
    mkdirSync(dir, { recursive: true });
    for (const f of r.published) copyFileSync(f, join(dir, basename(f)));
    log(`pictures to publish (npm run screenshots): ${r.published.map((f) => join(dir, basename(f)).slice(ROOT.length + 1)).join(', ')}`);
  }
  return r;
}

/** Skip reason for e2e tests on machines that cannot run them, else false. */
export const editorSkip = (): string | false =>
  process.env.SKIP_EDITOR_TESTS ? 'SKIP_EDITOR_TESTS is set' : process.platform !== 'linux' || process.arch !== 'x64' ? 'code-server e2e runs on linux-x64 only' : false;

/** util.format-like assembly of console arguments; nested format strings (VS Code's log prefix wraps the
 *  extension host's own printf call) are applied in turn; %c styles are dropped. */
export function printf(values: unknown[]): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
  if (values.length === 0) return '';
  const [first, ...rest] = values;
  if (typeof first !== 'string' || !first.includes('%')) return [str(first), printf(rest)].filter(Boolean).join(' ');
  let i = 0;
  const out = first.replace(/%[csdifoOj%]/g, (d) => {
    if (d === '%%') return '%';
    if (i >= rest.length) return d;
    const v = rest[i++];
    if (d === '%c') return '';
    if (d === '%d' || d === '%i') return String(typeof v === 'number' ? Math.trunc(v) : v);
    return str(v);
  });
  return [out.trimEnd(), printf(rest.slice(i))].filter(Boolean).join(' ');
}
