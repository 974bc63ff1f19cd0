// Helm charts checked through the real `helm template`: findings mapped to the template line that writes the
// field, the values line whose value was printed there, or a named template's line in _helpers.tpl; helm's own
// errors at their place. Fixture charts: test/fixtures/charts (written for these tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkChart, chartRootOf, type ChartResult } from '../../server/src/sources/helm/chart';
import { renderChart } from '../../server/src/sources/helm/render';
import { CHARTS, HELM, SKIP } from './helmkit';

const DB = path.join(CHARTS, 'db');

/** Each finding as `file:line code` (file relative to the chart, 1-based line), sorted. */
function places(r: ChartResult): string[] {
  return r.findings.map((f) => `${path.relative(r.chartDir, f.file)}:${f.diagnostic.range.start.line + 1} ${f.diagnostic.code}`).sort();
}

function check(chart: string, o: { values?: string[]; set?: string[] } = {}) {
  return checkChart({ helm: HELM, chartDir: path.join(CHARTS, chart), release: 'rel', namespace: 'prod', ...o });
}

test('every finding of the db chart lands on the line that produced it: template keys, the range body, the subchart', { skip: SKIP }, async () => {
  const r = await check('db');
  assert.deepEqual(r.helmErrors, []);
  assert.deepEqual(places(r), [
    'charts/metrics/templates/statefulset.yaml:18 container-cpu-request',
    'charts/metrics/templates/statefulset.yaml:18 container-ephemeral-storage',
    'charts/metrics/templates/statefulset.yaml:18 container-memory-limit',
    'charts/metrics/templates/statefulset.yaml:18 container-read-only-root-fs',
    'charts/metrics/templates/statefulset.yaml:18 container-run-as-non-root',
    'charts/metrics/templates/statefulset.yaml:18 missing-readiness-probe',
    'charts/metrics/templates/statefulset.yaml:7 service-not-found',
    // the headless Service of templates/service.yaml is found: no service-not-found on rel-db
    // one finding per object per rule (it names every container): on the first container's line
    'templates/statefulset.yaml:29 container-user-group-id',
    'templates/statefulset.yaml:40 container-ephemeral-storage',
  ]);
  const d = r.findings.find((f) => f.diagnostic.code === 'service-not-found')!.diagnostic;
  assert.match(d.message, /\[StatefulSet rel-metrics, helm release "rel"\]$/);
  assert.equal(d.range.start.character, 2);
  assert.equal(d.data, undefined, 'no quick fix data of the rendered text travels to the template');
});

test('values-driven findings land on the values line that set them, the winning -f file first', { skip: SKIP }, async () => {
  const r = await check('db', { values: ['values-prod.yaml', 'values-bad.yaml'] });
  const p = places(r);
  // persistence.size: 10 Gi in values-bad.yaml (later than values-prod.yaml's 50Gi) → its line 3
  assert.ok(p.includes('values-bad.yaml:3 invalid-quantity'), p.join('\n'));
  // the sidecar list of values-bad.yaml replaces the chart's: the exporter item has no resources
  assert.ok(p.includes('values-bad.yaml:5 container-memory-limit'), p.join('\n'));
  assert.ok(p.includes('values-bad.yaml:6 image-tag-latest'), p.join('\n'));
  const q = r.findings.find((f) => f.diagnostic.code === 'invalid-quantity')!;
  assert.equal(q.landing, 'values');
  assert.match(q.diagnostic.message, /release "rel", values values-prod\.yaml, values-bad\.yaml; value set in values-bad\.yaml\]/);
  assert.deepEqual(q.diagnostic.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 13 } });
  // a literal of the range body stays on the template
  assert.ok(p.includes('templates/statefulset.yaml:51 image-pull-policy'), p.join('\n'));
});

test('a subchart value set in the parent values file lands there', { skip: SKIP }, async () => {
  const r = await check('db', { values: ['values-sub.yaml'] });
  const q = r.findings.find((f) => f.diagnostic.code === 'invalid-quantity')!;
  assert.equal(path.relative(DB, q.file), 'values-sub.yaml');
  assert.equal(q.diagnostic.range.start.line, 2);
  assert.match(q.diagnostic.message, /StatefulSet rel-metrics/);
});

test('--set: the template line, saying the value came from --set; conditional persistence off renders no claim', { skip: SKIP }, async () => {
  const r = await check('db', { set: ['persistence.size=5 Gi'] });
  const q = r.findings.find((f) => f.diagnostic.code === 'invalid-quantity')!;
  assert.equal(path.relative(DB, q.file), 'templates/statefulset.yaml');
  assert.equal(q.diagnostic.range.start.line, 82);
  assert.match(q.diagnostic.message, /value from --set persistence\.size=5 Gi/);
  const off = await check('db', { set: ['persistence.enabled=false'] });
  assert.deepEqual(off.helmErrors, []);
  assert.doesNotMatch(off.rendered.split('# Source: db/templates/statefulset.yaml')[1], /volumeClaimTemplates/);
  assert.match(off.rendered, /emptyDir: \{\}/);
  assert.ok(!places(off).some((x) => x.includes('unknown-volume-mount')), places(off).join('\n'));
});

