// Findings link to their rule's section of docs/rules.md: the URL is the repository's (package.json), every
// check id has a section whose heading anchor is the id itself, and every finding the analyzer emits on the
// rule fixtures carries a link to a section that exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/engine/analyzer';
import { RULES_DOC_URL, ruleAnchor, ruleHref } from '../../server/src/engine/ruleDocs';
import { allCheckIds } from '../../server/src/rules';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');

/** The anchor GitHub (and VS Code's markdown preview) give a heading: lowercase, punctuation but '-' and '_' dropped, spaces → '-'. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

test('the rule documentation URL is docs/rules.md of the repository in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const repo = String(pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');
  assert.equal(RULES_DOC_URL, `${repo}/blob/main/docs/rules.md`);
});

test('every check id has a section whose heading anchor is its id (stable across title changes)', () => {
  const anchors = new Set([...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
  for (const id of allCheckIds()) {
    assert.equal(ruleAnchor(id), id);
    assert.ok(anchors.has(ruleAnchor(id)), `docs/rules.md has no heading for ${id}`);
    assert.ok(doc.includes(`### ${id}\n`), `the heading of ${id} is the id alone`);
    assert.equal(ruleHref(id), `${RULES_DOC_URL}#${id}`);
  }
});

test('every finding on the rule fixtures carries a codeDescription link to an existing section', () => {
  const ids = new Set(allCheckIds());
  const dir = path.join(ROOT, 'test', 'fixtures', 'rules');
  let seen = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const f of analyzeText(fs.readFileSync(p, 'utf8')).diagnostics) {
          seen++;
          assert.ok(ids.has(String(f.code)), `${p}: ${f.code} is not a documented check`);
          assert.equal(f.codeDescription?.href, ruleHref(String(f.code)));
        }
      }
    }
  };
  walk(dir);
  walk(path.join(ROOT, 'test', 'fixtures', 'real-world'));
  assert.ok(seen > 50, `only ${seen} findings on the fixtures`);
});
