// What `helm template` prints: rendered documents, each after a `# Source: CHART/templates/x.yaml` comment, and
// its errors on stderr, read into places (a template file, a line, a column) where the chart's author can act.

/** Where a rendered document came from, and where it is in the rendered text. */
export interface RenderedSource {
  /** The path helm prints: CHART/templates/x.yaml or CHART/charts/SUB/templates/x.yaml. */
  source: string;
  /** 0-based line of the document's first line (its `---` or `# Source` line) in the whole output. */
  startLine: number;
  /** Line count of the document. */
  lineCount: number;
  /** Which document of that source this is (a template may render several), from 0. */
  index: number;
  /** The document's kind, and which document of that source and kind this is (helm orders output by kind). */
  kind?: string;
  kindIndex: number;
}

const SOURCE = /^# Source: (.+?)\s*$/;

/** The documents of helm's output with their sources, in order. */
export function renderedSources(output: string): RenderedSource[] {
  const lines = output.split('\n');
  const out: RenderedSource[] = [];
  const seen = new Map<string, number>();
  let docStart = 0;
  for (let i = 0; i < lines.length; i++) {
    if (/^---(\s|$)/.test(lines[i])) docStart = i;
    const m = SOURCE.exec(lines[i]);
    if (!m) continue;
    const index = seen.get(m[1]) ?? 0;
    seen.set(m[1], index + 1);
    const last = out[out.length - 1];
    if (last) last.lineCount = docStart - last.startLine;
    out.push({ source: m[1], startLine: docStart, lineCount: lines.length - docStart, index, kindIndex: 0 });
  }
  const kinds = new Map<string, number>();
  for (const s of out) {
    for (let i = s.startLine; i < s.startLine + s.lineCount; i++) {
      const k = /^kind:\s*["']?([A-Za-z0-9]+)/.exec(lines[i]);
      if (k) {
        s.kind = k[1];
        break;
      }
    }
    const key = `${s.source}\0${s.kind ?? ''}`;
    s.kindIndex = kinds.get(key) ?? 0;
    kinds.set(key, s.kindIndex + 1);
  }
  return out;
}

/** The source of the document holding a 0-based line of the output. */
export function sourceAtLine(sources: readonly RenderedSource[], line: number): RenderedSource | undefined {
  let found: RenderedSource | undefined;
  for (const s of sources) if (s.startLine <= line) found = s;
  return found;
}

/** One of helm's errors, with the place it names (a path as helm prints it: CHART/templates/x.yaml). */
export interface HelmError {
  kind: 'parse' | 'execution' | 'yaml' | 'dependency' | 'schema' | 'chart' | 'other';
  message: string;
  source?: string;
  /** 1-based, in the template file (parse, execution) or in the template's rendered output (yaml). */
  line?: number;
  column?: number;
  /** A missing dependency's name. */
  dependency?: string;
  /** values.schema.json refused a value: the chart whose schema it is, and the value's path. */
  chart?: string;
  valuesPath?: string[];
}

/** helm's stderr, read: the `Error:` line(s) into places. */
export function parseHelmErrors(stderr: string): HelmError[] {
  const text = stderr
    .split('\n')
    .filter((l) => !/^level=|^walk\.go|^install\.go|^Use --debug flag/.test(l))
    .join('\n')
    .trim();
  const errorLine = /(?:^|\n)Error: ([\s\S]*)$/.exec(text)?.[1]?.trim() ?? text;
  if (!errorLine) return [];
  let m: RegExpExecArray | null;
  if ((m = /parse error at \(([^):]+):(\d+)\): (.*)/.exec(errorLine))) return [{ kind: 'parse', source: m[1], line: Number(m[2]), message: `template syntax: ${m[3]}` }];
  // helm v4: `execution error at (CHART/templates/x.yaml:25:24): MSG`; helm v3: `template: CHART/templates/x.yaml:9:22: executing "…" at <…>: MSG`
  if ((m = /execution error at \(([^):]+):(\d+):(\d+)\): ([\s\S]*)/.exec(errorLine))) return [{ kind: 'execution', source: m[1], line: Number(m[2]), column: Number(m[3]), message: m[4].trim() }];
  if ((m = /template: ([^:\s]+):(\d+):(\d+): (executing [\s\S]*)/.exec(errorLine))) return [{ kind: 'execution', source: m[1], line: Number(m[2]), column: Number(m[3]), message: m[4].trim() }];
  if ((m = /template: ([^:\s]+):(\d+): ([\s\S]*)/.exec(errorLine))) return [{ kind: 'parse', source: m[1], line: Number(m[2]), message: `template syntax: ${m[3].trim()}` }];
  if ((m = /YAML parse error on ([^:\s]+): (?:error converting YAML to JSON: )?(?:yaml: )?(?:line (\d+): )?([\s\S]*)/.exec(errorLine))) {
    return [{ kind: 'yaml', source: m[1], line: m[2] ? Number(m[2]) : undefined, message: `the rendered YAML does not parse: ${m[3].trim()}` }];
  }
  if ((m = /missing in charts\/ directory: (.+)$/m.exec(errorLine))) {
    return m[1].split(/,\s*/).map((dep) => ({
      kind: 'dependency' as const,
      dependency: dep.trim(),
      message: `the dependency "${dep.trim()}" is in Chart.yaml but not in charts/: run \`helm dependency build\` to fetch it (it needs the chart's repository)`,
    }));
  }
  if (/values don't meet the specifications of the schema/.test(errorLine)) {
    // helm v4: `- at '/storage/size': MSG`; helm v3: `- storage.size: MSG`; each under its chart's `NAME:` line
    const out: HelmError[] = [];
    let chart: string | undefined;
    for (const line of errorLine.split('\n').slice(1)) {
      const c = /^([A-Za-z0-9_.-]+):\s*$/.exec(line);
      if (c) {
        chart = c[1];
        continue;
      }
      const v4 = /^-\s+at '([^']*)':\s*(.*)$/.exec(line);
      const v3 = v4 ? undefined : /^-\s+(\(root\)|[^:\s]+):\s*(.*)$/.exec(line);
      const m2 = v4 ?? v3;
      if (!m2) continue;
      const p = v4 ? m2[1].split('/').filter(Boolean).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~')) : m2[1] === '(root)' ? [] : m2[1].split('.');
      out.push({ kind: 'schema', chart, valuesPath: p, message: `values.schema.json${chart ? ` of ${chart}` : ''}: ${p.length ? `${p.join('.')}: ` : ''}${m2[2]}` });
    }
    if (out.length) return out;
  }
  if (/Chart\.yaml|chart metadata|validation: chart/i.test(errorLine)) return [{ kind: 'chart', message: errorLine }];
  return [{ kind: 'other', message: errorLine }];
}
