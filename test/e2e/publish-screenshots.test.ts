// The screenshot publishing step (scripts/publish-screenshots.mjs): a test run keeps its pictures under
// test-results/ (ignored by git); only `npm run screenshots` copies them to docs/images/. Here on temp folders.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishScreenshots, RESULTS_DIR, TARGET_DIR } from '../../scripts/publish-screenshots.mjs';
import { publishedDir, ROOT } from './harness';

test('publish-screenshots: copies only the passing sessions\' published pictures, reports new / changed / same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'publish-shots-'));
  try {
    const results = join(dir, 'results');
    const target = join(dir, 'images');
    const lang = publishedDir(join(results, 'language'));
    mkdirSync(lang, { recursive: true });
    writeFileSync(join(lang, 'hover.png'), 'new hover');
    writeFileSync(join(lang, 'quick-fix.png'), 'same fix');
    // a suite with captures but no published/ folder (its session failed): nothing of it is copied
    mkdirSync(join(results, 'explorer'), { recursive: true });
    writeFileSync(join(results, 'explorer', 'explorer-tree.png'), 'from a failed session');
    mkdirSync(target);
    writeFileSync(join(target, 'hover.png'), 'old hover');
    writeFileSync(join(target, 'quick-fix.png'), 'same fix');
    const r = publishScreenshots({ results, target });
    assert.deepEqual(r.map((x: { name: string; status: string }) => [x.name, x.status]), [['hover.png', 'changed'], ['quick-fix.png', 'same']]);
    assert.equal(readFileSync(join(target, 'hover.png'), 'utf8'), 'new hover');
    assert.ok(!existsSync(join(target, 'explorer-tree.png')));
    assert.deepEqual(publishScreenshots({ results: join(dir, 'none'), target }), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('publish-screenshots: the test run\'s pictures live under the ignored test-results/, the published ones in docs/images/', () => {
  assert.equal(RESULTS_DIR, join(ROOT, 'test-results', 'e2e'));
  assert.equal(TARGET_DIR, join(ROOT, 'docs', 'images'));
  assert.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^test-results\/$/m);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.match(pkg.scripts.screenshots, /publish-screenshots\.mjs/);
});
