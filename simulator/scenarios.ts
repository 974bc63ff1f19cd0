// Seed data: the demo cluster's StatefulSets, and bulk data (1,000 StatefulSets / 10,000 pods) for
// benchmarks, written straight into the store in their settled state.
import { randomUUID } from 'node:crypto';
import { admitCreate } from './admission';
import { markRunning, revisionData, revisionHash, type StatefulSetController } from './controller';
import { resourceByKind } from './resources';
import type { Obj } from './status';
import { clone, type Store } from './store';

const NS = resourceByKind('Namespace');
const STS = resourceByKind('StatefulSet');
const POD = resourceByKind('Pod');
const PVC = resourceByKind('PersistentVolumeClaim');
const REV = resourceByKind('ControllerRevision');

/** `managed`: the demo plus one StatefulSet per kind of owner (operator, Argo CD, Flux, Helm; owners/seed.ts) — `npm start`, devcluster */
export type ScenarioName = 'empty' | 'demo' | 'managed';

export function ensureNamespace(store: Store, name: string): void {
  if (store.peek(NS, undefined, name)) return;
  const ns: Obj = { metadata: { name } };
  admitCreate(NS, ns);
  store.create(NS, ns);
}

/** Create any object through defaulting and validation (creating its namespace if needed). */
export function createObject(store: Store, obj: Obj): Obj {
  const t = resourceByKind(obj.kind);
  const o = clone(obj);
  o.metadata ??= {};
  if (t.namespaced) {
    o.metadata.namespace ??= 'default';
    ensureNamespace(store, o.metadata.namespace);
  }
  admitCreate(t, o);
  return store.create(t, o);
}

/** Namespaces and the default StorageClass every simulator starts with. */
export function seedBase(store: Store): void {
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) ensureNamespace(store, ns);
  if (!store.peek(resourceByKind('StorageClass'), undefined, 'standard'))
    createObject(store, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'simulator.statefulset-studio.dev/hostpath',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: true,
    });
}

export interface StatefulSetSpecOptions {
  name: string;
  namespace?: string;
  replicas?: number;
  image?: string;
  claims?: { name: string; size: string }[];
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  partition?: number;
  updateStrategy?: 'RollingUpdate' | 'OnDelete';
  ordinalsStart?: number;
  whenScaled?: 'Retain' | 'Delete';
  whenDeleted?: 'Retain' | 'Delete';
  port?: number;
  labels?: Record<string, string>;
}

/** A StatefulSet manifest (and nothing more) for tests and scenarios. */
export function statefulSet(o: StatefulSetSpecOptions): Obj {
  const labels = o.labels ?? { app: o.name };
  const sts: Obj = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: o.name, namespace: o.namespace ?? 'default', labels: { ...labels } },
    spec: {
      serviceName: o.name,
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [
            {
              name: o.name.replace(/[^a-z0-9-]/g, '').slice(0, 63) || 'main',
              image: o.image ?? 'registry.k8s.io/nginx-slim:0.24',
              ports: [{ containerPort: o.port ?? 80, name: 'main' }],
              volumeMounts: (o.claims ?? []).map((c) => ({ name: c.name, mountPath: `/var/lib/${c.name}` })),
            },
          ],
        },
      },
      volumeClaimTemplates: (o.claims ?? []).map((c) => ({
        metadata: { name: c.name },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: c.size } } },
      })),
    },
  };
  if (!o.claims?.length) delete sts.spec.volumeClaimTemplates;
  if (o.podManagementPolicy) sts.spec.podManagementPolicy = o.podManagementPolicy;
  if (o.updateStrategy === 'OnDelete') sts.spec.updateStrategy = { type: 'OnDelete' };
  else if (o.partition !== undefined) sts.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: o.partition } };
  if (o.ordinalsStart !== undefined) sts.spec.ordinals = { start: o.ordinalsStart };
  if (o.whenScaled || o.whenDeleted)
    sts.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: o.whenDeleted ?? 'Retain', whenScaled: o.whenScaled ?? 'Retain' };
  return sts;
}

export function headlessService(name: string, namespace = 'default', port = 80, labels: Record<string, string> = { app: name }): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { ...labels } },
    spec: { clusterIP: 'None', clusterIPs: ['None'], selector: { ...labels }, ports: [{ name: 'main', port, targetPort: port }] },
  };
}

/** Wait until the controller has nothing left to do. */
export async function settle(controller: StatefulSetController, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
    if (controller.idle) {
      if (++quietRounds >= 3) return;
    } else quietRounds = 0;
  }
  throw new Error('simulator controller did not settle in time');
}

function updateSts(store: Store, ns: string, name: string, change: (s: Obj) => void): void {
  const s = clone(store.peek(STS, ns, name)!);
  change(s);
  delete s.metadata.resourceVersion;
  store.update(STS, s);
}

