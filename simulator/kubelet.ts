// The node side of the simulator: what the scheduler, the kubelet, the node lifecycle controller and
// the event recorder report on a real cluster, driven by image names and scenario knobs.
//   - Events: core v1 Events (aggregated like client-go's recorder: same object, reason, message →
//     count++, lastTimestamp) mirrored as events.k8s.io/v1 Events (regarding, note, series).
//     Pods: Scheduled, Pulling, Pulled, Created, Started, BackOff, Failed, Killing, FailedScheduling,
//     NodeNotReady, TaintManagerEviction; PVCs: ProvisioningSucceeded / ProvisioningFailed.
//   - Container states by image name: "crashloop" → CrashLoopBackOff (lastState terminated, exit 1),
//     "oomkill" → CrashLoopBackOff after OOMKilled (exit 137), "doesnotexist"/"nonexistent" →
//     ImagePullBackOff, "configerror" → CreateContainerConfigError; requests above the node's
//     allocatable (4 cpu, 16Gi) → Pending, FailedScheduling.
//   - Knobs: unschedulable pods (setUnschedulable), a NotReady node (setNodeReady(false)): pods turn
//     not Ready, deleted pods stay Terminating until the node is back or a force delete (grace 0).
//   - Logs: per container instance, with timestamps; followers get appended lines; pods/log serves
//     container, follow, tailLines, previous, timestamps, sinceSeconds, sinceTime, limitBytes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resourceByKind, findResource } from './resources';
import { ApiError, badRequest, type Obj } from './status';
import { clone, type Store, type StoreEvent } from './store';

const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const EVENT = resourceByKind('Event');
const EVENT_V1 = findResource('events.k8s.io', 'v1', 'events')!;
const NODE = resourceByKind('Node');
const SC = resourceByKind('StorageClass');

export const NODE_NAME = 'simulator-node';
const ALLOCATABLE = { cpu: 4, memoryBytes: 16 * 1024 ** 3 };

export type ContainerFailure = 'ok' | 'crash' | 'oom' | 'pull' | 'config';

export function containerFailure(image: unknown): ContainerFailure {
  const i = String(image ?? '');
  if (/doesnotexist|nonexistent/.test(i)) return 'pull';
  if (i.includes('configerror')) return 'config';
  if (i.includes('oomkill')) return 'oom';
  if (i.includes('crashloop')) return 'crash';
  return 'ok';
}

export interface KubeletOptions {
  /** Record Events (default true). */
  recordEvents?: boolean;
  /** A log line per running container every N ms (default 0: only start-up lines). */
  logIntervalMs?: number;
  /** A crashlooping container restarts again every N ms (restartCount++, BackOff count++; default 0: never). */
  crashRestartMs?: number;
  /** Lines kept per container instance (default 20,000). */
  maxLogLines?: number;
}

interface LogLine {
  ts: string; // RFC 3339 with nanoseconds, as the kubelet prints with timestamps=true
  text: string;
}
interface Follower {
  res: ServerResponse;
  timestamps: boolean;
  end(): void;
}
interface ContainerLogs {
  instances: LogLine[][];
  followers: Set<Follower>;
}

export interface UnschedulableRule {
  namespace?: string;
  /** StatefulSet name (its pods); omitted: every new pod in the namespace */
  statefulSet?: string;
  message?: string;
}

function cpuOf(q: unknown): number {
  const s = String(q ?? '0');
  return s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s) || 0;
}

function bytesOf(q: unknown): number {
  const m = String(q ?? '0').match(/^(\d+(?:\.\d+)?)([KMGTPE]i?)?$/);
  if (!m) return 0;
  const pow = { K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 } as Record<string, number>;
  const unit = m[2] ?? '';
  const base = unit.endsWith('i') ? 1024 : 1000;
  return Number(m[1]) * (unit ? base ** pow[unit[0]] : 1);
}

let lastNs = 0n;
function nextNs(d: Date): bigint {
  let ns = BigInt(d.getTime()) * 1_000_000n;
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  return ns;
}
/** RFC 3339 with nanoseconds, strictly increasing (log lines of one node never share a timestamp). */
function nanoStamp(d = new Date()): string {
  const ns = nextNs(d);
  const ms = Number(ns / 1_000_000n);
  const rest = String(ns % 1_000_000n).padStart(6, '0');
  return new Date(ms).toISOString().replace(/Z$/, `${rest}Z`);
}

