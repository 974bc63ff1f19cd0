// startApiServer(): the local Kubernetes API server SIMULATOR for tests and the demo cluster.
// In-process: await startApiServer(options). As a child process: see cli.ts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureGates } from './admission';
import { sharedCerts, type Certs } from './certs';
import { StatefulSetController } from './controller';
import { VolumeResizer } from './volumes';
import { SnapshotController } from './snapshots';
import { VolumeStats } from './volumeStats';
import { seedDisksDemo } from './disksDemo';
import { OwnerSimulation } from './owners/controller';
import { seedOwnerDemo } from './owners/seed';
import { Faults } from './faults';
import { Kubelet } from './kubelet';
import { contextName, makeKubeconfig } from './kubeconfig';
import { RESOURCES } from './resources';
import { createObject, seedBase, seedBulk, seedDemo, seedForeign, settle, type BulkOptions, type ForeignOptions, type ScenarioName } from './scenarios';
import { createHandler, type RequestRecord, type User } from './server';
import type { Obj } from './status';
import { Store, type StoreEvent } from './store';
import type { ActiveWatch } from './watch';

export { statefulSet, headlessService, type StatefulSetSpecOptions, type BulkOptions, type ForeignOptions, type ScenarioName } from './scenarios';
export type { User, DenyRule, RequestRecord } from './server';
export type { Obj } from './status';
export { Store } from './store';
export { StatefulSetController } from './controller';
export { Faults } from './faults';
export { Kubelet, NODE_NAME, containerFailure, type UnschedulableRule } from './kubelet';
export { startApiServerProcess, type ChildApiServer, type ChildApiServerOptions } from './child';
export { RESOURCES, resourceByKind } from './resources';
export { SnapshotController, SNAPSHOT_GROUP } from './snapshots';
export { VolumeStats, type UsageSetting } from './volumeStats';

export interface ApiServerOptions {
  /** Port to listen on (default 0: a free port). */
  port?: number;
  /** Directory for kubeconfig and ca.crt (default: a new temp dir, removed by stop()). */
  dir?: string;
  /** Pending → Running/Ready delay for pods, ms (default 50). */
  podReadyDelayMs?: number;
  /** How long a deleted pod stays Terminating before it is gone, ms (default 0: at once). */
  podTerminationMs?: number;
  /** Events kept for watch replay (default 10,000); older resourceVersions get 410. */
  historyLimit?: number;
  /** BOOKMARK interval for watches with allowWatchBookmarks (default 1000 ms). */
  bookmarkIntervalMs?: number;
  /** Users; the first is the kubeconfig's current context. Default: admin (full rights) and
   * restricted (no get/list/watch of PVCs, no update/patch of statefulsets/scale). */
  users?: User[];
  /** Seed on start (default "empty": namespaces and a default StorageClass only). */
  scenario?: ScenarioName;
  /** Record Kubernetes Events for controller, scheduler and kubelet actions (default true). */
  recordEvents?: boolean;
  /** A log line per running container every N ms (default 0: start-up lines only). */
  logIntervalMs?: number;
  /** Crashlooping containers crash again every N ms (restartCount++, BackOff count++; default 0: never). */
  crashRestartMs?: number;
  /** Default namespace of the kubeconfig contexts. */
  namespace?: string;
  /** TLS material (default: one throwaway CA per process). */
  certs?: Certs;
  /** Each phase of a PVC expansion (Resizing, then expanded), ms (default 30). */
  volumeResizeStepMs?: number;
  /** Request log lines. */
  log?: (line: string) => void;
  /** Feature gates, all off by default like a real cluster; `inPlaceClaimTemplates` (KEP-4650) lets
   * updates change spec.volumeClaimTemplates. Changed at run time by the control action `features`. */
  featureGates?: FeatureGates;
  /** The snapshot.storage.k8s.io/v1 CRDs installed (default: with the demo and managed scenarios only). Control: `snapshots/crds` {installed}. */
  snapshotCrds?: boolean;
  /** VolumeSnapshot → readyToUse, ms (default 40). */
  snapshotReadyDelayMs?: number;
}