/**
 * The demo cluster: a web tier; a 3-node database with two claim templates; a StatefulSet in the
 * middle of a partitioned rolling update; one scaled down with the PVCs of the removed ordinals kept.
 */
export async function seedDemo(store: Store, controller: StatefulSetController): Promise<void> {
  const delay = controller.podReadyDelayMs;
  const termination = store.podTerminationMs;
  controller.podReadyDelayMs = 0;
  store.podTerminationMs = 0;
  try {
    ensureNamespace(store, 'databases');
    createObject(store, headlessService('web'));
    createObject(store, statefulSet({ name: 'web', replicas: 3, claims: [{ name: 'www', size: '1Gi' }] }));
    createObject(store, headlessService('postgres', 'databases', 5432));
    createObject(
      store,
      statefulSet({
        name: 'postgres',
        namespace: 'databases',
        replicas: 3,
        image: 'postgres:16.4',
        port: 5432,
        claims: [
          { name: 'data', size: '10Gi' },
          { name: 'wal', size: '2Gi' },
        ],
      }),
    );
    createObject(store, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'postgres', namespace: 'databases' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'postgres' } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, observedGeneration: 1 },
    });
    createObject(store, headlessService('cache', 'default', 6379));
    createObject(store, statefulSet({ name: 'cache', replicas: 4, image: 'redis:7.0.15', port: 6379, partition: 2 }));
    createObject(store, headlessService('queue', 'default', 5672));
    createObject(store, statefulSet({ name: 'queue', replicas: 5, image: 'rabbitmq:3.13', port: 5672, claims: [{ name: 'data', size: '5Gi' }] }));
    await settle(controller);
    // mid rolling update: ordinals >= 2 get the new image, 0 and 1 stay on the old revision
    updateSts(store, 'default', 'cache', (s) => {
      s.spec.template.spec.containers[0].image = 'redis:7.2.5';
    });
    // scale down with whenScaled: Retain (default): data-queue-2..4 stay behind
    updateSts(store, 'default', 'queue', (s) => {
      s.spec.replicas = 2;
    });
    await settle(controller);
  } finally {
    controller.podReadyDelayMs = delay;
    store.podTerminationMs = termination;
  }
}

export interface BulkOptions {
  statefulSets: number;
  podsPerSet: number;
  namespace?: string;
  /** Also create one PVC per pod (default false). */
  withClaims?: boolean;
  prefix?: string;
}

/** Write N settled StatefulSets with their revisions, Ready pods (and PVCs) straight into the store. */
export function seedBulk(store: Store, o: BulkOptions): { statefulSets: number; pods: number } {
  const ns = o.namespace ?? 'default';
  const prefix = o.prefix ?? 'bulk';
  ensureNamespace(store, ns);
  const now = store.timestamp();
  let pods = 0;
  const width = String(Math.max(0, o.statefulSets - 1)).length;
  for (let i = 0; i < o.statefulSets; i++) {
    const name = `${prefix}-${String(i).padStart(width, '0')}`;
    const manifest = statefulSet({
      name,
      namespace: ns,
      replicas: o.podsPerSet,
      image: `registry.k8s.io/nginx-slim:0.${i % 30}`,
      claims: o.withClaims ? [{ name: 'data', size: '1Gi' }] : undefined,
      podManagementPolicy: 'Parallel',
    });
    admitCreate(STS, manifest);
    const sts = store.create(STS, manifest);
    const data = revisionData(sts);
    const hash = revisionHash(data);
    const revName = `${name}-${hash}`;
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true };
    store.create(REV, {
      metadata: { name: revName, namespace: ns, labels: { ...sts.spec.template.metadata.labels, 'controller.kubernetes.io/hash': hash }, ownerReferences: [owner] },
      data: JSON.parse(data),
      revision: 1,
    });
    const tpl = sts.spec.template;
    for (let ord = 0; ord < o.podsPerSet; ord++) {
      const podName = `${name}-${ord}`;
      const spec = clone(tpl.spec);
      spec.hostname = podName;
      spec.subdomain = name;
      spec.nodeName = 'simulator-node';
      if (o.withClaims) {
        const claim = `data-${name}-${ord}`;
        spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: claim } }];
        store.create(PVC, {
          metadata: { name: claim, namespace: ns, labels: { app: name }, finalizers: ['kubernetes.io/pvc-protection'] },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: `pvc-${name}-${ord}` },
          status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
        });
      }
      const pod: Obj = {
        metadata: {
          name: podName,
          generateName: `${name}-`,
          namespace: ns,
          labels: { ...tpl.metadata.labels, 'apps.kubernetes.io/pod-index': String(ord), 'controller-revision-hash': revName, 'statefulset.kubernetes.io/pod-name': podName },
          ownerReferences: [owner],
        },
        spec,
        status: { qosClass: 'BestEffort', startTime: now, hostIP: '10.0.0.10' },
      };
      markRunning(pod, now, `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${ord + 1}`);
      store.create(POD, pod);
      pods++;
    }
    const s = clone(store.peek(STS, ns, name)!);
    s.status = {
      observedGeneration: 1,
      replicas: o.podsPerSet,
      readyReplicas: o.podsPerSet || undefined,
      currentReplicas: o.podsPerSet || undefined,
      updatedReplicas: o.podsPerSet || undefined,
      currentRevision: revName,
      updateRevision: revName,
      collisionCount: 0,
      availableReplicas: o.podsPerSet,
    };
    for (const k of Object.keys(s.status)) if (s.status[k] === undefined) delete s.status[k];
    store.update(STS, s);
  }
  return { statefulSets: o.statefulSets, pods };
}

