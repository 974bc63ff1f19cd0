// statefulset-lint's severities: --min-severity, a .statefulset-lint.yaml found upward from each
// file, --config FILE, and clear errors for a bad config. The built bin as a user runs it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, linter } from './bin';
import { STS } from '../engine/helpers';

let dir: string;
const lint = linter(() => dir);
const codesOf = (out: string) => [...out.matchAll(/^\S+:\d+:\d+: (\w+) \[([a-z0-9-]+)\]/gm)].map((m) => `${m[1]} ${m[2]}`);

before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-lint-config-'));
  fs.mkdirSync(path.join(dir, 'team', 'apps'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'plain'));
  fs.writeFileSync(path.join(dir, 'plain', 'web.yaml'), STS);
  fs.writeFileSync(path.join(dir, 'team', 'apps', 'web.yaml'), STS);
  // found upward from team/apps/web.yaml
  fs.writeFileSync(path.join(dir, 'team', '.statefulset-lint.yaml'), 'rules:\n  container-read-only-root-fs: off\n  container-memory-limit: error\n');
  fs.writeFileSync(path.join(dir, 'strict.yaml'), 'minSeverity: warning\nrules:\n  container-run-as-non-root: warning\n');
  fs.writeFileSync(path.join(dir, 'typo.yaml'), 'rules:\n  container-memory-limt: off\n');
  fs.writeFileSync(path.join(dir, 'badlevel.yaml'), 'rules:\n  container-memory-limit: fatal\n');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('--min-severity leaves out findings below the level; the summary counts what is shown', () => {
  const all = lint('plain/web.yaml');
  assert.equal(all.code, 0, all.err);
  assert.ok(codesOf(all.out).includes('info container-read-only-root-fs'), all.out);
  assert.ok(codesOf(all.out).includes('warning container-memory-limit'), all.out);
  const w = lint('--min-severity', 'warning', 'plain/web.yaml');
  assert.equal(w.code, 0, w.err);
  const shown = codesOf(w.out);
  assert.ok(shown.length > 0 && shown.every((c) => c.startsWith('warning ') || c.startsWith('error ')), w.out);
  assert.match(w.out, new RegExp(`1 file checked: 0 errors, ${shown.length} other finding`));
  assert.deepEqual(codesOf(lint('--min-severity=error', 'plain/web.yaml').out), []);
  assert.deepEqual(codesOf(lint('--min-severity', 'info', 'plain/web.yaml').out), codesOf(all.out), 'info means information; hints are none here');
  const bad = lint('--min-severity', 'loud', 'plain/web.yaml');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--min-severity must be one of error, warning, information, hint, not "loud"/);
});

test('.statefulset-lint.yaml upward from the file: a rule off, a rule raised to error (exit 1); other folders keep the defaults', () => {
  const r = lint('team', 'plain');
  assert.equal(r.code, 1, 'container-memory-limit is an error under team/');
  assert.match(r.out, /2 files checked/, 'the config file itself is not linted');
  const lines = r.out.split('\n');
  const team = lines.filter((l) => l.startsWith(path.join('team', 'apps', 'web.yaml')));
  const plain = lines.filter((l) => l.startsWith(path.join('plain', 'web.yaml')));
  assert.ok(team.some((l) => / error \[container-memory-limit\]/.test(l)), team.join('\n'));
  assert.ok(!team.some((l) => l.includes('[container-read-only-root-fs]')), 'off under team/');
  assert.ok(plain.some((l) => / warning \[container-memory-limit\]/.test(l)) && plain.some((l) => l.includes('[container-read-only-root-fs]')), plain.join('\n'));
  const json = JSON.parse(lint('--format', 'json', 'team').out) as Array<{ diagnostics: Array<{ code: string; severity: number }> }>;
  assert.equal(json[0].diagnostics.find((d) => d.code === 'container-memory-limit')?.severity, 1);
});

test('--config FILE replaces the files found upward, with its minSeverity; --min-severity wins over it', () => {
  const r = lint('--config', 'strict.yaml', 'team');
  assert.equal(r.code, 0, r.out + r.err);
  const shown = codesOf(r.out);
  assert.ok(shown.includes('warning container-run-as-non-root'), r.out);
  assert.ok(shown.includes('warning container-memory-limit'), 'team/.statefulset-lint.yaml is not read');
  assert.ok(!shown.some((c) => c.startsWith('info ')), 'minSeverity: warning');
  assert.ok(codesOf(lint('--config', 'strict.yaml', '--min-severity', 'information', 'team').out).some((c) => c.startsWith('info ')));
});

test('a bad config is a usage error (exit 2) that names the file and the problem', () => {
  const typo = lint('--config', 'typo.yaml', 'plain');
  assert.equal(typo.code, 2);
  assert.match(typo.err, /typo\.yaml: unknown rule "container-memory-limt"/);
  const level = lint('--config', 'badlevel.yaml', 'plain');
  assert.equal(level.code, 2);
  assert.match(level.err, /badlevel\.yaml: rules\.container-memory-limit must be one of error, warning, information, hint, not "fatal"/);
  const missing = lint('--config', 'nowhere.yaml', 'plain');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nowhere\.yaml: ENOENT/);
});
