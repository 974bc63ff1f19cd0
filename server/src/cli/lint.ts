// statefulset-lint: checks StatefulSet YAML files or folders with the language server's engine.
// Exit 0: no error-severity finding; 1: at least one; 2: usage or I/O error (message on stderr).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FileAnalyzer, fileDiagnostics, objectsOf, type FileAnalysis } from '../engine/analyzer';
import type { Diagnostic } from '../engine/diagnostic';
import type { IndexedObject, RuleEnvironment } from '../rules/framework';
import { bundledVersions, targetVersion, type TargetVersion } from '../schema/versions';
import type { SeverityName } from '../engine/diagnostic';
import { atLeast, CONFIG_NAMES, ConfigError, ConfigResolver, severityLevel, type LintConfig } from './lintConfig';
import { CHART_USAGE, chartOption, HelmMissing, isChartDir, lintCharts, type ChartCliOptions } from '../sources/helm/cli';
import { lintOverlays, takeOverlays } from '../sources/kustomize/cli';

const USAGE = `Usage: statefulset-lint [--format text|json] [--live LIVE.yaml] [--kubernetes-version 1.NN]
                       [--min-severity LEVEL] [--config FILE] PATH...
       statefulset-lint [options] OVERLAY_DIR   (a folder with kustomization.yaml)

Checks Kubernetes StatefulSet YAML (and its Services, PVCs, PodDisruptionBudgets) with the
StatefulSet Studio engine. Folders are searched recursively for *.yaml and *.yml files.
All the files checked form the workspace: a StatefulSet's Service or PodDisruptionBudget may be in
another of them.
A folder with a kustomization file is a Kustomize overlay: it is rendered with kubectl kustomize
($KUBECTL, else kubectl on PATH; no plugins, no network) and each finding is listed on the line of the
overlay's own files that produced it (base, patch, or kustomization.yaml entry).

Options:
  --format text|json   output format (default text). json: [{"file", "diagnostics": [LSP Diagnostic]}]
  --live LIVE.yaml     the live objects (\`kubectl get sts NAME -o yaml\`, a List, or several documents):
                       changes to fields the API server refuses to update are errors (forbidden-update).
                       managedFields and status are ignored. May be given more than once.
  --kubernetes-version 1.NN
                       check fields against that Kubernetes version (default: the newest bundled, ${bundledVersions[bundledVersions.length - 1]};
                       bundled: ${bundledVersions[0]} to ${bundledVersions[bundledVersions.length - 1]}): fields it lacks are errors, fields whose
                       feature gate is off by default there are warnings (the API server drops them).
  --min-severity error|warning|information|hint
                       leave out findings below that level (default: hint, everything)
  --config FILE        severities per rule (and minSeverity) from FILE instead of the nearest
                       .statefulset-lint.yaml found in each file's folder or above it:
                         minSeverity: warning
                         rules:
                           container-user-group-id: off     # off|hint|information|warning|error
  -v, --version        print the version
  -h, --help           show this help

Exit status: 0 no errors, 1 at least one error-severity finding, 2 usage or I/O error.

${CHART_USAGE}`;

class UsageError extends Error {}

