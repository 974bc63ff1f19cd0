// meta.k8s.io/v1 Table responses (what `kubectl get` asks for), with the columns the real API
// server's printers produce for the kinds served here.
import type { ResourceType } from './resources';
import type { Obj } from './status';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  format?: string;
  description: string;
  priority?: number;
  cell: (o: Obj, now: Date) => unknown;
}

/** k8s.io/apimachinery duration.HumanDuration, as the AGE column shows it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(ts: string | undefined, now: Date): string {
  if (!ts) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(ts));
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (o) => o.metadata.name,
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o, now) => age(o.metadata.creationTimestamp, now),
};

function podReady(p: Obj): string {
  const total = (p.spec?.containers ?? []).length;
  const ready = (p.status?.containerStatuses ?? []).filter((c: Obj) => c.ready).length;
  return `${ready}/${total}`;
}

function podStatus(p: Obj): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  for (const cs of p.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason) return cs.state.terminated.reason;
  }
  return p.status?.reason ?? p.status?.phase ?? 'Unknown';
}

function containersOf(spec: Obj | undefined): { names: string; images: string } {
  const cs: Obj[] = spec?.containers ?? [];
  return { names: cs.map((c) => c.name).join(','), images: cs.map((c) => c.image).join(',') };
}

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

function servicePorts(s: Obj): string {
  const ports: Obj[] = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function intOrPercent(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

const COLUMNS: Record<string, Column[]> = {
  StatefulSet: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state',
      cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    },
    AGE,
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      description: 'Names of each container in the template.',
      cell: (o) => containersOf(o.spec?.template?.spec).names,
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      description: 'Images referenced by each container in the template.',
      cell: (o) => containersOf(o.spec?.template?.spec).images,
    },
  ],
  Pod: [
    NAME,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', cell: podReady },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      cell: (o, now) => {
        const cs: Obj[] = o.status?.containerStatuses ?? [];
        const n = cs.reduce((sum: number, c: Obj) => sum + (c.restartCount ?? 0), 0);
        const last = cs
          .map((c) => c.lastState?.terminated?.finishedAt as string | undefined)
          .filter((x): x is string => !!x)
          .sort()
          .at(-1);
        return n > 0 && last ? `${n} (${age(last, now)} ago)` : String(n);
      },
    },
    AGE,
    { name: 'IP', type: 'string', priority: 1, description: 'IP address allocated to the pod.', cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, description: 'Name of the node where the pod is running.', cell: (o) => o.spec?.nodeName ?? '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, description: 'Name of the node this pod is nominated to.', cell: () => '<none>' },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: 'Pod readiness gates.', cell: () => '<none>' },
  ],
  PersistentVolumeClaim: [
    NAME,
    { name: 'Status', type: 'string', description: 'The phase of the claim.', cell: (o) => o.status?.phase ?? '' },
    { name: 'Volume', type: 'string', description: 'The bound volume.', cell: (o) => o.spec?.volumeName ?? '' },
    {
      name: 'Capacity',
      type: 'string',
      description: 'The capacity of the bound volume.',
      cell: (o) => (o.status?.phase === 'Bound' ? (o.status?.capacity?.storage ?? '') : ''),
    },
    {
      name: 'Access Modes',
      type: 'string',
      description: 'The access modes of the bound volume.',
      cell: (o) => (o.status?.phase === 'Bound' ? accessModes(o.status?.accessModes ?? o.spec?.accessModes) : ''),
    },
    { name: 'StorageClass', type: 'string', description: 'The storage class of the claim.', cell: (o) => o.spec?.storageClassName ?? '<unset>' },
    {
      name: 'VolumeAttributesClass',
      type: 'string',
      description: 'The volume attributes class of the claim.',
      cell: (o) => o.spec?.volumeAttributesClassName ?? '<unset>',
    },
    AGE,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'The volume mode of the claim.', cell: (o) => o.spec?.volumeMode ?? '' },
  ],
  ControllerRevision: [
    NAME,
    {
      name: 'Controller',
      type: 'string',
      description: 'The controller of the revision.',
      cell: (o) => {
        const ref = (o.metadata.ownerReferences ?? []).find((r: Obj) => r.controller);
        return ref ? `${ref.kind.toLowerCase()}.${String(ref.apiVersion).split('/')[0]}/${ref.name}` : '<none>';
      },
    },
    { name: 'Revision', type: 'integer', description: 'The revision number.', cell: (o) => o.revision },
    AGE,
  ],
  Service: [
    NAME,
    { name: 'Type', type: 'string', description: 'The type of the service.', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', description: 'The cluster IP of the service.', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', description: 'The external IP of the service.', cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', description: 'The ports of the service.', cell: servicePorts },
    AGE,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      description: 'The selector of the service.',
      cell: (o) =>
        Object.entries(o.spec?.selector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
  ],
  Namespace: [
    NAME,
    { name: 'Status', type: 'string', description: 'The status of the namespace', cell: (o) => o.status?.phase ?? 'Active' },
    AGE,
  ],
  PodDisruptionBudget: [
    NAME,
    { name: 'Min Available', type: 'string', description: 'The minimum number of pods that must be available.', cell: (o) => intOrPercent(o.spec?.minAvailable) },
    { name: 'Max Unavailable', type: 'string', description: 'The maximum number of pods that may be unavailable.', cell: (o) => intOrPercent(o.spec?.maxUnavailable) },
    { name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.', cell: (o) => o.status?.disruptionsAllowed ?? 0 },
    AGE,
  ],
  StorageClass: [
    {
      ...NAME,
      cell: (o) => (o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? `${o.metadata.name} (default)` : o.metadata.name),
    },
    { name: 'Provisioner', type: 'string', description: 'The provisioner of the storage class.', cell: (o) => o.provisioner },
    { name: 'ReclaimPolicy', type: 'string', description: 'The reclaim policy.', cell: (o) => o.reclaimPolicy ?? 'Delete' },
    { name: 'VolumeBindingMode', type: 'string', description: 'The volume binding mode.', cell: (o) => o.volumeBindingMode ?? 'Immediate' },
    { name: 'AllowVolumeExpansion', type: 'string', description: 'Whether volume expansion is allowed.', cell: (o) => String(o.allowVolumeExpansion ?? false) },
    AGE,
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      description: 'Time when last this event was seen.',
      cell: (o, now) => age(o.lastTimestamp ?? o.series?.lastObservedTime ?? o.deprecatedLastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now),
    },
    { name: 'Type', type: 'string', description: 'Type of this event.', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', description: 'Reason why this event was generated.', cell: (o) => o.reason ?? '' },
    {
      name: 'Object',
      type: 'string',
      description: 'The object this event is about.',
      cell: (o) => {
        const r = o.involvedObject ?? o.regarding;
        return `${String(r?.kind ?? '').toLowerCase()}/${r?.name ?? ''}`;
      },
    },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.', cell: (o) => o.message ?? o.note ?? '' },
  ],
  Node: [
    NAME,
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the node',
      cell: (o) => {
        const r = (o.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
        return [r?.status === 'True' ? 'Ready' : 'NotReady', o.spec?.unschedulable ? 'SchedulingDisabled' : ''].filter(Boolean).join(',');
      },
    },
    {
      name: 'Roles',
      type: 'string',
      description: 'The roles of the node',
      cell: (o) => Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24)).join(',') || '<none>',
    },
    AGE,
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
  ],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: Obj, include: IncludeObject): Obj | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** Columns of kinds served by modules of their own (snapshots.ts). */
export function registerColumns(kind: string, columns: Column[]): void {
  COLUMNS[kind] = columns;
}

export function columnsFor(t: ResourceType): Column[] {
  return COLUMNS[t.kind] ?? [NAME, AGE];
}

export function toTable(
  t: ResourceType,
  items: Obj[],
  opts: { include: IncludeObject; now: Date; listMeta?: Obj; withColumns?: boolean },
): Obj {
  const cols = columnsFor(t);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.listMeta ?? {},
    columnDefinitions:
      opts.withColumns === false
        ? []
        : cols.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? '',
            description: c.description,
            priority: c.priority ?? 0,
          })),
    rows: items.map((o) => {
      const row: Obj = { cells: cols.map((c) => c.cell(o, opts.now)) };
      const ro = rowObject(o, opts.include);
      if (ro) row.object = ro;
      return row;
    }),
  };
}
