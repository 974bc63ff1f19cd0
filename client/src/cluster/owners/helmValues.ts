// Helm-managed: which values key sets a StatefulSet field, read from the release itself — the release Secret
// holds the chart's templates and values, so the answer needs no chart in the workspace. The StatefulSet
// template is read as the language server reads charts (server/src/sources/helm/template.ts: by indentation,
// `{{ … }}` masked): the line that writes the field (or a parent of it through `toYaml .Values.x`) and the
// values paths it reads. Plain functions over the decoded release, and one read of the latest release Secret.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, isMap, parse, parseDocument, type Node } from 'yaml';
import { parseTemplate, type Ref } from '../../../../server/src/sources/helm/template';
import { redactValues } from './open';
export { latestHelmRelease } from './open';

export type HelmRelease = Record<string, any>;

export interface ValuesKey {
  /** the field asked about, as given ("spec.replicas") */
  field: string;
  /** the values keys the template line reads, each with the rest of the field below it ("persistence.size") */
  keys: string[];
  /** the template file and 1-based line, and the line as written */
  template: string;
  line: number;
  text: string;
  /** the line prints exactly one value (`key: {{ .Values.x }}`, quoting and defaults allowed) */
  exact: boolean;
  /** each key's chart default (values.yaml) and the release's own value (-f / --set), when set */
  values: Array<{ key: string; chartDefault?: unknown; release?: unknown }>;
  /** the line of the workspace's values file that sets the (first) key, when the chart is in the workspace */
  at?: { file: string; line: number };
}

/** "spec.template.spec.containers[0].image" → its keys, list indices left out. */
function keysOf(field: string): string[] {
  return field
    .replace(/\[[^\]]*\]/g, '')
    .split('.')
    .filter(Boolean);
}