function ownerSts(pod: Obj): string | undefined {
  return (pod.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller && r.kind === 'StatefulSet')?.name;
}

export class Kubelet {
  private readonly recordEvents: boolean;
  logIntervalMs: number;
  crashRestartMs: number;
  private readonly maxLogLines: number;
  private unsubscribe?: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private ticker?: NodeJS.Timeout;
  private crashTicker?: NodeJS.Timeout;
  /** aggregation key → event name */
  private readonly aggregated = new Map<string, string>();
  /** `${podUid}/${container}` → logs */
  private readonly logs = new Map<string, ContainerLogs>();
  readonly unschedulable: UnschedulableRule[] = [];
  nodeReady = true;

  constructor(
    private readonly store: Store,
    opts: KubeletOptions = {},
  ) {
    this.recordEvents = opts.recordEvents ?? true;
    this.logIntervalMs = opts.logIntervalMs ?? 0;
    this.crashRestartMs = opts.crashRestartMs ?? 0;
    this.maxLogLines = opts.maxLogLines ?? 20_000;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.ensureNode();
    this.store.holdPodTermination = (pod) => !this.nodeReady && pod.spec?.nodeName === NODE_NAME;
    this.unsubscribe = this.store.subscribe((ev) => this.onStoreEvent(ev));
    this.setLogInterval(this.logIntervalMs);
    this.setCrashRestart(this.crashRestartMs);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.ticker) clearInterval(this.ticker);
    if (this.crashTicker) clearInterval(this.crashTicker);
    this.ticker = this.crashTicker = undefined;
    for (const l of this.logs.values()) for (const f of [...l.followers]) f.end();
  }

  setLogInterval(ms: number): void {
    this.logIntervalMs = ms;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (ms > 0) {
      let n = 0;
      this.ticker = setInterval(() => {
        n++;
        for (const p of this.store.listRaw(POD)) {
          for (const cs of p.status?.containerStatuses ?? []) {
            if (cs.state?.running) this.appendLog(p, cs.name, [`GET /healthz 200 (request ${n})`]);
          }
        }
      }, ms);
      this.ticker.unref?.();
    }
  }

  setCrashRestart(ms: number): void {
    this.crashRestartMs = ms;
    if (this.crashTicker) clearInterval(this.crashTicker);
    this.crashTicker = undefined;
    if (ms > 0) {
      this.crashTicker = setInterval(() => {
        for (const p of this.store.listRaw(POD)) if (!p.metadata.deletionTimestamp) this.crashAgain(p.metadata.namespace, p.metadata.name);
      }, ms);
      this.crashTicker.unref?.();
    }
  }

  // ---- the node ----------------------------------------------------------------------------

  private ensureNode(): void {
    if (this.store.peek(NODE, undefined, NODE_NAME)) return;
    const now = this.store.timestamp();
    this.store.create(NODE, {
      metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' } },
      spec: { podCIDR: '10.244.0.0/16' },
      status: {
        capacity: { cpu: String(ALLOCATABLE.cpu), memory: '16Gi', pods: '110' },
        allocatable: { cpu: String(ALLOCATABLE.cpu), memory: '16Gi', pods: '110' },
        conditions: this.nodeConditions(true, now),
        addresses: [
          { type: 'InternalIP', address: '10.0.0.10' },
          { type: 'Hostname', address: NODE_NAME },
        ],
        nodeInfo: { kubeletVersion: 'v1.32.0-simulator', containerRuntimeVersion: 'containerd://1.7.0', osImage: 'simulator', kernelVersion: '6.1.0', operatingSystem: 'linux', architecture: 'amd64' },
      },
    });
  }

  private nodeConditions(ready: boolean, now: string): Obj[] {
    return [
      { type: 'MemoryPressure', status: ready ? 'False' : 'Unknown', reason: ready ? 'KubeletHasSufficientMemory' : 'NodeStatusUnknown', message: ready ? 'kubelet has sufficient memory available' : 'Kubelet stopped posting node status.', lastHeartbeatTime: now, lastTransitionTime: now },
      { type: 'Ready', status: ready ? 'True' : 'Unknown', reason: ready ? 'KubeletReady' : 'NodeStatusUnknown', message: ready ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.', lastHeartbeatTime: now, lastTransitionTime: now },
    ];
  }

  /**
   * The node stops (NotReady: Ready Unknown, unreachable taints, its pods not Ready) or comes back.
   * With evict, the pods on it are deleted as the taint manager does after tolerationSeconds: they stay
   * Terminating (no kubelet confirms) until the node is back or someone force-deletes them.
   */
  setNodeReady(ready: boolean, opts: { evict?: boolean } = {}): void {
    this.nodeReady = ready;
    const now = this.store.timestamp();
    const node = clone(this.store.get(NODE, undefined, NODE_NAME));
    node.status.conditions = this.nodeConditions(ready, now);
    node.spec.taints = ready
      ? undefined
      : [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: now },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: now },
        ];
    if (!node.spec.taints) delete node.spec.taints;
    delete node.metadata.resourceVersion;
    this.store.update(NODE, node);
    for (const p of this.store.listRaw(POD)) {
      if (p.spec?.nodeName !== NODE_NAME) continue;
      const { namespace, name } = p.metadata;
      if (!ready) {
        const next = clone(p);
        next.status.conditions = (next.status.conditions ?? []).map((c: Obj) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
        if (opts.evict) next.status.conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastProbeTime: null, lastTransitionTime: now });
        delete next.metadata.resourceVersion;
        this.store.update(POD, next);
        this.record(p, 'Warning', 'NodeNotReady', 'Node is not ready', 'node-controller');
        if (opts.evict && !p.metadata.deletionTimestamp) {
          this.record(p, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`, 'taint-eviction-controller');
          this.store.delete(POD, namespace, name);
        }
      } else if (p.metadata.deletionTimestamp) {
        // the kubelet is back and confirms the deletions it was asked for
        this.store.deleteIfPresent(POD, namespace, name);
      } else {
        const next = clone(p);
        const allReady = (next.status.containerStatuses ?? []).every((c: Obj) => c.ready);
        next.status.conditions = (next.status.conditions ?? []).map((c: Obj) => (c.type === 'Ready' ? { ...c, status: allReady ? 'True' : 'False', lastTransitionTime: now } : c));
        delete next.metadata.resourceVersion;
        this.store.update(POD, next);
      }
    }
    if (ready) this.retrySchedule();
  }

  /** Make new pods (of a StatefulSet, or of a namespace, or all) unschedulable; undefined clears every rule. */
  setUnschedulable(rule: UnschedulableRule | undefined): void {
    if (!rule) {
      this.unschedulable.length = 0;
      this.retrySchedule();
      return;
    }
    this.unschedulable.push(rule);
  }

  /** Pending pods the scheduler could not place: try again (a knob was cleared, the node is back). */
  private retrySchedule(): void {
    for (const p of this.store.listRaw(POD)) {
      if (p.status?.phase !== 'Pending' || p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
      const next = clone(p);
      this.startPod(next, this.store.timestamp());
      delete next.metadata.resourceVersion;
      this.store.update(POD, next);
    }
  }

  private unschedulableReason(pod: Obj): string | undefined {
    if (!this.nodeReady)
      return '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    const sts = ownerSts(pod);
    const rule = this.unschedulable.find((r) => (!r.namespace || r.namespace === pod.metadata.namespace) && (!r.statefulSet || r.statefulSet === sts));
    if (rule)
      return rule.message ?? '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    let cpu = 0;
    let mem = 0;
    for (const c of pod.spec?.containers ?? []) {
      cpu += cpuOf(c.resources?.requests?.cpu);
      mem += bytesOf(c.resources?.requests?.memory);
    }
    const short = [cpu > ALLOCATABLE.cpu ? 'Insufficient cpu' : '', mem > ALLOCATABLE.memoryBytes ? 'Insufficient memory' : ''].filter(Boolean);
    if (short.length)
      return `0/1 nodes are available: ${short.map((s) => `1 ${s}`).join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = this.store.peek(PVC, pod.metadata.namespace, claim);
      if (!pvc) return `0/1 nodes are available: persistentvolumeclaim "${claim}" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`;
      const sc = pvc.spec?.storageClassName;
      // a class that does not exist: the claim is (about to be marked) Pending, whatever the order of events
      if (pvc.status?.phase !== 'Bound' || (sc && !this.store.peek(SC, undefined, sc))) return '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    }
    return undefined;
  }

  // ---- pod start ----------------------------------------------------------------------------

  /**
   * What the scheduler and the kubelet do with a Pending pod (mutates `pod`, a copy about to be
   * stored): place it or leave it Pending with PodScheduled False, then pull/create/start each
   * container (or fail as its image says), with the events and the start-up log lines.
   */
  startPod(pod: Obj, now: string): void {
    const reason = this.unschedulableReason(pod);
    if (reason) {
      delete pod.spec.nodeName;
      delete pod.status.hostIP;
      delete pod.status.hostIPs;
      delete pod.status.startTime;
      delete pod.status.containerStatuses;
      pod.status.phase = 'Pending';
      pod.status.conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message: reason }];
      this.record(pod, 'Warning', 'FailedScheduling', reason, 'default-scheduler');
      return;
    }
    pod.spec.nodeName = NODE_NAME;
    pod.status.hostIP = '10.0.0.10';
    pod.status.hostIPs = [{ ip: '10.0.0.10' }];
    pod.status.startTime ??= now;
    this.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${NODE_NAME}`, 'default-scheduler');
    const containers: Obj[] = pod.spec.containers ?? [];
    const statuses: Obj[] = [];
    let created = true;
    for (const c of containers) {
      const kind = containerFailure(c.image);
      const fieldPath = `spec.containers{${c.name}}`;
      const imageID = `${String(c.image).split(':')[0]}@sha256:${'0'.repeat(64)}`;
      const base = { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, lastState: {} as Obj };
      this.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', fieldPath);
      if (kind === 'pull') {
        created = false;
        const ref = String(c.image).includes('/') ? String(c.image) : `docker.io/library/${c.image}`;
        this.record(pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`, 'kubelet', fieldPath);
        this.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet', fieldPath);
        this.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, 'kubelet', fieldPath);
        this.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet', fieldPath);
        statuses.push({ ...base, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } });
        continue;
      }
      this.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.2s (1.2s including waiting). Image size: 12345678 bytes.`, 'kubelet', fieldPath);
      if (kind === 'config') {
        created = false;
        const ref = (c.env ?? []).map((e: Obj) => e.valueFrom?.configMapKeyRef?.name).find(Boolean) ?? 'app-config';
        const message = `configmap "${ref}" not found`;
        this.record(pod, 'Warning', 'Failed', `Error: ${message}`, 'kubelet', fieldPath);
        statuses.push({ ...base, imageID, state: { waiting: { reason: 'CreateContainerConfigError', message } } });
        continue;
      }
      this.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet', fieldPath);
      this.record(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet', fieldPath);
      const containerID = `containerd://${randomUUID().replace(/-/g, '')}`;
      if (kind === 'crash' || kind === 'oom') {
        // it has crashed a few times by the time anyone looks: the kubelet backs off
        const restarts = 3;
        for (let i = 0; i <= restarts; i++) this.newInstance(pod, c, kind);
        const terminated = kind === 'oom' ? { exitCode: 137, reason: 'OOMKilled' } : { exitCode: 1, reason: 'Error' };
        const ev = this.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, 'kubelet', fieldPath);
        this.bumpCount(pod.metadata.namespace, ev, restarts);
        statuses.push({
          ...base,
          imageID,
          containerID,
          restartCount: restarts,
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } },
          lastState: { terminated: { ...terminated, startedAt: now, finishedAt: now, containerID } },
        });
        continue;
      }
      this.newInstance(pod, c, 'ok');
      statuses.push({ ...base, imageID, containerID, ready: true, started: true, state: { running: { startedAt: now } } });
    }
    const allReady = statuses.length > 0 && statuses.every((s) => s.ready);
    pod.status.phase = created ? 'Running' : 'Pending';
    if (created && !pod.status.podIP) {
      const ip = `10.244.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
      pod.status.podIP = ip;
      pod.status.podIPs = [{ ip }];
    }
    const cond = (type: string, ok: boolean, reason?: string): Obj => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...(ok || !reason ? {} : { reason }) });
    const notReadyNames = statuses.filter((s) => !s.ready).map((s) => s.name);
    pod.status.conditions = [
      cond('PodReadyToStartContainers', true),
      cond('Initialized', true),
      { ...cond('Ready', allReady, 'ContainersNotReady'), ...(allReady ? {} : { message: `containers with unready status: [${notReadyNames.join(' ')}]` }) },
      { ...cond('ContainersReady', allReady, 'ContainersNotReady'), ...(allReady ? {} : { message: `containers with unready status: [${notReadyNames.join(' ')}]` }) },
      cond('PodScheduled', true),
    ];
    pod.status.containerStatuses = statuses;
  }

  /** One more crash of each crashlooping container of a pod: restartCount++, new log instance, BackOff count++. */
  crashAgain(ns: string, name: string): boolean {
    const cur = this.store.peek(POD, ns, name);
    if (!cur || cur.metadata.deletionTimestamp) return false;
    const next = clone(cur);
    let changed = false;
    const now = this.store.timestamp();
    for (const cs of next.status?.containerStatuses ?? []) {
      if (cs.state?.waiting?.reason !== 'CrashLoopBackOff') continue;
      const c = (next.spec.containers ?? []).find((x: Obj) => x.name === cs.name);
      if (!c) continue;
      this.newInstance(next, c, containerFailure(c.image) === 'oom' ? 'oom' : 'crash');
      cs.restartCount = (cs.restartCount ?? 0) + 1;
      cs.lastState = { terminated: { ...(cs.lastState?.terminated ?? { exitCode: 1, reason: 'Error' }), startedAt: now, finishedAt: now } };
      this.record(next, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${name}_${ns}(${next.metadata.uid})`, 'kubelet', `spec.containers{${c.name}}`);
      changed = true;
    }
    if (!changed) return false;
    delete next.metadata.resourceVersion;
    this.store.update(POD, next);
    return true;
  }

  // ---- store events ----------------------------------------------------------------------------

  private onStoreEvent(ev: StoreEvent): void {
    if (ev.key === 'pods') {
      const p = ev.object;
      const startedTerminating = ev.type === 'MODIFIED' && p.metadata.deletionTimestamp && !ev.prev?.metadata.deletionTimestamp;
      const deletedAtOnce = ev.type === 'DELETED' && !p.metadata.deletionTimestamp;
      if ((startedTerminating || deletedAtOnce) && p.spec?.nodeName && this.nodeReady) {
        for (const cs of p.status?.containerStatuses ?? [])
          if (cs.state?.running || cs.state?.waiting?.reason === 'CrashLoopBackOff')
            this.record(p, 'Normal', 'Killing', `Stopping container ${cs.name}`, 'kubelet', `spec.containers{${cs.name}}`);
      }
      if (ev.type === 'DELETED') {
        for (const [k, l] of this.logs) {
          if (!k.startsWith(`${p.metadata.uid}/`)) continue;
          for (const f of [...l.followers]) f.end();
          this.logs.delete(k);
        }
      }
      return;
    }
    if (ev.key === 'persistentvolumeclaims' && ev.type === 'ADDED') {
      const pvc = ev.object;
      const sc = pvc.spec?.storageClassName;
      if (sc && !this.store.peek(SC, undefined, sc)) {
        const next = clone(pvc);
        next.status = { phase: 'Pending' };
        delete next.spec.volumeName;
        delete next.metadata.resourceVersion;
        // after this listener returns: the store is still emitting the ADDED event
        setImmediate(() => {
          if (this.store.peek(PVC, pvc.metadata.namespace, pvc.metadata.name)?.metadata.uid !== pvc.metadata.uid) return;
          this.store.update(PVC, next);
          this.record(next, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${sc}" not found`, 'persistentvolume-controller');
        });
      } else if (pvc.status?.phase === 'Bound') {
        this.record(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvc.spec?.volumeName ?? ''}`, 'simulator.statefulset-studio.dev/hostpath');
      }
    }
  }

  // ---- events ------------------------------------------------------------------------------

  /**
   * Record an event about `involved` (aggregated: the same object, type, reason, message and source
   * bump count and lastTimestamp). Returns the core v1 Event's name.
   */
  record(involved: Obj, type: string, reason: string, message: string, component: string, fieldPath?: string): string | undefined {
    if (!this.recordEvents) return undefined;
    const ns = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}|${type}|${reason}|${message}|${component}|${fieldPath ?? ''}`;
    const now = this.store.timestamp();
    const existingName = this.aggregated.get(key);
    const existing = existingName && this.store.peek(EVENT, ns, existingName);
    if (existing) {
      this.bumpCount(ns, existingName, 1);
      return existingName;
    }
    // as client-go's recorder: <object>.<unix nanoseconds in hex> (increasing, so names sort by time)
    const name = `${involved.metadata.name}.${nextNs(this.store.now()).toString(16)}`;
    const apiVersion = involved.apiVersion ?? (involved.kind ? undefined : 'v1');
    const kind = involved.kind ?? 'Pod';
    const ref = { apiVersion: apiVersion ?? 'v1', kind, name: involved.metadata.name, namespace: ns, uid: involved.metadata.uid, resourceVersion: involved.metadata.resourceVersion, ...(fieldPath ? { fieldPath } : {}) };
    const host = component === 'kubelet' ? NODE_NAME : undefined;
    this.store.create(EVENT, {
      metadata: { name, namespace: ns },
      involvedObject: ref,
      reason,
      message,
      source: { component, ...(host ? { host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    });
    this.store.create(EVENT_V1, {
      metadata: { name, namespace: ns },
      eventTime: null,
      reportingController: component,
      reportingInstance: host ?? '',
      action: reason,
      reason,
      regarding: ref,
      note: message,
      type,
      deprecatedSource: { component, ...(host ? { host } : {}) },
      deprecatedFirstTimestamp: now,
      deprecatedLastTimestamp: now,
      deprecatedCount: 1,
    });
    this.aggregated.set(key, name);
    if (this.aggregated.size > 50_000) this.aggregated.delete(this.aggregated.keys().next().value!);
    return name;
  }

  private bumpCount(ns: string, name: string | undefined, by: number): void {
    if (!name || by <= 0) return;
    const now = this.store.timestamp();
    for (const t of [EVENT, EVENT_V1]) {
      const cur = this.store.peek(t, ns, name);
      if (!cur) continue;
      const next = clone(cur);
      delete next.metadata.resourceVersion;
      if (t === EVENT) {
        next.count = (next.count ?? 1) + by;
        next.lastTimestamp = now;
      } else {
        next.deprecatedCount = (next.deprecatedCount ?? 1) + by;
        next.deprecatedLastTimestamp = now;
        next.series = { count: next.deprecatedCount, lastObservedTime: nanoStamp(this.store.now()) };
      }
      this.store.update(t, next);
    }
  }

  // ---- logs --------------------------------------------------------------------------------

  private logsOf(podUid: string, container: string, create = true): ContainerLogs | undefined {
    const k = `${podUid}/${container}`;
    let l = this.logs.get(k);
    if (!l && create) this.logs.set(k, (l = { instances: [], followers: new Set() }));
    return l;
  }

  private newInstance(pod: Obj, c: Obj, kind: ContainerFailure): void {
    const l = this.logsOf(pod.metadata.uid, c.name)!;
    for (const f of [...l.followers]) f.end(); // the container exited: follow ends
    l.instances.push([]);
    if (l.instances.length > 2) l.instances.shift(); // the kubelet keeps the current and the previous one
    const ordinal = pod.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? '?';
    const lines = [`starting ${c.name} (image ${c.image}) in pod ${pod.metadata.name}, ordinal ${ordinal}`];
    if (kind === 'crash') lines.push('loading configuration from /etc/app/config.yaml', 'panic: simulated crash: the image name contains "crashloop"', 'exit status 1');
    else if (kind === 'oom') lines.push('allocating cache: 512Mi', 'allocating cache: 1Gi', 'fatal: out of memory (the container is OOMKilled: the image name contains "oomkill")');
    else lines.push(`listening on :${c.ports?.[0]?.containerPort ?? 80}`, 'ready to serve requests');
    this.push(l, lines);
  }

  private push(l: ContainerLogs, lines: string[]): void {
    const inst = l.instances[l.instances.length - 1];
    const now = this.store.now();
    for (const text of lines) {
      const line = { ts: nanoStamp(now), text };
      inst.push(line);
      for (const f of l.followers) f.res.write(`${f.timestamps ? `${line.ts} ` : ''}${text}\n`);
    }
    if (inst.length > this.maxLogLines) inst.splice(0, inst.length - this.maxLogLines);
  }

  /** Append lines to the current instance of a container (tests, demos, the control endpoint). */
  appendLog(pod: Obj, container: string, lines: string[]): void {
    const l = this.logsOf(pod.metadata.uid, container);
    if (!l) return;
    if (!l.instances.length) l.instances.push([]);
    this.push(l, lines);
  }

  /** Followers of a pod's logs still open (tests check that closed streams are gone). */
  followerCount(): number {
    let n = 0;
    for (const l of this.logs.values()) n += l.followers.size;
    return n;
  }

  /** GET pods/NAME/log. */
  serveLog(req: IncomingMessage, res: ServerResponse, pod: Obj, q: URLSearchParams): void {
    const containers: Obj[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    let name = q.get('container');
    if (!name) {
      const main: Obj[] = pod.spec?.containers ?? [];
      if (main.length !== 1) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${main.map((c) => c.name).join(' ')}]`);
      name = main[0].name;
    }
    if (!containers.some((x) => x.name === name) || !name) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    if (pod.spec?.nodeName === NODE_NAME && !this.nodeReady)
      throw new ApiError(500, 'InternalError', `Get "https://10.0.0.10:10250/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${name}": dial tcp 10.0.0.10:10250: connect: no route to host`);
    const cs = (pod.status?.containerStatuses ?? []).find((x: Obj) => x.name === name);
    const l = this.logsOf(pod.metadata.uid, name, false);
    const previous = q.get('previous') === 'true';
    let lines: LogLine[];
    if (previous) {
      if (!l || l.instances.length < 2) throw badRequest(`previous terminated container "${name}" in pod "${pod.metadata.name}" not found`);
      lines = l.instances[l.instances.length - 2];
    } else {
      if (!l || !l.instances.length) {
        const waiting = cs?.state?.waiting?.reason ?? 'ContainerCreating';
        const why = waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' ? 'trying and failing to pull image' : waiting;
        throw badRequest(`container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
      }
      lines = l.instances[l.instances.length - 1];
    }
    const timestamps = q.get('timestamps') === 'true';
    const since = Number(q.get('sinceSeconds') ?? '');
    if (q.get('sinceSeconds') !== null && Number.isFinite(since)) {
      const from = this.store.now().getTime() - since * 1000;
      lines = lines.filter((x) => Date.parse(x.ts) >= from);
    }
    const sinceTime = Date.parse(q.get('sinceTime') ?? '');
    if (sinceTime) lines = lines.filter((x) => Date.parse(x.ts) >= sinceTime);
    if (q.get('tailLines') !== null) {
      const tail = Number(q.get('tailLines'));
      if (Number.isInteger(tail) && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    }
    let text = lines.map((x) => `${timestamps ? `${x.ts} ` : ''}${x.text}\n`).join('');
    const limit = Number(q.get('limitBytes') ?? '');
    if (limit > 0 && Buffer.byteLength(text) > limit) text = Buffer.from(text).subarray(0, limit).toString('utf8');
    const follow = q.get('follow') === 'true' && !previous && !!cs?.state?.running;
    if (!follow) {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    if (text) res.write(text);
    const f: Follower = {
      res,
      timestamps,
      end: () => {
        if (!l!.followers.delete(f)) return;
        res.end();
      },
    };
    l!.followers.add(f);
    res.on('close', () => l!.followers.delete(f));
    void req;
  }
}
