// The stand-alone language server started as other editors start it (`statefulset-language-server --stdio`,
// the bin run as a program) gets the same Node memory flags as the extension gives it (launch.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/launch';
import { ROOT } from './lspClient';

const BIN = path.join(ROOT, 'bin', 'statefulset-language-server.js');

test('the bin\'s #! line names node with exactly the extension\'s flags (npm\'s Windows shim reads the same line)', () => {
  const first = fs.readFileSync(BIN, 'utf8').split('\n')[0];
  assert.equal(first, `#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
  assert.ok(fs.statSync(BIN).mode & 0o111, 'executable');
});

test('run as a program, the server process has the flags and answers initialize', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
  // the node on PATH is what `env` finds: the one running this test
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const proc = spawn(BIN, ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  try {
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.listen();
    const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { serverInfo?: { name?: string } };
    assert.equal(init.serverInfo?.name, 'statefulset-language-server');
    // env replaced itself with node (exec): the pid is the server's; its command line carries the flags
    const argv = fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    assert.match(path.basename(argv[0]), /^node/);
    for (const flag of SERVER_NODE_FLAGS) assert.ok(argv.includes(flag), `${flag} in ${argv.join(' ')}`);
    assert.equal(argv[argv.length - 1], '--stdio');
    conn.dispose();
  } finally {
    proc.kill();
    await new Promise((r) => (proc.exitCode !== null ? r(undefined) : proc.once('exit', r)));
  }
});
