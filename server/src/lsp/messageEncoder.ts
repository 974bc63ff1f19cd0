// The JSON encoder of the messages the server writes on a stream transport (stdio, socket, pipe).
// `textDocument/publishDiagnostics` carries every finding of a file each time (the protocol has no
// partial update), and at 200 StatefulSets that is ~0.5 MB of JSON per keystroke. The analysis hands
// over the same per-document lists of findings while a document's findings are unchanged, and records
// which lists a file's list was assembled from (engine/analyzer.ts, engine/diagnostic.ts runsOf). The
// encoder keeps, per file, the body of its last publish and where each document's findings lie in it:
// the next publish copies the bytes of the documents it shares at both ends in two pieces and encodes
// only the documents in between, so a keystroke costs its document, not one step per document. A list
// that does not hold exactly its lists' findings (changed after it was made) is encoded finding by finding.
// Diagnostics are never mutated once published (a changed finding is a new object).
import type { Message } from 'vscode-languageserver/node';
import { runsOfUnchecked } from '../engine/diagnostic';
import { spliceOffsets, spliceRuns, type Runs } from '../engine/runs';

const encoded = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}}');

function bytesOf(d: unknown): Buffer {
  if (d === null || typeof d !== 'object') return Buffer.from(JSON.stringify(d) ?? 'null', 'utf8');
  let b = encoded.get(d);
  if (!b) encoded.set(d, (b = Buffer.from(JSON.stringify(d), 'utf8')));
  return b;
}

/** The JSON of a run of findings without its brackets, and a comma after it ("a,b,c,"); nothing for an empty run. */
function segmentOf(run: readonly unknown[]): Buffer {
  return run.length ? Buffer.from(`${JSON.stringify(run).slice(1, -1)},`, 'utf8') : EMPTY;
}
const EMPTY = Buffer.alloc(0);

/**
 * What was last published for a file, per document of it: the runs (engine/diagnostic.ts runsOf), the
 * findings in order with where each run's start (a copy of the list, which is the caller's), and the
 * body: every run's segment one after the other, `bytesAt[k]` where run k's starts. The next publish of
 * the file copies the bytes of the runs it shares at both ends in two pieces and encodes only the runs
 * in between: a keystroke costs its document, not one lookup per document.
 */
interface Published {
  runs: readonly (readonly unknown[])[];
  findings: Runs<unknown>;
  body: Buffer;
  bytesAt: Int32Array;
  /** The body before this one: written into for the next publish (two buffers per file, not one per keystroke). */
  spare: Buffer | undefined;
}
const publishedBy = new Map<string, Published>();
/** Nothing published yet. */
const NOTHING: Published = { runs: [], findings: { items: [], at: new Int32Array(1) }, body: EMPTY, bytesAt: new Int32Array(1), spare: undefined };

/** `buf`, if it can hold `length` bytes and is not far too big; else a new buffer (outside the heap). */
export function reusable(buf: Buffer | undefined, length: number): Buffer {
  return buf && buf.length >= length && buf.length <= length * 2 + 1024 ? buf : Buffer.allocUnsafeSlow(Math.ceil(length * 1.25) + 64);
}

/**
 * The body of a publish of `list`, made of `runs`: what was published last for the file with the runs
 * between the same arrays at both ends encoded anew, if the list holds exactly those findings; else all
 * runs encoded anew, if the list holds exactly theirs. Undefined when it does not (then each finding is
 * encoded by itself).
 */
function bodyOf(uri: string, list: readonly unknown[], runs: readonly (readonly unknown[])[]): Buffer | undefined {
  const last = publishedBy.get(uri) ?? NOTHING;
  const n = last.runs.length;
  const m = runs.length;
  let head = 0;
  while (head < n && head < m && last.runs[head] === runs[head]) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && last.runs[n - 1 - tail] === runs[m - 1 - tail]) tail++;
  const made = spliced(last, head, tail, list, runs) ?? (head + tail ? spliced(last, 0, 0, list, runs) : undefined);
  if (!made?.bytesAt[m]) publishedBy.delete(uri);
  else publishedBy.set(uri, made);
  return made?.body.subarray(0, made.bytesAt[m]);
}

/** `last` with the runs [head, n − tail) replaced by `runs`' own, if the list then holds exactly its findings. */
function spliced(last: Published, head: number, tail: number, list: readonly unknown[], runs: readonly (readonly unknown[])[]): Published | undefined {
  const n = last.runs.length;
  const m = runs.length;
  const mid = runs.slice(head, m - tail);
  const findings = spliceRuns(last.findings, head, tail, mid);
  if (findings.items.length !== list.length) return undefined;
  for (let i = 0; i < list.length; i++) if (findings.items[i] !== list[i]) return undefined;
  const segments = mid.map(segmentOf);
  const bytesAt = spliceOffsets(last.bytesAt, head, tail, segments.map((b) => b.length));
  const body = reusable(last.spare, bytesAt[m]);
  last.body.copy(body, 0, 0, last.bytesAt[head]);
  let w = bytesAt[head];
  for (const b of segments) w += b.copy(body, w);
  last.body.copy(body, w, last.bytesAt[n - tail], last.bytesAt[n]);
  return { runs: runs.slice(), findings, body, bytesAt, spare: last.body };
}

/** Do two findings say the same (the same JSON)? Identity first; else their (cached) bytes. */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || bytesOf(a).equals(bytesOf(b));
}

/** The UTF-8 JSON of a message, equal to `JSON.stringify(msg)`. */
export function encodeMessage(msg: Message): Buffer {
  const parts = messageParts(msg);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** The UTF-8 JSON of a message in pieces, to be written one after the other (the writer copies them into its own buffer). */
export function messageParts(msg: Message): Buffer[] {
  const m = msg as Message & { method?: unknown; params?: unknown };
  const params = m.params as { diagnostics?: unknown } | undefined;
  if (m.method === 'textDocument/publishDiagnostics' && params && typeof params === 'object' && Array.isArray(params.diagnostics)) {
    const { diagnostics, ...rest } = params as { diagnostics: unknown[] };
    const head = JSON.stringify({ jsonrpc: m.jsonrpc, method: m.method, params: rest });
    // head is {"jsonrpc":…,"method":…,"params":{…}}: the diagnostics go in before its last two braces
    const parts: Buffer[] = [Buffer.from(`${head.slice(0, -2)}${head.endsWith('{}}') ? '' : ','}"diagnostics":[`, 'utf8')];
    // a document's findings as one piece while its list is the same (runsOf), else each finding's own
    const uri = typeof (rest as { uri?: unknown }).uri === 'string' ? (rest as { uri: string }).uri : '';
    const runs = runsOfUnchecked(diagnostics);
    if (!runs) publishedBy.delete(uri);
    const body = runs && bodyOf(uri, diagnostics, runs);
    if (body) {
      // (the body ends with a comma)
      if (body.length) parts.push(body.subarray(0, body.length - 1));
    } else {
      diagnostics.forEach((d, i) => {
        if (i) parts.push(COMMA);
        parts.push(bytesOf(d));
      });
    }
    parts.push(CLOSE);
    return parts;
  }
  return [Buffer.from(JSON.stringify(msg), 'utf8')];
}
