// statefulset-lint OVERLAY_DIR: the built CLI renders a Kustomize overlay with the real kubectl and lists
// each finding on the overlay's own files and lines (text and JSON), with the usual exit codes; a missing
// kubectl is exit 2 with one line; --live flags a refused change on the line that makes it. The CLI is
// bundled afresh into a temporary folder, as test/cli/live.test.ts does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HAS_KUBECTL, KUBECTL, NO_KUBECTL } from '../simulator/testkit';
import { bundledLint } from './bin';

const root = path.join(__dirname, '..', '..');
const skip = HAS_KUBECTL ? false : NO_KUBECTL;
const built = bundledLint('sts-lint-overlay-');

function lint(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [built.bin, ...args], { encoding: 'utf8', timeout: 60_000, cwd: o.cwd ?? root, env: { ...process.env, KUBECTL, ...o.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const lineText = (file: string, line1: number) => fs.readFileSync(path.resolve(root, file), 'utf8').split('\n')[line1 - 1];

test('text: each finding at FILE:LINE:COL of the overlay, its patch files and its base; exit 1 on errors', { skip }, () => {
  const r = lint(['test/fixtures/overlays/shop/overlays/prod']);
  assert.equal(r.code, 1, r.err);
  const lines = r.out.trim().split('\n');
  const at = (code: string) => {
    const l = lines.find((x) => x.includes(`[${code}]`));
    assert.ok(l, `${code} listed:\n${r.out}`);
    const m = /^(.+?):(\d+):(\d+): (\w+) /.exec(l);
    assert.ok(m);
    return { file: m[1], line: Number(m[2]), severity: m[4], text: lineText(m[1], Number(m[2])) };
  };
  const e = at('invalid-enum');
  assert.equal(e.file, 'test/fixtures/overlays/shop/overlays/prod/kustomization.yaml');
  assert.match(e.text, /value: parallel/);
  assert.equal(e.severity, 'error');
  const q = at('invalid-quantity');
  assert.equal(q.file, 'test/fixtures/overlays/shop/overlays/prod/storage.yaml');
  assert.match(q.text, /storage: 100 Gi/);
  assert.equal(at('container-memory-limit').file, 'test/fixtures/overlays/shop/components/metrics/exporter.yaml');
  assert.match(lines[lines.length - 1], /^\d+ files checked: \d+ errors?, \d+ other findings?$/);
  assert.match(r.out, /\[kustomize overlay test\/fixtures\/overlays\/shop\/overlays\/prod: StatefulSet prod-orders-db/);
});

test('json: the same findings per file, LSP ranges on the overlay files', { skip }, () => {
  const r = lint(['--format', 'json', 'test/fixtures/overlays/shop/overlays/staging']);
  assert.equal(r.code, 1, r.err);
  const results = JSON.parse(r.out) as Array<{ file: string; diagnostics: Array<{ code: string; range: { start: { line: number } } }> }>;
  const find = (code: string) => {
    for (const f of results) for (const d of f.diagnostics) if (d.code === code) return { file: f.file, line: d.range.start.line + 1 };
    assert.fail(`${code} not in ${r.out}`);
  };
  const n = find('statefulset-name-too-long');
  assert.equal(n.file, 'test/fixtures/overlays/shop/overlays/staging/kustomization.yaml');
  assert.match(lineText(n.file, n.line), /^namePrefix:/);
  const t = find('termination-grace-period-zero');
  assert.match(lineText(t.file, t.line), /terminationGracePeriodSeconds: 0/);
});

test('an overlay with only warnings exits 0; an absolute overlay path lists absolute files', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(built.tmp, 'clean-'));
  fs.mkdirSync(path.join(dir, 'base'));
  fs.mkdirSync(path.join(dir, 'dev'));
  fs.writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n- sts.yaml\n');
  fs.writeFileSync(
    path.join(dir, 'base', 'sts.yaml'),
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: kv\nspec:\n  serviceName: kv\n  selector:\n    matchLabels:\n      app: kv\n  template:\n    metadata:\n      labels:\n        app: kv\n    spec:\n      containers:\n      - name: kv\n        image: kv:1.0\n',
  );
  fs.writeFileSync(path.join(dir, 'dev', 'kustomization.yaml'), 'resources:\n- ../base\nnamespace: dev\n');
  const r = lint([path.join(dir, 'dev')]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, new RegExp(`^${path.join(dir, 'base', 'sts.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: warning`, 'm'));
  assert.match(r.out, /0 errors/);
});

test('kustomize cannot build the overlay: its error on the kustomization line, exit 1', { skip }, () => {
  const r = lint(['test/fixtures/overlays/broken']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^test\/fixtures\/overlays\/broken\/kustomization\.yaml:3:3: error \[kustomize\] kustomize cannot build overlay test\/fixtures\/overlays\/broken: .*missing\.yaml/m);
});

test('no kubectl: exit 2 with one clear line', () => {
  const r = lint(['test/fixtures/overlays/shop/overlays/prod'], { env: { KUBECTL: path.join(built.tmp, 'no-such-kubectl') } });
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0], /^statefulset-lint: cannot render the Kustomize overlay test\/fixtures\/overlays\/shop\/overlays\/prod: .*no-such-kubectl was not found\. Install kubectl 1\.27 or newer/);
});

test('--live: a claim template change the API server refuses is an error on the base line that makes it', { skip }, () => {
  const name = 'staging-environment-for-the-orders-team-eu-west-orders-db';
  const live = path.join(built.tmp, 'live.yaml');
  fs.writeFileSync(
    live,
    `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\n  namespace: shop-staging\nspec:\n  serviceName: ${name}\n  selector:\n    matchLabels:\n      app: orders-db\n  template:\n    metadata:\n      labels:\n        app: orders-db\n    spec:\n      containers:\n      - name: postgres\n        image: postgres:16.4\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: ["ReadWriteOnce"]\n      resources:\n        requests:\n          storage: 5Gi\n`,
  );
  const r = lint(['--live', live, 'test/fixtures/overlays/shop/overlays/staging']);
  assert.equal(r.code, 1);
  const l = r.out.split('\n').find((x) => x.includes('[forbidden-update]') && x.includes('storage'));
  assert.ok(l, r.out);
  const m = /^(.+?):(\d+):/.exec(l)!;
  assert.equal(m[1], 'test/fixtures/overlays/shop/base/statefulset.yaml');
  assert.match(lineText(m[1], Number(m[2])), /storage: 10Gi/);
  assert.doesNotMatch(r.err, /nothing was compared/);
});
