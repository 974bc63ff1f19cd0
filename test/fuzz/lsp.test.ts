// Fuzzing the language server over stdio (the built dist/server.js): a stream of random edits to an
// open document, interleaved with completion, hover and codeAction requests. The server answers every
// request (no error responses, nothing logged as failed), stays alive, and once the stream ends it
// publishes for the final text exactly what the engine finds in it, at valid positions.
// Plus a 10 MB file: completion and hover still answer while it is open (times measured, not gated).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startClient, type TestClient } from '../lsp/lspClient';
import { analyzeText } from '../../server/src/engine/analyzer';
import { editorSettings } from '../../server/src/lsp/editorSeverities';
import {
  HANG, badRange, bigFile, corpus, LONG, LSP_EDITS, lspLineLengths, mutate, mutationArb, report, round, ROOT, saveInput, SEED, type Mutation } from './common';

/** How long one request may take before we call it a hang (a guard, not a speed gate). */
const REQUEST_GUARD_MS = 60_000;

let client: TestClient;
const logged: string[] = [];
const sections: Record<string, unknown> = {};

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0);
  }
  client = await startClient();
  client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1 || /failed/i.test(p.message)) logged.push(p.message);
  });
});

after(async () => {
  await client?.stop();
  report('lsp', sections);
});

