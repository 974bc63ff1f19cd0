// Helm charts in the editor: a file inside a chart (templates, _helpers.tpl, values*.yaml, Chart.yaml) gets the
// findings of the chart rendered with the real `helm template`, published on the chart's own files. Rendered on
// open and after a typing pause (the unsaved texts of the chart's open files go into a temporary copy); a newer
// edit cancels the render running for that chart, one render at a time per chart, renders kept by content. A change
// of the live objects or settings cancels nothing (helm's output does not depend on them): the chart is checked
// again once the running render ends, so a cluster that changes faster than helm renders cannot starve it.
// Only when the client says the workspace is trusted (`statefulsetStudio/helm` { trusted, path }, or
// initializationOptions.helm); helm's path comes only from there (the client reads the machine-scoped setting),
// never from the workspace's settings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CompletionItemKind, MessageType, ShowMessageNotification, type CompletionItem, type Connection, type Hover, type Location } from 'vscode-languageserver';
import type { Diagnostic } from '../engine/diagnostic';
import type { RuleSettings } from '../engine/analyzer';
import type { RuleEnvironment } from '../rules/framework';
import type { TargetVersion } from '../schema/versions';
import { chartRootOf, checkChart, RenderCache, type ChartResult } from '../sources/helm/chart';
import { showField, valueUses } from '../sources/helm/uses';
import { cursorContext } from '../engine/yamlPath';
import { fieldMarkdown } from '../engine/fieldDocs';
import { fieldAt, kindsNamed, rootField } from '../schema';

export const HELM_NOTIFICATION = 'statefulsetStudio/helm';

/** What the client says: is the workspace trusted, and which helm to run (the user's machine-scoped setting). */
export interface HelmAccess {
  trusted?: boolean;
  path?: string;
}

/** Per chart (folder relative to a workspace folder, or absolute): release, namespace, values files and --set. */
export interface ChartSetting {
  release?: string;
  namespace?: string;
  values?: string[];
  set?: string[];
}

/** The `statefulsetStudio.helm` settings section (its `path` is ignored: a workspace may not choose a program). */
export interface HelmSettings {
  enabled?: boolean;
  releaseName?: string;
  namespace?: string;
  charts?: Record<string, ChartSetting>;
  /** Milliseconds of typing pause before a render. */
  delay?: number;
}

interface Host {
  connection: Connection;
  /** The open documents: text and version by URI. */
  text(uri: string): { text: string; version: number } | undefined;
  openUris(): string[];
  /** Publish an open document again (its own findings are merged with the chart's by merge()). */
  republish(uri: string): void;
  settings(): RuleSettings;
  target(): TargetVersion;
  env(): RuleEnvironment;
  folders(): string[];
}

interface ChartState {
  /** the running render's (one at a time per chart): set while it runs */
  controller?: AbortController;
  /** asked for while one was running: render again when it ends */
  again?: boolean;
  timer?: NodeJS.Timeout;
  /** Files that got findings from the last render (to clear them when they have none). */
  files: Set<string>;
  last?: ChartResult;
}

const TEMPLATE_INFO = 'template';

export class HelmCharts {
  private access: HelmAccess = {};
  private config: HelmSettings = {};
  private charts = new Map<string, ChartState>();
  /** Findings per file path from the renders. */
  private byFile = new Map<string, Diagnostic[]>();
  private cache = new RenderCache();
  private missingSaid = new Set<string>();
  private justOpened = new Set<string>();
  /** Renders started (for tests and the log). */
  renders = 0;

  constructor(private readonly host: Host) {}

  setAccess(a: HelmAccess | undefined): void {
    const before = this.enabled();
    this.access = { trusted: a?.trusted === true, path: typeof a?.path === 'string' && a.path ? a.path : undefined };
    if (this.enabled()) this.renderOpenCharts(0);
    else if (before) this.clearAll();
  }

  configure(s: HelmSettings | undefined): void {
    this.config = s && typeof s === 'object' ? s : {};
    if (this.enabled()) this.renderOpenCharts(0);
    else this.clearAll();
  }