test('named templates: a key written by an include lands in _helpers.tpl; a template of two documents (helm reorders them)', { skip: SKIP }, async () => {
  const r = await check('helpers');
  assert.deepEqual(places(r), [
    'templates/_helpers.tpl:4 container-privileged',
    'templates/statefulset.yaml:14 missing-pod-anti-affinity',
    'templates/statefulset.yaml:19 container-ephemeral-storage',
    'templates/statefulset.yaml:3 missing-pod-disruption-budget',
  ]);
  assert.equal(r.findings.find((f) => f.diagnostic.code === 'container-privileged')!.landing, 'helper');
});

test("helm's errors become findings at their place", { skip: SKIP }, async () => {
  const syntax = await check('syntax-error');
  assert.deepEqual(places(syntax), ['templates/statefulset.yaml:7 helm-template']);
  assert.match(syntax.findings[0].diagnostic.message, /template syntax: unexpected "\}" in operand/);
  assert.equal(syntax.findings[0].diagnostic.severity, 1);

  const required = await check('required');
  assert.deepEqual(places(required), ['templates/statefulset.yaml:25 helm-template']);
  assert.match(required.findings[0].diagnostic.message, /storage\.size is required/);
  assert.equal(required.findings[0].diagnostic.range.start.character, 23);

  const dep = await check('missing-dep');
  assert.deepEqual(places(dep), ['Chart.yaml:5 helm-template']);
  assert.match(dep.findings[0].diagnostic.message, /"cache" is in Chart\.yaml but not in charts\/: run `helm dependency build`/);

  const yaml = await check('bad-yaml');
  assert.equal(yaml.findings.length, 1);
  const line = yaml.findings[0].diagnostic.range.start.line + 1;
  assert.ok(line === 17 || line === 18, `the broken lines are 17-18, got ${line}`);
  assert.match(yaml.findings[0].diagnostic.message, /rendered YAML does not parse.*line 17 of this template's output/);
});

test('unsaved texts: rendered from a temporary copy with them substituted (removed afterwards)', { skip: SKIP }, async () => {
  const values = path.join(DB, 'values.yaml');
  const text = fs.readFileSync(values, 'utf8').replace('size: 10Gi', 'size: 3 Gi');
  const r = await checkChart({ helm: HELM, chartDir: DB, release: 'rel', overrides: new Map([[values, text]]) });
  const q = r.findings.find((f) => f.diagnostic.code === 'invalid-quantity')!;
  assert.equal(q.file, values);
  assert.equal(q.diagnostic.range.start.line, 9);
  assert.ok(fs.readFileSync(values, 'utf8').includes('size: 10Gi'), 'the chart on disk is untouched');
});

test('helm missing, cancelled, timed out: a result, never a throw or a hang', { skip: SKIP }, async () => {
  const missing = await checkChart({ helm: path.join(os.tmpdir(), 'no-such-helm'), chartDir: DB });
  assert.match(missing.helmMissing!, /helm was not found/);
  assert.equal(missing.findings.length, 0);
  const ac = new AbortController();
  const p = checkChart({ helm: HELM, chartDir: DB, signal: ac.signal });
  ac.abort();
  assert.equal((await p).cancelled, true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-slowhelm-'));
  try {
    fs.writeFileSync(path.join(dir, 'helm'), '#!/bin/sh\nexec sleep 30\n');
    fs.chmodSync(path.join(dir, 'helm'), 0o755);
    const slow = await checkChart({ helm: path.join(dir, 'helm'), chartDir: DB, timeoutMs: 300 });
    assert.equal(slow.timedOut, true);
    assert.deepEqual(places(slow), ['Chart.yaml:1 helm-template']);
    assert.match(slow.findings[0].diagnostic.message, /did not finish within 0.3 s; it was stopped/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('helm runs without plugins, kube context or post-renderer: what the child process gets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-fakehelm-'));
  try {
    const fake = path.join(dir, 'helm');
    fs.writeFileSync(fake, '#!/bin/sh\necho "ARGS $*"\necho "PLUGINS $HELM_PLUGINS $(ls -A "$HELM_PLUGINS" | wc -l)"\necho "KUBECONFIG $(wc -c < "$KUBECONFIG")"\necho "CONTEXT ${HELM_KUBECONTEXT:-unset}"\n');
    fs.chmodSync(fake, 0o755);
    const saved = { ...process.env };
    process.env.HELM_KUBECONTEXT = 'prod-admin';
    process.env.HELM_PLUGINS = '/home/someone/.local/share/helm/plugins';
    process.env.HELM_POST_RENDERER = '/bin/evil';
    try {
      const r = await renderChart({ helm: fake, chartDir: DB, release: 'rel', namespace: 'ns', values: ['a.yaml'], set: ['k=v'] });
      assert.match(r.stdout, /^ARGS template rel .*db --namespace ns --values a\.yaml --set k=v$/m);
      assert.doesNotMatch(r.stdout, /--validate|--post-renderer|--kube-context/);
      assert.match(r.stdout, /^PLUGINS \S*sts-helm-\S*plugins 0$/m);
      assert.match(r.stdout, /^KUBECONFIG 0$/m);
      assert.match(r.stdout, /^CONTEXT unset$/m);
    } finally {
      process.env = saved;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('chartRootOf: the top chart of a template, a helper, a values file, a subchart file; none outside', () => {
  assert.equal(chartRootOf(path.join(DB, 'templates', 'statefulset.yaml')), DB);
  assert.equal(chartRootOf(path.join(DB, 'templates', '_helpers.tpl')), DB);
  assert.equal(chartRootOf(path.join(DB, 'values-prod.yaml')), DB);
  assert.equal(chartRootOf(path.join(DB, 'charts', 'metrics', 'templates', 'statefulset.yaml')), DB);
  assert.equal(chartRootOf(path.join(CHARTS, '..', 'broken-sts.yaml')), undefined);
});

test('measured on the fixture charts: the share of findings in the chart\'s own files and on a producing line', { skip: SKIP }, async () => {
  const runs = await Promise.all([
    check('db'),
    check('db', { values: ['values-prod.yaml'] }),
    check('db', { values: ['values-bad.yaml'] }),
    check('db', { values: ['values-sub.yaml'] }),
    check('db', { set: ['persistence.size=5 Gi'] }),
    check('helpers'),
  ]);
  const all = runs.flatMap((r) => r.findings.filter((f) => f.rendered).map((f) => ({ f, r })));
  const inChart = all.filter(({ f, r }) => !path.relative(r.chartDir, f.file).startsWith('..'));
  const onLine = all.filter(({ f }) => f.landing === 'template' || f.landing === 'values' || f.landing === 'helper');
  const share = (n: number) => Math.round((1000 * n) / all.length) / 10;
  console.log(`# helm mapping: ${all.length} findings on rendered objects; ${share(inChart.length)}% in the chart's own files, ${share(onLine.length)}% on a template/values/helper line (the rest: the template's kind: line)`);
  assert.ok(all.length >= 40);
  assert.ok(inChart.length / all.length >= 0.95);
  assert.ok(onLine.length / all.length >= 0.9);
});

test('against a live release: a refused values change is a forbidden-update error on the values line, carrying the rendered StatefulSet with the live Helm marks', { skip: SKIP }, async () => {
  const installed = await check('db');
  const { parseAllDocuments } = await import('yaml');
  const sts = parseAllDocuments(installed.rendered).map((d) => d.toJS()).find((o) => o?.kind === 'StatefulSet' && o.metadata.name === 'rel-db');
  sts.metadata.namespace = 'prod';
  sts.metadata.labels['app.kubernetes.io/managed-by'] = 'Helm';
  sts.metadata.annotations = { 'meta.helm.sh/release-name': 'rel', 'meta.helm.sh/release-namespace': 'prod' };
  const asked: string[] = [];
  const env = {
    workspace: () => [],
    live: (kind: string, ns: string | undefined, name: string) => (asked.push(`${kind} ${ns}/${name}`), kind === 'StatefulSet' && ns === 'prod' && name === 'rel-db' ? sts : undefined),
  };
  const r = await checkChart({ helm: HELM, chartDir: DB, release: 'rel', namespace: 'prod', values: ['values-prod.yaml'], analysis: { env } });
  assert.ok(asked.includes('StatefulSet prod/rel-db'), asked.join());
  const f = r.findings.filter((x) => x.diagnostic.code === 'forbidden-update');
  assert.deepEqual(f.map((x) => `${path.relative(DB, x.file)}:${x.diagnostic.range.start.line + 1}`), ['values-prod.yaml:4']);
  assert.match(f[0].diagnostic.message, /"50Gi" here but "10Gi" in the live StatefulSet/);
  const data = f[0].diagnostic.data as { helm: { manifest: string; name: string; namespace: string; release: string } };
  assert.equal(data.helm.name, 'rel-db');
  assert.equal(data.helm.namespace, 'prod');
  assert.match(data.helm.manifest, /^ {2}namespace: prod$/m);
  assert.match(data.helm.manifest, /meta\.helm\.sh\/release-name: rel/);
  assert.match(data.helm.manifest, /app\.kubernetes\.io\/managed-by: Helm/);
  assert.match(data.helm.manifest, /storage: 50Gi/);
});

test('values.schema.json: the values helm refuses are errors on the values lines that set them', { skip: SKIP }, async () => {
  const ok = await check('schema');
  assert.deepEqual(ok.helmErrors, []);
  const bad = await check('schema', { values: ['values-bad.yaml'] });
  assert.deepEqual(places(bad), ['values-bad.yaml:2 helm-template', 'values-bad.yaml:4 helm-template']);
  const size = bad.findings.find((f) => f.diagnostic.range.start.line === 3)!.diagnostic;
  assert.match(size.message, /values\.schema\.json of schema: storage\.size: .*10 Gi.*pattern|values\.schema\.json of schema: storage\.size: .*does not match/);
  assert.deepEqual(size.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 13 } });
});
