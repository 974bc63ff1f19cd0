// Why a StatefulSet is in trouble, as plain functions of what the model holds (no I/O): why each
// ordinal is not Ready (short for the row, full for the tooltip), the rollout state (updating with the
// partition, stuck as the controller is, OnDelete with outdated pods), when a rollout is done
// (correct with partitions, unlike `kubectl rollout status`), and whether a pod is stuck Terminating
// on a node that is gone.
import type { OrdinalInfo, PvcInfo, StatefulSetView } from './view';
import type { KObject, Pod } from './types';

/** A core v1 Event (the fields read here). */
export interface KEvent extends KObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  series?: { count?: number; lastObservedTime?: string };
}

/** How long a pod may be not Ready beyond minReadySeconds before a halted rollout is called stuck. */
export const DEFAULT_STUCK_GRACE_MS = 60_000;

export interface Why {
  /** for the row: "CrashLoopBackOff (4 restarts, exit 1)" */
  short: string;
  /** for the tooltip: every container, condition and warning event that says why */
  full: string;
  severity: 'error' | 'warning';
}

/** Oldest first: by last time seen, then by the order the server stored them (resourceVersion). */
export function byEventTime(a: KEvent, b: KEvent): number {
  return eventTime(a) - eventTime(b) || Number(a.metadata?.resourceVersion ?? 0) - Number(b.metadata?.resourceVersion ?? 0);
}

