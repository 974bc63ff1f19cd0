// Waiting in the workflows: a sleep that a cancel ends, and a bounded poll (50 ms, growing to 1 s) until a
// check returns a value. Shared by re-create/resize, restore and the snapshot wait.
import { KubeError } from './errors';

/** Resolves after `ms`; rejects with a 'cancelled' KubeError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KubeError(0, 'cancelled', 'Cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new KubeError(0, 'cancelled', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Re-checks `fn` (50 ms, growing to 1 s) until it returns a value; bounded by `hooks.waitTimeoutMs` (default
 * 5 minutes), after which a 504 KubeError says what was awaited and `again` (how to go on from there).
 */
export async function until<T>(fn: () => Promise<T | undefined>, what: string, hooks: { signal?: AbortSignal; waitTimeoutMs?: number }, again: string): Promise<T> {
  const deadline = Date.now() + (hooks.waitTimeoutMs ?? 300_000);
  let delay = 50;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new KubeError(504, `Timed out waiting for ${what}; ${again}`, 'Timeout');
    await sleep(delay, hooks.signal);
    delay = Math.min(1000, delay * 2);
  }
}
