// Shared by the fuzz tests: run counts and seed from the environment, the corpus of real manifests,
// fast-check mutations of them, range checks, and the report (test-results/fuzz.json).
//
//   FUZZ_RUNS   engine cases (default 200); the LSP and CLI runs scale with it (default 50 and 20)
//   FUZZ_SEED   fast-check seed (default fixed, so `npm test` is reproducible; `npm run fuzz` picks one)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { statefulSetFile } from '../../bench/generate';

export const ROOT = path.join(__dirname, '..', '..');
export const DEFAULT_SEED = 20261121;
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED;
export const RUNS = process.env.FUZZ_RUNS ? Math.max(1, Number(process.env.FUZZ_RUNS)) : 200;
/** LSP edits and CLI runs, relative to the engine cases (200 → 50 edits, 20 CLI runs). */
export const LSP_EDITS = Math.max(10, Math.round(RUNS / 4));
export const CLI_RUNS = Math.max(5, Math.round(RUNS / 10));
/** A long run (`npm run fuzz`): also the inputs too slow for every `npm test` (50 MB of nesting). */
export const LONG = RUNS >= 1000;
/**
 * The timeout of a whole fuzz test: a guard against a hang, not a speed gate (each call has its own
 * bound). 10 minutes per 5,000 cases, at least 10 minutes: FUZZ_RUNS=100000 runs for over an hour.
 */
export const HANG = { timeout: 10 * 60_000 * Math.max(1, RUNS / 5000) };
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);

/** A hang guard, not a speed gate: 10 s per 100 KiB, never less than 10 s. Catches runaway (super-linear) work
 *  while staying green on a loaded 2-core machine (a 35 KB flow nesting took 2.2 s with 18 runnable processes);
 *  the speed figures live in `npm run bench` and `npm run fuzz`'s summary. */
export function boundMs(bytes: number): number {
  return Math.max(10_000, (bytes / (100 * 1024)) * 10_000);
}

// ---------------------------------------------------------------- corpus

const REAL = path.join(ROOT, 'test', 'fixtures', 'real-world');
export const realWorld: Array<{ name: string; text: string }> = fs
  .readdirSync(REAL)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(REAL, f), 'utf8') }));

/** The manifests mutations start from: each real-world file, all of them in one stream, and generated files. */
export const corpus: Array<{ name: string; text: string }> = [
  ...realWorld,
  { name: 'all-real-world.yaml', text: realWorld.map((r) => r.text.replace(/\n*$/, '\n')).join('---\n') },
  { name: 'generated-5.yaml', text: statefulSetFile(5) },
  { name: 'generated-20.yaml', text: statefulSetFile(20) },
];

// ---------------------------------------------------------------- mutations

/** Positions are fractions of the text (0 ≤ at < 1), so one mutation fits any text and shrinks well. */
const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const SCALARS = [
  '', '~', 'null', 'true', 'yes', 'no', 'on', 'off', 'Y', '0', '-1', '3', '"3"', "'3'", '3.0', '1e400', '-.inf', '.nan', '0x1F', '0o17',
  '017', '1_000', '2147483648', '9007199254740993', '1Gi', '1 Gi', '500m', '-500m', 'Always', 'OrderedReady', 'Parallel', 'None',
  '{}', '[]', '{a: 1}', '[1, 2', '{', ']', '|', '>-', '|2-', '&a', '*a', '*undefined', '!!binary aGk=', '!!int "x"', '!foo bar', '? x',
  '"unterminated', "'unterminated", '"\\u0000\\x"', '- x', ': x', '#', '%YAML 1.2', '@', '`', '{{ .Values.x }}', 'a: b: c',
  '😀', 'ü', '\u202e', '\uffff', '\ud800', 'x'.repeat(3000), '2026-11-21T22:00:00Z', '=', '<<', '<<: *a',
];

const INSERTS = [
  '\t', '\r', '\r\n', '\n', '\0', '\u00a0', '\ufeff', '\u2028', '\u0085', '---', '\n---\n', '\n...\n', '--- ', '---\n---', '&x ', '*x', '<<: *x\n',
  '[', ']', '{', '}', '"', "'", ':', ': ', '- ', '? ', '|', '>', '#', '!', '%', '@', '`', ',', '{{', '}}', '\\', '\x1b[0m', '😀', '\ud83d',
];