export function eventTime(e: KEvent): number {
  return Date.parse(e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '') || 0;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d`;
}

type ContainerStatus = {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
  lastState?: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
};
type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };

function conditions(p: Pod): Condition[] {
  return (p.status?.conditions ?? []) as Condition[];
}

/** "0/1 nodes are available: 1 Insufficient cpu. preemption: …" → "1 Insufficient cpu" */
export function schedulerShort(message: string): string {
  const m = message.match(/nodes are available: (.*?)(?:\. preemption:|\.$|$)/);
  return (m ? m[1] : message).replace(/\.$/, '');
}

/** Whether a pod is Terminating past its deletion deadline (deletionTimestamp = when it should be gone). */
export function terminatingTooLong(p: Pod, now: number): boolean {
  const ts = Date.parse(p.metadata?.deletionTimestamp ?? '');
  return !!ts && now > ts;
}

/** A pod Terminating past its grace period whose node is not reporting (NodeNotReady / taint eviction). */
export function onLostNode(p: Pod, events: KEvent[], now: number): boolean {
  if (!terminatingTooLong(p, now)) return false;
  const byTaint = conditions(p).some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'DeletionByTaintManager');
  return byTaint || events.some((e) => e.reason === 'NodeNotReady');
}

/**
 * Why a pod is not Ready (undefined when it is Ready and not Terminating). `events` are the pod's
 * Warning events (any order), `pvcs` its claims.
 */
export function podNotReady(p: Pod, o: { events?: KEvent[]; pvcs?: PvcInfo[]; now?: number } = {}): Why | undefined {
  const now = o.now ?? Date.now();
  const events = [...(o.events ?? [])].sort(byEventTime);
  const ready = conditions(p).some((c) => c.type === 'Ready' && c.status === 'True');
  const details: string[] = [];
  const warn = events.filter((e) => e.type === 'Warning');
  const evLines = warn.slice(-5).map((e) => `  ${e.reason}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
  const finish = (short: string, severity: Why['severity'], extra: string[] = []): Why => ({
    short,
    severity,
    full: [`not Ready: ${short}`, ...extra, ...details, ...(evLines.length ? ['warning events:', ...evLines] : [])].join('\n'),
  });
  const node = p.spec?.nodeName;

  if (p.metadata?.deletionTimestamp) {
    const deadline = Date.parse(p.metadata.deletionTimestamp);
    if (onLostNode(p, events, now))
      return finish(`Terminating on NotReady node ${node ?? '?'} (${duration(now - deadline)} past its grace period)`, 'error', [
        `The node ${node ?? '?'} does not report: nothing confirms that the containers stopped, so the pod stays Terminating and the StatefulSet does not replace it.`,
        'Use "Lost Node…" for the safe procedure (confirm the node is gone, or taint it out-of-service, before a force delete).',
      ]);
    if (terminatingTooLong(p, now)) return finish(`Terminating (${duration(now - deadline)} past its grace period)`, 'warning');
    return ready ? undefined : finish('Terminating', 'warning');
  }

  const sched = conditions(p).find((c) => c.type === 'PodScheduled');
  if (sched?.status === 'False') {
    const fs = [...warn].reverse().find((e) => e.reason === 'FailedScheduling');
    const msg = fs?.message ?? sched.message ?? sched.reason ?? 'not scheduled';
    return finish(`Pending: ${schedulerShort(msg)}`, 'warning', [`scheduler: ${msg}`]);
  }

  for (const c of o.pvcs ?? []) {
    if (c.phase === 'Pending' || c.phase === 'Lost' || c.phase === 'Missing' || c.terminating) {
      details.push(`claim ${c.name}: ${c.terminating ? 'being deleted' : c.phase}`);
    }
  }

  const statuses = (p.status?.containerStatuses ?? []) as ContainerStatus[];
  let worst: { short: string; severity: Why['severity'] } | undefined;
  for (const cs of statuses) {
    const w = cs.state?.waiting;
    const t = cs.state?.terminated;
    const last = cs.lastState?.terminated;
    const restarts = cs.restartCount ?? 0;
    let line: string | undefined;
    let short: string | undefined;
    let severity: Why['severity'] = 'warning';
    if (w?.reason === 'CrashLoopBackOff') {
      const why = last?.reason === 'OOMKilled' ? 'OOMKilled, ' : '';
      short = `CrashLoopBackOff (${why}${restarts} restart${restarts === 1 ? '' : 's'}${last?.exitCode !== undefined ? `, exit ${last.exitCode}` : ''})`;
      severity = 'error';
      line = `container ${cs.name}: waiting, CrashLoopBackOff — ${restarts} restarts; last terminated: ${last?.reason ?? '?'} (exit code ${last?.exitCode ?? '?'})${w.message ? `; ${w.message}` : ''}`;
    } else if (w?.reason === 'ImagePullBackOff' || w?.reason === 'ErrImagePull' || w?.reason === 'InvalidImageName') {
      short = `${w.reason}: ${cs.image ?? ''}`.trim();
      severity = 'error';
      line = `container ${cs.name}: waiting, ${w.reason}${w.message ? ` — ${w.message}` : ''}`;
    } else if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') {
      short = `${w.reason}${w.message ? `: ${w.message}` : ''}`;
      severity = /Error|BackOff/.test(w.reason) ? 'error' : 'warning';
      line = `container ${cs.name}: waiting, ${w.reason}${w.message ? ` — ${w.message}` : ''}`;
    } else if (t) {
      short = `${t.reason ?? 'Terminated'} (exit ${t.exitCode ?? '?'})`;
      severity = 'error';
      line = `container ${cs.name}: terminated, ${t.reason ?? ''} exit code ${t.exitCode ?? '?'}`;
    } else if (w?.reason) {
      short = w.reason;
      line = `container ${cs.name}: waiting, ${w.reason}`;
    } else if (cs.state?.running && !cs.ready) {
      short = `container ${cs.name} running, not ready`;
      line = `container ${cs.name}: running, not ready (readiness probe)${last?.reason === 'OOMKilled' ? ' — last terminated: OOMKilled' : ''}`;
    }
    if (line) details.push(line);
    if (short && (!worst || (severity === 'error' && worst.severity !== 'error'))) worst = { short, severity };
  }
  const nodeDown = warn.some((e) => e.reason === 'NodeNotReady');
  if (ready) return undefined;
  if (nodeDown && (!worst || worst.severity !== 'error')) return finish(`node ${node ?? '?'} NotReady`, 'error');
  if (worst) return finish(worst.short, worst.severity);
  const claim = (o.pvcs ?? []).find((c) => c.phase === 'Pending' || c.phase === 'Lost' || c.terminating);
  if (claim) return finish(`PVC ${claim.name} ${claim.terminating ? 'being deleted' : claim.phase}`, claim.phase === 'Lost' ? 'error' : 'warning');
  const rc = conditions(p).find((c) => c.type === 'Ready');
  if (p.status?.phase === 'Pending') return finish('Pending: ContainerCreating', 'warning');
  return finish(rc?.message ?? rc?.reason ?? `${p.status?.phase ?? 'Unknown'}, not ready`, 'warning');
}

