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
  assert.ok(calls.every((n) => n === 1), 'header and body together in one chunk');
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

test('big messages are written from one reused buffer, never one the stream still holds', async () => {
  const { diagnostics } = analyzeText(STS.replace('replicas: 3', 'replicas: "3"'));
  const big = (i: number) => publish(`file:///big${i}.yaml`, i, Array.from({ length: 200 }, () => diagnostics).flat()); // ~1 MB of JSON
  const pipe = new PassThrough();
  const held: Array<{ chunk: Buffer; copy: Buffer; done: () => void }> = [];
  // a stream that keeps each chunk until the test lets it go (an async pipe or socket)
  const out = new Writable({
    highWaterMark: 1 << 30,
    write(chunk: Buffer, _enc, cb) {
      held.push({ chunk, copy: Buffer.from(chunk), done: cb });
      pipe.write(chunk);
    },
  });
  const writer = new FramedStreamWriter(out);
  const reader = new StreamMessageReader(pipe);
  const got: Message[] = [];
  reader.listen((m) => got.push(m));
  // two written at once: the stream holds the second while the first is out; each has its own buffer
  const a = writer.write(big(1));
  const b = writer.write(big(2));
  await new Promise((r) => setImmediate(r));
  assert.equal(held.length, 1, 'the stream queues the second');
  assert.ok(held[0].chunk.equals(held[0].copy));
  held[0].done();
  await new Promise((r) => setImmediate(r));
  assert.equal(held.length, 2);
  assert.notEqual(held[0].chunk.buffer, held[1].chunk.buffer, 'a second buffer while the stream held the first');
  assert.ok(held[1].chunk.equals(held[1].copy), 'unchanged until the stream lets it go');
  held[1].done();
  await Promise.all([a, b]);
  // the next one after they were let go: one of their buffers again
  const c = writer.write(big(3));
  await new Promise((r) => setImmediate(r));
  assert.equal(held.length, 3);
  assert.ok([held[0].chunk.buffer, held[1].chunk.buffer].includes(held[2].chunk.buffer), 'a buffer the stream let go of is reused');
  held[2].done();
  await c;
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(got, JSON.parse(JSON.stringify([big(1), big(2), big(3)])));
  reader.dispose();
  writer.dispose();
});