export interface ForeignOptions {
  /** Pods of Deployments (through ReplicaSets): no StatefulSet pod-name label, owned by a ReplicaSet. */
  pods: number;
  /** PVCs of no StatefulSet (Deployments' volumes, hand-made claims, backups). */
  pvcs?: number;
  /** Pods per ReplicaSet (default 10). */
  podsPerReplicaSet?: number;
  /** Spread over this many namespaces `team-00`… (default 30). */
  namespaces?: number;
}

/**
 * A shared cluster's other workloads, written straight into the store at one resourceVersion with no
 * watch events (seed before clients connect): Running pods of Deployments and PVCs that belong to no
 * StatefulSet. Pods of one ReplicaSet share their spec, labels and owner reference (nothing stored is
 * mutated in place), so 100,000 of them stay small. Names of some PVCs end in digits (`data-<app>-0`,
 * dated backups), as a StatefulSet claim's do.
 */
export function seedForeign(store: Store, o: ForeignOptions): { pods: number; pvcs: number; namespaces: number } {
  const nsCount = Math.max(1, o.namespaces ?? 30);
  const per = Math.max(1, o.podsPerReplicaSet ?? 10);
  const namespaces = Array.from({ length: nsCount }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  for (const ns of namespaces) ensureNamespace(store, ns);
  const now = store.timestamp();
  const sets = Math.ceil(o.pods / per);
  const pods: Obj[] = [];
  const appOf = (i: number) => `svc-${String(i).padStart(String(sets).length, '0')}`;
  for (let i = 0, made = 0; i < sets; i++) {
    const ns = namespaces[i % nsCount];
    const app = appOf(i);
    const hash = revisionHash(`${app}-${i}`).slice(0, 10);
    const rs = `${app}-${hash}`;
    const labels = { app, 'pod-template-hash': hash };
    const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: randomUUID(), controller: true, blockOwnerDeletion: true }];
    const image = `registry.example.com/team/${app}:1.${i % 40}.0`;
    const spec: Obj = {
      containers: [
        {
          name: 'app',
          image,
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeName: 'simulator-node',
      schedulerName: 'default-scheduler',
    };
    const shared: Obj = { metadata: {}, spec, status: { phase: 'Pending' } };
    markRunning(shared, now, '10.0.0.1');
    const { conditions, containerStatuses } = shared.status;
    for (let k = 0; k < per && made < o.pods; k++, made++) {
      const ip = `10.${64 + (made >> 16)}.${(made >> 8) & 255}.${made & 255}`;
      pods.push({
        metadata: { name: `${rs}-${made.toString(36).padStart(5, '0')}`, generateName: `${rs}-`, namespace: ns, labels, ownerReferences },
        spec,
        status: { phase: 'Running', conditions, hostIP: '10.0.0.10', podIP: ip, podIPs: [{ ip }], startTime: now, containerStatuses, qosClass: 'Burstable' },
      });
    }
  }
  store.insertBulk(POD, pods);
  const pvcs: Obj[] = [];
  const names = [(a: string) => `${a}-uploads`, (a: string) => `data-${a}-0`, (a: string) => `${a}-cache`];
  for (let n = 0; n < (o.pvcs ?? 0); n++) {
    const i = n % sets;
    const app = appOf(i);
    const round = Math.floor(n / sets);
    const name = round < names.length ? names[round](app) : `backup-${app}-2026-11-${String(1 + (n % 28)).padStart(2, '0')}-${round}`;
    pvcs.push({
      metadata: { name, namespace: namespaces[i % nsCount], labels: { app }, finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: `pvc-${randomUUID()}` },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } },
    });
  }
  if (pvcs.length) store.insertBulk(PVC, pvcs);
  return { pods: pods.length, pvcs: pvcs.length, namespaces: nsCount };
}
