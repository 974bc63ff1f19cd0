// `npm run test:electron`: the same e2e suites (test/e2e/suite/*.e2e.ts) in a desktop VS Code downloaded by
// @vscode/test-electron, with the packaged VSIX installed into a throwaway extensions folder.
// It downloads VS Code from Microsoft's update service, so it cannot run on CI machines without that route;
// CI runs the suites in code-server instead (test/e2e/editor.test.ts). On a Linux box without a display,
// run it under Xvfb:  xvfb-run -a npm run test:electron
// Environment: VSCODE_TEST_VERSION (default "stable", or e.g. "1.82.0" for the oldest supported),
//              E2E_SUITES=language (substrings of suite file names).
// Screenshots and DOM checks need the code-server harness; suites skip them here (util.hasBrowser()).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { EXTENSION_ID, ROOT, buildVsix, bundleSuite } from '../e2e/harness';

async function main(): Promise<number> {
  const suiteDir = join(ROOT, 'test', 'e2e', 'suite');
  const only = (process.env.E2E_SUITES ?? '').split(',').filter(Boolean);
  const suiteFiles = readdirSync(suiteDir).filter((f) => f.endsWith('.e2e.ts') && (only.length === 0 || only.some((s) => f.includes(s)))).sort().map((f) => join(suiteDir, f));
  const tmp = mkdtempSync(join(tmpdir(), 'sss-electron-'));
  try {
    const vsix = await buildVsix(join(ROOT, '.cache', 'e2e', 'statefulset-studio-electron.vsix'));
    const suiteJs = await bundleSuite(suiteFiles, join(tmp, 'suite', 'suite.js'));
    const dirs = { ext: join(tmp, 'extensions'), userData: join(tmp, 'user-data'), host: join(tmp, 'host-extension'), workspace: join(tmp, 'workspace') };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    writeFileSync(join(dirs.host, 'package.json'), JSON.stringify({ name: 'statefulset-studio-e2e-host', publisher: 'statefulset-studio-e2e', version: '0.0.0', engines: { vscode: '^1.82.0' } }));
    mkdirSync(join(dirs.userData, 'User'), { recursive: true });
    writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false }));

    const exe = await downloadAndUnzipVSCode(process.env.VSCODE_TEST_VERSION ?? 'stable');
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(exe);
    const inst = spawnSync(cli, [...cliArgs, '--extensions-dir', dirs.ext, '--user-data-dir', dirs.userData, '--install-extension', vsix], { encoding: 'utf8', stdio: 'inherit', shell: process.platform === 'win32' });
    if (inst.status !== 0) throw new Error(`--install-extension failed (${inst.status})`);
    if (!readdirSync(dirs.ext).some((d) => d.startsWith(`${EXTENSION_ID}-`))) throw new Error(`VSIX not installed in ${dirs.ext}`);

    const resultsFile = join(tmp, 'results.json');
    try {
      await runTests({
        vscodeExecutablePath: exe,
        extensionDevelopmentPath: dirs.host,
        extensionTestsPath: suiteJs,
        launchArgs: [dirs.workspace, '--extensions-dir', dirs.ext, '--user-data-dir', dirs.userData, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
        extensionTestsEnv: { E2E_WORKSPACE: dirs.workspace, E2E_EXTENSIONS_DIR: dirs.ext, E2E_RESULTS_FILE: resultsFile, E2E_EXTENSION_ID: EXTENSION_ID },
      });
      return 0;
    } catch (e) {
      console.error(`test-electron: ${(e as Error).message}`);
      return 1;
    } finally {
      if (existsSync(resultsFile)) {
        const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { state: string }[];
        const n = (s: string) => results.filter((r) => r.state === s).length;
        console.log(`${n('passed')} passed, ${n('failed')} failed, ${n('pending')} skipped`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
