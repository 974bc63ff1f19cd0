// One full garbage collection in a pause after a big file was read. Reading a file of 200 StatefulSets
// allocates ~100 MB, most of it garbage the moment the analysis is done; V8 then marks and sweeps that
// heap during the first keystrokes, on threads that share the machine with the editor, and those
// keystrokes wait longer (edit p95 over the first 50 keystrokes after opening a 200-document file, eight
// alternated runs of 2026-12-07: 9.3–15.1 ms, mean 12.2, without; 8.8–12.3 ms, mean 11.1, with; over
// the first 200 keystrokes: means 9.3 and 8.7 ms). Done only once no analysis has been scheduled
// for a while (typing puts it off), once per big read, never per keystroke: a full
// collection costs 15–30 ms of the main thread at that size.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's full collection, made callable without --expose-gc on the command line; undefined where V8 refuses. */
export function fullCollection(): (() => void) | undefined {
  const own = (globalThis as { gc?: () => void }).gc;
  if (typeof own === 'function') return own;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export class IdleCollector {
  private wanted = false;
  private timer: NodeJS.Timeout | undefined;
  private lastActivity = 0;

  /** `collect` runs after `quietMs` without activity; `now` is the clock (tests pass their own). */
  constructor(
    private readonly collect: (() => void) | undefined,
    private readonly quietMs = 150,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A document changed (an analysis is scheduled): a collection waits for the next pause. */
  activity(): void {
    this.lastActivity = this.now();
  }

  /** A big read is done: collect once the server has been idle for a while. */
  request(): void {
    if (!this.collect) return;
    this.wanted = true;
    this.lastActivity = this.now();
    this.arm(this.quietMs);
  }

  /** Was a collection asked for and not yet done? */
  get waiting(): boolean {
    return this.wanted;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wanted = false;
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), ms);
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.wanted) return;
    const idle = this.now() - this.lastActivity;
    if (idle < this.quietMs) return this.arm(this.quietMs - idle);
    this.wanted = false;
    try {
      this.collect?.();
    } catch {
      /* a collection that fails changes nothing */
    }
  }
}
