// A Helm chart checked through the real `helm template`: render, run the engine on the rendered text (every
// document at once, so cross-document rules see the release's Services and PodDisruptionBudgets), then map each
// finding back to the chart's own files: the template line that writes the field, or the values-file line whose
// value was printed there; the template's `kind:` line when no finer line is known (never dropped). helm's own
// errors become findings at their place.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { analyzeText, type AnalysisOptions } from '../../engine/analyzer';
import type { Diagnostic } from '../../engine/diagnostic';
import { nodePathAt } from '../../engine/yamlNodes';
import { parseHelmErrors, renderedSources, sourceAtLine, type HelmError, type RenderedSource } from './output';
import { renderChart, type RenderResult } from './render';
import { hooksUnder, land, parseTemplate, type Entry, type Hook, type ParsedTemplate, type Seg, type TemplateDoc } from './template';
import { locateValue, type ValuesSource } from './values';
import { makeScratch, removeScratch } from '../scratch';

export const HELM_SOURCE = 'statefulset-studio';
/** The code of helm's own errors (not a rule: helm refused the chart). */
export const HELM_ERROR_CODE = 'helm-template';

export { chartRootOf } from './chartRoot';

export interface ChartOptions {
  helm: string;
  chartDir: string;
  release?: string;
  namespace?: string;
  /** Values files (-f), absolute or relative to the chart folder. */
  values?: string[];
  set?: string[];
  /** Unsaved texts of chart files (absolute path → text): rendered from a copy of the chart with them in it. */
  overrides?: ReadonlyMap<string, string>;
  analysis?: Omit<AnalysisOptions, 'uri'>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Renders kept by content (the chart's files, unsaved texts, values files and arguments): the same content is not rendered twice. */
  renderCache?: RenderCache;
}

/** helm's output for a chart's content, the last few kept. */
export class RenderCache {
  private entries = new Map<string, { r: RenderResult; debugOut?: string }>();
  constructor(private readonly limit = 16) {}
  get(key: string) {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }
  set(key: string, e: { r: RenderResult; debugOut?: string }): void {
    this.entries.set(key, e);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
  /** How many renders were answered from the cache. */
  hits = 0;
}

/** A digest of everything a render reads: the chart folder's files (unsaved texts instead where given), the values files and the arguments. */
export function contentKey(chartDir: string, args: unknown, valuesFiles: readonly string[], overrides?: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(args));
  const visit = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n === '.git' || n === 'node_modules') continue;
      const p = path.join(dir, n);
      const st = fs.statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (depth < 10) visit(p, depth + 1);
        continue;
      }
      h.update(`\0${path.relative(chartDir, p)}\0`);
      const o = overrides?.get(p);
      if (o !== undefined) h.update(o);
      else h.update(`${st.size}:${st.mtimeMs}`);
    }
  };
  visit(chartDir, 0);
  for (const v of valuesFiles) {
    const o = overrides?.get(v);
    const st = fs.statSync(v, { throwIfNoEntry: false });
    h.update(`\0${v}\0${o ?? (st ? `${st.size}:${st.mtimeMs}` : 'missing')}`);
  }
  return h.digest('hex');
}

export type Landing = 'template' | 'values' | 'helper' | 'kind' | 'chart';

export interface MappedFinding {
  file: string;
  diagnostic: Diagnostic;
  landing: Landing;
  /** The finding as the engine made it on the rendered text. */
  rendered?: { line: number; path: Seg[]; source: string };
}

export interface ChartResult {
  chartDir: string;
  release: string;
  namespace: string;
  /** Findings per file (absolute paths), in the chart's own files. */
  files: Map<string, Diagnostic[]>;
  findings: MappedFinding[];
  /** The rendered YAML (empty when helm failed). */
  rendered: string;
  helmErrors: HelmError[];
  /** helm could not be started. */
  helmMissing?: string;
  cancelled?: boolean;
  timedOut?: boolean;
  /** Milliseconds: helm's render, and all of it. */
  helmMs: number;
  totalMs: number;
}

