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

  constructor(private readonly out: Writable) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  /** Messages go out in the order of the calls: each is encoded and handed to the stream at once. */
  write(msg: Message): Promise<void> {
    let body: Buffer;
    try {
      body = encodeMessage(msg);
    } catch (e) {
      this.fireError(e, msg);
      return Promise.reject(e);
    }
    const header = Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii');
    return new Promise<void>((resolve, reject) => {
      // corked: the two chunks leave in one writev, without copying the body
      this.out.cork();
      this.out.write(header);
      this.out.write(body, (err) => {
        if (!err) {
          this.errors = 0;
          return resolve();
        }
        this.errors++;
        this.fireError(err, msg, this.errors);
        reject(err);
      });
      this.out.uncork();
    });
  }

  end(): void {
    this.out.end();
  }
}
