#!/usr/bin/env node
// Builds the VSIX: a minified esbuild bundle plus the files in .vscodeignore's allowlist, packed by @vscode/vsce.
// Everything is bundled, so the package carries no node_modules (vsce --no-dependencies).
//
// It works in a staging folder (bundle written to STAGE/dist, never to the repository's dist/), so packaging
// is safe while tests read dist/, and the result cannot pick up stray files from the work tree.
//
// Usage: node scripts/package.mjs [--out FILE.vsix]    (default: ./statefulset-studio-<version>.vsix)
// As a module: `await packageVsix({ out })` returns the absolute path of the VSIX.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Top-level paths copied into the stage (the bundle is built there). Mirrors .vscodeignore's allowlist. */
const SHIPPED = ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images/icon.png', 'bin', 'snippets', 'syntaxes', 'client/media', 'examples/broken/web.yaml',
  // the walkthrough's pictures (the other README pictures stay out of the VSIX)
  'docs/images/diagnostics.png', 'docs/images/quick-fix.png', 'docs/images/explorer-tree.png', 'docs/images/explorer-after-scale.png', 'docs/images/rollback-diff.png'];

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return r;
}

/** Every relative file a manifest contribution points at must be in the package. */
function checkManifestPaths(stage, manifest) {
  const missing = [];
  const visit = (v, key) => {
    if (typeof v === 'string') {
      if (['icon', 'path', 'light', 'dark', 'configuration', 'image', 'markdown', 'svg'].includes(key) && /^\.?\/?[\w-]+\/[\w./-]+\.\w+$/.test(v) && !existsSync(join(stage, v))) missing.push(v);
      return;
    }
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(manifest.contributes ?? {}, '');
  if (manifest.icon && !existsSync(join(stage, manifest.icon))) missing.push(manifest.icon);
  for (const f of [manifest.main, ...Object.values(manifest.bin ?? {})]) if (f && !existsSync(join(stage, f))) missing.push(f);
  if (missing.length) throw new Error(`package.json refers to files the VSIX would not contain: ${missing.join(', ')}`);
}

/** @param {{ out?: string, log?: (s: string) => void }} [opts] */
export async function packageVsix(opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(`[package] ${s}\n`));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = resolve(opts.out ?? join(root, `${manifest.name}-${manifest.version}.vsix`));
  const stage = mkdtempSync(join(tmpdir(), 'sss-vsix-'));
  try {
    run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--minify', '--outdir', join(stage, 'dist')], { cwd: root });
    for (const p of SHIPPED) {
      if (!existsSync(join(root, p))) continue;
      mkdirSync(dirname(join(stage, p)), { recursive: true });
      cpSync(join(root, p), join(stage, p), { recursive: true });
    }
    // The staged manifest has no scripts: vsce would otherwise run vscode:prepublish in the stage.
    const staged = { ...manifest };
    delete staged.scripts;
    delete staged.devDependencies;
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
    checkManifestPaths(stage, staged);
    mkdirSync(dirname(out), { recursive: true });
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: stage });
    log((r.stdout + r.stderr).trim().split('\n').filter((l) => /DONE|WARNING|ERROR/.test(l)).join('\n') || `packaged ${out}`);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--out');
  packageVsix({ out: i > 0 ? process.argv[i + 1] : undefined }).then(
    (f) => console.log(f),
    (e) => { console.error(e.message); process.exit(1); },
  );
}
