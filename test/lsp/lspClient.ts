// A minimal LSP client for protocol tests: starts the built server (dist/server.js) with --stdio and
// speaks JSON-RPC to it over real pipes.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.join(__dirname, '..', '..');

export interface TestClient {
  connection: ProtocolConnection;
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the next diagnostics published for `uri` that satisfy `pred`. */
  diagnostics(uri: string, pred?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, text: string): void;
  stop(): Promise<void>;
}

export async function startClient(opts: { rootUri?: string | null; initializationOptions?: unknown; workDoneProgress?: boolean } = {}): Promise<TestClient> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'statefulset-language-server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiters: Array<{ uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: opts.rootUri ?? null,
    workspaceFolders: opts.rootUri ? [{ uri: opts.rootUri, name: 'ws' }] : null,
    capabilities: { ...(opts.workDoneProgress ? { window: { workDoneProgress: true } } : {}), textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } } },
    initializationOptions: opts.initializationOptions,
  });
  connection.sendNotification('initialized', {});
  return {
    connection,
    proc,
    stderr: () => err,
    diagnostics: (uri, pred = () => true) => new Promise((resolve) => waiters.push({ uri, pred, resolve })),
    open: (uri, text, version = 1) => connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } }),
    change: (uri, version, text) => connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] }),
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        connection.sendNotification('exit');
      } catch {
        /* already gone */
      }
      connection.dispose();
      await new Promise((r) => {
        if (proc.exitCode !== null) return r(undefined);
        const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.once('exit', () => (clearTimeout(t), r(undefined)));
      });
    },
  };
}