/** Since when a pod has not been Ready (ms epoch): the Ready condition's transition, else creation. */
export function notReadySince(p: Pod | undefined): number | undefined {
  if (!p) return undefined;
  const rc = conditions(p).find((c) => c.type === 'Ready');
  if (rc?.status === 'True' && !p.metadata?.deletionTimestamp) return undefined;
  return Date.parse(rc?.lastTransitionTime ?? '') || Date.parse(p.metadata?.creationTimestamp ?? '') || undefined;
}

export interface RolloutState {
  /** complete: nothing to do; updating: the controller progresses; stuck: it cannot; outdated: OnDelete pods on an old revision */
  kind: 'complete' | 'updating' | 'stuck' | 'outdated';
  /** for the row ('' when complete) */
  text: string;
  /** every ordinal ≥ partition runs the update revision and is Ready (the rollout-status "done") */
  done: boolean;
  /** ordinals the rollout covers (≥ partition) and how many of them are updated and Ready */
  targets: number;
  updatedReady: number;
  /** the pod the controller waits for, when stuck */
  stuckAt?: string;
  reason?: string;
  /** ms the stuck pod has not been Ready */
  stuckForMs?: number;
  /** when to look again (a pod that becomes stuck once the grace has passed) */
  recheckAt?: number;
  /** OnDelete: pods still on an old revision (highest ordinal first) */
  outdated: string[];
}

function podReadyNow(o: OrdinalInfo): boolean {
  return !!o.pod && o.pod.ready && !o.pod.terminating;
}

/**
 * The rollout state of a StatefulSet. Stuck (the documented "forced rollback" case) needs
 * OrderedReady + RollingUpdate, an update in progress, and a pod at ordinal ≥ partition not Ready for
 * longer than minReadySeconds + grace; Parallel never halts; OnDelete reports pods on an old revision.
 */
export function rolloutState(v: StatefulSetView, now = Date.now(), graceMs = DEFAULT_STUCK_GRACE_MS, whyOf?: (o: OrdinalInfo) => Why | undefined): RolloutState {
  const partition = v.strategy === 'RollingUpdate' ? (v.partition ?? 0) : 0;
  const desired = v.ordinals.filter((o) => o.desired);
  const targets = desired.filter((o) => o.ordinal - v.start >= partition);
  const onUpdate = (o: OrdinalInfo) => !!v.updateRevision && o.pod?.revision === v.updateRevision;
  const updatedReady = targets.filter((o) => onUpdate(o) && podReadyNow(o)).length;
  const generationSeen = (v.sts.status?.observedGeneration ?? 0) >= (v.sts.metadata?.generation ?? 0);
  const base = { targets: targets.length, updatedReady, outdated: [] as string[] };

  if (v.strategy === 'OnDelete') {
    const outdated = desired.filter((o) => o.pod && !onUpdate(o)).map((o) => o.podName).reverse();
    const done = generationSeen && outdated.length === 0 && desired.every(podReadyNow);
    if (outdated.length)
      return { ...base, kind: 'outdated', done, outdated, text: `${outdated.length} pod${outdated.length === 1 ? '' : 's'} on an old revision (OnDelete)` };
    return { ...base, kind: 'complete', done, text: '' };
  }

  const done = generationSeen && updatedReady === targets.length && desired.every((o) => o.pod && !o.pod.terminating);
  if (done) return { ...base, kind: 'complete', done: true, text: '' };
  const progress = `updating ${updatedReady}/${targets.length}${partition ? `, partition ${partition}` : ''}`;
  const inRollout = !!v.updateRevision && (v.updateRevision !== v.currentRevision || targets.some((o) => o.pod && !onUpdate(o)));
  if (!inRollout) return { ...base, kind: 'updating', done: false, text: progress };

  const limit = (v.sts.spec?.minReadySeconds ?? 0) * 1000 + graceMs;
  // the pods the controller waits for: not Ready, at an ordinal the rollout covers
  const waitingFor = targets
    // a pod Terminating within its grace period is the rollout at work, not a halt
    .filter((o) => !podReadyNow(o) && o.pod && (!o.pod.terminating || terminatingTooLong(o.pod.pod, now)))
    .map((o) => ({ o, since: notReadySince(o.pod!.pod) ?? now }))
    .sort((a, b) => Number(onUpdate(b.o)) - Number(onUpdate(a.o)) || b.o.ordinal - a.o.ordinal);
  if (v.policy === 'Parallel' || waitingFor.length === 0) return { ...base, kind: 'updating', done: false, text: progress };
  const first = waitingFor[0];
  const forMs = now - first.since;
  if (forMs <= limit) return { ...base, kind: 'updating', done: false, text: progress, recheckAt: first.since + limit + 1 };
  const reason = whyOf?.(first.o)?.short ?? first.o.pod?.reason ?? 'not Ready';
  return {
    ...base,
    kind: 'stuck',
    done: false,
    stuckAt: first.o.podName,
    reason,
    stuckForMs: forMs,
    text: `rollout stuck at ${first.o.podName}: ${reason} (${duration(forMs)})`,
  };
}