export type Mutation =
  | { op: 'deleteLines'; at: number; count: number }
  | { op: 'indent'; at: number; delta: number }
  | { op: 'swapIndent'; a: number; b: number }
  | { op: 'truncate'; at: number }
  | { op: 'scalar'; at: number; value: string }
  | { op: 'duplicateLines'; at: number; count: number; to: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'tabs'; at: number; count: number }
  | { op: 'marker'; at: number; marker: string }
  | { op: 'anchor'; at: number; to: number; name: string; merge: boolean }
  | { op: 'crlf' };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('deleteLines' as const), at: frac, count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('indent' as const), at: frac, delta: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ op: fc.constant('swapIndent' as const), a: frac, b: frac }),
  fc.record({ op: fc.constant('truncate' as const), at: frac }),
  fc.record({ op: fc.constant('scalar' as const), at: frac, value: fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 })) }),
  fc.record({ op: fc.constant('duplicateLines' as const), at: frac, count: fc.integer({ min: 1, max: 10 }), to: frac }),
  fc.record({
    op: fc.constant('insert' as const),
    at: frac,
    text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ unit: 'binary', maxLength: 16 }), fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 32 })),
  }),
  fc.record({ op: fc.constant('tabs' as const), at: frac, count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('marker' as const), at: frac, marker: fc.constantFrom('---', '---\n', '...', '--- |', '--- !!map', '--- &a', '---\t#', '--- {}', '--- - x') }),
  fc.record({ op: fc.constant('anchor' as const), at: frac, to: frac, name: fc.constantFrom('a', 'x', 'base', 'a b', ''), merge: fc.boolean() }),
  fc.record({ op: fc.constant('crlf' as const) }),
);

function lineAt(lines: string[], at: number): number {
  return Math.min(lines.length - 1, Math.floor(at * lines.length));
}

