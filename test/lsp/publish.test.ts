// What the server publishes and when, over real LSP stdio: a big file just opened shows its first
// documents' own findings at once and all findings once it is read, answering requests in between and
// reporting progress;
// a refresh that finds what was published last publishes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ResponseError, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT, startClient, type TestClient } from './lspClient';
import { FileAnalyzer, fileDiagnostics } from '../../server/src/engine/analyzer';
import { editorSettings } from '../../server/src/lsp/editorSeverities';
import { statefulSetFile } from '../../bench/generate';
import { STS } from '../engine/helpers';

let client: TestClient;
const publishes = new Map<string, PublishDiagnosticsParams[]>();
const progress: Array<{ kind: string; title?: string; message?: string; percentage?: number }> = [];

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  client = await startClient({ workDoneProgress: true });
  client.connection.onNotification('$/progress', (p: { value: { kind: string; title?: string; message?: string; percentage?: number } }) => progress.push(p.value));
});

after(async () => {
  await client?.stop();
});

/** Every publish for `uri` from now on, until `pred` holds for one (then resolves with them all). */
function collect(uri: string, pred: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams[]> {
  publishes.set(uri, []);
  const seen = publishes.get(uri)!;
  const next = (): Promise<PublishDiagnosticsParams[]> =>
    client.diagnostics(uri).then((p) => {
      seen.push(p);
      return pred(p) ? seen : next();
    });
  return next();
}

const ENV_CODES = new Set(['service-not-found', 'missing-pod-disruption-budget', 'service-selector-mismatch', 'service-not-headless', 'pdb-blocks-disruptions']);

test('a big file just opened: its first documents own findings at once, all findings once it is read, requests answered in between', async () => {
  const uri = 'untitled:big.yaml';
  const text = statefulSetFile(1000); // 2,000 documents, ~1.8 MB: far more than one slice of work on any machine
  const expected = fileDiagnostics(new FileAnalyzer().analyze(text), { uri, settings: editorSettings(undefined) }); // the editor's severities: information as hints
  assert.ok(expected.some((d) => ENV_CODES.has(String(d.code))), 'the file has findings of rules that look at other documents');
  const events: string[] = [];
  const all = collect(uri, (p) => {
    events.push(`publish ${p.diagnostics.length}`);
    return p.diagnostics.length === expected.length;
  });
  client.open(uri, text);
  const hover = client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }).then((h) => {
    events.push('hover');
    return h;
  });
  // the outline needs the whole file: it is answered once all of it is read, without holding up the hover
  const symbols = client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }).then((r) => {
    events.push('symbols');
    return r as unknown[];
  });
  const got = await all;
  assert.ok(await hover, 'the hover is answered');
  assert.equal((await symbols).length, 2000, 'an outline of every document');
  assert.ok(events.indexOf('symbols') > events.indexOf('hover'), events.join(', '));
  assert.ok(got.length >= 2, `a first publish before the last: ${events.join(', ')}`);
  const first = got[0].diagnostics;
  assert.ok(first.length < expected.length, 'the first publish is not the whole file');
  assert.ok(!first.some((d) => ENV_CODES.has(String(d.code))), 'the first publish holds only what each document says of itself');
  // the first publish is the top of the file, as many documents as the first slice read (progress begins
  // with that count; on a loaded machine it may be the first document alone, a Service with no findings):
  // the same findings as the full analysis has there
  while (!progress.length) await new Promise((r) => setTimeout(r, 20));
  const read = Number(/^(\d+) of 2000 documents$/.exec(progress[0].message ?? '')?.[1]);
  assert.ok(read >= 1 && read < 2000, `the first slice read ${read} documents`);
  const docStarts = [0, ...text.split('\n').flatMap((l, i) => (l === '---' ? [i + 1] : []))];
  const topOfFull = expected.filter((d) => d.range.start.line < docStarts[read] && !ENV_CODES.has(String(d.code)));
  if (read >= 2) assert.ok(topOfFull.length > 0, 'the StatefulSets read in the first slice have findings of their own');
  assert.deepEqual(JSON.parse(JSON.stringify(first)), JSON.parse(JSON.stringify(topOfFull)));
  assert.deepEqual(JSON.parse(JSON.stringify(got[got.length - 1].diagnostics)), JSON.parse(JSON.stringify(expected)), 'the last publish: every finding, as a whole analysis has them');
  assert.ok(events.indexOf('hover') < events.length - 1, `the hover was answered before all of the file was read: ${events.join(', ')}`);
  // progress while the rest was read: begun with the file's name, reported, ended after the last publish
  while (!progress.some((v) => v.kind === 'end')) await new Promise((r) => setTimeout(r, 20));
  assert.equal(progress[0].kind, 'begin');
  assert.equal(progress[0].title, 'Checking big.yaml');
  assert.match(progress[0].message ?? '', /^\d+ of 2000 documents$/);
  const reports = progress.filter((v) => v.kind === 'report');
  assert.ok(reports.length >= 1 && reports.every((v, i) => (v.percentage ?? -1) >= 0 && (v.percentage ?? 101) < 100 && (i === 0 || (v.percentage ?? 0) >= (reports[i - 1].percentage ?? 0))), JSON.stringify(progress.slice(0, 5)));
  assert.equal(progress.filter((v) => v.kind === 'end').length, 1);
  client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('a refresh that finds what was published last publishes nothing', async () => {
  const uri = 'untitled:refresh.yaml';
  const opened = client.diagnostics(uri);
  client.open(uri, STS);
  const p1 = await opened;
  assert.ok(p1.diagnostics.some((d) => ENV_CODES.has(String(d.code))), 'findings of rules that look beyond the document (they are re-checked on a refresh)');
  const seen = collect(uri, (p) => p.version === 2);
  // the cluster's objects change, but not in a way that matters to this file: a refresh runs (100 ms later)
  client.connection.sendNotification('statefulsetStudio/liveObjects', { objects: [{ kind: 'ConfigMap', metadata: { name: 'other', namespace: 'x' } }] });
  await new Promise((r) => setTimeout(r, 400));
  client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: STS.replace('replicas: 3', 'replicas: "3"') }] });
  const got = await seen;
  assert.deepEqual(got.map((p) => p.version), [2], 'nothing published for the refresh, then the edit');
});

test('a client that refuses the progress token: the big file is still read and published whole, the server lives on', async () => {
  const refusing = await startClient({ workDoneProgress: true });
  try {
    refusing.connection.onRequest('window/workDoneProgress/create', () => new ResponseError(-32603, 'no progress here'));
    const uri = 'untitled:refused.yaml';
    const text = statefulSetFile(400);
    const expected = fileDiagnostics(new FileAnalyzer().analyze(text), { uri, settings: editorSettings(undefined) }); // the editor's severities: information as hints
    const all = refusing.diagnostics(uri, (p) => p.diagnostics.length === expected.length);
    refusing.open(uri, text);
    const got = await all;
    assert.deepEqual(JSON.parse(JSON.stringify(got.diagnostics)), JSON.parse(JSON.stringify(expected)));
    const h = await refusing.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 20, character: 4 } });
    assert.ok(h, 'still answering');
    assert.equal(refusing.proc.exitCode, null);
    assert.doesNotMatch(refusing.stderr(), /Unhandled|rejection/i);
  } finally {
    await refusing.stop();
  }
});
