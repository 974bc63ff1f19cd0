// Per-edit CPU time of the language server's path, in-process (CPU time, not wall time: it holds on a
// busy machine): the document store's update, the analysis of its documents, diagnostics, the workspace
// index, the bytes of the publish (the server's encoder). The LSP round trip is measured by bench/lsp-bench.ts.
//   node --import tsx bench/edit-cpu.ts                       (SIZES=10,200 EDITS=400)
//   node --max-semi-space-size=1 --heap-growing-percent=40 --v8-pool-size=1 --import tsx bench/edit-cpu.ts   (the server's flags)
//   GROW=1 …: every other keystroke makes the value a character longer (3 → 12 → 3 …): the documents after it
//   move by a character (new chunk and document objects, the same findings), as in real typing; the default
//   keystrokes keep the value's length, as bench/lsp-bench.ts's do.
import { FileAnalyzer, fileDiagnostics, objectsOf } from '../server/src/engine/analyzer';
import { StoredDocument } from '../server/src/lsp/documentStore';
import { encodeMessage } from '../server/src/lsp/messageEncoder';
import { WorkspaceIndex } from '../server/src/lsp/workspaceIndex';
import { statefulSetFile, replicaLines } from './generate';
const EDITS = Number(process.env.EDITS ?? 400);
const GROW = process.env.GROW === '1';
for (const n of (process.env.SIZES ?? '10,200').split(',').map(Number)) {
  const text = statefulSetFile(n);
  const uri = 'file:///x/bench.yaml';
  const index = new WorkspaceIndex();
  const settings = {}; // the server's settings object: the same one on every edit (findings are reused while it is)
  const env = { workspace: (k: string) => index.objects(k, uri), live: () => undefined, version: () => index.versionExcluding(uri) };
  const doc = new StoredDocument(uri, 'yaml', 1, text);
  const a = new FileAnalyzer();
  const c0 = process.cpuUsage();
  const f = a.analyzeChunks(doc.chunks).file;
  const d0 = fileDiagnostics(f, { uri, env, settings });
  index.setObjects(uri, objectsOf(f, uri));
  encodeMessage({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: 1, diagnostics: d0 } } as never);
  const cold = process.cpuUsage(c0);
  const lines = text.split('\n');
  const targets = replicaLines(text);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < EDITS; i++) {
    const line = targets[(i * 7) % targets.length];
    const old = lines[line];
    lines[line] = `  replicas: ${(GROW && i % 2 ? 10 : 1) + (i % 9)}`;
    const c = process.cpuUsage();
    doc.update([{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text: lines[line] }], doc.version + 1);
    const f2 = a.analyzeChunks(doc.chunks).file;
    const d2 = fileDiagnostics(f2, { uri, env, settings });
    index.setObjects(uri, objectsOf(f2, uri));
    bytes = encodeMessage({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: doc.version, diagnostics: d2 } } as never).length;
    const u = process.cpuUsage(c);
    times.push((u.user + u.system) / 1000);
  }
  const s = times.slice(Math.floor(EDITS / 4)).sort((x, y) => x - y);
  const p = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)].toFixed(2);
  const mean = (s.reduce((x, y) => x + y, 0) / s.length).toFixed(2);
  console.log(`${n} docs: cold ${((cold.user + cold.system) / 1000).toFixed(0)} ms cpu; edit cpu mean ${mean} p50 ${p(0.5)} p95 ${p(0.95)} max ${p(1)} ms; publish ${(bytes / 1024).toFixed(0)} KiB; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
}
