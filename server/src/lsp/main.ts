// Entry point of statefulset-language-server. `--stdio` for any LSP client; VS Code starts it with
// node IPC (the transport is chosen from the command line by vscode-languageserver).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
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
startServer(createConnection(ProposedFeatures.all));
