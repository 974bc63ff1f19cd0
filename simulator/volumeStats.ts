// The kubelet's volume statistics as the API server proxies them: GET /api/v1/nodes/{node}/proxy/stats/summary
// (RBAC: get nodes/proxy). For each Running pod on the node, its PVC volumes with usedBytes, capacityBytes,
// availableBytes, inodes, inodesUsed, inodesFree and pvcRef — the shape of the real kubelet Summary API
// (k8s.io/kubelet/pkg/apis/stats/v1alpha1). Usage is simulated per claim: a base, growing at a set rate
// (the demo's near-full PVC grows while you watch), settable from tests (set()) and from the control
// endpoint (`stats/set`). A NotReady node, or one switched off with setNodeAnswering(false), answers 503 as
// the API server does when it cannot reach the kubelet.
import type { ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { resourceByKind } from './resources';
import type { ExtraMatch, ExtraRoute } from './routes';
import { ApiError, type Obj } from './status';
import type { Store } from './store';
import { quantityBytes } from './volumes';

const NODE = resourceByKind('Node');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');

// nodes/proxy as discovery lists it (kubectl get --raw needs no discovery; the RBAC resource does)
if (!NODE.subresources.some((s) => s.name === 'proxy'))
  NODE.subresources.push({ name: 'proxy', group: '', version: 'v1', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });

/** What a test or the demo sets for one claim (bytes; fractions of the capacity). */
export interface UsageSetting {
  usedBytes?: number;
  usedFraction?: number;
  /** growth per hour, bytes (negative: shrinking, e.g. a cleanup) */
  growthBytesPerHour?: number;
  /** growth per hour as a fraction of the capacity */
  growthFractionPerHour?: number;
  inodes?: number;
  inodesUsed?: number;
}

interface Usage {
  baseBytes: number;
  growthPerHour: number;
  since: number;
  inodes?: number;
  inodesUsed?: number;
}

/** Bytes per inode of the simulated file systems (ext4's default inode ratio). */
const INODE_RATIO = 16_384;

export class VolumeStats {
  /** by PVC uid */
  private readonly usage = new Map<string, Usage>();
  private readonly silent = new Set<string>();
  /** requests answered (per node), for tests and the bench */
  readonly served = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Set the usage of a claim (it must exist). Returns the bytes used now. */
  set(namespace: string, name: string, s: UsageSetting): number {
    const pvc = this.store.peek(PVC, namespace, name);
    if (!pvc) throw new ApiError(404, 'NotFound', `persistentvolumeclaims "${name}" not found`);
    const cap = this.capacity(pvc);
    const prev = this.usage.get(pvc.metadata.uid);
    const base = s.usedBytes ?? (s.usedFraction !== undefined ? Math.round(s.usedFraction * cap) : prev ? this.usedOf(pvc) : this.defaultUsed(pvc));
    const growth = s.growthBytesPerHour ?? (s.growthFractionPerHour !== undefined ? Math.round(s.growthFractionPerHour * cap) : prev && s.usedBytes === undefined && s.usedFraction === undefined ? prev.growthPerHour : 0);
    this.usage.set(pvc.metadata.uid, {
      baseBytes: Math.max(0, Math.min(cap, base)),
      growthPerHour: growth,
      since: this.now(),
      inodes: s.inodes ?? prev?.inodes,
      inodesUsed: s.inodesUsed ?? prev?.inodesUsed,
    });
    return this.usedOf(pvc);
  }

  /** A node's kubelet stops answering (false) or answers again (true). */
  setNodeAnswering(node: string, answering: boolean): void {
    if (answering) this.silent.delete(node);
    else this.silent.add(node);
  }

  private capacity(pvc: Obj): number {
    const b = quantityBytes(pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage);
    return Number.isFinite(b) ? b : 0;
  }

  /** A stable 5–35% for claims nobody set: the same claim reads the same on every request. */
  private defaultUsed(pvc: Obj): number {
    const h = createHash('sha256').update(String(pvc.metadata.uid)).digest().readUInt32BE(0);
    return Math.round(this.capacity(pvc) * (0.05 + (h % 3000) / 10_000));
  }

  /** Bytes used now by a claim (what the next summary reports). */
  usedOf(pvc: Obj): number {
    const u = this.usage.get(pvc.metadata.uid);
    const cap = this.capacity(pvc);
    if (!u) return Math.min(cap, this.defaultUsed(pvc));
    const grown = u.baseBytes + (u.growthPerHour * (this.now() - u.since)) / 3_600_000;
    return Math.round(Math.max(0, Math.min(cap, grown)));
  }

  /** The volume stats of one claim as the kubelet reports them. */
  volumeStats(pvc: Obj, volumeName: string): Obj {
    const cap = this.capacity(pvc);
    const used = this.usedOf(pvc);
    const u = this.usage.get(pvc.metadata.uid);
    const inodes = u?.inodes ?? Math.max(1, Math.floor(cap / INODE_RATIO));
    const inodesUsed = Math.min(inodes, u?.inodesUsed ?? 11 + Math.floor(used / (256 * 1024)));
    return {
      time: new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      availableBytes: cap - used,
      capacityBytes: cap,
      usedBytes: used,
      inodesFree: inodes - inodesUsed,
      inodes,
      inodesUsed,
      name: volumeName,
      pvcRef: { name: pvc.metadata.name, namespace: pvc.metadata.namespace },
    };
  }

  private nodeReady(node: Obj): boolean {
    return (node.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
  }

  /** The Summary of a node (throws the API server's errors: 404 no such node, 503 kubelet not answering). */
  summary(nodeName: string): Obj {
    const node = this.store.peek(NODE, undefined, nodeName);
    if (!node) throw new ApiError(404, 'NotFound', `nodes "${nodeName}" not found`, { name: nodeName, kind: 'nodes' });
    const ip = (node.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? '10.0.0.10';
    if (this.silent.has(nodeName) || !this.nodeReady(node))
      throw new ApiError(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:10250: connect: connection refused`);
    this.served.set(nodeName, (this.served.get(nodeName) ?? 0) + 1);
    const time = new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const pods: Obj[] = [];
    for (const p of this.store.listRaw(POD)) {
      if (p.spec?.nodeName !== nodeName || p.status?.phase !== 'Running') continue;
      const volume: Obj[] = [];
      for (const v of p.spec?.volumes ?? []) {
        const claim = v.persistentVolumeClaim?.claimName;
        if (!claim) continue;
        const pvc = this.store.peek(PVC, p.metadata.namespace, claim);
        if (!pvc || pvc.status?.phase !== 'Bound') continue;
        volume.push(this.volumeStats(pvc, v.name));
      }
      pods.push({
        podRef: { name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid },
        startTime: p.status?.startTime ?? p.metadata.creationTimestamp,
        containers: (p.spec?.containers ?? []).map((c: Obj) => ({ name: c.name, startTime: p.status?.startTime ?? time })),
        ...(volume.length ? { volume } : {}),
      });
    }
    return {
      node: { nodeName, systemContainers: [], startTime: node.metadata.creationTimestamp, fs: { time, availableBytes: 80 * 2 ** 30, capacityBytes: 100 * 2 ** 30, usedBytes: 20 * 2 ** 30 } },
      pods,
    };
  }

  /** GET /api/v1/nodes/{node}/proxy/stats/summary */
  route(): ExtraRoute {
    return {
      match: (segs, method): ExtraMatch | undefined => {
        if (segs[0] !== 'api' || segs[1] !== 'v1' || segs[2] !== 'nodes' || segs[4] !== 'proxy' || !segs[3]) return undefined;
        const name = segs[3];
        const rest = segs.slice(5).join('/');
        return {
          verb: method === 'GET' ? 'get' : method.toLowerCase(),
          resource: 'nodes',
          subresource: 'proxy',
          name,
          serve: (res: ServerResponse) => {
            if (method !== 'GET' || (rest !== 'stats/summary' && rest !== 'stats/summary/'))
              throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${method.toLowerCase()} nodes ${name}/proxy/${rest})`);
            const text = JSON.stringify(this.summary(name));
            res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
            res.end(text);
          },
        };
      },
    };
  }
}
