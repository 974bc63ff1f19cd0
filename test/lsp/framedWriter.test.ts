// The server's stdio writer (server/src/lsp/framedWriter.ts): every message leaves in one write of its
// header and body, in the order written, and vscode-jsonrpc's reader reads back exactly what was sent;
// a failing stream rejects the write and raises the writer's error event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { FramedStreamWriter } from '../../server/src/lsp/framedWriter';
import { analyzeText } from '../../server/src/engine/analyzer';
import { STS } from '../engine/helpers';

const publish = (uri: string, version: number, diagnostics: unknown[]): Message => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } }) as Message;

test('messages read back in order by the LSP reader, each in one write of header and body', async () => {
  const { diagnostics } = analyzeText(STS.replace('replicas: 3', 'replicas: "3"').replace('name: web', 'name: wéb—✓'));
  assert.ok(diagnostics.length > 3);
  const sent: Message[] = [];
  for (let i = 0; i < 50; i++) {
    sent.push(publish(`file:///ä${i}.yaml`, i, i % 3 ? diagnostics : []));
    sent.push({ jsonrpc: '2.0', id: i, result: { n: i, s: 'ü'.repeat(i) } } as Message);
  }
  const calls: number[] = []; // chunks per system write the stream was asked for
  const pipe = new PassThrough();
  // written at once, as Node writes a pipe on stdout on Linux
  const out = new Writable({
    write(chunk, _enc, cb) {
      calls.push(1);
      pipe.write(chunk);
      cb();
    },
    writev(chunks, cb) {
      calls.push(chunks.length);
      pipe.write(Buffer.concat(chunks.map((c) => c.chunk as Buffer)));
      cb();
    },
  });
  const writer = new FramedStreamWriter(out);
  const reader = new StreamMessageReader(pipe);
  const got: Message[] = [];
  const all = new Promise<void>((resolve) =>
    reader.listen((m) => {
      got.push(m);
      if (got.length === sent.length) resolve();
    }),
  );
  await Promise.all(sent.map((m) => writer.write(m)));
  await all;
  assert.deepEqual(got, JSON.parse(JSON.stringify(sent)));
  assert.equal(calls.length, sent.length, 'one write per message');
  assert.ok(calls.every((n) => n === 2), 'header and body together, the body not copied into a new buffer');
  reader.dispose();
  writer.dispose();
});

test('a stream that fails: the write is rejected and the error event names the message', async () => {
  const out = new Writable({
    write(_chunk, _enc, cb) {
      cb(new Error('EPIPE: the client is gone'));
    },
  });
  const writer = new FramedStreamWriter(out);
  const errors: Array<[Error, Message | undefined, number | undefined]> = [];
  writer.onError((e) => errors.push(e));
  const msg: Message = { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x' } } as Message;
  await assert.rejects(writer.write(msg), /client is gone/);
  await new Promise((r) => setImmediate(r));
  assert.ok(errors.some(([e, m]) => /client is gone/.test(e.message) && m === msg), JSON.stringify(errors.map(([e]) => e.message)));
});