function readText(file: string, overrides?: ReadonlyMap<string, string>): string | undefined {
  const o = overrides?.get(file);
  if (o !== undefined) return o;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function chartName(dir: string, overrides?: ReadonlyMap<string, string>): string {
  const text = readText(path.join(dir, 'Chart.yaml'), overrides) ?? '';
  return /^name:\s*["']?([^"'\s#]+)/m.exec(text)?.[1] ?? path.basename(dir);
}

/** What the mapping knows of one chart (and its subcharts): templates, named templates, values sources. */
class ChartFiles {
  private templates = new Map<string, ParsedTemplate | null>();
  private defineIndex: Map<string, { file: string; from: number; to: number }> | undefined;

  constructor(
    readonly dir: string,
    readonly name: string,
    readonly valuesFiles: string[],
    readonly set: string[],
    readonly overrides?: ReadonlyMap<string, string>,
  ) {}

  /** The file a `# Source:` path names (CHART/templates/x.yaml → DIR/templates/x.yaml). */
  fileOf(source: string): string {
    const rest = source.split('/').slice(1);
    return path.join(this.dir, ...rest);
  }

  /** The subchart names from the top chart down to the one a source belongs to (CHART/charts/A/charts/B/… → [A, B]). */
  chartChain(source: string): string[] {
    const parts = source.split('/');
    const chain: string[] = [];
    for (let i = 1; i + 1 < parts.length; i++) if (parts[i] === 'charts') chain.push(parts[++i]);
    return chain;
  }

  template(file: string): ParsedTemplate | null {
    let t = this.templates.get(file);
    if (t === undefined) {
      const text = readText(file, this.overrides);
      t = text === undefined ? null : parseTemplate(text);
      this.templates.set(file, t);
    }
    return t;
  }

  /** Every named template of the chart and its unpacked subcharts (helm shares them across all). */
  define(name: string): { file: string; from: number; to: number } | undefined {
    if (!this.defineIndex) {
      this.defineIndex = new Map();
      const visit = (dir: string, depth: number) => {
        let names: string[];
        try {
          names = fs.readdirSync(dir);
        } catch {
          return;
        }
        for (const n of names.sort()) {
          const p = path.join(dir, n);
          const st = fs.statSync(p, { throwIfNoEntry: false });
          if (!st) continue;
          if (st.isDirectory()) {
            if (depth < 8 && n !== '.git' && n !== 'node_modules') visit(p, depth + 1);
          } else if (/\.(tpl|ya?ml|txt)$/.test(n) && /[/\\]templates([/\\]|$)/.test(p)) {
            const t = this.template(p);
            for (const [k, v] of t?.defines ?? []) if (!this.defineIndex!.has(k)) this.defineIndex!.set(k, { file: p, ...v });
          }
        }
      };
      visit(this.dir, 0);
    }
    return this.defineIndex.get(name);
  }

  /** The values sources for a template of the chart chain, lowest precedence first. */
  valuesFor(chain: string[]): ValuesSource[] {
    const out: ValuesSource[] = [];
    // the deepest chart's own values.yaml first, then each parent's values.yaml with the names below it
    for (let depth = chain.length; depth >= 0; depth--) {
      const dir = path.join(this.dir, ...chain.slice(0, depth).flatMap((c) => ['charts', c]));
      const file = path.join(dir, 'values.yaml');
      const text = readText(file, this.overrides);
      if (text !== undefined) out.push({ file, text, prefix: chain.slice(depth) });
    }
    for (const f of this.valuesFiles) {
      const text = readText(f, this.overrides);
      if (text !== undefined) out.push({ file: f, text, prefix: chain });
    }
    return out;
  }

  /** The subchart chain of a chart named `sub` (a direct or deeper subchart; [sub] when not found on disk). */
  chainOfName(sub: string): string[] {
    const find = (dir: string, chain: string[], depth: number): string[] | undefined => {
      let subs: string[];
      try {
        subs = fs.readdirSync(path.join(dir, 'charts'));
      } catch {
        return undefined;
      }
      for (const s of subs) {
        const p = path.join(dir, 'charts', s);
        if (!fs.existsSync(path.join(p, 'Chart.yaml'))) continue;
        const c = [...chain, chartName(p, this.overrides)];
        if (c[c.length - 1] === sub) return c;
        const deeper = depth < 4 ? find(p, c, depth + 1) : undefined;
        if (deeper) return deeper;
      }
      return undefined;
    };
    return find(this.dir, [], 0) ?? [sub];
  }

  /** A --set that gives this values path (or a parent of it) its value. */
  setFor(chain: string[], p: readonly Seg[]): string | undefined {
    const key = [...chain, ...p.filter((s) => s !== -1)].join('.');
    return [...this.set].reverse().find((s) => {
      const k = s.slice(0, s.indexOf('=') < 0 ? s.length : s.indexOf('='));
      return key === k || key.startsWith(`${k}.`) || k.startsWith(`${key}.`);
    });
  }
}

interface Place {
  file: string;
  line: number;
  col: number;
  endCol?: number;
  landing: Landing;
  note?: string;
}

function lineEnd(text: string | undefined, line: number): number {
  const l = text?.split('\n')[line] ?? '';
  return l.replace(/\s+$/, '').length;
}

/**
 * The place that produced a rendered path of a template document: the template line, a named template's line in
 * its helper file, or a values line.
 */
function place(chart: ChartFiles, chain: string[], file: string, doc: TemplateDoc, renderedPath: Seg[], nameAt: (d: number) => string | undefined, names: Set<string>, depthOffset = 0): Place | undefined {
  const l = land(doc, renderedPath, (d) => nameAt(d + depthOffset));
  const fromValues = (ref: Seg[], rest: Seg[], minDepth: number): Place | undefined => {
    const set = chart.setFor(chain, ref);
    if (set) return undefined;
    const loc = locateValue(chart.valuesFor(chain), [...ref, ...rest], names, minDepth);
    return loc ? { file: loc.file, line: loc.line, col: loc.col, endCol: loc.endCol, landing: 'values' } : undefined;
  };
  if (l.rest.length > 0) {
    const prefix = l.entry ? l.entry.path : [];
    // a key line that prints YAML (`resources: {{ toYaml .Values.r | nindent 4 }}`)
    if (l.entry?.yamlOf && l.entry.path.length === renderedPath.length - l.rest.length) {
      const v = fromValues(l.entry.yamlOf.path, l.rest, l.entry.yamlOf.path.length);
      if (v) return v;
    }
    for (const hook of hooksUnder(doc, prefix)) {
      const p = viaHook(chart, chain, hook, l.rest, nameAt, names, depthOffset + renderedPath.length - l.rest.length, fromValues);
      if (p) return p;
    }
  }
  const e: Entry | undefined = l.entry;
  if (!e) return undefined;
  if (l.rest.length === 0 || !l.entry?.yamlOf) {
    // the value was printed from .Values: that line, where the file sets it
    const refs = e.refs.filter((r) => r.path.length > 0);
    if (refs.length >= 1 && l.rest.length === 0) {
      const v = fromValues(refs[0].path, [], refs[0].path.length);
      if (v) return v;
      const set = chart.setFor(chain, refs[0].path);
      if (set) return { file, line: e.line, col: e.col, landing: 'template', note: `value from --set ${set}` };
    }
  }
  return { file, line: e.line, col: e.col, landing: file.endsWith('.tpl') ? 'helper' : 'template' };
}

function viaHook(chart: ChartFiles, chain: string[], hook: Hook, rest: Seg[], nameAt: (d: number) => string | undefined, names: Set<string>, depth: number, fromValues: (ref: Seg[], rest: Seg[], min: number) => Place | undefined): Place | undefined {
  if (hook.yamlOf) return fromValues(hook.yamlOf.path, rest, hook.yamlOf.path.length);
  if (!hook.include) return undefined;
  const def = chart.define(hook.include);
  if (!def) return undefined;
  const text = readText(def.file, chart.overrides);
  if (text === undefined) return undefined;
  const body = parseTemplate(text, def.from, def.to, hook.includeArg);
  const doc = body.docs.find((d) => d.entries.length || d.hooks.length);
  if (!doc) return undefined;
  // the body must write the first key of the rest itself (else another hook does)
  const l = land(doc, rest, (d) => nameAt(d + depth));
  if (!l.entry && !l.hook) return undefined;
  return place(chart, chain, def.file, doc, rest, nameAt, names, depth);
}

/** The rendered path under a position of the rendered text, and the names of the items along it. */
function renderedPathAt(analysisFile: ReturnType<typeof analyzeText>['file'], pos: { line: number; character: number }): { path: Seg[]; nameAt: (d: number) => string | undefined; names: Set<string>; value?: Record<string, unknown> } {
  const np = nodePathAt(analysisFile, pos);
  const pathSegs: Seg[] = np ? [...np.path] : [];
  const value = np?.doc.value;
  const names = new Set<string>();
  const nameAt = (d: number): string | undefined => {
    let v: unknown = value;
    for (let i = 0; i < d && i < pathSegs.length; i++) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[pathSegs[i] as string] : undefined;
    const n = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).name : undefined;
    return typeof n === 'string' ? n : undefined;
  };
  for (let d = 1; d <= pathSegs.length; d++) if (typeof pathSegs[d - 1] === 'number') {
    const n = nameAt(d);
    if (n) names.add(n);
  }
  return { path: pathSegs, nameAt, names, value };
}

/**
 * The rendered object as the cluster workflows take it: in the release's namespace, with the live object's Helm
 * ownership marks (helm template prints none; a re-created StatefulSet without them would no longer belong to its release).
 */
function renderedManifest(value: Record<string, unknown>, namespace: string, release: string, env: { live(kind: string, ns: string | undefined, name: string): Record<string, unknown> | undefined } | undefined) {
  const meta = { ...((value.metadata ?? {}) as Record<string, unknown>) };
  meta.namespace ??= namespace;
  const name = String(meta.name ?? '');
  const live = env?.live(String(value.kind), String(meta.namespace), name);
  const liveMeta = (live?.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const managedBy = liveMeta.labels?.['app.kubernetes.io/managed-by'];
  if (managedBy) meta.labels = { ...((meta.labels ?? {}) as Record<string, string>), 'app.kubernetes.io/managed-by': managedBy };
  const helmAnnotations = Object.entries(liveMeta.annotations ?? {}).filter(([k]) => k.startsWith('meta.helm.sh/'));
  if (helmAnnotations.length) meta.annotations = { ...((meta.annotations ?? {}) as Record<string, string>), ...Object.fromEntries(helmAnnotations) };
  return { manifest: stringify({ ...value, metadata: meta }), kind: value.kind, name, namespace: meta.namespace, release };
}

/** Copies a chart to a temporary folder with unsaved texts in it; returns the folder (the caller removes it). */
function copyWithOverrides(chartDir: string, overrides: ReadonlyMap<string, string>): string {
  const tmp = makeScratch('sts-chart-');
  const dest = path.join(tmp, path.basename(chartDir));
  fs.cpSync(chartDir, dest, { recursive: true, filter: (src) => !/[/\\](\.git|node_modules)$/.test(src) });
  for (const [file, text] of overrides) {
    const rel = path.relative(chartDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    fs.writeFileSync(path.join(dest, rel), text);
  }
  return tmp;
}

function kindName(rendered: RenderedSource, text: string): string {
  const doc = text.split('\n').slice(rendered.startLine, rendered.startLine + rendered.lineCount).join('\n');
  const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1];
  const name = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*["']?([^"'\s]+)/m.exec(doc)?.[1];
  return kind ? `${kind}${name ? ` ${name}` : ''}` : 'object';
}

/** The template line a line of a template's rendered output came from (text alignment, actions as wildcards). */
function alignRenderedLine(template: string, renderedLines: string[], renderedLine: number): number | undefined {
  const tlines = template.split('\n');
  const patterns = tlines.map((t) => {
    const stripped = t.replace(/\{\{-?[\s\S]*?-?\}\}/g, '\u0000');
    if (stripped.replace(/\u0000/g, '').trim() === '') return undefined; // action-only lines print nothing of their own
    return new RegExp(`^${stripped.split('\u0000').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')}$`);
  });
  let t = 0;
  let found: number | undefined;
  for (let r = 0; r < renderedLines.length && r <= renderedLine; r++) {
    const line = renderedLines[r];
    if (line.trim() === '') continue;
    let k = t;
    while (k < tlines.length && !(patterns[k]?.test(line) ?? false)) k++;
    if (k < tlines.length) {
      t = k + 1;
      if (r <= renderedLine) found = k;
    }
  }
  return found;
}

function helmDiagnostic(line: number, col: number, endCol: number, message: string): Diagnostic {
  return { range: { start: { line, character: col }, end: { line, character: Math.max(col, endCol) } }, severity: 1, code: HELM_ERROR_CODE, source: HELM_SOURCE, message };
}

/** Checks a chart: renders it with helm and maps the engine's findings back to the chart's files. */
export async function checkChart(opts: ChartOptions): Promise<ChartResult> {
  const started = performance.now();
  const chartDir = path.resolve(opts.chartDir);
  const release = opts.release ?? 'release-name';
  const namespace = opts.namespace ?? 'default';
  const valuesFiles = (opts.values ?? []).map((v) => path.resolve(chartDir, v));
  const set = opts.set ?? [];
  const name = chartName(chartDir, opts.overrides);
  const chart = new ChartFiles(chartDir, name, valuesFiles, set, opts.overrides);
  const result: ChartResult = { chartDir, release, namespace, files: new Map(), findings: [], rendered: '', helmErrors: [], helmMs: 0, totalMs: 0 };
  const add = (f: MappedFinding) => {
    result.findings.push(f);
    const list = result.files.get(f.file) ?? [];
    list.push(f.diagnostic);
    result.files.set(f.file, list);
  };
  const chartYaml = path.join(chartDir, 'Chart.yaml');
  const via = `release "${release}"${valuesFiles.length ? `, values ${valuesFiles.map((v) => path.relative(chartDir, v) || v).join(', ')}` : ''}${set.length ? `, --set ${set.join(' ')}` : ''}`;
  const overrides = opts.overrides && opts.overrides.size ? opts.overrides : undefined;
  const tmp = overrides ? copyWithOverrides(chartDir, overrides) : undefined;
  // values files inside the chart are read from the copy too (their unsaved text)
  const renderDir = tmp ? path.join(tmp, path.basename(chartDir)) : chartDir;
  const renderValues = valuesFiles.map((v) => {
    const rel = path.relative(chartDir, v);
    return tmp && !rel.startsWith('..') && !path.isAbsolute(rel) ? path.join(renderDir, rel) : v;
  });
  let r: RenderResult;
  const key = opts.renderCache ? contentKey(chartDir, { helm: opts.helm, release, namespace, set, valuesFiles }, valuesFiles, opts.overrides) : '';
  const cached = opts.renderCache?.get(key);
  try {
    const req = { helm: opts.helm, chartDir: renderDir, release, namespace, values: renderValues, set, timeoutMs: opts.timeoutMs, signal: opts.signal };
    if (cached) opts.renderCache!.hits++;
    r = cached?.r ?? (await renderChart(req));
    result.helmMs = cached ? 0 : r.ms;
    if (r.code !== 0 && !r.notFound && !r.cancelled && !r.timedOut) {
      const errors = parseHelmErrors(r.stderr);
      result.helmErrors = errors;
      // a rendered-YAML error names a line of the template's output: render again with --debug to see that output
      let debugOut = cached?.debugOut;
      if (!cached && errors.some((e) => e.kind === 'yaml')) debugOut = (await renderChart({ ...req, debug: true })).stdout;
      for (const e of errors) mapHelmError(e, debugOut);
      if (!cached) opts.renderCache?.set(key, { r, debugOut });
    } else if (r.code === 0 && !cached) opts.renderCache?.set(key, { r });
  } finally {
    if (tmp) removeScratch(tmp);
  }

  function mapHelmError(e: HelmError, debugOut: string | undefined): void {
    const prefix = `helm template (${via}): `;
    if (e.source && (e.kind === 'parse' || e.kind === 'execution')) {
      const file = chart.fileOf(e.source);
      const text = readText(file, opts.overrides);
      const line = Math.max(0, (e.line ?? 1) - 1);
      const col = e.column ? Math.max(0, e.column - 1) : 0;
      add({ file, landing: 'template', diagnostic: helmDiagnostic(line, col, lineEnd(text, line), prefix + e.message) });
      return;
    }
    if (e.source && e.kind === 'yaml') {
      const file = chart.fileOf(e.source);
      const text = readText(file, opts.overrides);
      let line: number | undefined;
      if (debugOut && text !== undefined && e.line !== undefined) {
        const out = debugOut.split('\n');
        const src = renderedSources(debugOut).find((s) => s.source === e.source);
        if (src) {
          const docLines = out.slice(src.startLine, src.startLine + src.lineCount).filter((l, i) => !(i < 2 && (/^---/.test(l) || /^# Source:/.test(l))));
          line = alignRenderedLine(text, docLines, e.line - 1);
        }
      }
      const at = line ?? 0;
      add({ file, landing: line === undefined ? 'kind' : 'template', diagnostic: helmDiagnostic(at, 0, lineEnd(text, at), `${prefix}${e.message}${e.line !== undefined ? ` (line ${e.line} of this template's output)` : ''}`) });
      return;
    }
    if (e.kind === 'schema' && e.valuesPath) {
      // the values line that set the refused value (the winning file), else the nearest key above it
      const chain = e.chart && e.chart !== name ? chart.chainOfName(e.chart) : [];
      const loc = locateValue(chart.valuesFor(chain), e.valuesPath, new Set(), 1);
      const file = loc?.file ?? path.join(chartDir, 'values.yaml');
      const line = loc?.line ?? 0;
      add({ file, landing: loc ? 'values' : 'chart', diagnostic: helmDiagnostic(line, loc?.col ?? 0, loc?.endCol ?? lineEnd(readText(file, opts.overrides), line), prefix + e.message) });
      return;
    }
    if (e.kind === 'dependency') {
      const text = readText(chartYaml, opts.overrides) ?? '';
      const lines = text.split('\n');
      let line = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*name:\\s*["']?${e.dependency!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`).test(l));
      if (line < 0) line = Math.max(0, lines.findIndex((l) => /^dependencies:/.test(l)));
      add({ file: chartYaml, landing: 'chart', diagnostic: helmDiagnostic(line, 0, lineEnd(text, line), prefix + e.message) });
      return;
    }
    add({ file: chartYaml, landing: 'chart', diagnostic: helmDiagnostic(0, 0, lineEnd(readText(chartYaml, opts.overrides), 0), prefix + e.message) });
  }

  if (r!.notFound) {
    result.helmMissing = `helm was not found (${opts.helm}): install helm (https://helm.sh/docs/intro/install/) or set its path`;
  } else if (r!.cancelled) {
    result.cancelled = true;
  } else if (r!.timedOut) {
    result.timedOut = true;
    add({ file: chartYaml, landing: 'chart', diagnostic: helmDiagnostic(0, 0, lineEnd(readText(chartYaml, opts.overrides), 0), `helm template (${via}) did not finish within ${((opts.timeoutMs ?? 30_000) / 1000).toFixed((opts.timeoutMs ?? 30_000) % 1000 ? 1 : 0)} s; it was stopped`) });
  } else if (r!.code === 0) {
    result.rendered = r!.stdout;
    mapFindings(r!.stdout);
  }
  result.totalMs = performance.now() - started;
  return result;

  function mapFindings(rendered: string): void {
    const sources = renderedSources(rendered);
    // the release's objects live in its namespace (helm template prints no namespace unless a template writes one)
    const env = opts.analysis?.env;
    const analysisEnv = env && { ...env, workspace: env.workspace.bind(env), live: (kind: string, ns: string | undefined, n: string) => env.live(kind, ns ?? namespace, n) };
    const { file: analysis, diagnostics } = analyzeText(rendered, { ...opts.analysis, env: analysisEnv, uri: `helm://${release}/${name}` });
    for (const d of diagnostics) {
      const src = sourceAtLine(sources, d.range.start.line);
      if (!src) continue;
      const file = chart.fileOf(src.source);
      const chain = chart.chartChain(src.source);
      const tpl = chart.template(file);
      const { path: rpath, nameAt, names, value } = renderedPathAt(analysis, d.range.start);
      const docs = tpl?.docs.filter((x) => x.entries.length || x.hooks.length) ?? [];
      // helm orders a template's documents by kind: the template's documents of that kind, in order
      const sameKind = docs.filter((x) => x.kind !== undefined && x.kind === src.kind);
      const doc = sameKind.length ? sameKind[Math.min(src.kindIndex, sameKind.length - 1)] : docs[Math.min(src.index, docs.length - 1)];
      let p: Place | undefined = doc ? place(chart, chain, file, doc, rpath, nameAt, names) : undefined;
      const templateText = readText(file, opts.overrides);
      if (!p) {
        // the template's kind: line (a packaged subchart has no file here: the chart's Chart.yaml)
        if (templateText !== undefined) p = { file, line: doc?.kindLine ?? 0, col: 0, landing: 'kind' };
        else p = { file: chartYaml, line: 0, col: 0, landing: 'chart', note: `in ${src.source}` };
      }
      const what = kindName(src, rendered);
      const fromFile = p.landing === 'values' && !(valuesFiles.length === 1 && valuesFiles[0] === p.file) ? `; value set in ${path.relative(chartDir, p.file) || p.file}` : '';
      const message = `${d.message} [${what}, helm ${via}${p.note ? `; ${p.note}` : ''}${fromFile}${p.landing === 'kind' || p.landing === 'chart' ? `; at ${rpath.join('.') || 'the document'} of ${src.source}` : ''}]`;
      const text = p.file === file ? templateText : readText(p.file, opts.overrides);
      const { data: _data, relatedInformation: _rel, ...rest } = d;
      const diagnostic: Diagnostic = { ...rest, message, range: { start: { line: p.line, character: p.col }, end: { line: p.line, character: Math.max(p.col, p.endCol ?? lineEnd(text, p.line)) } } };
      // a change the API server refuses: the rendered StatefulSet travels with it, for Resize Storage… / Re-create…
      if (d.code === 'forbidden-update' && value) diagnostic.data = { helm: renderedManifest(value, namespace, release, analysisEnv) };
      add({ file: p.file, diagnostic, landing: p.landing, rendered: { line: d.range.start.line, path: rpath, source: src.source } });
    }
  }
}

