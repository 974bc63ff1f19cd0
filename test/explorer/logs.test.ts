// Logs against the simulator: follow with a bounded tail, reconnect after the API server cut every
// connection without a duplicated line, close() leaves no stream open on the server, a clear "no logs
// yet", previous container, and all ordinals interleaved by time with a [pod] prefix.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statefulSet, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { LogStream, MultiLog, logText, formatLine, type LogStatus } from '../../client/src/cluster/logs';
import { setup, type Setup } from './helpers';
import { waitUntil } from './standIn';

const POD = resourceByKind('Pod');

function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  return waitUntil(check, what, timeoutMs);
}

describe('logs', { timeout: 120_000 }, () => {
  let s: Setup;
  const pod = (n: string): Obj => s.api.store.peek(POD, 'default', n)!;
  const ready = (n: string) => until(() => pod(n)?.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'), `${n} ready`);
  before(async () => {
    s = await setup({ scenario: 'empty', namespace: 'default' });
    s.api.create(statefulSet({ name: 'web', replicas: 3 }));
    await ready('web-2');
  });
  after(async () => {
    await s.close();
  });

  test('follow: tail, appended lines, reconnect after the server cut the stream without duplicates, close stops it', async () => {
    const st = new LogStream(s.conn.http, { namespace: 'default', pod: 'web-0', tailLines: 2 }).start();
    await until(() => st.lines.length === 2, 'tail');
    assert.deepEqual(st.lines.map((l) => l.text), ['listening on :80', 'ready to serve requests']);
    await until(() => s.api.kubelet.followerCount() === 1, 'following on the server');
    s.api.kubelet.appendLog(pod('web-0'), 'web', ['one', 'two']);
    await until(() => st.lines.length === 4, 'appended');
    await s.api.restart({ downMs: 100 }); // every connection cut
    await until(() => st.stats.reconnects >= 1 && st.status.kind === 'streaming' && s.api.kubelet.followerCount() === 1, 'reconnected');
    s.api.kubelet.appendLog(pod('web-0'), 'web', ['three']);
    await until(() => st.lines.some((l) => l.text === 'three'), 'line after reconnect');
    assert.deepEqual(st.lines.map((l) => l.text), ['listening on :80', 'ready to serve requests', 'one', 'two', 'three'], 'no line twice');
    assert.ok(st.stats.duplicatesDropped >= 1, 'the resumed stream did resend lines, which were dropped');
    st.close();
    await until(() => s.api.kubelet.followerCount() === 0, 'no follower left on the server');
    const conns = st.stats.connections;
    s.api.kubelet.appendLog(pod('web-0'), 'web', ['four']);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(st.stats.connections, conns);
    assert.ok(!st.lines.some((l) => l.text === 'four'));
  });

  test('a pod with no logs yet says so and keeps following until the container starts', async () => {
    s.api.create(statefulSet({ name: 'bad', replicas: 1, image: 'example.com/doesnotexist:1' }));
    await until(() => pod('bad-0')?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff', 'pull backoff');
    const st = new LogStream(s.conn.http, { namespace: 'default', pod: 'bad-0', retryMs: 50 }).start();
    const w = await until(() => (st.status.kind === 'waiting' ? st.status : undefined), 'waiting');
    assert.match((w as { message: string }).message, /container "bad" in pod "bad-0" is waiting to start: trying and failing to pull image/);
    assert.match(logText(st.lines, [{ label: 'bad-0', status: st.status }]), /^— bad-0: no logs yet \(.*trying and failing to pull image\); following/);
    st.close();
    await until(() => s.api.kubelet.followerCount() === 0, 'closed');
  });

  test('previous container of a crashlooping pod', async () => {
    s.api.create(statefulSet({ name: 'crash', replicas: 1, image: 'example.com/app:crashloop' }));
    await until(() => pod('crash-0')?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 'crashloop');
    const st = new LogStream(s.conn.http, { namespace: 'default', pod: 'crash-0', previous: true }).start();
    await until(() => st.status.kind === 'ended', 'previous read');
    assert.ok(st.lines.some((l) => /panic: simulated crash/.test(l.text)));
    st.close();
  });

  test('all ordinals: interleaved by time with a [pod] prefix; close stops every stream', async () => {
    const m = new MultiLog(s.conn.http, { namespace: 'default', tailLines: 0 });
    m.setPods(['web-0', 'web-1', 'web-2']);
    await until(() => s.api.kubelet.followerCount() === 3, 'three followers');
    for (const [n, text] of [['web-2', 'a'], ['web-0', 'b'], ['web-1', 'c'], ['web-2', 'd']] as const) {
      s.api.kubelet.appendLog(pod(n), 'web', [text]);
      await until(() => m.lines.some((l) => l.text === text), text);
    }
    assert.deepEqual(m.lines.map((l) => formatLine(l, { prefix: true })), ['[web-2] a', '[web-0] b', '[web-1] c', '[web-2] d']);
    const statuses: LogStatus[] = [...m.streams.values()].map((x) => x.status);
    assert.ok(statuses.every((x) => x.kind === 'streaming'));
    m.close();
    await until(() => s.api.kubelet.followerCount() === 0, 'no follower left');
  });
});
