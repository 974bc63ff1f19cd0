// The protocol's floor under the edit latency of bench/lsp-bench.ts: a stand-in server that does no analysis at
// all and answers each notification with the publish our server sends for the same generated file (the same
// findings, written by our own writer: server/src/lsp/framedWriter.ts with the cached bytes of
// messageEncoder.ts), and a client that reads and parses it as the bench's client does. What remains of an
// edit's latency above this floor is the server's own work (parse, rules, collections).
//   node --import tsx bench/publish-floor.ts            (SIZES=10,200 ROUNDS=250)
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { createConnection, StreamMessageReader as ServerReader } from 'vscode-languageserver/node';
import { FileAnalyzer, fileDiagnostics } from '../server/src/engine/analyzer';
import { editorSettings } from '../server/src/lsp/editorSeverities';
import { FramedStreamWriter } from '../server/src/lsp/framedWriter';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/launch';
import { statefulSetFile } from './generate';

const PING = 'bench/ping';

function standIn(n: number): void {
  const diagnostics = fileDiagnostics(new FileAnalyzer().analyze(statefulSetFile(n)), { uri: 'file:///bench.yaml', settings: editorSettings(undefined) });
  const conn = createConnection(new ServerReader(process.stdin), new FramedStreamWriter(process.stdout));
  let version = 0;
  conn.onNotification(PING, () => void conn.sendDiagnostics({ uri: 'file:///bench.yaml', version: ++version, diagnostics }));
  conn.listen();
}

async function measure(n: number, rounds: number): Promise<{ p50: number; p95: number; findings: number }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', __filename], { env: { ...process.env, PUBLISH_FLOOR_CHILD: String(n) }, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  let received: ((bytes: number) => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: unknown[] }) => received?.(p.diagnostics.length));
  conn.listen();
  const times: number[] = [];
  let findings = 0;
  try {
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      findings = await new Promise<number>((resolve) => {
        received = resolve;
        void conn.sendNotification(PING, {});
      });
      if (i >= rounds / 5) times.push(performance.now() - t0); // the first fifth warms up the JIT
      await new Promise((r) => setTimeout(r, 20)); // a typist's pause, as the bench's edits
    }
  } finally {
    conn.dispose();
    child.kill();
  }
  times.sort((a, b) => a - b);
  const q = (x: number) => times[Math.min(times.length - 1, Math.ceil(x * times.length) - 1)];
  return { p50: q(0.5), p95: q(0.95), findings };
}

if (process.env.PUBLISH_FLOOR_CHILD) {
  standIn(Number(process.env.PUBLISH_FLOOR_CHILD));
} else {
  void (async () => {
    const rounds = Number(process.env.ROUNDS ?? 250);
    for (const n of (process.env.SIZES ?? '10,200').split(',').map(Number)) {
      const r = await measure(n, rounds);
      console.log(`${n} StatefulSets: publish only (${r.findings} findings), no analysis: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`);
    }
  })();
}