/** Applies one mutation; never throws. */
export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.op) {
    case 'deleteLines':
      lines.splice(lineAt(lines, m.at), m.count);
      return lines.join('\n');
    case 'indent': {
      const i = lineAt(lines, m.at);
      const l = lines[i];
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + l : l.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return lines.join('\n');
    }
    case 'swapIndent': {
      const a = lineAt(lines, m.a);
      const b = lineAt(lines, m.b);
      const ia = /^\s*/.exec(lines[a])![0];
      const ib = /^\s*/.exec(lines[b])![0];
      lines[a] = ib + lines[a].slice(ia.length);
      lines[b] = ia + lines[b].slice(ib.length);
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, Math.floor(m.at * text.length));
    case 'scalar': {
      // the value of a `key: value` line at or after the chosen line (else the line itself)
      const start = lineAt(lines, m.at);
      for (let k = 0; k < lines.length; k++) {
        const i = (start + k) % lines.length;
        const r = /^(\s*(?:- )?[^\s:#][^:#]*:)(?:\s.*)?$/.exec(lines[i]);
        if (r) {
          lines[i] = `${r[1]} ${m.value}`;
          return lines.join('\n');
        }
      }
      lines[start] = m.value;
      return lines.join('\n');
    }
    case 'duplicateLines': {
      // the same lines again right below (duplicate keys) or somewhere else
      const i = lineAt(lines, m.at);
      const block = lines.slice(i, i + m.count);
      const to = m.to < 0.5 ? i + block.length : lineAt(lines, m.to);
      lines.splice(to, 0, ...block);
      return lines.join('\n');
    }
    case 'insert': {
      const i = Math.floor(m.at * (text.length + 1));
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'tabs': {
      const i = lineAt(lines, m.at);
      lines[i] = lines[i].replace(/^ +/, '\t'.repeat(m.count));
      return lines.join('\n');
    }
    case 'marker': {
      // at the start of a line (a new document), or in the middle of one
      const i = Math.floor(m.at * (text.length + 1));
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      const at = m.at < 0.7 ? lineStart : i;
      return text.slice(0, at) + m.marker + (m.marker.endsWith('\n') ? '' : '\n') + text.slice(at);
    }
    case 'anchor': {
      // an anchor on one value, an alias (or a merge key) on another line
      const a = lineAt(lines, m.at);
      const b = lineAt(lines, m.to);
      lines[a] = lines[a].replace(/:(\s|$)/, `: &${m.name}$1`);
      const indent = /^\s*(?:- )?/.exec(lines[b])![0].replace('-', ' ');
      if (m.merge) lines.splice(b + 1, 0, `${indent}<<: *${m.name}`);
      else lines[b] = lines[b].replace(/:\s.*$/, `: *${m.name}`);
      return lines.join('\n');
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
  }
}

/** A manifest of the corpus and the mutations to apply (the text is `mutantText(m)`: counterexamples stay short). */
export const mutantArb = fc.record({ base: fc.constantFrom(...corpus.map((c) => c.name)), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }) });

export function mutantText(m: { base: string; mutations: Mutation[] }): string {
  return m.mutations.reduce(mutate, corpus.find((c) => c.name === m.base)!.text);
}

// ---------------------------------------------------------------- special inputs

/** Billion laughs: 10 levels of 10 aliases each (10^10 strings if anything expanded them), in a StatefulSet. */
export function aliasBomb(): string {
  let s = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: lol\n  labels: &l0\n    app: lol\n';
  const levels: string[] = ['x: &a0 "lol"'];
  for (let i = 1; i <= 10; i++) levels.push(`x${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  s += `  annotations:\n${levels.map((l) => `    ${l}`).join('\n')}\n`;
  s += 'spec:\n  serviceName: lol\n  replicas: 3\n  selector:\n    matchLabels: *l0\n  template:\n    metadata:\n      labels: *l0\n';
  s += '    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n        args: *a10\n        env: *a10\n';
  s += '      volumes: &v [*a10, *a10, *a10, *a10, *a10, *a10, *a10, *a10, *a10, *a10]\n      initContainers: *v\n';
  return s;
}

/**
 * `depth` levels of block mappings (one key per level, each `step` spaces deeper). Indentation grows
 * with depth, so 10,000 levels at one space are 50 MB: a document too large to parse as you type.
 */
export function deepBlock(depth: number, step: number): string {
  const parts: string[] = ['apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: deep\nspec:\n  template:\n'];
  for (let i = 0; i < depth; i++) parts.push(`${' '.repeat(4 + step * i)}k${i}:\n`);
  return parts.join('') + `${' '.repeat(4 + step * depth)}leaf: 1\n`;
}

/** `depth` levels of block sequences (`- - - …` on one line is a sequence in a sequence). */
export function deepBlockSeq(depth: number): string {
  return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: deep\nspec:\n  volumeClaimTemplates:\n  ${'- '.repeat(depth)}x\n`;
}

/** `depth` levels of flow collections, alternating sequences and mappings. */
export function deepFlow(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (i % 2) {
      open += '{k: ';
      close = `}${close}`;
    } else {
      open += '[';
      close = `]${close}`;
    }
  }
  return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: deep\nspec:\n  template: ${open}1${close}\n`;
}

/** Random bytes from a small deterministic generator, as a latin-1 string (and as a Buffer for files). */
export function randomBytes(n: number, seed = SEED): Buffer {
  let s = seed >>> 0 || 1;
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    b[i] = s & 0xff;
  }
  return b;
}

/** About `bytes` of realistic StatefulSets and Services (each document small, so all are checked). */
export function bigFile(bytes: number): string {
  const one = statefulSetFile(10);
  const docs: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const d = one.replace(/db-(\d+)/g, (_, n) => `db-${i}-${n}`);
    docs.push(d);
    size += d.length + 4;
  }
  return docs.join('---\n');
}

// ---------------------------------------------------------------- checks

export interface Pos {
  line: number;
  character: number;
}
export interface Rng {
  start: Pos;
  end: Pos;
}

/**
 * Line lengths as an LSP client counts them, and the engine too (\n, \r\n and a lone \r all end a line).
 * The \r of a CRLF line break counts as a column: a YAML error at a line break covers it (`\r` … `\n`),
 * one column past the line's text, which LSP clients clamp to the end of the line ("defaults back to
 * the line length").
 */
export function lspLineLengths(text: string): number[] {
  const parts = text.split(/(\r\n|\r|\n)/);
  const out: number[] = [];
  for (let i = 0; i < parts.length; i += 2) out.push(parts[i].length + (parts[i + 1] === '\r\n' ? 1 : 0));
  return out;
}

/** Why `r` is not a range inside a text with these line lengths, or undefined if it is. */
export function badRange(r: Rng | undefined, lens: number[]): string | undefined {
  if (!r || !r.start || !r.end) return 'no range';
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `not a position: ${JSON.stringify(p)}`;
    if (p.line >= lens.length) return `line ${p.line} past the last line ${lens.length - 1}`;
    if (p.character > lens[p.line]) return `character ${p.character} past the end of line ${p.line} (${lens[p.line]})`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `end before start: ${JSON.stringify(r)}`;
  return undefined;
}

/** Applies non-overlapping text edits (as LSP ranges: \n, \r\n and a lone \r end a line) to a text. */
export function applyEdits(text: string, edits: Array<{ range: Rng; newText: string }>): string {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index! + m[0].length);
  const off = (p: Pos) => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

// ---------------------------------------------------------------- report

export interface Slowest {
  label: string;
  bytes: number;
  ms: number;
  msPerKiB: number;
}

/** Keeps the slowest input seen (by absolute time) and totals for ms/KiB. */
export class Timing {
  slowest: Slowest | undefined;
  worstPerKiB: Slowest | undefined;
  count = 0;
  totalMs = 0;
  totalBytes = 0;
  add(label: string, bytes: number, ms: number): void {
    this.count++;
    this.totalMs += ms;
    this.totalBytes += bytes;
    const s = { label, bytes, ms: round(ms), msPerKiB: round(ms / Math.max(bytes / 1024, 1)) };
    if (!this.slowest || ms > this.slowest.ms) this.slowest = s;
    if (bytes >= 1024 && (!this.worstPerKiB || s.msPerKiB > this.worstPerKiB.msPerKiB)) this.worstPerKiB = s;
  }
  summary() {
    return {
      inputs: this.count,
      totalKiB: round(this.totalBytes / 1024),
      meanMsPerKiB: round(this.totalMs / Math.max(this.totalBytes / 1024, 1)),
      slowest: this.slowest,
      worstMsPerKiB: this.worstPerKiB,
    };
  }
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const RESULTS = path.join(ROOT, 'test-results');
const PARTS = path.join(RESULTS, 'fuzz-parts');

/**
 * Writes one test file's section of the report and merges every section into test-results/fuzz.json
 * (each test file runs in its own process). Also prints the section.
 */
export function report(part: string, data: Record<string, unknown>): void {
  const section = { seed: SEED, runs: RUNS, finishedAt: new Date().toISOString(), ...data };
  fs.mkdirSync(PARTS, { recursive: true });
  fs.writeFileSync(path.join(PARTS, `${part}.json`), JSON.stringify(section, null, 2) + '\n');
  const merged: Record<string, unknown> = { seed: SEED, runs: RUNS, machine: machine() };
  for (const f of fs.readdirSync(PARTS).sort()) {
    if (!f.endsWith('.json')) continue;
    try {
      const s = JSON.parse(fs.readFileSync(path.join(PARTS, f), 'utf8')) as { seed?: number };
      if (s.seed === SEED) merged[f.replace(/\.json$/, '')] = s; // only this run's sections
    } catch {
      /* a section being written by another process: the last writer merges it */
    }
  }
  const tmp = path.join(RESULTS, `fuzz.json.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(merged, null, 2) + '\n');
  fs.renameSync(tmp, path.join(RESULTS, 'fuzz.json'));
  console.log(`fuzz report [${part}] (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}):\n${JSON.stringify(section, null, 2)}`);
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'cpu'} ×${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()}`;
}

/** Saves an input for replay (test-results/fuzz-inputs/NAME). */
export function saveInput(name: string, text: string): string {
  const dir = path.join(RESULTS, 'fuzz-inputs');
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return path.relative(ROOT, p);
}
