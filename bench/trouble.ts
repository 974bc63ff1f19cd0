// Troubleshooting figures (node --expose-gc --import tsx bench/trouble.ts):
//   1. time from a pod going bad (its status turns CrashLoopBackOff in the simulator) to the tree saying so;
//   2. events watch traffic while idle (requests and events received in 20 s on a settled demo cluster);
//   3. heap of a followed log after 100,000 lines (bounded buffer of 10,000 lines).
import { setTimeout as sleep } from 'node:timers/promises';
import { statefulSet } from '../simulator/index';
import { resourceByKind } from '../simulator/resources';
import { LogStream } from '../client/src/cluster/logs';
import { setup } from '../test/explorer/helpers';

const POD = resourceByKind('Pod');

async function main(): Promise<void> {
  const out: Record<string, unknown> = {};
  // 1. bad pod → tree
  {
    const s = await setup({ scenario: 'empty', namespace: 'default' });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const name = `t${i}`;
      s.api.create(statefulSet({ name, replicas: 1, image: 'example.com/app:crashloop' }));
      const bad = await new Promise<number>((resolve) => {
        const off = s.api.store.subscribe((ev) => {
          if (ev.key === 'pods' && ev.object.metadata.name === `${name}-0` && ev.object.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff') {
            off();
            resolve(performance.now());
          }
        });
      });
      await new Promise<void>((resolve) => {
        const check = () => s.tree().includes(`${name}-0 — CrashLoopBackOff`);
        if (check()) return resolve();
        const off = s.conn.model.onDidChange(() => {
          if (check()) {
            off();
            resolve();
          }
        });
      });
      times.push(performance.now() - bad);
    }
    times.sort((a, b) => a - b);
    out.badPodToTreeMs = { median: Math.round(times[2] * 10) / 10, max: Math.round(times[4] * 10) / 10, runs: 5, note: 'model coalescing window 20 ms included' };
    await s.close();
  }
  // 2. idle events watch
  {
    const s = await setup({ scenario: 'demo', namespace: undefined });
    await s.api.settle();
    await sleep(1000);
    const r0 = s.api.requests.filter((r) => /\/events/.test(r.path)).length;
    let received = 0;
    const off = s.conn.model.warnings.onEvents((evs) => (received += evs.length));
    const ms = 20_000;
    await sleep(ms);
    off();
    const r1 = s.api.requests.filter((r) => /\/events/.test(r.path)).length;
    out.idleEventsWatch = { seconds: ms / 1000, requests: r1 - r0, eventsReceived: received, openWatches: 1, scope: 'type=Warning field selector, namespace or all namespaces shown' };
    await s.close();
  }
  // 3. followed log memory
  {
    const s = await setup({ scenario: 'empty', namespace: 'default' });
    s.api.create(statefulSet({ name: 'log', replicas: 1 }));
    await s.api.waitFor(() => s.api.store.peek(POD, 'default', 'log-0')?.status?.phase === 'Running');
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const st = new LogStream(s.conn.http, { namespace: 'default', pod: 'log-0', tailLines: 0 }).start();
    while (s.api.kubelet.followerCount() < 1) await sleep(5);
    const pod = s.api.store.peek(POD, 'default', 'log-0')!;
    let received = 0;
    st.onLines((a) => (received += a.length));
    for (let i = 0; i < 100; i++) {
      s.api.kubelet.appendLog(pod, 'log', Array.from({ length: 1000 }, (_, j) => `GET /api/items/${i * 1000 + j} 200 1.2ms user-agent=bench request-id=${(i * 1000 + j).toString(16).padStart(8, '0')}`));
      await sleep(1);
    }
    while (received < 100_000) await sleep(10);
    gc?.();
    const after = process.memoryUsage().heapUsed;
    out.followedLog = { lines: received, kept: st.lines.length, heapGrowthMB: Math.round(((after - before) / 1024 / 1024) * 10) / 10, gcExposed: !!gc };
    st.close();
    await s.close();
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
