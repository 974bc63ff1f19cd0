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
import { runsOf, runsOfUnchecked } from '../engine/diagnostic';

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
 * What was last published for a document, per document of the file: the runs (engine/diagnostic.ts
 * runsOf), the findings in order (a copy of the list, which is the caller's), where each run starts in
 * it, and the body: every run's segment one after the other, with `bytesAt[k]` where run k's starts.
 * The next publish of the same file copies the bytes of the runs it shares at both ends in two pieces and
 * encodes only the runs in between: a keystroke costs its document, not one lookup per document.
 */
interface Published {
  runs: readonly (readonly unknown[])[];
  findings: readonly unknown[];
  at: Int32Array;
  body: Buffer;
  length: number;
  bytesAt: Int32Array;
  /** The body before this one: written into for the next publish (two buffers per file, not one per keystroke). */
  spare: Buffer | undefined;
}
const publishedBy = new Map<string, Published>();

/** `buf`, if it can hold `length` bytes and is not far too big; else a new buffer (outside the heap). */
function room(buf: Buffer | undefined, length: number): Buffer {
  return buf && buf.length >= length && buf.length <= length * 2 + 1024 ? buf : Buffer.allocUnsafeSlow(Math.ceil(length * 1.25) + 64);
}

/**
 * The body of a publish of `list`, made of `runs`: from what was published last for the file where the
 * runs at both ends are the same arrays and the list holds their findings at their places; else anew.
 * Undefined when the list is not made of the runs (then each finding is encoded by itself).
 */
function bodyOf(uri: string, list: readonly unknown[], runs: readonly (readonly unknown[])[]): Buffer | undefined {
  const last = publishedBy.get(uri);
  const m = runs.length;
  if (last) {
    const n = last.runs.length;
    let head = 0;
    while (head < n && head < m && last.runs[head] === runs[head]) head++;
    let tail = 0;
    while (tail < n - head && tail < m - head && last.runs[n - 1 - tail] === runs[m - 1 - tail]) tail++;
    // the list: the same findings as last time at both ends, the runs' in between
    const from = last.at[head];
    const lastTo = last.at[n - tail];
    let midCount = 0;
    for (let k = head; k < m - tail; k++) midCount += runs[k].length;
    const to = from + midCount;
    let same = list.length === from + midCount + (last.findings.length - lastTo);
    for (let i = 0; same && i < from; i++) same = list[i] === last.findings[i];
    for (let k = head, i = from; same && k < m - tail; k++) for (const d of runs[k]) if (list[i++] !== d) (same = false);
    for (let i = to, j = lastTo; same && i < list.length; i++, j++) same = list[i] === last.findings[j];
    if (same) {
      const segments: Buffer[] = [];
      let midBytes = 0;
      for (let k = head; k < m - tail; k++) {
        const b = segmentOf(runs[k]);
        segments.push(b);
        midBytes += b.length;
      }
      const bytesFrom = last.bytesAt[head];
      const bytesTo = last.bytesAt[n - tail];
      const length = bytesFrom + midBytes + (last.length - bytesTo);
      const body = room(last.spare, length);
      let w = last.body.copy(body, 0, 0, bytesFrom);
      const at = new Int32Array(m + 1);
      const bytesAt = new Int32Array(m + 1);
      at.set(last.at.subarray(0, head + 1));
      bytesAt.set(last.bytesAt.subarray(0, head + 1));
      for (let k = head, i = from; k < m - tail; k++) {
        at[k] = i;
        bytesAt[k] = w;
        i += runs[k].length;
        w += segments[k - head].copy(body, w);
      }
      last.body.copy(body, w, bytesTo, last.length);
      for (let k = m - tail; k <= m; k++) {
        at[k] = last.at[k - m + n] + to - lastTo;
        bytesAt[k] = last.bytesAt[k - m + n] + w - bytesTo;
      }
      keep(uri, { runs: runs.slice(), findings: list.slice(), at, body, length, bytesAt, spare: last.body });
      return body.subarray(0, length);
    }
  }
  // anew: the list must be exactly the runs' findings
  if (!runsOf(list)) return undefined;
  const segments = runs.map(segmentOf);
  let length = 0;
  for (const b of segments) length += b.length;
  const body = room(last?.spare, length);
  const at = new Int32Array(m + 1);
  const bytesAt = new Int32Array(m + 1);
  let w = 0;
  let i = 0;
  for (let k = 0; k < m; k++) {
    at[k] = i;
    bytesAt[k] = w;
    i += runs[k].length;
    w += segments[k].copy(body, w);
  }
  at[m] = i;
  bytesAt[m] = w;
  keep(uri, { runs: runs.slice(), findings: list.slice(), at, body, length, bytesAt, spare: last?.body });
  return body.subarray(0, length);
}

/** What a file's publish was made of, for the next one (nothing for a file without findings: a closed one's last publish). */
function keep(uri: string, p: Published): void {
  if (p.length) publishedBy.set(uri, p);
  else publishedBy.delete(uri);
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
    const body = runs && bodyOf(uri, diagnostics, runs);
    if (body) {
      // (the body ends with a comma)
      if (body.length) parts.push(body.subarray(0, body.length - 1));
    } else {
      publishedBy.delete(uri);
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
