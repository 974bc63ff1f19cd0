#!/usr/bin/env node
// Publishes the README's and the walkthrough's screenshots: copies the pictures the editor tests captured for
// publishing (test-results/e2e/<suite>/published/*.png, written only by a suite session that passed) into
// docs/images/. A test run never writes docs/images itself, so `npm test` leaves the git tree as it was;
// this is the explicit step (`npm run screenshots` runs the editor tests first, then this).
//
// Usage: node scripts/publish-screenshots.mjs    (the captures of the last editor test run)
// As a module: publishScreenshots({ results, target }) returns [{ name, status: 'new' | 'changed' | 'same' }].
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = join(root, 'test-results', 'e2e');
export const TARGET_DIR = join(root, 'docs', 'images');

/** @param {{ results?: string, target?: string }} [o] */
export function publishScreenshots(o = {}) {
  const results = o.results ?? RESULTS_DIR;
  const target = o.target ?? TARGET_DIR;
  const found = [];
  for (const suite of existsSync(results) ? readdirSync(results).sort() : []) {
    const dir = join(results, suite, 'published');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.png')) found.push(join(dir, f));
  }
  mkdirSync(target, { recursive: true });
  const out = [];
  for (const src of found) {
    const name = src.slice(src.lastIndexOf('/') + 1);
    const dest = join(target, name);
    const status = !existsSync(dest) ? 'new' : readFileSync(dest).equals(readFileSync(src)) ? 'same' : 'changed';
    if (status !== 'same') copyFileSync(src, dest);
    out.push({ name, from: src, status });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = publishScreenshots();
  if (r.length === 0) {
    process.stderr.write(`no captures to publish in ${RESULTS_DIR}/*/published/: run the editor tests first (node test/run.mjs e2e, or npm run screenshots)\n`);
    process.exit(1);
  }
  for (const x of r) process.stdout.write(`${x.status.padEnd(7)} docs/images/${x.name}\n`);
  process.stdout.write(`${r.filter((x) => x.status !== 'same').length} of ${r.length} pictures written to docs/images/; commit them with the change that altered them\n`);
}