  private enabled(): boolean {
    return this.access.trusted === true && this.config.enabled !== false;
  }

  /** Is this file one of the chart's values files (values*.yaml in the chart or a subchart, or a configured one)? */
  isValuesFile(chart: string, file: string): boolean {
    const rel = path.relative(chart, file);
    return /^(charts[/\\][^/\\]+[/\\])*values[^/\\]*\.ya?ml$/.test(rel) || this.valuesFilesOf(chart).includes(file);
  }

  /** The chart's last rendered output, if it rendered. */
  lastRendered(chart: string): string | undefined {
    return this.charts.get(chart)?.last?.rendered || undefined;
  }

  /** Per file, the chart folder it sits in: found on disk once, not on every keystroke (see filesChanged). */
  private readonly roots = new Map<string, string | undefined>();

  /** Files changed on disk: a Chart.yaml made, moved or removed changes which chart a file belongs to. */
  filesChanged(uris: readonly string[]): void {
    if (uris.some((u) => /(^|[/\\])Chart\.yaml$/.test(u))) this.roots.clear();
  }

  /** The chart folder of a document URI, if it is a file inside one. */
  chartOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    if (!this.roots.has(file)) this.roots.set(file, chartRootOf(file));
    const root = this.roots.get(file);
    if (!root) return undefined;
    const rel = path.relative(root, file);
    // templates, values files, Chart.yaml, and a subchart's
    const inChart = /(^|[/\\])templates[/\\]/.test(rel) || /^(charts[/\\][^/\\]+[/\\])*(values[^/\\]*\.ya?ml|Chart\.yaml)$/.test(rel) || this.valuesFilesOf(root).includes(file);
    return inChart ? root : undefined;
  }

  /** Called on open and on each change of a document: renders its chart after the pause (0: at once). */
  touched(uri: string, opened: boolean): void {
    // (the open is followed by a content change of the same text: no second, later render)
    if (opened) this.justOpened.add(uri);
    else if (this.justOpened.delete(uri)) return;
    if (!this.enabled()) return;
    const chart = this.chartOf(uri);
    if (chart) this.schedule(chart, opened ? 0 : (this.config.delay ?? 600));
  }

  /** The document's own findings with the chart's findings for it (the template notice dropped once rendered). */
  merge(uri: string, own: Diagnostic[]): Diagnostic[] {
    if (!uri.startsWith('file:')) return own;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return own;
    }
    const chart = this.byFile.get(file);
    if (!chart) return own;
    return [...own.filter((d) => d.code !== TEMPLATE_INFO), ...chart];
  }

  closed(uri: string): void {
    // a closed file's chart findings stay in Problems (the chart still renders them); its unsaved text is gone: render again
    const chart = this.chartOf(uri);
    if (chart && this.enabled()) this.schedule(chart, 0);
  }

  /** A file changed on disk (not through an open editor): its chart renders again after the pause, if it was rendered. */
  changedOnDisk(uri: string): void {
    if (!this.enabled()) return;
    const chart = this.chartOf(uri);
    if (chart && this.charts.has(chart)) this.schedule(chart, this.config.delay ?? 600);
  }

  /** The live objects changed: check the open charts again, after any running render (helm is not re-run for the same content). */
  refresh(): void {
    if (this.enabled()) this.renderOpenCharts(0, false);
  }

  private renderOpenCharts(delay: number, cancelRunning = true): void {
    const charts = new Set<string>();
    for (const uri of this.host.openUris()) {
      const c = this.chartOf(uri);
      if (c) charts.add(c);
    }
    for (const c of charts) this.schedule(c, delay, cancelRunning);
  }

  private clearAll(): void {
    for (const [chart, st] of this.charts) {
      clearTimeout(st.timer);
      st.controller?.abort();
      this.apply(chart, st, new Map());
    }
    this.charts.clear();
  }

  private settingFor(chart: string): ChartSetting {
    const all = this.config.charts ?? {};
    for (const [k, v] of Object.entries(all)) {
      for (const base of [...this.host.folders().filter((f) => f.startsWith('file:')).map((f) => fileURLToPath(f)), '/']) {
        if (path.resolve(base, k) === chart) return v && typeof v === 'object' ? v : {};
      }
    }
    return {};
  }

  private valuesFilesOf(chart: string): string[] {
    const s = this.settingFor(chart);
    return (Array.isArray(s.values) ? s.values : []).filter((v) => typeof v === 'string').map((v) => path.resolve(chart, v));
  }

  /** Renders the chart after `delay` ms; `cancelRunning`: a newer text makes the running render useless (an edit). */
  private schedule(chart: string, delay: number, cancelRunning = true): void {
    let st = this.charts.get(chart);
    if (!st) this.charts.set(chart, (st = { files: new Set() }));
    clearTimeout(st.timer);
    if (cancelRunning) st.controller?.abort();
    st.timer = setTimeout(() => void this.run(chart, st!), delay);
  }

  private async run(chart: string, st: ChartState): Promise<void> {
    st.timer = undefined;
    // one render at a time per chart: the running one (finishing, if cancelled) renders again when it ends
    if (st.controller) {
      st.again = true;
      return;
    }
    const overrides = new Map<string, string>();
    for (const uri of this.host.openUris()) {
      if (this.chartOf(uri) !== chart) continue;
      const open = this.host.text(uri);
      const file = fileURLToPath(uri);
      if (!open) continue;
      let disk: string | undefined;
      try {
        disk = fs.readFileSync(file, 'utf8');
      } catch {
        disk = undefined;
      }
      if (open.text !== disk) overrides.set(file, open.text);
    }
    const s = this.settingFor(chart);
    const helm = this.access.path ?? 'helm';
    const controller = new AbortController();
    st.controller = controller;
    st.again = false;
    this.renders++;
    try {
      const r = await checkChart({
        helm,
        chartDir: chart,
        release: typeof s.release === 'string' ? s.release : this.config.releaseName || undefined,
        namespace: typeof s.namespace === 'string' ? s.namespace : this.config.namespace || undefined,
        values: this.valuesFilesOf(chart),
        set: (Array.isArray(s.set) ? s.set : []).filter((x) => typeof x === 'string'),
        overrides,
        signal: controller.signal,
        renderCache: this.cache,
        analysis: { env: this.host.env(), settings: this.host.settings(), kubernetesVersion: this.host.target() },
      });
      if (r.cancelled || controller.signal.aborted) return;
      if (r.helmMissing) {
        if (!this.missingSaid.has(helm)) {
          this.missingSaid.add(helm);
          // a notification (not a request): nothing waits for an answer
          void this.host.connection.sendNotification(ShowMessageNotification.type, {
            type: MessageType.Warning,
            message: `StatefulSet Studio: helm was not found (${helm}), so Helm charts are not rendered and checked. Install helm (https://helm.sh/docs/intro/install/) and, if it is not on PATH, set statefulsetStudio.helm.path in your user settings. Template files keep their basic checks.`,
          });
        }
        this.apply(chart, st, new Map());
        return;
      }
      this.host.connection.console.info(`helm: ${path.basename(chart)} rendered in ${Math.round(r.helmMs)} ms (${r.findings.length} findings, ${Math.round(r.totalMs)} ms in all)`);
      st.last = r;
      this.apply(chart, st, r.files);
    } catch (e) {
      this.host.connection.console.error(`helm: checking ${chart} failed: ${(e as Error).stack ?? e}`);
    } finally {
      st.controller = undefined;
      // asked for while this one ran, and no newer timer will do it: once more (the cache answers for unchanged content)
      if (st.again && !st.timer && this.charts.get(chart) === st) void this.run(chart, st);
    }
  }

  /** Publishes a chart's findings per file: open files merged with their own, other files on their own. */
  private apply(chart: string, st: ChartState, files: Map<string, Diagnostic[]>): void {
    const touched = new Set([...st.files, ...files.keys()]);
    for (const f of st.files) if (!files.has(f)) this.byFile.delete(f);
    for (const [f, d] of files) this.byFile.set(f, d);
    // a rendered chart: every open file of it drops the template notice, even with no finding of its own
    if (files.size || st.last) for (const uri of this.host.openUris()) if (this.chartOf(uri) === chart) {
      const f = fileURLToPath(uri);
      if (!this.byFile.has(f) && st.last && !st.last.helmMissing) this.byFile.set(f, []);
      touched.add(f);
    }
    st.files = new Set(files.keys());
    // open documents by their file (the client's URI spelling, which may encode differently from ours)
    const open = new Map<string, string>();
    for (const uri of this.host.openUris()) {
      if (!uri.startsWith('file:')) continue;
      try {
        open.set(fileURLToPath(uri), uri);
      } catch {
        // not a path
      }
    }
    for (const f of touched) {
      const uri = open.get(f);
      if (uri) this.host.republish(uri);
      else void this.host.connection.sendDiagnostics({ uri: pathToFileURL(f).toString(), diagnostics: this.byFile.get(f) ?? [] });
    }
  }
}

