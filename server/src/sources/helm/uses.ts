// Which rendered fields a values key feeds: the template lines that read it (`.Values.a.b`, `.b` inside a
// `with`/`range`, `toYaml .Values.a | nindent`), in the chart and its subcharts, with the key path each line
// writes and the rendered objects of that template. For hover and go to definition in values files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTemplate, type Seg } from './template';
import { renderedSources } from './output';

export interface ValueUse {
  /** The template file and the 0-based line that reads the value. */
  file: string;
  line: number;
  col: number;
  /** The key path the line writes in its document (sequence items: the template's own index). */
  field: Seg[];
  /** The line prints the value itself (else it reads a part or a parent of it). */
  exact: boolean;
  /** The values path the line reads. */
  via: Seg[];
  /** The objects that template rendered (`StatefulSet rel-db`), when a rendered output is given. */
  objects: Array<{ kind?: string; name?: string }>;
  /** The kind the template's document writes (its `kind:` line). */
  kind?: string;
}

function templateFiles(chartDir: string): Array<{ file: string; chain: string[] }> {
  const out: Array<{ file: string; chain: string[] }> = [];
  const visit = (dir: string, chain: string[], depth: number) => {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(dir, 'templates'));
    } catch {
      names = [];
    }
    const walk = (d: string, level: number) => {
      let entries: string[];
      try {
        entries = fs.readdirSync(d).sort();
      } catch {
        return;
      }
      for (const n of entries) {
        const p = path.join(d, n);
        const st = fs.statSync(p, { throwIfNoEntry: false });
        if (st?.isDirectory() && level < 5) walk(p, level + 1);
        else if (st?.isFile() && /\.(ya?ml|tpl)$/.test(n)) out.push({ file: p, chain });
      }
    };
    if (names.length) walk(path.join(dir, 'templates'), 0);
    if (depth > 4) return;
    let subs: string[];
    try {
      subs = fs.readdirSync(path.join(dir, 'charts')).sort();
    } catch {
      return;
    }
    for (const s of subs) {
      const p = path.join(dir, 'charts', s);
      if (fs.existsSync(path.join(p, 'Chart.yaml'))) visit(p, [...chain, chartNameOf(p) ?? s], depth + 1);
    }
  };
  visit(chartDir, [], 0);
  return out;
}

function chartNameOf(dir: string): string | undefined {
  try {
    return /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** The subchart chain a values file belongs to (CHART/values.yaml: []; CHART/charts/SUB/values.yaml: [SUB]). */
function chainOfFile(chartDir: string, file: string): string[] {
  const parts = path.relative(chartDir, path.dirname(file)).split(path.sep).filter(Boolean);
  const chain: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] === 'charts') chain.push(chartNameOf(path.join(chartDir, ...parts.slice(0, i + 2))) ?? parts[i + 1]);
  return chain;
}

/** Segments that match: equal keys, or two list positions (a `range` element stands for any). */
const sameSeg = (a: Seg, b: Seg) => a === b || (typeof a === 'number' && typeof b === 'number');

/**
 * The template lines that read the values key at `key` of `valuesFile` (a values file of the chart, or a file given
 * with -f: the chart's own values). `overrides`: unsaved texts. `rendered`: the chart's last rendered output.
 */
export function valueUses(chartDir: string, valuesFile: string, key: Seg[], rendered?: string, overrides?: ReadonlyMap<string, string>): ValueUse[] {
  const inChart = !path.relative(chartDir, valuesFile).startsWith('..');
  const fileChain = inChart ? chainOfFile(chartDir, valuesFile) : [];
  const sources = rendered ? renderedSources(rendered) : [];
  const renderedLines = rendered?.split('\n') ?? [];
  const out: ValueUse[] = [];
  for (const { file, chain } of templateFiles(chartDir)) {
    // a template of the chain below this file's chart: its .Values.x is this file's [...rest of chain, x]
    if (fileChain.some((c, i) => chain[i] !== c)) continue;
    const prefix = chain.slice(fileChain.length);
    let text: string | undefined = overrides?.get(file);
    if (text === undefined) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
    }
    const t = parseTemplate(text);
    const rel = path.relative(chartDir, file).split(path.sep).join('/');
    const objects = sources
      .filter((s) => s.source.endsWith(`/${rel}`) && s.source.split('/').length === rel.split('/').length + 1)
      .map((s) => {
        const doc = renderedLines.slice(s.startLine, s.startLine + s.lineCount).join('\n');
        return { kind: s.kind, name: /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*["']?([^"'\s]+)/m.exec(doc)?.[1] };
      });
    for (const doc of t.docs) {
      for (const e of doc.entries) {
        const refs = [...e.refs, ...(e.yamlOf ? [e.yamlOf] : [])].map((r) => [...prefix, ...r.path]);
        for (const r of refs) {
          // the line reads this key, a part of it, or the whole of something that holds it
          const n = Math.min(r.length, key.length);
          if (n === 0 || !r.slice(0, n).every((s, i) => sameSeg(s, key[i]))) continue;
          if (r.length < key.length && !(e.yamlOf && refs.length === 1)) continue;
          out.push({ file, line: e.line, col: e.col, field: r.length < key.length ? [...e.path, ...key.slice(r.length)] : e.path, exact: r.length === key.length, via: r, objects: objects.filter((o) => !doc.kind || o.kind === doc.kind), kind: doc.kind });
          break;
        }
      }
      for (const h of doc.hooks) {
        if (!h.yamlOf) continue;
        const r = [...prefix, ...h.yamlOf.path];
        const n = Math.min(r.length, key.length);
        if (n === 0 || !r.slice(0, n).every((s, i) => sameSeg(s, key[i]))) continue;
        out.push({ file, line: h.line, col: h.col, field: [...h.parent, ...key.slice(r.length)], exact: r.length === key.length, via: r, objects: objects.filter((o) => !doc.kind || o.kind === doc.kind), kind: doc.kind });
      }
    }
  }
  return out;
}

/** A key path as text: `spec.volumeClaimTemplates[0].spec.resources.requests.storage`. */
export function showField(p: readonly Seg[]): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s < 0 ? '*' : s}]` : `${i ? '.' : ''}${s}`)).join('');
}
