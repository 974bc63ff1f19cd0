// statefulset-lint as a user runs it: the built bin, exit codes, text and JSON output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, ensureBuilt, linter } from './bin';
import { STS } from '../engine/helpers';

let dir: string;
const lint = linter(() => dir);

before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-lint-'));
  fs.mkdirSync(path.join(dir, 'good', 'nested'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'bad'));
  fs.mkdirSync(path.join(dir, 'good', 'node_modules'));
  fs.writeFileSync(path.join(dir, 'good', 'nested', 'web.yaml'), STS);
  fs.writeFileSync(path.join(dir, 'good', 'other.yml'), 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: "x"\n');
  fs.writeFileSync(path.join(dir, 'good', 'readme.txt'), 'not yaml: [');
  fs.writeFileSync(path.join(dir, 'good', 'node_modules', 'bad.yaml'), STS.replace('replicas: 3', 'replicas: "3"'));
  fs.writeFileSync(path.join(dir, 'bad', 'web.yaml'), STS.replace('replicas: 3', 'replicas: "3"').replace('storage: 1Gi', 'storage: 1 Gi'));
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('exit 0 on a folder of valid files; folders are searched for *.yaml and *.yml, node_modules skipped', () => {
  const r = lint('good');
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /2 files checked: 0 errors/);
});

test('exit 1 with errors, each as file:line:col: severity [rule] message', () => {
  const r = lint('bad/web.yaml');
  assert.equal(r.code, 1);
  assert.match(r.out, /^bad\/web\.yaml:7:13: error \[invalid-type\] spec\.replicas must be an integer/m);
  assert.match(r.out, /bad\/web\.yaml:\d+:\d+: error \[invalid-quantity\]/);
  assert.match(r.out, /1 file checked: 2 errors/);
});

test('--format json: an array of {file, diagnostics} with LSP diagnostics', () => {
  const r = lint('--format', 'json', 'bad', 'good/nested/web.yaml');
  assert.equal(r.code, 1);
  const results = JSON.parse(r.out) as Array<{ file: string; diagnostics: Array<Record<string, unknown>> }>;
  assert.deepEqual(results.map((x) => x.file), [path.join('bad', 'web.yaml'), path.join('good', 'nested', 'web.yaml')]);
  const d = results[0].diagnostics.find((x) => x.code === 'invalid-type')!;
  assert.deepEqual(d.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 15 } });
  assert.equal(d.severity, 1);
  assert.equal(d.source, 'statefulset-studio');
  assert.equal(typeof d.message, 'string');
  assert.deepEqual(results[1].diagnostics.filter((x) => x.severity === 1), []);
  assert.equal(lint('--format=json', 'good').code, 0);
});

test('exit 2 for usage and I/O errors, with a message on stderr', () => {
  for (const args of [[], ['--format', 'xml', 'good'], ['--bogus', 'good'], ['missing.yaml']]) {
    const r = lint(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /statefulset-lint: /);
    assert.equal(r.out, '');
  }
  const help = lint('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: statefulset-lint/);
});

test('the language server bin refuses to start without a transport and explains', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'statefulset-language-server.js')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--stdio/);
});

test('--format text lists each file\'s findings by line and column (checks of the whole file included)', () => {
  const r = lint('bad/web.yaml');
  const at = r.out
    .split('\n')
    .map((l) => /^bad\/web\.yaml:(\d+):(\d+): /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])]);
  assert.ok(at.length >= 4, r.out);
  for (let i = 1; i < at.length; i++) assert.ok(at[i - 1][0] < at[i][0] || (at[i - 1][0] === at[i][0] && at[i - 1][1] <= at[i][1]), `sorted: ${JSON.stringify(at)}`);
  // the workspace check on serviceName (line 6) comes first, although it runs after the document's own checks
  assert.match(r.out.split('\n')[0], /^bad\/web\.yaml:6:\d+: warning \[service-not-found\]/);
});

test('--version prints the version from package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) {
    const r = lint(flag);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `statefulset-lint ${pkg.version}\n`);
  }
});

test('the folders given are the workspace folders: an overlay finds its base\'s Service, another application\'s does not count', () => {
  const sts = STS.replace('  serviceName: web', '  serviceName: shop');
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  clusterIP: None\n  selector:\n    app: web\n';
  fs.mkdirSync(path.join(dir, 'ws', 'app', 'overlays', 'prod'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'ws', 'app', 'base'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'ws', 'other'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ws', 'app', 'overlays', 'prod', 'sts.yaml'), sts);
  fs.writeFileSync(path.join(dir, 'ws', 'other', 'sts.yaml'), sts);
  fs.writeFileSync(path.join(dir, 'ws', 'app', 'base', 'svc.yaml'), svc);
  const r = lint('ws');
  assert.doesNotMatch(r.out, /ws\/app\/overlays\/prod\/sts\.yaml:\d+:\d+: warning \[service-not-found\]/);
  assert.match(r.out, /ws\/other\/sts\.yaml:\d+:\d+: warning \[service-not-found\]/);
});