/** One line of progress for the Rollout Status command. */
export function rolloutProgressText(v: StatefulSetView, r: RolloutState): string {
  if (r.kind === 'complete') return `${v.name}: rollout complete (${r.targets} ordinal${r.targets === 1 ? '' : 's'}${v.partition ? ` ≥ partition ${v.partition}` : ''} on ${v.updateRevision ?? 'the update revision'}, Ready)`;
  if (r.kind === 'outdated') return `${v.name}: ${r.text}: delete ${r.outdated[0]} to update it (Update Next Ordinal)`;
  return `${v.name}: ${r.text}`;
}

/**
 * Resolves with the rollout state once the rollout is done (every ordinal ≥ partition on the update
 * revision and Ready) or stuck, watching the model (no polling). onProgress gets each new state.
 */
export function waitForRollout(
  model: { view(key: string): StatefulSetView | undefined; onDidChange(cb: (c: { keys: Set<string> }) => void): () => void; stuckGraceMs: number; warnings?: { of(uid?: string): KEvent[] } },
  key: string,
  o: { signal?: AbortSignal; onProgress?: (r: RolloutState, v: StatefulSetView) => void; until?: (r: RolloutState) => boolean } = {},
): Promise<RolloutState> {
  return new Promise((resolve, reject) => {
    let last = '';
    const stop = o.until ?? ((r: RolloutState) => r.done || r.kind === 'stuck');
    const check = () => {
      const v = model.view(key);
      if (!v) {
        done();
        reject(new Error(`StatefulSet ${key} no longer exists`));
        return;
      }
      const now = Date.now();
      const r = rolloutState(v, now, model.stuckGraceMs, (ord) =>
        ord.pod ? podNotReady(ord.pod.pod, { events: model.warnings?.of(ord.pod.pod.metadata?.uid), pvcs: ord.pvcs, now }) : undefined,
      );
      const text = `${r.kind}:${r.text}:${r.updatedReady}`;
      if (text !== last) {
        last = text;
        o.onProgress?.(r, v);
      }
      if (stop(r)) {
        done();
        resolve(r);
      }
    };
    const unsub = model.onDidChange((c) => {
      if (c.keys.has(key)) check();
    });
    const onAbort = () => {
      done();
      reject(Object.assign(new Error('cancelled'), { cancelled: true }));
    };
    const done = () => {
      unsub();
      o.signal?.removeEventListener('abort', onAbort);
    };
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort);
    check();
  });
}
