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

test('publishes are assembled in the writer\'s own buffer, reused only once the stream no longer holds it', async () => {
  const { diagnostics } = analyzeText(STS.replace('replicas: 3', 'replicas: "3"'));
  const sent: Message[] = Array.from({ length: 12 }, (_, i) => publish(`file:///b${i}.yaml`, i, i % 4 === 3 ? [] : diagnostics.slice(0, 1 + (i % diagnostics.length))));
  // a slow client: each write is held (not copied) until later, as a socket or a full pipe holds it
  const held: Array<{ chunks: Buffer[]; cb: () => void }> = [];
  const received: Buffer[] = [];
  const out = new Writable({
    writev(chunks, cb) {
      held.push({ chunks: chunks.map((c) => c.chunk as Buffer), cb });
    },
  });
  const writer = new FramedStreamWriter(out);
  let finished = false;
  const done = Promise.all(sent.map((m) => writer.write(m))).then(() => (finished = true));
  // let the stream take them one write at a time, reading the bytes only when they are written out
  while (!finished) {
    await new Promise((r) => setImmediate(r));
    const next = held.shift();
    if (!next) continue;
    received.push(Buffer.concat(next.chunks));
    next.cb();
  }
  await done;
  // the frames as written: header, then as many bytes as it says
  const all = Buffer.concat(received);
  const got: unknown[] = [];
  for (let at = 0; at < all.length; ) {
    const end = all.indexOf('\r\n\r\n', at);
    const length = Number(/^Content-Length: (\d+)$/.exec(all.subarray(at, end).toString('ascii'))?.[1]);
    assert.ok(end > 0 && length > 0, `a frame header at ${at}`);
    const body = all.subarray(end + 4, end + 4 + length).toString('utf8');
    try {
      got.push(JSON.parse(body));
    } catch {
      got.push(body);
    }
    at = end + 4 + length;
  }
  assert.deepEqual(got, JSON.parse(JSON.stringify(sent)), 'no body was overwritten while the stream held it');
  // written at once (a pipe on stdout): one buffer serves every publish
  const bodies: Buffer[] = [];
  const sync = new Writable({
    writev(chunks, cb) {
      bodies.push(chunks[1].chunk as Buffer);
      cb();
    },
  });
  const w2 = new FramedStreamWriter(sync);
  for (const m of sent) await w2.write(m);
  assert.ok(bodies.slice(1).every((b) => b.buffer === bodies[0].buffer), 'the same memory for each publish');
  writer.dispose();
  w2.dispose();
});
