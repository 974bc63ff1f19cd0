// The protocol's floor under the edit latency of bench/lsp-bench.ts: a stand-in server that does no analysis at
// all and answers each notification with the publish our server sends for the same generated file (the same
// findings, written by our own writer: server/src/lsp/framedWriter.ts with the cached bytes of
// messageEncoder.ts), and a client that reads and parses it as the bench's client does. What remains of an
// edit's latency above this floor is the server's own work (parse, rules, collections).
// lsp-bench.ts measures it in the same run as the servers, with the same loop as its edits (the next one as
// soon as the last publish is read); standing alone:
//   node --import tsx bench/publish-floor.ts            (SIZES=10,200 ROUNDS=250 PAUSE_MS=0)
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

export interface Floor {
  p50: number;
  p95: number;
  findings: number;
  /** bytes of one publish's JSON */
  bytes: number;
  /** the client's share of the floor: JSON.parse of one publish's text in this process, p50 and p95 (every LSP client parses it) */
  clientParseP50: number;
  clientParseP95: number;
}

/** Ping → publish of the n-StatefulSet file's findings, `rounds` times after a fifth more to warm up. */
export async function publishFloor(n: number, rounds: number, pauseMs = 0): Promise<Floor> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', __filename], { env: { ...process.env, PUBLISH_FLOOR_CHILD: String(n) }, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  let received: ((p: { diagnostics: unknown[] }) => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: unknown[] }) => received?.(p));
  conn.listen();
  const times: number[] = [];
  let findings = 0;
  let bytes = 0;
  let text = '';
  const warm = Math.ceil(rounds / 5); // the JIT's warm-up first
  try {
    for (let i = 0; i < warm + rounds; i++) {
      const t0 = performance.now();
      const p = await new Promise<{ diagnostics: unknown[] }>((resolve) => {
        received = resolve;
        void conn.sendNotification(PING, {});
      });
      if (i >= warm) times.push(performance.now() - t0);
      else if (!bytes) bytes = Buffer.byteLength((text = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: p })));
      findings = p.diagnostics.length;
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  } finally {
    conn.dispose();
    child.kill();
  }
  const q = (xs: number[], x: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(x * xs.length) - 1)];
  const parses = clientParses(text, warm, rounds);
  return { p50: q(times, 0.5), p95: q(times, 0.95), findings, bytes, clientParseP50: q(parses, 0.5), clientParseP95: q(parses, 0.95) };
}

/** JSON.parse of one publish's text, `rounds` times after `warm` to warm up: ms each */
function clientParses(text: string, warm: number, rounds: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < warm + rounds; i++) {
    const t0 = performance.now();
    JSON.parse(text);
    if (i >= warm) times.push(performance.now() - t0);
  }
  return times;
}

if (process.env.PUBLISH_FLOOR_CHILD) {
  standIn(Number(process.env.PUBLISH_FLOOR_CHILD));
} else if (require.main === module) {
  void (async () => {
    const rounds = Number(process.env.ROUNDS ?? 250);
    for (const n of (process.env.SIZES ?? '10,200').split(',').map(Number)) {
      const r = await publishFloor(n, rounds, Number(process.env.PAUSE_MS ?? 0));
      console.log(`${n} StatefulSets: publish only (${r.findings} findings, ${(r.bytes / 1024).toFixed(0)} KiB), no analysis: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms; of which the client's JSON.parse: p50 ${r.clientParseP50.toFixed(2)} ms, p95 ${r.clientParseP95.toFixed(2)} ms`);
    }
  })();
}
