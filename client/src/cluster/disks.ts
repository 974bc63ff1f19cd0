// The disks of the StatefulSets shown: PVC usage (usage.ts, polled while the tree is visible) and
// VolumeSnapshots (a list + watch of snapshot.storage.k8s.io/v1 volumesnapshots, started once the tree is
// visible and the API is found). The tree reads it through the model (model.disks); the connection wires
// its changes to model.touch(). It knows nothing of the model: the connection gives it the nodes to ask.
import { errorMessage } from './errors';
import type { KubeHttp } from './http';
import type { Logger } from './log';
import { DEFAULT_BACKOFF, Reflector, type BackoffOptions } from './reflector';
import { SNAPSHOTS_DEF, snapshotApiPresent, snapshotsOfPvc, type VolumeSnapshot } from './snapshots';
import { DEFAULT_THRESHOLDS, FORBIDDEN_TEXT, UsagePoller, readUsage, type UsageOptions, type UsageReading, type UsageThresholds } from './usage';

export interface DiskOptions extends UsageOptions {
  thresholds?: UsageThresholds;
  backoff?: BackoffOptions;
}

export interface PvcDisk {
  reading?: UsageReading;
  /** the row's words when there is no reading: "usage needs get nodes/proxy", "usage unknown (…)" */
  note?: string;
  level: 'ok' | 'warning' | 'error' | 'none';
}

export class DiskSource {
  readonly usage: UsagePoller;
  thresholds: UsageThresholds;
  /** snapshot.storage.k8s.io/v1 served? undefined until checked */
  snapshotApi: boolean | undefined;
  snapshotApiError?: string;
  private snapshots?: Reflector<VolumeSnapshot>;
  private checking = false;
  private readonly listeners = new Set<(pvcKeys: Set<string>) => void>();
  private readonly unsubs: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly http: KubeHttp,
    private readonly log: Logger,
    readonly namespace: string | undefined,
    private readonly opts: DiskOptions = {},
  ) {
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    this.usage = new UsagePoller(http, log, opts);
    this.unsubs.push(this.usage.onDidChange((keys) => this.emit(keys)));
  }

  onDidChange(cb: (pvcKeys: Set<string>) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(keys: Set<string>): void {
    for (const l of [...this.listeners]) l(keys);
  }

  setTargets(fn: () => Iterable<string>): void {
    this.usage.setTargets(fn);
  }

  /** The tree is visible (poll usage; find and watch snapshots) or not (poll nothing). */
  setVisible(visible: boolean): void {
    if (this.stopped) return;
    this.usage.setVisible(visible);
    if (visible && this.snapshotApi === undefined) void this.checkSnapshotApi();
  }

  /** Check for the VolumeSnapshot API again (after installing it) and start watching snapshots when present. */
  async checkSnapshotApi(): Promise<boolean | undefined> {
    if (this.checking || this.stopped) return this.snapshotApi;
    this.checking = true;
    try {
      this.snapshotApi = await snapshotApiPresent(this.http);
      this.snapshotApiError = undefined;
      if (this.snapshotApi) this.watchSnapshots();
      else this.log.info('the cluster serves no snapshot.storage.k8s.io/v1: snapshot commands explain why they cannot run');
    } catch (e) {
      this.snapshotApiError = errorMessage(e);
      this.log.warn(`cannot tell whether the cluster has VolumeSnapshots: ${this.snapshotApiError}`);
    } finally {
      this.checking = false;
    }
    this.emit(new Set(['*']));
    return this.snapshotApi;
  }

  private watchSnapshots(): void {
    if (this.snapshots || this.stopped) return;
    const r = new Reflector<VolumeSnapshot>(this.http, this.log, SNAPSHOTS_DEF, this.namespace, this.opts.backoff ?? DEFAULT_BACKOFF);
    this.snapshots = r;
    this.unsubs.push(
      r.onEvents((evs) => this.emit(new Set(evs.map((e) => `${e.obj.metadata?.namespace}/${e.obj.spec?.source?.persistentVolumeClaimName ?? ''}`)))),
      r.onState(() => this.emit(new Set(['*']))),
    );
    r.start();
  }

  /** Snapshot list state: undefined (not watching), or the reflector's phase/message. */
  snapshotState(): { phase: string; message?: string } | undefined {
    return this.snapshots ? { phase: this.snapshots.state.phase, message: this.snapshots.state.message } : undefined;
  }

  snapshotsOf(namespace: string, pvc: string): VolumeSnapshot[] {
    return this.snapshots ? snapshotsOfPvc(this.snapshots.store.values(), namespace, pvc) : [];
  }

  allSnapshots(): VolumeSnapshot[] {
    return this.snapshots ? [...this.snapshots.store.values()] : [];
  }

  /** The usage of a PVC mounted by a pod on `node` (undefined node: pod not scheduled/running). */
  pvc(namespace: string, name: string, node: string | undefined): PvcDisk {
    const st = this.usage.state(namespace, name);
    if (st?.kind === 'forbidden') return { note: FORBIDDEN_TEXT, level: 'none' };
    if (st?.kind === 'unknown') return { note: `usage unknown (${st.reason})`, level: 'none' };
    if (st?.kind === 'ok') {
      const reading = readUsage(this.usage.history(namespace, name), this.thresholds);
      if (reading) return { reading, level: reading.level };
    }
    const err = node ? this.usage.nodeError(node) : undefined;
    if (err) return { note: `usage unknown (${err})`, level: 'none' };
    return { level: 'none' };
  }

  retryNow(): void {
    this.usage.retryNow();
    this.snapshots?.retryNow();
    if (this.snapshotApi !== true) {
      this.snapshotApi = undefined;
      if (this.usage.isVisible) void this.checkSnapshotApi();
    }
  }

  stop(): void {
    this.stopped = true;
    this.usage.stop();
    this.snapshots?.stop();
    for (const u of this.unsubs) u();
    this.listeners.clear();
  }
}