function guard<T>(what: string, p: Promise<T>, ms = REQUEST_GUARD_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (server alive: ${client.proc.exitCode === null})`)), ms);
    }),
  ]);
}

async function timedRequest<T>(what: string, method: string, params: unknown): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await guard(what, client.connection.sendRequest(method, params) as Promise<T>);
  return { value, ms: performance.now() - t0 };
}

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  return r === null ? [] : Array.isArray(r) ? r : r.items;
}

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const snippet = fc.oneof(
  fc.constantFrom('', '\n', '  ', '- ', ': ', 'replicas: "3"', 'podManagementPolicy: ', '\t', '\r\n', '---\n', '&a ', '*a', '{{ x }}', '[', '"', '😀', '\u2028', 'rep', '  minReadySeconds: 5\n'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
type Op =
  | { op: 'edit'; at: number; del: number; text: string }
  | { op: 'paste'; at: number; from: number; len: number }
  | { op: 'mutate'; m: Mutation }
  | { op: 'completion' | 'hover' | 'codeAction'; at: number; col: number }
  | { op: 'sync' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('edit' as const), at: frac, del: fc.integer({ min: 0, max: 40 }), text: snippet }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('paste' as const), at: frac, from: frac, len: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('mutate' as const), m: mutationArb }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('completion' as const, 'hover' as const, 'codeAction' as const), at: frac, col: frac }) },
  { weight: 2, arbitrary: fc.constant({ op: 'sync' as const }) },
);

test(`a stream of ${LSP_EDITS} random edits with completion, hover and code actions between them (seed ${SEED})`, HANG, async () => {
  const [start, ops] = fc.sample(fc.tuple(fc.integer({ min: 0, max: corpus.length - 2 }), fc.array(opArb, { minLength: LSP_EDITS * 2, maxLength: LSP_EDITS * 2 })), { seed: SEED, numRuns: 1 })[0];
  const uri = 'file:///fuzz/stream.yaml';
  let doc = TextDocument.create(uri, 'yaml', 1, corpus[start].text);
  let latest: PublishDiagnosticsParams | undefined;
  const seen = new Map<number, PublishDiagnosticsParams>();
  void client.diagnostics(uri, (p) => {
    latest = p;
    if (p.version !== undefined) seen.set(p.version, p);
    return false; // hear them all
  });
  client.open(uri, doc.getText(), 1);
  let edits = 0;
  let requests = 0;
  const times: Record<string, number[]> = { completion: [], hover: [], codeAction: [] };
  let pending: Array<Promise<unknown>> = [];
  const change = (changes: Array<{ range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }>) => {
    const version = doc.version + 1;
    doc = TextDocument.update(doc, changes as Parameters<typeof TextDocument.update>[1], version);
    client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    edits++;
    // a document whittled down to nothing gets a manifest pasted at its end, so edits stay interesting
    if (doc.getText().length < 400) {
      const end = doc.positionAt(doc.getText().length);
      const paste = [{ range: { start: end, end }, text: `\n---\n${corpus[edits % corpus.length].text}` }];
      doc = TextDocument.update(doc, paste, doc.version + 1);
      client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: paste });
    }
  };
  for (const op of ops) {
    if (edits >= LSP_EDITS && op.op !== 'completion' && op.op !== 'hover' && op.op !== 'codeAction') continue;
    const text = doc.getText();
    if (op.op === 'edit') {
      const s = Math.floor(op.at * (text.length + 1));
      change([{ range: { start: doc.positionAt(s), end: doc.positionAt(s + op.del) }, text: op.text }]);
    } else if (op.op === 'paste') {
      const from = Math.floor(op.from * text.length);
      const at = doc.positionAt(Math.floor(op.at * (text.length + 1)));
      change([{ range: { start: at, end: at }, text: text.slice(from, from + op.len) }]);
    } else if (op.op === 'mutate') {
      change([{ text: mutate(text, op.m) }]); // a whole-document change (as a formatter or a paste-all sends)
    } else if (op.op === 'sync') {
      await guard('requests in flight', Promise.all(pending));
      pending = [];
    } else {
      const lens = lspLineLengths(text);
      const line = Math.floor(op.at * lens.length);
      const position = { line, character: Math.floor(op.col * (lens[line] + 1)) };
      const params = { textDocument: { uri }, position };
      const kind = op.op;
      requests++;
      const t0 = performance.now();
      const what = `${kind} at ${line}:${position.character} (version ${doc.version})`;
      let p: Promise<unknown>;
      if (kind === 'completion') {
        p = guard(what, client.connection.sendRequest('textDocument/completion', params) as Promise<CompletionItem[] | CompletionList | null>).then((r) => {
          assert.ok(r === null || Array.isArray(r) || Array.isArray(r.items), `${what}: not a completion result`);
          for (const it of items(r)) assert.ok(typeof it.label === 'string', `${what}: an item without a label`);
        });
      } else if (kind === 'hover') {
        p = guard(what, client.connection.sendRequest('textDocument/hover', params) as Promise<Hover | null>).then((h) => {
          if (h !== null) assert.ok((h.contents as { value: string }).value.length > 0, `${what}: empty hover`);
        });
      } else {
        // the diagnostics the client has now (perhaps of an older version, as a real client sends them)
        const diagnostics: Diagnostic[] = latest?.diagnostics ?? [];
        const range = { start: { line: Math.max(0, line - 3), character: 0 }, end: { line: Math.min(lens.length - 1, line + 3), character: 0 } };
        p = guard(what, client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[] | null>).then((a) => {
          assert.ok(a === null || Array.isArray(a), `${what}: not a list of code actions`);
        });
      }
      pending.push(p.then(() => times[kind].push(performance.now() - t0)));
    }
  }
  await guard('requests in flight', Promise.all(pending));
  const finalVersion = doc.version;
  const published = await guard(
    'diagnostics of the final version',
    (async () => {
      while (!seen.has(finalVersion)) await new Promise((r) => setTimeout(r, 10));
      return seen.get(finalVersion)!;
    })(),
  );
  assert.equal(client.proc.exitCode, null, 'the server is alive');
  assert.deepEqual(logged, [], 'nothing failed inside the server');
  // what the server published for the final text is what the engine finds in it
  const text = doc.getText();
  saveInput('lsp-stream-final.yaml', text);
  const expected = analyzeText(text, { uri, settings: editorSettings(undefined) }).diagnostics; // the editor's severities
  assert.deepEqual(published.diagnostics, JSON.parse(JSON.stringify(expected)), 'the server (after incremental edits) agrees with a fresh analysis');
  // a lone \r (old Mac line endings) ends a line for an LSP client, and for the engine's positions too
  // (the YAML parser reads it as part of a line; positions after one used to be off): counted in the report
  const loneCR = (text.match(/\r(?!\n)/g) ?? []).length;
  const lens = lspLineLengths(text);
  for (const d of published.diagnostics) assert.equal(badRange(d.range, lens), undefined, `[${d.code}] ${d.message}: ${badRange(d.range, lens)}`);
  // and it still answers normally
  const sts = corpus.find((c) => c.name === 'web.yaml')!.text;
  client.change(uri, doc.version + 1, sts);
  const labels = items(await guard('completion after the stream', client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 2 } }) as Promise<CompletionItem[]>)).map((i) => i.label);
  assert.ok(labels.length > 0, 'completion in a StatefulSet spec offers keys');
  const stat = (xs: number[]) => (xs.length ? { n: xs.length, p50: round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]), max: round(Math.max(...xs)) } : { n: 0 });
  sections.stream = {
    startedFrom: corpus[start].name,
    edits,
    requests,
    finalBytes: Buffer.byteLength(text),
    finalDiagnostics: published.diagnostics.length,
    finalLoneCarriageReturns: loneCR,
    msCompletion: stat(times.completion),
    msHover: stat(times.hover),
    msCodeAction: stat(times.codeAction),
  };
});

// 10 MB of StatefulSets (5,700 of them, each checked) take the server some 10 s to check when opened: in
// long runs; `npm test` opens 2 MB of them, and the 10 MB single document.
const MANY_MB = LONG ? 10 : 2;

test(`a ${MANY_MB} MB file of StatefulSets and a 10 MB document: the server stays responsive (completion, hover, code actions answer; times measured)`, HANG, async () => {
  const text = bigFile(MANY_MB * 1024 * 1024);
  const uri = 'file:///fuzz/many-megabytes.yaml';
  const lines = text.split('\n');
  // a line inside a StatefulSet spec half-way through, and a `replicas:` line near the end
  const mid = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('  serviceName: '));
  let replicas = lines.length - 1;
  while (replicas > 0 && !lines[replicas].startsWith('  replicas: ')) replicas--;
  assert.ok(mid > 0 && replicas > 0);
  // bigFile repeats one block of 10 StatefulSets (renamed): its errors, once per block
  const block = text.split('---\n').slice(0, 20).join('---\n');
  const expectedErrors = analyzeText(block, { uri }).diagnostics.filter((d) => d.severity === 1).length * (text.split('\n---\n').length / 20);
  assert.ok(expectedErrors > 0);
  const errors = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.severity === 1).length;
  // the server publishes its first documents' findings at once, then all of them once it has read the file
  const first = client.diagnostics(uri, (p) => p.version === 1);
  const all = client.diagnostics(uri, (p) => p.version === 1 && errors(p) === expectedErrors);
  const t0 = performance.now();
  client.open(uri, text, 1);
  // asked at once: answered between the slices the file is read in
  const early = await timedRequest<CompletionItem[]>('completion right after opening', 'textDocument/completion', { textDocument: { uri }, position: { line: mid, character: 2 } });
  const firstPublished = await guard('first diagnostics of the big file', first);
  const firstMs = performance.now() - t0;
  const opened = await guard('diagnostics of the whole big file', all);
  const openMs = performance.now() - t0;
  assert.ok(items(early.value).some((i) => i.label === 'minReadySeconds'), 'completion in the spec offers minReadySeconds');
  const lens = lspLineLengths(text);
  for (const d of [...firstPublished.diagnostics, ...opened.diagnostics]) assert.equal(badRange(d.range, lens), undefined, `[${d.code}]: ${badRange(d.range, lens)}`);
  assert.equal(errors(opened), expectedErrors);
  // while it is open
  const completion: number[] = [];
  const hoverMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const c = await timedRequest<CompletionItem[]>('completion', 'textDocument/completion', { textDocument: { uri }, position: { line: mid, character: 2 } });
    assert.ok(items(c.value).some((x) => x.label === 'minReadySeconds'));
    completion.push(c.ms);
    const h = await timedRequest<Hover | null>('hover', 'textDocument/hover', { textDocument: { uri }, position: { line: replicas, character: 4 } });
    assert.match((h.value?.contents as { value: string } | undefined)?.value ?? '', /replicas/i);
    hoverMs.push(h.ms);
  }
  // quick fixes for the findings at a line with a mistake (what a client sends: the diagnostics in range)
  const mistake = opened.diagnostics.find((d) => d.severity === 1 && d.range.start.line > lines.length / 2)!;
  const inRange = opened.diagnostics.filter((d) => d.range.start.line === mistake.range.start.line);
  const ca = await timedRequest<CodeAction[]>('code actions', 'textDocument/codeAction', { textDocument: { uri }, range: mistake.range, context: { diagnostics: inRange } });
  assert.ok(Array.isArray(ca.value));
  // and for many findings at once (select-all, then the light bulb: every diagnostic in the selection).
  // Each fixable finding costs a pass over the whole file (rules/fixes documentAt splits the file and
  // indexes its lines per diagnostic), so a whole-file request is quadratic: 500 of them, measured.
  const many = opened.diagnostics.slice(0, 500);
  const caAll = await timedRequest<CodeAction[]>('code actions for 500 findings', 'textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } },
    context: { diagnostics: many },
  });
  assert.ok(Array.isArray(caAll.value) && caAll.value.length > 0);
  // one keystroke in the middle: re-published, and completion answers right after it
  const second = client.diagnostics(uri, (p) => p.version === 2);
  const t1 = performance.now();
  client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: mid, character: 2 }, end: { line: mid, character: 2 } }, text: 'x' }],
  });
  const afterEdit = await timedRequest<CompletionItem[]>('completion after an edit', 'textDocument/completion', { textDocument: { uri }, position: { line: mid + 1, character: 2 } });
  const edited = await guard('diagnostics after an edit', second);
  const editMs = performance.now() - t1;
  assert.ok(edited.diagnostics.some((d) => d.code === 'unknown-field' && d.range.start.line === mid), 'the edit is checked (xserviceName is unknown)');
  assert.ok(items(afterEdit.value).length > 0);
  client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });

  // one 10 MB document (too large to check as you type): said once, completion and hover still answer
  const notes = Array.from({ length: 200_000 }, (_, i) => `    note-${i}: "${'x'.repeat(32)}"`).join('\n');
  const single = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: big\n  annotations:\n${notes}\nspec:\n  serviceName: big\n  replicas: 3\n`;
  const specLine = 5 + 200_000 + 1; // `  serviceName: big`
  const uri2 = 'file:///fuzz/one-document-10mb.yaml';
  const got = client.diagnostics(uri2, (p) => p.version === 1);
  const t2 = performance.now();
  client.open(uri2, single, 1);
  const sd = await guard('diagnostics of one 10 MB document', got);
  const singleOpenMs = performance.now() - t2;
  assert.deepEqual(sd.diagnostics.map((d) => d.code), ['too-large']);
  const sc = await timedRequest<CompletionItem[]>('completion in one 10 MB document', 'textDocument/completion', { textDocument: { uri: uri2 }, position: { line: specLine, character: 2 } });
  assert.ok(items(sc.value).some((i) => i.label === 'podManagementPolicy'));
  const sh = await timedRequest<Hover | null>('hover in one 10 MB document', 'textDocument/hover', { textDocument: { uri: uri2 }, position: { line: specLine + 1, character: 3 } });
  assert.match((sh.value?.contents as { value: string } | undefined)?.value ?? '', /replicas/i);
  client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri2 } });
  assert.equal(client.proc.exitCode, null);
  assert.deepEqual(logged, []);

  sections.bigFiles = {
    manyDocuments: {
      bytes: Buffer.byteLength(text),
      documents: text.split('\n---\n').length,
      msOpenToFirstDiagnostics: round(firstMs),
      msOpenToDiagnostics: round(openMs),
      diagnostics: opened.diagnostics.length,
      msCompletionSentWithOpen: round(early.ms),
      msCompletion: completion.map(round),
      msHover: hoverMs.map(round),
      msCodeAction: round(ca.ms),
      msCodeActionFor500Findings: round(caAll.ms),
      msEditToDiagnostics: round(editMs),
      msCompletionAfterEdit: round(afterEdit.ms),
    },
    oneDocument: { bytes: Buffer.byteLength(single), msOpenToDiagnostics: round(singleOpenMs), msCompletion: round(sc.ms), msHover: round(sh.ms) },
  };
});
