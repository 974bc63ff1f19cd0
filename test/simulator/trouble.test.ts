// What a StatefulSet in trouble looks like on the wire, proven with the real kubectl: events (core v1
// and events.k8s.io/v1, aggregated with counts), container states set by image names
// (CrashLoopBackOff, OOMKilled, ImagePullBackOff, CreateContainerConfigError), the unschedulable and
// NotReady-node knobs, and pod logs (tail, previous, timestamps, follow).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApiServer, statefulSet, headlessService, type ApiServer, type Obj } from '../../simulator/index';
import { resourceByKind } from '../../simulator/resources';
import { findResource } from '../../simulator/resources';
import { HAS_KUBECTL, http, kubectl, kubectlStream } from './testkit';

const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const EVENT = resourceByKind('Event');
const EVENT_V1 = findResource('events.k8s.io', 'v1', 'events')!;

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l.trim());
}

describe('a StatefulSet in trouble, seen by the real kubectl', { timeout: 180_000, skip: HAS_KUBECTL ? false : 'kubectl is not installed' }, () => {
  let api: ApiServer;
  const k = (...args: string[]) => kubectl(api, args);
  const pod = (name: string, ns = 'default'): Obj | undefined => api.store.peek(POD, ns, name);
  const waiting = (name: string, reason: string) =>
    api.waitFor(() => pod(name)?.status?.containerStatuses?.some((c: Obj) => c.state?.waiting?.reason === reason) && pod(name), 15_000);
  const readyAll = (sts: string, n: number) =>
    api.waitFor(() => {
      for (let i = 0; i < n; i++) {
        const p = pod(`${sts}-${i}`);
        if (!p || p.metadata.deletionTimestamp || !(p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True')) return false;
      }
      return true;
    }, 20_000);
  const eventsOf = (name: string) => api.store.listRaw(EVENT, 'default').filter((e) => e.involvedObject.name === name);

  before(async () => {
    api = await startApiServer({ podReadyDelayMs: 5 });
    api.create(headlessService('web'));
    api.create(statefulSet({ name: 'web', replicas: 3, claims: [{ name: 'www', size: '1Gi' }] }));
    await readyAll('web', 3);
  });
  after(async () => {
    await api.stop();
  });

  test('kubectl get events: the scheduler, kubelet, StatefulSet controller and provisioner events, with counts', async () => {
    const r = await k('get', 'events', '-o', 'custom-columns=TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,COUNT:.count,MESSAGE:.message', '--sort-by=.metadata.creationTimestamp');
    assert.equal(r.code, 0, r.stderr);
    const rows = lines(r.stdout).slice(1).map((l) => l.split(/\s+/));
    const has = (reason: string, obj: string) => rows.some((x) => x[1] === reason && x[2] === obj);
    for (const reason of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) assert.ok(has(reason, 'web-0'), `${reason} for web-0:\n${r.stdout}`);
    assert.ok(has('SuccessfulCreate', 'web'), r.stdout);
    assert.ok(has('ProvisioningSucceeded', 'www-web-0'), r.stdout);
    assert.match(r.stdout, /Successfully assigned default\/web-0 to simulator-node/);
    assert.match(r.stdout, /create Pod web-2 in StatefulSet web successful/);
    // the default table (server-side columns)
    const t = await k('get', 'events');
    assert.equal(t.code, 0, t.stderr);
    assert.match(lines(t.stdout)[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    assert.ok(lines(t.stdout).some((l) => /Normal\s+Started\s+pod\/web-1\s+Started container web/.test(l)), t.stdout);
    // events.k8s.io/v1 carries the same events (regarding, note)
    const v1 = await http(api, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name=web-0');
    assert.equal(v1.status, 200);
    assert.ok(v1.body.items.some((e: Obj) => e.reason === 'Started' && e.note === 'Started container web' && e.regarding.kind === 'Pod'), v1.text);
  });

  test('crashloop image: CrashLoopBackOff with restarts and the last exit code; describe shows BackOff; logs and --previous', async () => {
    const set = await k('set', 'image', 'sts/web', 'web=example.com/app:crashloop');
    assert.equal(set.code, 0, set.stderr);
    await waiting('web-2', 'CrashLoopBackOff');
    const get = await k('get', 'pod', 'web-2');
    assert.equal(get.code, 0, get.stderr);
    const row = lines(get.stdout)[1].split(/\s+/);
    assert.deepEqual(row.slice(0, 4), ['web-2', '0/1', 'CrashLoopBackOff', '3']);
    // the rollout halts at web-2: web-1 keeps the old image
    assert.equal(pod('web-1')!.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
    const d = await k('describe', 'pod', 'web-2');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    assert.match(d.stdout, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    assert.match(d.stdout, /Restart Count:\s+3/);
    assert.match(d.stdout, /Events:[\s\S]*Warning\s+BackOff\s+\S+ \(x4 over \S+\)\s+kubelet\s+Back-off restarting failed container web in pod web-2_default/);
    const logs = await k('logs', 'web-2');
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /panic: simulated crash/);
    const prev = await k('logs', 'web-2', '--previous', '--timestamps');
    assert.equal(prev.code, 0, prev.stderr);
    assert.match(lines(prev.stdout)[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z starting web/);
    // another crash: restartCount and the BackOff event's count go up (core and events.k8s.io)
    const backOff = () => eventsOf('web-2').find((e) => e.reason === 'BackOff');
    const before = backOff()!.count;
    assert.ok(api.kubelet.crashAgain('default', 'web-2'));
    assert.equal(pod('web-2')!.status.containerStatuses[0].restartCount, 4);
    assert.equal(backOff()!.count, before + 1);
    const v1 = api.store.peek(EVENT_V1, 'default', backOff()!.metadata.name)!;
    assert.equal(v1.series.count, before + 1);
    // rollback with kubectl: web-2 stays broken until deleted (the forced-rollback trap)
    assert.equal((await k('rollout', 'undo', 'sts/web')).code, 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pod('web-2')!.status.containerStatuses[0].state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal((await k('delete', 'pod', 'web-2')).code, 0);
    await readyAll('web', 3);
    assert.equal(pod('web-2')!.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
  });

  test('OOMKilled, ImagePullBackOff, CreateContainerConfigError as kubectl shows them', async () => {
    api.create(statefulSet({ name: 'oom', replicas: 1, image: 'example.com/app:oomkill' }));
    api.create(statefulSet({ name: 'pull', replicas: 1, image: 'example.com/doesnotexist:1' }));
    api.create(statefulSet({ name: 'cfg', replicas: 1, image: 'example.com/app:configerror' }));
    await waiting('oom-0', 'CrashLoopBackOff');
    await waiting('pull-0', 'ImagePullBackOff');
    await waiting('cfg-0', 'CreateContainerConfigError');
    const get = await k('get', 'pods', 'oom-0', 'pull-0', 'cfg-0', '--no-headers');
    assert.equal(get.code, 0, get.stderr);
    const status = Object.fromEntries(lines(get.stdout).map((l) => l.split(/\s+/)).map((c) => [c[0], c[2]]));
    assert.deepEqual(status, { 'oom-0': 'CrashLoopBackOff', 'pull-0': 'ImagePullBackOff', 'cfg-0': 'CreateContainerConfigError' });
    const d = await k('describe', 'pod', 'oom-0');
    assert.match(d.stdout, /Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    const dp = await k('describe', 'pod', 'pull-0');
    assert.match(dp.stdout, /Status:\s+Pending/);
    assert.match(dp.stdout, /Warning\s+Failed\s+.*Failed to pull image "example.com\/doesnotexist:1"/);
    assert.match(dp.stdout, /Normal\s+BackOff\s+.*Back-off pulling image "example.com\/doesnotexist:1"/);
    const dc = await k('describe', 'pod', 'cfg-0');
    assert.match(dc.stdout, /Warning\s+Failed\s+.*Error: configmap "app-config" not found/);
    const lp = await k('logs', 'pull-0');
    assert.notEqual(lp.code, 0);
    assert.match(lp.stderr, /container "pull" in pod "pull-0" is waiting to start: trying and failing to pull image/);
    const lprev = await k('logs', 'web-0', '--previous');
    assert.match(lprev.stderr, /previous terminated container "web" in pod "web-0" not found/);
    for (const n of ['oom', 'pull', 'cfg']) assert.equal((await k('delete', 'sts', n)).code, 0);
  });

  test('unschedulable knob: Pending with PodScheduled False and a FailedScheduling event; cleared → Running', async () => {
    api.kubelet.setUnschedulable({ statefulSet: 'big' });
    api.create(statefulSet({ name: 'big', replicas: 1 }));
    await api.waitFor(() => pod('big-0')?.status?.conditions?.some((c: Obj) => c.type === 'PodScheduled' && c.status === 'False'), 10_000);
    const d = await k('describe', 'pod', 'big-0');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /Status:\s+Pending/);
    assert.match(d.stdout, /Node:\s+<none>/);
    assert.match(d.stdout, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/1 nodes are available: 1 Insufficient cpu/);
    // requests above the node's allocatable are unschedulable on their own
    const huge = statefulSet({ name: 'huge', replicas: 1 });
    huge.spec.template.spec.containers[0].resources = { requests: { cpu: '64' } };
    api.create(huge);
    await api.waitFor(() => eventsOf('huge-0').some((e) => e.reason === 'FailedScheduling'), 10_000);
    assert.match(eventsOf('huge-0').find((e) => e.reason === 'FailedScheduling')!.message, /1 Insufficient cpu/);
    api.kubelet.setUnschedulable(undefined);
    await readyAll('big', 1);
    assert.equal(pod('big-0')!.spec.nodeName, 'simulator-node');
    for (const n of ['big', 'huge']) assert.equal((await k('delete', 'sts', n)).code, 0);
  });

  test('NotReady node: pods not Ready, evicted pods stay Terminating; force delete; node back → Ready', async () => {
    const before = api.store.peek(PVC, 'default', 'www-web-1')!.metadata.uid;
    api.kubelet.setNodeReady(false, { evict: true });
    const nodes = await k('get', 'nodes', '--no-headers');
    assert.match(nodes.stdout, /^simulator-node\s+NotReady/);
    const pods = await k('get', 'pods', '-l', 'app=web', '--no-headers');
    assert.equal(lines(pods.stdout).filter((l) => /\sTerminating\s/.test(l)).length, 3, pods.stdout);
    // nothing completes the deletion while the node is gone
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(pod('web-1')?.metadata.deletionTimestamp);
    const d = await k('describe', 'pod', 'web-1');
    assert.match(d.stdout, /Warning\s+NodeNotReady\s+.*node-controller\s+Node is not ready/);
    assert.match(d.stdout, /Normal\s+TaintManagerEviction\s+.*Marking for deletion Pod default\/web-1/);
    const logs = await k('logs', 'web-1');
    assert.match(logs.stderr, /no route to host/);
    // force delete: gone at once; its replacement (OrderedReady: web-0 first) cannot be scheduled on the tainted node
    const fd = await k('delete', 'pod', 'web-0', '--grace-period=0', '--force');
    assert.equal(fd.code, 0, fd.stderr);
    await api.waitFor(() => pod('web-0') && !pod('web-0')!.metadata.deletionTimestamp && pod('web-0')!.status.phase === 'Pending' && !pod('web-0')!.spec.nodeName, 10_000);
    assert.match(eventsOf('web-0').filter((e) => e.reason === 'FailedScheduling').at(-1)!.message, /untolerated taint \{node.kubernetes.io\/unreachable: \}/);
    assert.ok(pod('web-1')?.metadata.deletionTimestamp, 'web-1 still Terminating');
    api.kubelet.setNodeReady(true);
    await readyAll('web', 3);
    assert.equal(api.store.peek(PVC, 'default', 'www-web-1')!.metadata.uid, before, 'the claim is the same');
  });

  test('kubectl logs -f streams appended lines and ends when the pod goes', async () => {
    const f = kubectlStream(api, ['logs', '-f', 'web-0', '--tail=1']);
    await f.until((l) => l.includes('ready to serve requests'));
    api.kubelet.appendLog(pod('web-0')!, 'web', ['line one', 'line two']);
    await f.until((l) => l.includes('line two'));
    assert.deepEqual(f.lines, ['ready to serve requests', 'line one', 'line two']);
    assert.equal(api.kubelet.followerCount(), 1);
    assert.equal((await k('delete', 'pod', 'web-0')).code, 0);
    assert.equal(await f.exited, 0);
    await api.waitFor(() => api.kubelet.followerCount() === 0 || undefined, 5_000).catch(() => undefined);
    assert.equal(api.kubelet.followerCount(), 0);
  });
});
