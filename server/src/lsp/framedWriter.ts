// The server's message writer on a stream transport (stdio): each message goes out as one write of its
// header and body together. vscode-jsonrpc's StreamMessageWriter writes the header, waits, then writes
// the body: two system calls per message, and the client may wake up for the header alone. On Linux a
// pipe on stdout is written synchronously, so each call is paid in full on every keystroke's publish.
// The body comes from messageEncoder.ts, which reuses the bytes of unchanged findings.
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { messageParts, reusable } from './messageEncoder';

/** Messages this big or bigger are written from the writer's own reused buffer (smaller ones come from Node's pool). */
const SPARE_FROM = 64 * 1024;
/** A buffer bigger than this is not kept between messages. */
const MAX_SPARE = 32 * 1024 * 1024;

export class FramedStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly out: Writable) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  /**
   * A buffer to write the next big message into, once the stream is done with it: a publish at 200 documents
   * is ~0.5 MB, and a new one per keystroke is memory outside the heap until a collection frees it.
   */
  private spare: Buffer | undefined;

  /** Messages go out in the order of the calls: each is encoded and handed to the stream at once, header and body in one buffer. */
  write(msg: Message): Promise<void> {
    let frame: Buffer;
    let owned: Buffer | undefined;
    try {
      const parts = messageParts(msg);
      let length = 0;
      for (const p of parts) length += p.length;
      const header = `Content-Length: ${length}\r\n\r\n`;
      const total = header.length + length;
      if (total >= SPARE_FROM) {
        owned = reusable(this.spare, total);
        this.spare = undefined;
      }
      const buf = owned ?? Buffer.allocUnsafe(total);
      let at = buf.write(header, 0, 'ascii');
      for (const p of parts) at += p.copy(buf, at);
      frame = owned ? buf.subarray(0, total) : buf;
    } catch (e) {
      this.fireError(e, msg);
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      this.out.write(frame, (err) => {
        if (owned && owned.length <= MAX_SPARE) this.spare = owned; // the stream is done with it
        if (!err) {
          this.errors = 0;
          return resolve();
        }
        this.errors++;
        this.fireError(err, msg, this.errors);
        reject(err);
      });
    });
  }

  end(): void {
    this.out.end();
  }
}
