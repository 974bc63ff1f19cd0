// The server's message writer on a stream transport (stdio): each message goes out as one write of its
// header and body together. vscode-jsonrpc's StreamMessageWriter writes the header, waits, then writes
// the body: two system calls per message, and the client may wake up for the header alone. On Linux a
// pipe on stdout is written synchronously, so each call is paid in full on every keystroke's publish.
// The body comes from messageEncoder.ts, which reuses the bytes of unchanged findings.
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { encodeMessage } from './messageEncoder';

export class FramedStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;
  /** The buffer publishes are assembled in, while no write holds it (undefined: held, or none yet). */
  private spare: Buffer | undefined;
  /** The buffer the message being encoded was given, and the last write given one (only it gives it back). */
  private lent: Buffer | undefined;
  private holder: object | undefined;
  /** The writer's buffer for a body of `size` bytes (grown as needed), or a new one while a write holds it. */
  private readonly bodyBuffer = (size: number): Buffer => {
    let b = this.spare && this.spare.length >= size ? this.spare : undefined;
    if (!b) b = Buffer.allocUnsafeSlow(Math.max(size + (size >> 2), 64 * 1024));
    this.spare = undefined;
    this.lent = b;
    return b;
  };

  constructor(private readonly out: Writable) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  /** Messages go out in the order of the calls: each is encoded and handed to the stream at once. */
  write(msg: Message): Promise<void> {
    let body: Buffer;
    this.lent = undefined;
    try {
      body = encodeMessage(msg, this.bodyBuffer);
    } catch (e) {
      this.fireError(e, msg);
      return Promise.reject(e);
    }
    const lent = this.lent;
    const token = {};
    if (lent) this.holder = token;
    // the buffer is free again once the stream has written it, unless a later write was given it since
    const giveBack = () => {
      if (lent && this.holder === token) this.spare = lent;
    };
    const header = Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii');
    return new Promise<void>((resolve, reject) => {
      // corked: the two chunks leave in one writev, without copying the body
      this.out.cork();
      this.out.write(header);
      this.out.write(body, (err) => {
        if (!err) giveBack();
        if (!err) {
          this.errors = 0;
          return resolve();
        }
        this.errors++;
        this.fireError(err, msg, this.errors);
        reject(err);
      });
      this.out.uncork();
      // a pipe on stdout is written synchronously on Linux: nothing left queued, the buffer is free at once
      if (this.out.writableLength === 0) giveBack();
    });
  }

  end(): void {
    this.out.end();
  }
}