/** The extension's version, from the package.json above this file (dist/ or server/src/cli/). */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'statefulset-studio' && pkg.version) return pkg.version;
    } catch {
      // not here: one folder up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

interface Options {
  format: 'text' | 'json';
  paths: string[];
  live: string[];
  kubernetesVersion?: TargetVersion;
  minSeverity?: SeverityName;
  config?: string;
  /** Options for chart folders (a folder with Chart.yaml: rendered with helm). */
  chart: ChartCliOptions;
}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const o: Options = { format: 'text', paths: [], live: [], chart: { values: [], set: [] } };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
      o.format = v;
    } else if (a === '--live' || a.startsWith('--live=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError('--live needs a file (kubectl get sts NAME -o yaml > LIVE.yaml)');
      o.live.push(v);
    } else if (a === '--kubernetes-version' || a.startsWith('--kubernetes-version=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError('--kubernetes-version needs a version such as 1.30');
      try {
        o.kubernetesVersion = targetVersion(v, 'flag');
      } catch (e) {
        throw new UsageError(`--kubernetes-version: ${(e as Error).message}`);
      }
    } else if (a === '--min-severity' || a.startsWith('--min-severity=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      try {
        o.minSeverity = severityLevel(v ?? '', '--min-severity');
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (a === '--config' || a.startsWith('--config=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError('--config needs a file (see .statefulset-lint.yaml below)');
      o.config = v;
    } else if (/^(--values|-f|--set|--release|--namespace|-n)(=|$)/.test(a)) {
      try {
        i = chartOption(argv, i, o.chart) ?? i;
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (a === '--') {
      o.paths.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      o.paths.push(a);
    }
  }
  if (o.paths.length === 0) throw new UsageError('no files or folders given');
  return o;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

function collect(p: string, out: string[]): void {
  const st = fs.statSync(p); // throws ENOENT → exit 2
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (SKIP_DIRS.has(name)) continue;
      const child = path.join(p, name);
      const cst = fs.statSync(child);
      if (cst.isDirectory()) collect(child, out);
      else if (/\.ya?ml$/i.test(name) && !CONFIG_NAMES.includes(name)) out.push(child);
    }
  } else {
    out.push(p);
  }
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The objects of a `kubectl get -o yaml` export: documents, and the items of a List; without managedFields and status. */
function readLive(file: string): Obj[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: Obj[] = [];
  const add = (v: unknown) => {
    if (!isObj(v)) return;
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      for (const it of v.items) add(it);
      return;
    }
    if (typeof v.kind !== 'string' || !isObj(v.metadata) || typeof v.metadata.name !== 'string') return;
    const { status: _status, ...rest } = v;
    const { managedFields: _mf, ...meta } = v.metadata;
    out.push({ ...rest, metadata: meta });
  };
  for (const doc of parseAllDocuments(text, { version: '1.1' })) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message.split('\n')[0]}`);
    add(doc.toJS({ maxAliasCount: 100 }));
  }
  if (out.length === 0) throw new Error(`${file} holds no Kubernetes object (expected the output of kubectl get sts NAME -o yaml)`);
  return out;
}

/** Live objects by kind/namespace/name; a file without a namespace matches `default`, else the only object of that name. */
class LiveSet {
  readonly used = new Set<Obj>();
  constructor(readonly objects: Obj[]) {}
  get(kind: string, namespace: string | undefined, name: string): Obj | undefined {
    const ns = (o: Obj) => (isObj(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : 'default');
    const named = this.objects.filter((o) => o.kind === kind && isObj(o.metadata) && o.metadata.name === name);
    const found = namespace ? named.find((o) => ns(o) === namespace) : (named.find((o) => ns(o) === 'default') ?? (named.length === 1 ? named[0] : undefined));
    if (found) this.used.add(found);
    return found;
  }
}

async function main(): Promise<number> {
  let opts: Options | 'help' | 'version';
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`statefulset-lint: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts === 'version') {
    process.stdout.write(`statefulset-lint ${version()}\n`);
    return 0;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const files: string[] = [];
  const overlays = takeOverlays(opts.paths); // Kustomize overlay folders: rendered below
  // chart folders are rendered with helm (below), not read as YAML files
  const charts = opts.paths.filter(isChartDir);
  try {
    for (const p of opts.paths) if (!charts.includes(p)) collect(p, files);
  } catch (e) {
    process.stderr.write(`statefulset-lint: ${(e as NodeJS.ErrnoException).message}\n`);
    return 2;
  }
  // severities per rule: --config FILE, else the nearest .statefulset-lint.yaml above each file
  let configs: LintConfig[];
  let chartConfigs: LintConfig[];
  let overlayConfigs: ConfigResolver;
  try {
    const resolver = new ConfigResolver(opts.config);
    overlayConfigs = resolver;
    for (const o of overlays) resolver.for(path.join(o, 'kustomization.yaml')); // a bad config file: exit 2 here
    configs = files.map((f) => resolver.for(f));
    chartConfigs = charts.map((c) => resolver.for(path.join(c, 'Chart.yaml')));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`statefulset-lint: config: ${e.message}\n`);
    return 2;
  }
  if (opts.kubernetesVersion?.note) process.stderr.write(`statefulset-lint: ${opts.kubernetesVersion.note}\n`);
  let live: LiveSet;
  try {
    live = new LiveSet(opts.live.flatMap(readLive));
  } catch (e) {
    process.stderr.write(`statefulset-lint: --live: ${(e as Error).message}\n`);
    return 2;
  }
  // every file first, so that each one sees the others' objects (the workspace)
  const analyses: Array<{ file: string; analysis: FileAnalysis }> = [];
  const workspace: IndexedObject[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`statefulset-lint: ${(e as NodeJS.ErrnoException).message}\n`);
      return 2;
    }
    const analysis = new FileAnalyzer().analyze(text);
    analyses.push({ file, analysis });
    workspace.push(...objectsOf(analysis, file));
  }
  const env: RuleEnvironment = {
    workspace: (kind) => workspace.filter((o) => o.kind === kind),
    live: (kind, namespace, name) => live.get(kind, namespace, name),
    // the folders given are the workspace folders (a file given alone: its folder)
    roots: opts.paths.map((p) => (fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ? p : path.dirname(p))),
  };
  const results: Array<{ file: string; diagnostics: Diagnostic[] }> = analyses.map(({ file, analysis }, i) => ({
    file,
    diagnostics: fileDiagnostics(analysis, { uri: file, env, kubernetesVersion: opts.kubernetesVersion, settings: configs[i].rules }).filter((d) =>
      atLeast(d.severity, opts.minSeverity ?? configs[i].minSeverity),
    ),
  }));
  if (charts.length) {
    try {
      for (const [i, chart] of charts.entries()) {
        const config = chartConfigs[i];
        for (const r of await lintCharts([chart], opts.chart, env, opts.kubernetesVersion, config.rules)) {
          results.push({ file: r.file, diagnostics: r.diagnostics.filter((d) => atLeast(d.severity, opts.minSeverity ?? config.minSeverity)) });
        }
      }
    } catch (e) {
      if (!(e instanceof HelmMissing)) throw e;
      process.stderr.write(`statefulset-lint: ${e.message}\n`);
      return 2;
    }
  }
  if (overlays.length) {
    const rendered = await lintOverlays(overlays, {
      kubernetesVersion: opts.kubernetesVersion,
      live: (kind, namespace, name) => live.get(kind, namespace, name),
      config: (dir) => overlayConfigs.for(path.join(dir, 'kustomization.yaml')),
      minSeverity: opts.minSeverity,
    });
    if (typeof rendered === 'string') {
      process.stderr.write(`statefulset-lint: ${rendered}\n`);
      return 2;
    }
    results.push(...rendered.results);
    files.push(...rendered.files.filter((f) => !files.includes(f)));
  }
  for (const o of live.objects) {
    if (live.used.has(o) || o.kind !== 'StatefulSet') continue;
    const meta = o.metadata as Obj;
    process.stderr.write(`statefulset-lint: --live: no checked file has StatefulSet "${String(meta.name)}"${typeof meta.namespace === 'string' ? ` (namespace ${meta.namespace})` : ''}; nothing was compared with it\n`);
  }
  const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 1).length, 0);
  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    let total = 0;
    for (const r of results) {
      // by position in the file (the analysis lists them by document, then by check)
      const sorted = [...r.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      for (const d of sorted) {
        total++;
        process.stdout.write(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${SEVERITY[d.severity ?? 1]} [${d.code}] ${d.message}\n`);
      }
    }
    const checked = files.length + results.length - analyses.length;
    process.stdout.write(`${checked} file${checked === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${total - errors} other finding${total - errors === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
