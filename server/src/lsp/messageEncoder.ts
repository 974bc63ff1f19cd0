// The JSON encoder of the messages the server writes on a stream transport (stdio, socket, pipe).
// `textDocument/publishDiagnostics` carries every finding of a file each time (the protocol has no
// partial update), and at 200 StatefulSets that is ~0.5 MB of JSON per keystroke: stringifying and
// UTF-8 encoding it was the largest single cost of an edit. The analysis hands over the same
// Diagnostic objects while a document's findings are unchanged (engine/analyzer.ts), so each one is
// encoded once and its bytes reused: a publish costs the changed findings plus a copy of the rest.
// Diagnostics are never mutated once published (a changed finding is a new object). A list assembled
// from per-document lists (engine/diagnostic.ts, runsOf) is encoded per document: one cached run of
// bytes for each document's findings, so a keystroke looks up the documents, not each finding.
import type { Message } from 'vscode-languageserver/node';
import { runsOf } from '../engine/diagnostic';

const encoded = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}}');

function bytesOf(d: unknown): Buffer {
  if (d === null || typeof d !== 'object') return Buffer.from(JSON.stringify(d) ?? 'null', 'utf8');
  let b = encoded.get(d);
  if (!b) encoded.set(d, (b = Buffer.from(JSON.stringify(d), 'utf8')));
  return b;
}

const encodedRuns = new WeakMap<readonly unknown[], Buffer>();

/**
 * The JSON of a run of findings without its brackets ("a,b,c"), made once per run. (Not from the findings'
 * own cached bytes: those would be kept as long as the findings, beside the run's.)
 */
function bytesOfRun(run: readonly unknown[]): Buffer {
  let b = encodedRuns.get(run);
  if (!b) {
    const json = JSON.stringify(run);
    encodedRuns.set(run, (b = Buffer.from(json.slice(1, -1), 'utf8')));
  }
  return b;
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
    const runs = runsOf(diagnostics);
    const pieces = runs ? runs.filter((r) => r.length).map(bytesOfRun) : diagnostics.map(bytesOf);
    pieces.forEach((b, i) => {
      if (i) parts.push(COMMA);
      parts.push(b);
    });
    parts.push(CLOSE);
    return parts;
  }
  return [Buffer.from(JSON.stringify(msg), 'utf8')];
}
