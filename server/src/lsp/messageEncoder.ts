// The JSON encoder of the messages the server writes on a stream transport (stdio, socket, pipe).
// `textDocument/publishDiagnostics` carries every finding of a file each time (the protocol has no
// partial update), and at 200 StatefulSets that is ~0.5 MB of JSON per keystroke: stringifying and
// UTF-8 encoding it was the largest single cost of an edit. The analysis hands over the same
// Diagnostic objects while a document's findings are unchanged (engine/analyzer.ts), so each one is
// encoded once and its bytes reused: a publish costs the changed findings plus a copy of the rest.
// Diagnostics are never mutated once published (a changed finding is a new object).
import type { ContentTypeEncoder, Message } from 'vscode-languageserver/node';

const encoded = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}}');

function bytesOf(d: unknown): Buffer {
  if (d === null || typeof d !== 'object') return Buffer.from(JSON.stringify(d) ?? 'null', 'utf8');
  let b = encoded.get(d);
  if (!b) encoded.set(d, (b = Buffer.from(JSON.stringify(d), 'utf8')));
  return b;
}

/** Do two findings say the same (the same JSON)? Identity first; else their (cached) bytes. */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || bytesOf(a).equals(bytesOf(b));
}

/**
 * The buffer publishes are encoded into. It is safe to reuse because `StreamMessageWriter` encodes a
 * message only after the last one was handed to the stream (its write semaphore); a publish bigger
 * than SCRATCH_MAX gets a buffer of its own (a huge file's findings are not kept alive).
 */
let scratch = Buffer.allocUnsafe(0);
const SCRATCH_MAX = 4 * 1024 * 1024;

/**
 * The UTF-8 JSON of a message, equal to `JSON.stringify(msg)`. The bytes of a publish are valid until
 * the next call (see `scratch`): for StreamMessageWriter, which writes them before encoding another.
 */
export function encodeMessage(msg: Message): Buffer {
  const m = msg as Message & { method?: unknown; params?: unknown };
  const params = m.params as { diagnostics?: unknown } | undefined;
  if (m.method === 'textDocument/publishDiagnostics' && params && typeof params === 'object' && Array.isArray(params.diagnostics)) {
    const { diagnostics, ...rest } = params as { diagnostics: unknown[] };
    const head = JSON.stringify({ jsonrpc: m.jsonrpc, method: m.method, params: rest });
    // head is {"jsonrpc":…,"method":…,"params":{…}}: the diagnostics go in before its last two braces
    const parts: Buffer[] = [Buffer.from(`${head.slice(0, -2)}${head.endsWith('{}}') ? '' : ','}"diagnostics":[`, 'utf8')];
    let total = parts[0].length + CLOSE.length;
    diagnostics.forEach((d, i) => {
      if (i) parts.push(COMMA);
      const b = bytesOf(d);
      parts.push(b);
      total += b.length + (i ? 1 : 0);
    });
    parts.push(CLOSE);
    // one buffer for every publish, not a new ~0.5 MB one per keystroke: buffers live outside V8's heap,
    // and dead ones piled up to tens of MB before a collection freed them
    let out: Buffer;
    if (total <= SCRATCH_MAX) {
      if (scratch.length < total) scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(total, 2 * scratch.length, 64 * 1024)));
      out = scratch.subarray(0, total);
    } else out = Buffer.allocUnsafe(total);
    let at = 0;
    for (const p of parts) at += p.copy(out, at);
    return out;
  }
  return Buffer.from(JSON.stringify(msg), 'utf8');
}

/** For `StreamMessageWriter`'s `contentTypeEncoder` option. */
export const messageEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (msg) => Promise.resolve(encodeMessage(msg)),
};