/** Hover and go to definition on a chart's values keys: which rendered fields a key feeds, and the template lines that read it. */
export class HelmValuesFeatures {
  constructor(
    private readonly charts: HelmCharts,
    private readonly host: Pick<Host, 'text' | 'openUris'>,
  ) {}

  private at(uri: string, pos: { line: number; character: number }) {
    const chart = this.charts.chartOf(uri);
    if (!chart) return undefined;
    const file = fileURLToPath(uri);
    if (!this.charts.isValuesFile(chart, file)) return undefined;
    const open = this.host.text(uri);
    if (!open) return undefined;
    const ctx = cursorContext(open.text.split(/\r?\n/), pos.line, pos.character);
    if (!ctx.keyPath || ctx.inValue) return undefined;
    const overrides = new Map<string, string>();
    for (const u of this.host.openUris()) {
      if (!u.startsWith('file:') || this.charts.chartOf(u) !== chart) continue;
      const t = this.host.text(u);
      if (t) overrides.set(fileURLToPath(u), t.text);
    }
    const key = ctx.keyPath;
    return { chart, file, key, uses: valueUses(chart, file, key, this.charts.lastRendered(chart), overrides) };
  }

  hover(uri: string, pos: { line: number; character: number }): Hover | null {
    const a = this.at(uri, pos);
    if (!a) return null;
    const schema = valuesSchema(a.chart, a.file);
    const sdoc = schema && schemaAt(schema.root, a.key);
    const stype = sdoc && (Array.isArray(sdoc.type) ? sdoc.type.join(' | ') : sdoc.type);
    const fromSchema = sdoc && (sdoc.description || stype) ? `values.schema.json: ${stype ? `\`${stype}\`` : ''}${sdoc.description ? ` — ${sdoc.description}` : ''}` : undefined;
    if (a.uses.length === 0) return fromSchema ? { contents: { kind: 'markdown', value: `**Helm value** \`${showField(a.key)}\`\n\n${fromSchema}` } } : null;
    const lines: string[] = [`**Helm value** \`${showField(a.key)}\` feeds:`];
    if (fromSchema) lines.unshift(`**Helm value** \`${showField(a.key)}\` · ${fromSchema}`, '');
    if (fromSchema) lines[2] = 'It feeds:';
    let doc: string | undefined;
    for (const u of a.uses.slice(0, 12)) {
      const where = `[${path.relative(a.chart, u.file)}:${u.line + 1}](${pathToFileURL(u.file).toString()}#L${u.line + 1})`;
      const of = u.objects.length ? ` of ${u.objects.map((o) => `${o.kind ?? u.kind ?? 'object'} \`${o.name ?? '?'}\``).join(', ')}` : u.kind ? ` of a ${u.kind}` : '';
      lines.push(`- \`${showField(u.field)}\`${of}${u.exact ? '' : ` (reads \`${showField(u.via)}\`)`} — ${where}`);
      if (!doc && u.kind) {
        const entry = kindsNamed(u.kind)[0];
        const field = entry && fieldAt(rootField(entry), u.field);
        const name = u.field[u.field.length - 1];
        if (field && typeof name === 'string') doc = fieldMarkdown({ name, field });
      }
    }
    if (a.uses.length > 12) lines.push(`- … and ${a.uses.length - 12} more`);
    return { contents: { kind: 'markdown', value: lines.join('\n') + (doc ? `\n\n---\n\n${doc}` : '') } };
  }

  definition(uri: string, pos: { line: number; character: number }): Location[] {
    const a = this.at(uri, pos);
    if (!a) return [];
    return a.uses.map((u) => ({ uri: pathToFileURL(u.file).toString(), range: { start: { line: u.line, character: u.col }, end: { line: u.line, character: u.col } } }));
  }
}

type JsonSchema = { type?: string | string[]; description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[]; default?: unknown; $ref?: string; definitions?: Record<string, JsonSchema>; $defs?: Record<string, JsonSchema> };

/** The chart's values.schema.json (the chart of a values file: a subchart's own, or the top chart's). */
function valuesSchema(chart: string, file: string): { root: JsonSchema; prefix: string[] } | undefined {
  // a values file inside charts/SUB/ is SUB's; any other values file is the top chart's
  const rel = path.relative(chart, path.dirname(file)).split(path.sep).filter(Boolean);
  const dir = rel.length >= 2 && rel[0] === 'charts' ? path.join(chart, ...rel) : chart;
  try {
    return { root: JSON.parse(fs.readFileSync(path.join(dir, 'values.schema.json'), 'utf8')) as JsonSchema, prefix: [] };
  } catch {
    return undefined;
  }
}

function resolveRef(root: JsonSchema, s: JsonSchema | undefined): JsonSchema | undefined {
  for (let i = 0; s?.$ref && i < 10; i++) {
    const m = /^#\/(definitions|\$defs)\/(.+)$/.exec(s.$ref);
    s = m ? (m[1] === 'definitions' ? root.definitions : root.$defs)?.[m[2]] : undefined;
  }
  return s;
}

/** The schema of a values path (list positions: the items' schema). */
export function schemaAt(root: JsonSchema, p: readonly (string | number)[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = resolveRef(root, root);
  for (const seg of p) {
    if (!s) return undefined;
    s = resolveRef(root, typeof seg === 'number' ? s.items : s.properties?.[seg]);
  }
  return s;
}

/** Key completion in a values file from the chart's values.schema.json: the properties of the mapping at the cursor. */
export function valuesCompletion(charts: HelmCharts, uri: string, text: string, pos: { line: number; character: number }): CompletionItem[] | undefined {
  const chart = charts.chartOf(uri);
  if (!chart) return undefined;
  const file = fileURLToPath(uri);
  if (!charts.isValuesFile(chart, file)) return undefined;
  const schema = valuesSchema(chart, file);
  if (!schema) return undefined;
  const ctx = cursorContext(text.split(/\r?\n/), pos.line, pos.character);
  if (ctx.inValue) {
    const s = ctx.keyPath && schemaAt(schema.root, ctx.keyPath);
    return (s?.enum ?? (s?.type === 'boolean' ? [true, false] : [])).map((v) => ({ label: String(v), kind: CompletionItemKind.Value, documentation: s?.description }));
  }
  const s = schemaAt(schema.root, ctx.path);
  if (!s?.properties) return undefined;
  return Object.entries(s.properties)
    .filter(([k]) => !ctx.siblings.has(k))
    .map(([k, v]) => {
      const t = resolveRef(schema.root, v);
      const type = Array.isArray(t?.type) ? t?.type.join(' | ') : t?.type;
      return { label: k, kind: CompletionItemKind.Property, detail: `${type ?? 'value'} · values.schema.json`, documentation: t?.description ? { kind: 'markdown' as const, value: t.description } : undefined, insertText: `${k}: ` };
    });
}
