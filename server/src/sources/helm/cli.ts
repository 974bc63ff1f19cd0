// statefulset-lint on a chart folder: `statefulset-lint CHART_DIR [--values F]... [--set K=V]... [--release NAME]
// [--namespace NS]`. helm from $HELM, else `helm` on PATH. Findings in the chart's own files and lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../engine/diagnostic';
import type { RuleEnvironment } from '../../rules/framework';
import type { RuleSettings } from '../../engine/analyzer';
import type { TargetVersion } from '../../schema/versions';
import { checkChart } from './chart';

export interface ChartCliOptions {
  values: string[];
  set: string[];
  release?: string;
  namespace?: string;
}

/** A folder with a Chart.yaml in it. */
export function isChartDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory() && fs.existsSync(path.join(p, 'Chart.yaml'));
  } catch {
    return false;
  }
}

/** Reads the chart options of the command line; returns the index of the last argument used, or undefined when `a` is none of them. */
export function chartOption(argv: string[], i: number, o: ChartCliOptions): number | undefined {
  const a = argv[i];
  const m = /^(--values|-f|--set|--release|--namespace|-n)(?:=(.*))?$/.exec(a);
  if (!m) return undefined;
  const inline = m[2] !== undefined;
  const v = inline ? m[2] : argv[i + 1];
  if (v === undefined || v === '') throw new Error(`${m[1]} needs a value`);
  if (m[1] === '--values' || m[1] === '-f') o.values.push(v);
  else if (m[1] === '--set') o.set.push(v);
  else if (m[1] === '--release') o.release = v;
  else o.namespace = v;
  return inline ? i : i + 1;
}

export const CHART_USAGE = `Helm charts: a folder with a Chart.yaml is rendered with \`helm template\` (helm from $HELM, else PATH;
it never contacts a cluster) and the rendered objects' findings are reported in the chart's own files: the template
line that writes the field, or the values-file line whose value was printed there.
  --values F, -f F     a values file for the charts (may be given more than once; later ones win)
  --set K=V            a value for the charts, as helm's --set (may be given more than once)
  --release NAME       the release name the charts are rendered with (default release-name)
  --namespace NS, -n NS
                       the namespace they are rendered into (default default)
`;

export class HelmMissing extends Error {}

/** Checks chart folders; results per file, paths shown relative to the chart argument as given. */
export async function lintCharts(
  charts: string[],
  o: ChartCliOptions,
  env: RuleEnvironment,
  kubernetesVersion: TargetVersion | undefined,
  settings?: RuleSettings,
): Promise<Array<{ file: string; diagnostics: Diagnostic[] }>> {
  const helm = process.env.HELM || 'helm';
  const out: Array<{ file: string; diagnostics: Diagnostic[] }> = [];
  for (const chart of charts) {
    const r = await checkChart({
      helm,
      chartDir: chart,
      release: o.release,
      namespace: o.namespace,
      values: o.values.map((v) => path.resolve(v)),
      set: o.set,
      analysis: { env, kubernetesVersion, settings },
    });
    if (r.helmMissing) throw new HelmMissing(`helm was not found (${helm}): install helm (https://helm.sh/docs/intro/install/) or set HELM to its path`);
    for (const [file, diagnostics] of [...r.files].sort(([a], [b]) => a.localeCompare(b))) {
      const rel = path.relative(r.chartDir, file);
      out.push({ file: rel.startsWith('..') ? file : path.join(chart, rel), diagnostics });
    }
    if (r.files.size === 0) out.push({ file: path.join(chart, 'Chart.yaml'), diagnostics: [] });
  }
  return out;
}
