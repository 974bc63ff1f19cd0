// Kustomize overlays (issue 19): render-to-diagnostics time of an overlay (temporary copy, kubectl kustomize,
// engine, mapping back) against kubectl kustomize's own render time on the same overlay. Goal: ≤ 1.5× + 50 ms.
// Figures only, never a gate. Median of N runs per overlay (first run dropped: disk cache, JIT).
// Prints a table; merges { kustomize: … } into bench/results.json (other keys are left as they are).
//   npm run bench:overlays        OVERLAY_RUNS=21 npm run bench:overlays        KUBECTL=/path/kubectl …
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkOverlay } from '../server/src/sources/kustomize/overlay';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.OVERLAY_RUNS ?? 11);
const KUBECTL = process.env.KUBECTL || 'kubectl';
const OVERLAYS = ['shop/overlays/prod', 'shop/overlays/staging', 'scaled/overlay', 'scaled/legacy'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const rows: Array<{ overlay: string; kustomizeMs: number; studioMs: number; ratio: number; overheadMs: number; findings: number; goalMet: boolean }> = [];
  for (const rel of OVERLAYS) {
    const dir = path.join(ROOT, 'test', 'fixtures', 'overlays', rel);
    const own: number[] = [];
    const ours: number[] = [];
    let findings = 0;
    for (let i = 0; i <= RUNS; i++) {
      // alternated, so that load on the machine hits both alike
      let t = performance.now();
      execFileSync(KUBECTL, ['kustomize', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      const a = performance.now() - t;
      t = performance.now();
      const r = await checkOverlay(dir, { tool: { command: KUBECTL } });
      const b = performance.now() - t;
      findings = r?.findings.length ?? 0;
      if (i === 0) continue;
      own.push(a);
      ours.push(b);
    }
    const k = median(own);
    const s = median(ours);
    rows.push({ overlay: rel, kustomizeMs: r1(k), studioMs: r1(s), ratio: Math.round((s / k) * 100) / 100, overheadMs: r1(s - k), findings, goalMet: s <= 1.5 * k + 50 });
  }
  console.log(`Kustomize overlays: render-to-diagnostics vs kubectl kustomize alone (median of ${RUNS} runs, ${KUBECTL})`);
  console.log('overlay                     kubectl kustomize  render→diagnostics  ratio  overhead  findings  goal ≤1.5×+50 ms');
  for (const r of rows) {
    console.log(
      `${r.overlay.padEnd(28)}${`${r.kustomizeMs} ms`.padStart(17)}${`${r.studioMs} ms`.padStart(20)}${`${r.ratio}×`.padStart(7)}${`${r.overheadMs} ms`.padStart(10)}${String(r.findings).padStart(10)}  ${r.goalMet ? 'met' : 'NOT met'}`,
    );
  }
  const out = path.join(ROOT, 'bench', 'results.json');
  const prev = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  fs.writeFileSync(out, JSON.stringify({ ...prev, kustomize: { measuredAt: new Date().toISOString(), runs: RUNS, kubectl: KUBECTL, overlays: rows } }, null, 2) + '\n');
}

void main();
