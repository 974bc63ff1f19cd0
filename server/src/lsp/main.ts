// Entry point of statefulset-language-server. `--stdio` for any LSP client (and VS Code, which starts
// it so); `--node-ipc`, `--socket` and `--pipe` are taken by vscode-languageserver as usual.
import { format } from 'node:util';
import { createConnection, ProposedFeatures, StreamMessageReader, type Connection } from 'vscode-languageserver/node';
import { FramedStreamWriter } from './framedWriter';
import { SERVER_NAME, startServer } from './server';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `Usage: ${SERVER_NAME} --stdio\n\nThe StatefulSet Studio language server (completion, hover, diagnostics and quick fixes for\nKubernetes StatefulSet YAML) over the Language Server Protocol on stdin/stdout.\n`,
  );
  process.exit(0);
}
if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) {
  process.stderr.write(`${SERVER_NAME}: choose a transport, e.g. --stdio (see --help)\n`);
  process.exit(2);
}

/** Over stdio, stdout is the protocol: whatever the code prints goes to the client's log instead. */
function consoleToClient(connection: Connection): void {
  const to = (send: (s: string) => void) => (...a: unknown[]) => send(format(...a));
  console.log = console.info = console.debug = to((s) => connection.console.log(s));
  console.warn = to((s) => connection.console.warn(s));
  console.error = console.trace = to((s) => connection.console.error(s));
}

if (args.includes('--stdio') && !args.includes('--node-ipc')) {
  // our own writer: one write per message, its body reusing the bytes of unchanged findings (framedWriter.ts, messageEncoder.ts)
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new FramedStreamWriter(process.stdout));
  consoleToClient(connection);
  // the client went away: end, with 0 after a shutdown request (as vscode-languageserver does for its own streams)
  let shutdown = false;
  connection.onShutdown(() => {
    shutdown = true;
  });
  const end = () => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  startServer(connection);
} else {
  startServer(createConnection(ProposedFeatures.all));
}