function get(o: unknown, key: string): unknown {
  let cur = o;
  for (const k of key.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

interface Line {
  line: number;
  path: string[];
  refs: string[];
  /** the refs come from `toYaml`/`include` on this line or the next one: they write keys below the path */
  below: boolean;
  text: string;
  exact: boolean;
}

/** A values reference as a dotted key (a `range` element has no key of its own). */
function valuesKey(r: Ref): string | undefined {
  return r.path.every((s) => typeof s === 'string') ? r.path.join('.') : undefined;
}

/**
 * Each key line of a template document with its key path (sequence items left out) and the values it reads,
 * from the chart reader of the language server (server/src/sources/helm/template.ts).
 */
function templateLines(text: string): Array<{ kind?: string; lines: Line[] }> {
  const src = text.split('\n');
  return parseTemplate(text).docs.map((doc) => ({
    kind: doc.kind,
    lines: doc.entries
      .filter((e) => typeof e.path[e.path.length - 1] === 'string')
      .map((e) => {
        const value = e.value ?? '';
        let refs = e.yamlOf ? [e.yamlOf] : e.refs;
        let below = e.yamlOf !== undefined || /\b(toYaml|include|tpl)\b/.test(value);
        // `key:` then `{{- toYaml .Values.x | nindent N }}` on the next line: x writes the keys below key
        const hook = value ? undefined : doc.hooks.find((h) => h.yamlOf && h.line > e.line && h.parent.length === e.path.length && h.parent.every((s, i) => s === e.path[i]));
        if (hook?.yamlOf) {
          refs = [hook.yamlOf];
          below = true;
        }
        const keys = refs.map(valuesKey).filter((k): k is string => k !== undefined);
        const exact = !below && keys.length === 1 && /^["']?\{\{-?\s*\$?\.Values\.[A-Za-z0-9_.]+(\s*\|\s*(quote|int|int64|default\s+\S+|toString))*\s*-?\}\}["']?$/.test(value);
        return { line: e.line + 1, path: e.path.filter((s): s is string => typeof s === 'string'), refs: keys, below, text: (src[e.line] ?? '').trim(), exact };
      }),
  }));
}

/** For each field: the template line of the StatefulSet that writes it and the values keys it reads (none found: left out). */
export function valuesKeysFor(release: HelmRelease, fields: string[]): ValuesKey[] {
  const templates: Array<{ name: string; data: string }> = release.chart?.templates ?? [];
  // each template decoded and read once, whatever the number of fields
  const lines = templates.map((t) => ({ name: t.name, docs: templateLines(Buffer.from(t.data ?? '', 'base64').toString('utf8')).filter((d) => d.kind === 'StatefulSet') }));
  const out: ValuesKey[] = [];
  for (const field of fields) {
    const want = keysOf(field);
    let best: ValuesKey | undefined;
    for (const t of lines) {
      for (const doc of t.docs) {
        for (const l of doc.lines) {
          if (!l.refs.length) continue;
          const same = l.path.length === want.length && l.path.every((k, i) => k === want[i]);
          const parent = l.below && l.path.length < want.length && l.path.every((k, i) => k === want[i]);
          if (!same && !parent) continue;
          const rest = parent ? want.slice(l.path.length).join('.') : '';
          const keys = l.refs.map((r) => (rest ? `${r}.${rest}` : r));
          const found: ValuesKey = {
            field,
            keys,
            template: t.name,
            line: l.line,
            text: l.text,
            exact: same && l.exact,
            values: keys.map((key) => ({ key, chartDefault: get(release.chart?.values, key), release: get(release.config, key) })),
          };
          if (!best || (same && !best.exact)) best = found;
        }
      }
    }
    if (best) out.push(best);
  }
  return out;
}

function show(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** A value as said: "***" under a key that looks like a credential (never shown, never logged). */
function shown(key: string, v: unknown): string {
  return show(redactValues(v, key.split('.').pop()));
}

/** "values key `replicaCount` (templates/statefulset.yaml line 10: `replicas: {{ .Values.replicaCount }}`; chart default 1)" */
export function valuesKeyWhere(k: ValuesKey): string {
  const now = k.values.map((v) => (v.release !== undefined ? `${v.key}: ${shown(v.key, v.release)} in this release's values` : v.chartDefault !== undefined ? `${v.key}: chart default ${shown(v.key, v.chartDefault)}` : `${v.key}: not set`)).join(', ');
  return `values key${k.keys.length > 1 ? 's' : ''} ${k.keys.map((x) => `\`${x}\``).join(' and ')} (${k.at ? `${k.at.file} line ${k.at.line}; ` : ''}${k.template} line ${k.line}: \`${k.text}\`; ${now})`;
}

/** How to keep a change through the next upgrade: "set values key `replicaCount` (…) to 2 and upgrade the release (`helm upgrade sessions <chart> --reuse-values --set replicaCount=2`)". */
export function valuesKeyKeep(releaseName: string, k: ValuesKey, newValue?: unknown): string {
  const scalar = newValue !== undefined && (typeof newValue !== 'object' || newValue === null);
  if (k.exact && scalar) return `set ${valuesKeyWhere(k)} to ${shown(k.keys[0], newValue)} and upgrade the release (\`helm upgrade ${releaseName} <chart> --reuse-values --set ${k.keys[0]}=${shown(k.keys[0], newValue)}\`)`;
  return `change ${valuesKeyWhere(k)} for ${k.field}${scalar ? ` = ${shown(k.keys[0], newValue)}` : ''} and upgrade the release`;
}

/** Chart folders under `roots` (three levels deep at most; node_modules and dot folders skipped) whose Chart.yaml is named `chart`. */
export function workspaceCharts(roots: readonly string[], chart: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    const file = path.join(dir, 'Chart.yaml');
    if (fs.existsSync(file)) {
      try {
        if ((parse(fs.readFileSync(file, 'utf8')) as { name?: string } | null)?.name === chart) out.push(dir);
      } catch {
        // a broken Chart.yaml is not this chart
      }
    }
    if (depth === 0) return;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) if (d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules') visit(path.join(dir, d.name), depth - 1);
  };
  for (const r of roots) visit(r, 3);
  return out;
}

/** The 1-based line of `key` ("a.b.c") in a YAML file (undefined: not set there). */
function keyLine(file: string, key: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node: Node | null | undefined = doc.contents as Node | null;
  let offset: number | undefined;
  for (const seg of key.split('.')) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
    if (!pair) return undefined;
    offset = (pair.key as Node).range?.[0];
    node = pair.value as Node | null;
  }
  return offset === undefined ? undefined : lc.linePos(offset).line;
}

/**
 * Where the workspace sets each key: the chart folder's values.yaml, then the values files the release is
 * rendered with (later files win, as `helm -f` does). `label`: how the chart folder is named in messages.
 */
export function locateValues(keys: ValuesKey[], chartDir: string, label: string, valuesFiles: readonly string[] = []): ValuesKey[] {
  return keys.map((k) => {
    let at: ValuesKey['at'];
    for (const f of ['values.yaml', ...valuesFiles]) {
      const line = keyLine(path.resolve(chartDir, f), k.keys[0]);
      if (line !== undefined) at = { file: `${label ? `${label}/` : ''}${f}`, line };
    }
    return at ? { ...k, at } : k;
  });
}
