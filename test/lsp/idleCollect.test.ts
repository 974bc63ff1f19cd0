// The full collection after a big file was read (server/src/lsp/idleCollect.ts): once, only in a pause,
// put off by activity, and never without a request; and V8's collection reached without --expose-gc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullCollection, IdleCollector } from '../../server/src/lsp/idleCollect';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a requested collection runs once, after the pause, and activity puts it off', async () => {
  let runs = 0;
  const c = new IdleCollector(() => runs++, 40);
  c.request();
  await sleep(20);
  c.activity();
  await sleep(30);
  assert.equal(runs, 0, 'activity 30 ms ago: not yet');
  assert.ok(c.waiting);
  await sleep(60);
  assert.equal(runs, 1, 'after a quiet 40 ms: once');
  assert.ok(!c.waiting);
  await sleep(80);
  assert.equal(runs, 1, 'not again without a new request');
  c.activity();
  await sleep(80);
  assert.equal(runs, 1, 'activity alone asks for nothing');
  c.request();
  c.dispose();
  await sleep(80);
  assert.equal(runs, 1, 'disposed: nothing more');
});

test('a collection that throws changes nothing; no collector, no timer', async () => {
  const c = new IdleCollector(() => {
    throw new Error('no');
  }, 5);
  c.request();
  await sleep(30);
  assert.ok(!c.waiting);
  const none = new IdleCollector(undefined, 5);
  none.request();
  assert.ok(!none.waiting);
});

test("V8's full collection is reachable without --expose-gc, and frees what nothing holds", async () => {
  const gc = fullCollection();
  assert.equal(typeof gc, 'function');
  const ref = new WeakRef(Array.from({ length: 1e5 }, (_, i) => i));
  // (a WeakRef holds its target until the end of the job that made it)
  await sleep(0);
  gc!();
  assert.equal(ref.deref(), undefined);
});
