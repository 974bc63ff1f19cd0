// statefulset-lint CHART_DIR: the chart is rendered with the real helm ($HELM) and the findings are reported in
// the chart's own files and lines, as text and JSON, with today's exit codes; --live compares the rendered
// StatefulSet with a live export and puts a refused change on the values line. The CLI is bundled afresh into a
// temporary folder (as test/cli/live.test.ts does), so the test runs the current source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { CHARTS, HELM, SKIP } from '../helm/helmkit';
import { renderChart } from '../../server/src/sources/helm/render';
import { bundledLint } from './bin';

const built = bundledLint('sts-lint-helm-');

function lint(args: string[], env: NodeJS.ProcessEnv = { ...process.env, HELM }) {
  const r = spawnSync(process.execPath, [built.bin, ...args], { encoding: 'utf8', cwd: CHARTS, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a chart folder: findings at file:line:col of the chart\'s templates and values files; exit 1 on an error', { skip: SKIP }, () => {
  const r = lint(['db', '--values', 'db/values-bad.yaml', '--release', 'rel', '--namespace', 'prod']);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^db\/values-bad\.yaml:3:3: error \[invalid-quantity\] .*"10 Gi" is not a Kubernetes quantity.*\[StatefulSet rel-db, helm release "rel", values values-bad\.yaml\]$/m);
  assert.match(r.out, /^db\/charts\/metrics\/templates\/statefulset\.yaml:7:3: warning \[service-not-found\]/m);
  assert.match(r.out, /^db\/templates\/statefulset\.yaml:51:11: warning \[image-pull-policy\]/m);
  assert.match(r.out, /: 1 error, \d+ other findings\n$/);
  // no finding is reported against the rendered text or outside the chart
  for (const line of r.out.trim().split('\n').slice(0, -1)) assert.match(line, /^db\//);
});

test('exit 0 on a chart without errors; --set, -f=, -n= forms; JSON output', { skip: SKIP }, () => {
  const ok = lint(['db', '-f=db/values-prod.yaml', '-n=prod', '--release=rel']);
  assert.equal(ok.code, 0, ok.out + ok.err);
  const j = lint(['--format', 'json', 'db', '--set', 'persistence.size=5 Gi', '--release', 'rel']);
  assert.equal(j.code, 1, j.err);
  const results = JSON.parse(j.out) as Array<{ file: string; diagnostics: Array<{ code: string; message: string; range: { start: { line: number } } }> }>;
  const tpl = results.find((x) => x.file === path.join('db', 'templates', 'statefulset.yaml'))!;
  const q = tpl.diagnostics.find((d) => d.code === 'invalid-quantity')!;
  assert.equal(q.range.start.line, 82);
  assert.match(q.message, /value from --set persistence\.size=5 Gi/);
});

test("helm's errors are findings at their place; a chart beside plain files", { skip: SKIP }, () => {
  const r = lint(['required', 'missing-dep', 'syntax-error', '../broken-sts.yaml']);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /^required\/templates\/statefulset\.yaml:25:24: error \[helm-template\] helm template \(release "release-name"\): storage\.size is required/m);
  assert.match(r.out, /^missing-dep\/Chart\.yaml:5:1: error \[helm-template\] .*helm dependency build/m);
  assert.match(r.out, /^syntax-error\/templates\/statefulset\.yaml:7:1: error \[helm-template\] .*template syntax/m);
  assert.match(r.out, /^\.\.\/broken-sts\.yaml:\d+:\d+: /m);
});

test('no helm: exit 2 with one clear line', () => {
  const r = lint(['db'], { ...process.env, HELM: path.join(built.tmp, 'no-helm-here') });
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^statefulset-lint: helm was not found \(.*no-helm-here\): install helm \(https:\/\/helm\.sh\/docs\/intro\/install\/\) or set HELM to its path\n$/);
  const u = lint(['db', '--values']);
  assert.equal(u.code, 2);
  assert.match(u.err, /--values needs a value/);
});

test('--live: a values change the API server refuses is an error on the values line', { skip: SKIP }, async () => {
  // the live object: the release as installed with the chart's defaults (10Gi), in namespace prod
  const r = await renderChart({ helm: HELM, chartDir: path.join(CHARTS, 'db'), release: 'rel', namespace: 'prod', values: [], set: [] });
  assert.equal(r.code, 0, r.stderr);
  const sts = parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet' && o.metadata.name === 'rel-db');
  sts.metadata.namespace = 'prod';
  sts.metadata.uid = '0d7c2a4e-1111-4a4a-9999-000000000001';
  const live = path.join(built.tmp, 'live.yaml');
  fs.writeFileSync(live, stringify(sts));
  const changed = lint(['db', '-f', 'db/values-prod.yaml', '--release', 'rel', '-n', 'prod', '--live', live]);
  assert.equal(changed.code, 1, changed.out + changed.err);
  assert.match(changed.out, /^db\/values-prod\.yaml:4:3: error \[forbidden-update\] .*\[StatefulSet rel-db, helm release "rel", values values-prod\.yaml\]$/m);
  assert.equal(changed.err, '');
  const same = lint(['db', '--release', 'rel', '-n', 'prod', '--live', live]);
  assert.equal(same.code, 0, same.out + same.err);
  assert.doesNotMatch(same.out, /forbidden-update/);
});