export interface ApiServer {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  dir: string;
  kubeconfigPath: string;
  kubeconfig: string;
  caPath: string;
  caCert: string;
  tokens: Record<string, string>;
  users: User[];
  /** Context names in the kubeconfig, by user name. */
  contexts: Record<string, string>;
  store: Store;
  controller: StatefulSetController;
  /** The node side: events, container states, logs, the NotReady-node and unschedulable knobs. */
  kubelet: Kubelet;
  faults: Faults;
  /** Volume usage the kubelet reports (nodes/{node}/proxy/stats/summary): set(), setNodeAnswering(). */
  volumeStats: VolumeStats;
  /** VolumeSnapshot CRDs (installed, install(), uninstall()), snapshot controller, data markers. */
  snapshots: SnapshotController;
  /** The owners of managed StatefulSets (operator, Argo CD, Flux): see owners/controller.ts */
  owners: OwnerSimulation;
  /** Every request seen (method, path, query, verb, user, accept, content-type, status). */
  requests: RequestRecord[];
  /** Open watch streams. */
  readonly watchCount: number;
  /** Create an object (defaulting + validation), creating its namespace if missing. */
  create(obj: Obj): Obj;
  seedScenario(name: ScenarioName): Promise<void>;
  seedBulk(o: BulkOptions): { statefulSets: number; pods: number };
  /** A shared cluster's other workloads (Deployments' pods, PVCs of no StatefulSet), written with no
   * watch events: seed before clients connect. See scenarios.ts seedForeign. */
  seedForeign(o: ForeignOptions): { pods: number; pvcs: number; namespaces: number };
  /** Wait until the controller has nothing left to do. */
  settle(timeoutMs?: number): Promise<void>;
  /** Resolve when `check` returns a truthy value (checked now and after every store change). */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Stop listening (connections cut), wait downMs, listen again on the same port; state is kept. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** Stop listening (state kept; restart() brings it back). */
  pause(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_USERS = (): User[] => [
  { name: 'admin', token: `admin-${randomBytes(12).toString('hex')}` },
  {
    name: 'restricted',
    token: `restricted-${randomBytes(12).toString('hex')}`,
    deny: [
      { verbs: ['get', 'list', 'watch'], resource: 'persistentvolumeclaims' },
      { verbs: ['update', 'patch'], resource: 'statefulsets', subresource: 'scale' },
      { verbs: '*', resource: 'nodes', subresource: 'proxy' },
    ],
  },
];

/** Temp dirs of servers not stopped yet: removed when the process exits, whatever the tests did. */
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function removeOnExit(dir: string): void {
  liveDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const certs = options.certs ?? sharedCerts();
  const ownDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sts-simulator-'));
  mkdirSync(dir, { recursive: true });
  if (ownDir) removeOnExit(dir);
  const users = options.users ?? DEFAULT_USERS();
  const store = new Store({ historyLimit: options.historyLimit, podTerminationMs: options.podTerminationMs });
  const kubelet = new Kubelet(store, { recordEvents: options.recordEvents, logIntervalMs: options.logIntervalMs, crashRestartMs: options.crashRestartMs });
  const controller = new StatefulSetController(store, { podReadyDelayMs: options.podReadyDelayMs, recordEvents: options.recordEvents, kubelet });
  const watches = new Set<ActiveWatch>();
  const requestLog: RequestRecord[] = [];
  const faults = new Faults({
    dropWatches(abrupt) {
      const all = [...watches];
      for (const w of all) (abrupt ? w.destroy() : w.end());
      return all.length;
    },
    expireResourceVersions() {
      store.compact();
      for (const w of [...watches]) w.error(410, 'Expired', `too old resource version: ${store.rv} (${store.rv + 1})`);
    },
  });

  let handle!: ApiServer;
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = options.port ?? 0;

  const featureGates: FeatureGates = { ...options.featureGates };
  const volumeStats = new VolumeStats(store);
  const snapshots = new SnapshotController(store, { installed: options.snapshotCrds ?? (options.scenario === 'demo' || options.scenario === 'managed'), readyDelayMs: options.snapshotReadyDelayMs });
  const control = async (action: string, body: Obj): Promise<Obj> => {
    switch (action) {
      case 'state':
        return { rv: store.rv, watches: watches.size, counts: Object.fromEntries(RESOURCES.map((r) => [r.resource, store.count(r)])), latencyMs: faults.latencyMs, failRules: faults.rules };
      case 'faults/drop-watches':
        return { dropped: faults.dropWatches({ abrupt: !!body.abrupt }) };
      case 'faults/expire':
        faults.expireResourceVersions();
        return { compactedRv: store.compactedRv };
      case 'faults/fail':
        faults.failNext(Number(body.count ?? 1), Number(body.code ?? 500), { message: body.message, verb: body.verb, pathIncludes: body.pathIncludes, mode: body.mode });
        return { rules: faults.rules };
      case 'faults/latency':
        faults.setLatency(Number(body.ms ?? 0));
        return { latencyMs: faults.latencyMs };
      case 'faults/reset':
        faults.reset();
        return { ok: true };
      case 'restart':
        setTimeout(() => void handle.restart({ downMs: Number(body.downMs ?? 0) }), 10);
        return { restarting: true, downMs: Number(body.downMs ?? 0) };
      case 'seed':
        if (body.scenario) await handle.seedScenario(body.scenario);
        if (body.bulk) return handle.seedBulk(body.bulk);
        if (body.foreign) return handle.seedForeign(body.foreign);
        return { ok: true };
      case 'create':
        return handle.create(body);
      case 'controller/pause':
        controller.paused = true;
        return { paused: true };
      case 'controller/resume':
        controller.paused = false;
        return { paused: false };
      case 'scenario/unschedulable':
        // {namespace?, statefulSet?, message?} adds a rule; {clear: true} removes every rule
        kubelet.setUnschedulable(body.clear ? undefined : { namespace: body.namespace, statefulSet: body.statefulSet, message: body.message });
        return { rules: kubelet.unschedulable };
      case 'scenario/node':
        // {ready: false, evict?: true} stops the node; {ready: true} brings it back
        kubelet.setNodeReady(body.ready !== false, { evict: !!body.evict });
        return { ready: kubelet.nodeReady };
      case 'scenario/crash':
        return { crashed: kubelet.crashAgain(String(body.namespace ?? 'default'), String(body.pod)) };
      case 'scenario/log-interval':
        kubelet.setLogInterval(Number(body.ms ?? 0));
        return { ms: kubelet.logIntervalMs };
      case 'logs/append': {
        const pod = store.get(RESOURCES.find((r) => r.kind === 'Pod')!, String(body.namespace ?? 'default'), String(body.pod));
        kubelet.appendLog(pod, String(body.container ?? pod.spec.containers[0].name), (body.lines ?? []).map(String));
        return { ok: true };
      }
      case 'features':
        // {inPlaceClaimTemplates: true|false}
        if (body.inPlaceClaimTemplates !== undefined) featureGates.inPlaceClaimTemplates = !!body.inPlaceClaimTemplates;
        return { ...featureGates };
      case 'stats/set':
        // {namespace, name, usedBytes?, usedFraction?, growthBytesPerHour?, growthFractionPerHour?, inodes?, inodesUsed?}
        return { usedBytes: volumeStats.set(String(body.namespace ?? 'default'), String(body.name), body) };
      case 'stats/node':
        // {node, answering: false|true}
        volumeStats.setNodeAnswering(String(body.node), body.answering !== false);
        return { ok: true };
      case 'snapshots/crds':
        // {installed: true|false}
        if (body.installed === false) snapshots.uninstall();
        else snapshots.install();
        return { installed: snapshots.installed };
      case 'snapshots/never-ready':
        snapshots.neverReady = body.neverReady !== false;
        return { neverReady: snapshots.neverReady };
      case 'volumes/write':
        // {namespace, name, marker}: data written on a claim's volume
        snapshots.writeMarker(String(body.namespace ?? 'default'), String(body.name), String(body.marker));
        return { marker: snapshots.markerOf(String(body.namespace ?? 'default'), String(body.name)) };
      case 'volumes/marker':
        return { marker: snapshots.markerOf(String(body.namespace ?? 'default'), String(body.name)) ?? null, snapshot: body.snapshot ? (snapshots.snapshotMarker(String(body.namespace ?? 'default'), String(body.snapshot)) ?? null) : undefined };
      case 'owners':
        return owners.control(body);
      case 'settle':
        await handle.settle(Number(body.timeoutMs ?? 10_000));
        return { idle: true };
      default:
        throw Object.assign(new Error(`unknown simulator control action: ${action}`), {});
    }
  };

  const handler = createHandler({
    store,
    users,
    faults,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    requestLog,
    watches,
    control,
    log: options.log,
    kubelet,
    featureGates,
    extraRoutes: [volumeStats.route()],
    hiddenGroup: snapshots.hidesGroup,
  });

  async function listen(): Promise<void> {
    const s = createServer({ key: certs.serverKey, cert: certs.serverCert }, handler);
    s.keepAliveTimeout = 5000;
    // Track raw sockets too: closeAllConnections() misses those still in their TLS handshake.
    s.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.once('close', () => sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    server = s;
    port = (s.address() as AddressInfo).port;
  }

  async function close(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    for (const w of [...watches]) w.destroy();
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
      for (const sock of sockets) sock.destroy();
      sockets.clear();
    });
  }

  await listen();
  seedBase(store);
  kubelet.start();
  controller.start();
  const resizer = new VolumeResizer(store, { stepMs: options.volumeResizeStepMs });
  resizer.start();
  snapshots.start();
  const owners = new OwnerSimulation(store);
  owners.start();
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = makeKubeconfig(url, certs.caCert, users, options.namespace ?? 'default');
  const kubeconfigPath = join(dir, 'kubeconfig');
  const caPath = join(dir, 'ca.crt');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  writeFileSync(caPath, certs.caCert);

  handle = {
    url,
    port,
    dir,
    kubeconfigPath,
    kubeconfig,
    caPath,
    caCert: certs.caCert,
    tokens: Object.fromEntries(users.map((u) => [u.name, u.token])),
    users,
    contexts: Object.fromEntries(users.map((u, i) => [u.name, contextName(u, i)])),
    store,
    controller,
    kubelet,
    faults,
    volumeStats,
    snapshots,
    owners,
    requests: requestLog,
    get watchCount() {
      return watches.size;
    },
    create: (obj) => createObject(store, obj),
    seedScenario: async (name) => {
      if (name === 'demo' || name === 'managed') await seedDemo(store, controller);
      if (name === 'demo' || name === 'managed') seedDisksDemo(store, volumeStats);
      if (name === 'managed') await seedOwnerDemo(store, controller, owners);
    },
    seedBulk: (o) => seedBulk(store, o),
    seedForeign: (o) => seedForeign(store, o),
    settle: (timeoutMs) => settle(controller, timeoutMs),
    waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const first = check();
        if (first) return resolve(first);
        let unsub = (): void => {};
        const timer = setTimeout(() => {
          unsub();
          reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        unsub = store.subscribe((_ev: StoreEvent) => {
          let v: T | undefined | false;
          try {
            v = check();
          } catch (e) {
            clearTimeout(timer);
            unsub();
            reject(e);
            return;
          }
          if (v) {
            clearTimeout(timer);
            unsub();
            resolve(v);
          }
        });
      });
    },
    async restart(opts = {}) {
      await close();
      if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
      await listen();
    },
    pause: close,
    async stop() {
      controller.stop();
      kubelet.stop();
      resizer.stop();
      snapshots.stop();
      owners.stop();
      store.dispose();
      await close();
      if (ownDir) {
        rmSync(dir, { recursive: true, force: true });
        liveDirs.delete(dir);
      }
    },
  };
  if (options.scenario && options.scenario !== 'empty') await handle.seedScenario(options.scenario);
  return handle;
}
