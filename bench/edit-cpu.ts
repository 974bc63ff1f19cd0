// Per-edit CPU time of the language server's path, in-process (CPU time, not wall time: it holds on a
// busy machine): TextDocument update, analysis told where the edit was, diagnostics, the workspace
// index, the JSON of the publish. The LSP round trip is measured by bench/lsp-bench.ts.
//   node --import tsx bench/edit-cpu.ts
import { TextDocument } from 'vscode-languageserver-textdocument';
import { addEdit, FileAnalyzer, fileDiagnostics, objectsOf } from '../server/src/engine/analyzer';
import { WorkspaceIndex } from '../server/src/lsp/workspaceIndex';
import { statefulSetFile, replicaLines } from './generate';
for (const n of (process.env.SIZES ?? "10,200").split(",").map(Number)) {
  const text = statefulSetFile(n);
  const uri = 'file:///x/bench.yaml';
  const index = new WorkspaceIndex();
  const env = { workspace: (k: string) => index.objects(k, uri), live: () => undefined, version: () => index.versionExcluding(uri) };
  let doc = TextDocument.create(uri, 'yaml', 1, text);
  const a = new FileAnalyzer();
  const c0 = process.cpuUsage();
  const f = a.analyze(doc.getText());
  const d0 = fileDiagnostics(f, { uri, env });
  index.setObjects(uri, objectsOf(f, uri));
  JSON.stringify(d0);
  const cold = process.cpuUsage(c0);
  const lines = text.split('\n');
  const targets = replicaLines(text);
  const times: number[] = [];
  for (let i = 0; i < 400; i++) {
    const line = targets[(i * 7) % targets.length];
    const old = lines[line];
    lines[line] = `  replicas: ${(i % 9) + 1}`;
    const c = process.cpuUsage();
    const range = { start: { line, character: 0 }, end: { line, character: old.length } };
    const span = addEdit(undefined, doc.offsetAt(range.start), doc.offsetAt(range.end), lines[line].length);
    doc = TextDocument.update(doc, [{ range, text: lines[line] }], doc.version + 1);
    const f2 = a.analyze(doc.getText(), span);
    const d2 = fileDiagnostics(f2, { uri, env });
    index.setObjects(uri, objectsOf(f2, uri));
    JSON.stringify({ uri, version: doc.version, diagnostics: d2 });
    const u = process.cpuUsage(c);
    times.push((u.user + u.system) / 1000);
  }
  const s = times.slice(100).sort((x, y) => x - y);
  const p = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)].toFixed(2);
  console.log(`${n} docs: cold ${((cold.user + cold.system) / 1000).toFixed(0)} ms cpu; edit cpu p50 ${p(0.5)} p95 ${p(0.95)} max ${p(1)} ms`);
}
