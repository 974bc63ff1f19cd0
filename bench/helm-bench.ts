// Helm charts (issue 19): figures only, never a gate.
//  - render-to-diagnostics: checkChart (helm template + the engine on the rendered text + mapping back) against
//    helm's own `helm template` time for the same chart, median of HELM_RUNS; goal ≤ 1.5 × helm + 50 ms
//  - keystroke latency in a template file of a chart with rendering on (the built server over stdio): change →
//    diagnostics, p50/p95, against the same edits in a plain StatefulSet file; the render comes after the pause
// Merges { helm: … } into bench/results.json (other keys are left as they are).
//   npm run bench:helm        HELM_RUNS=21 HELM_KEYS=200 npm run bench:helm
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkChart } from '../server/src/sources/helm/chart';
import { renderChart } from '../server/src/sources/helm/render';
import { findHelm } from '../scripts/provision-helm.mjs';
import { startClient } from '../test/lsp/lspClient';
import { STS } from '../test/engine/helpers';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.HELM_RUNS ?? 11);
const KEYS = Number(process.env.HELM_KEYS ?? 100);
const CHARTS = path.join(ROOT, 'test', 'fixtures', 'charts');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const r1 = (x: number) => Math.round(x * 10) / 10;

async function renderFigures(chart: string, values: string[]) {
  const dir = path.join(CHARTS, chart);
  const helm: number[] = [];
  const ours: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    // alternated, so both see the same machine load
    const h = await renderChart({ helm: HELM, chartDir: dir, release: 'rel', namespace: 'prod', values: values.map((v) => path.join(dir, v)), set: [] });
    if (h.code !== 0) throw new Error(h.stderr);
    helm.push(h.ms);
    const t0 = performance.now();
    const r = await checkChart({ helm: HELM, chartDir: dir, release: 'rel', namespace: 'prod', values });
    ours.push(performance.now() - t0);
    findings = r.findings.length;
  }
  return { chart: `${chart}${values.length ? ` -f ${values.join(' -f ')}` : ''}`, findings, helmMs: r1(median(helm)), oursMs: r1(median(ours)), goalMs: r1(1.5 * median(helm) + 50) };
}

async function keystrokes(uri: string, text: string, at: string, init: unknown, root: string) {
  const c = await startClient({ rootUri: pathToFileURL(root).toString(), initializationOptions: init });
  try {
    const first = c.diagnostics(uri);
    c.open(uri, text);
    await first;
    const times: number[] = [];
    let version = 1;
    const i = text.indexOf(at);
    for (let k = 0; k < KEYS; k++) {
      // type one character after `at`, then take it back: each edit must publish
      const edited = k % 2 === 0 ? `${text.slice(0, i + at.length)}x${text.slice(i + at.length)}` : text;
      version++;
      const v = version;
      const got = c.diagnostics(uri, (p) => p.version === v);
      const t0 = performance.now();
      c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: edited }] });
      await got;
      times.push(performance.now() - t0);
    }
    return { p50: r1(pct(times, 50)), p95: r1(pct(times, 95)) };
  } finally {
    await c.stop();
  }
}

const found = findHelm();
if (!found.path) {
  console.error(`bench:helm: ${found.reason}; run node scripts/provision-helm.mjs`);
  process.exit(0);
}
const HELM = found.path;

(async () => {
  const renders = [await renderFigures('db', []), await renderFigures('db', ['values-prod.yaml', 'values-bad.yaml']), await renderFigures('helpers', [])];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-bench-helm-'));
  let keys: { template: { p50: number; p95: number }; plain: { p50: number; p95: number } };
  try {
    const chart = path.join(tmp, 'db');
    fs.cpSync(path.join(CHARTS, 'db'), chart, { recursive: true });
    const tplFile = path.join(chart, 'templates', 'statefulset.yaml');
    const plainFile = path.join(tmp, 'plain.yaml');
    fs.writeFileSync(plainFile, STS);
    const init = { helm: { trusted: true, path: HELM, releaseName: 'rel' } };
    keys = {
      template: await keystrokes(pathToFileURL(tplFile).toString(), fs.readFileSync(tplFile, 'utf8'), 'mountPath: /var/lib/postgresql/data', init, tmp),
      plain: await keystrokes(pathToFileURL(plainFile).toString(), STS, 'mountPath: /usr/share/nginx/html', init, tmp),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\nHelm charts (helm ${found.version?.version ?? '?'}, median of ${RUNS} runs; goal ≤ 1.5 × helm + 50 ms)`);
  console.log('| chart | findings | helm template | render → diagnostics | goal |');
  console.log('|---|---|---|---|---|');
  for (const r of renders) console.log(`| ${r.chart} | ${r.findings} | ${r.helmMs} ms | ${r.oursMs} ms | ≤ ${r.goalMs} ms |`);
  console.log(`\nkeystroke → diagnostics (${KEYS} edits), p50 / p95: template file of a rendered chart ${keys.template.p50} / ${keys.template.p95} ms; plain StatefulSet file ${keys.plain.p50} / ${keys.plain.p95} ms`);
  const out = path.join(ROOT, 'bench', 'results.json');
  const prev = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  fs.writeFileSync(out, JSON.stringify({ ...prev, helm: { when: new Date().toISOString(), helm: found.version?.version, runs: RUNS, renders, keystrokes: { edits: KEYS, ...keys } } }, null, 2) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
