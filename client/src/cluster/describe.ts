// Describe: a read-only text like `kubectl describe` for a StatefulSet, a pod or a PVC — conditions,
// container states, volumes and claims, and the object's events (oldest first, with counts and ages).
// Plain functions of the objects and their events; describeObject() fetches them.
import type { KubeHttp } from './http';
import { eventsFor } from './events';
import { age } from './operations';
import { byEventTime, eventTime, type KEvent } from './trouble';
import type { KObject } from './types';

export type DescribeKind = 'StatefulSet' | 'Pod' | 'PersistentVolumeClaim';

type Any = Record<string, any>;

function kv(rows: Array<[string, unknown]>, indent = ''): string[] {
  const w = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${indent}${`${k}:`.padEnd(w)}${v === '' || v === null ? '<none>' : String(v)}`);
}

function map(m: Record<string, string> | undefined): string {
  const e = Object.entries(m ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join('\n' + ' '.repeat(16)) : '<none>';
}

/** Events as kubectl describe lists them: oldest first, "3m (x4 over 10m)". */
export function eventsSection(events: KEvent[], now = Date.now()): string[] {
  if (!events.length) return ['Events:  <none>'];
  const sorted = [...events].sort(byEventTime);
  const rows = sorted.map((e) => {
    const first = Date.parse(e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '') || eventTime(e);
    const last = eventTime(e);
    const n = e.count ?? e.series?.count ?? 1;
    const when = n > 1 ? `${age(new Date(last).toISOString(), now)} (x${n} over ${age(new Date(first).toISOString(), now)})` : age(new Date(last).toISOString(), now);
    return [e.type ?? '', e.reason ?? '', when, e.source?.component ?? '', (e.message ?? '').trim()];
  });
  const head = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return ['Events:', fmt(head), fmt(head.map((h) => '-'.repeat(h.length))), ...rows.map(fmt)];
}

function containerLines(c: Any, st: Any | undefined): string[] {
  const out = [`  ${c.name}:`];
  const state = (s: Any | undefined): string[] => {
    if (!s) return ['<none>'];
    if (s.running) return ['Running', `  Started:      ${s.running.startedAt ?? ''}`];
    if (s.waiting) return ['Waiting', `  Reason:       ${s.waiting.reason ?? ''}`, ...(s.waiting.message ? [`  Message:      ${s.waiting.message}`] : [])];
    if (s.terminated)
      return ['Terminated', `  Reason:       ${s.terminated.reason ?? ''}`, `  Exit Code:    ${s.terminated.exitCode ?? ''}`, `  Started:      ${s.terminated.startedAt ?? ''}`, `  Finished:     ${s.terminated.finishedAt ?? ''}`];
    return ['<none>'];
  };
  out.push(`    Image:          ${c.image ?? ''}`);
  if (c.ports?.length) out.push(`    Port:           ${c.ports.map((p: Any) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ')}`);
  if (st) {
    const [s0, ...srest] = state(st.state);
    out.push(`    State:          ${s0}`, ...srest.map((l) => `    ${l}`));
    if (st.lastState && Object.keys(st.lastState).length) {
      const [l0, ...lrest] = state(st.lastState);
      out.push(`    Last State:     ${l0}`, ...lrest.map((l) => `    ${l}`));
    }
    out.push(`    Ready:          ${st.ready ? 'True' : 'False'}`, `    Restart Count:  ${st.restartCount ?? 0}`);
  }
  if (c.resources?.requests || c.resources?.limits) {
    if (c.resources.limits) out.push('    Limits:', ...Object.entries(c.resources.limits).map(([k, v]) => `      ${k}: ${v}`));
    if (c.resources.requests) out.push('    Requests:', ...Object.entries(c.resources.requests).map(([k, v]) => `      ${k}: ${v}`));
  }
  if (c.volumeMounts?.length) out.push('    Mounts:', ...c.volumeMounts.map((m: Any) => `      ${m.mountPath} from ${m.name}${m.readOnly ? ' (ro)' : ' (rw)'}`));
  return out;
}

export function describePod(p: Any, events: KEvent[], now = Date.now()): string {
  const md = p.metadata ?? {};
  const owner = (md.ownerReferences ?? []).find((r: Any) => r.controller);
  const status = md.deletionTimestamp ? `Terminating (lasts ${age(md.deletionTimestamp, now)})` : (p.status?.phase ?? 'Unknown');
  const lines = kv([
    ['Name', md.name],
    ['Namespace', md.namespace],
    ['Node', p.spec?.nodeName ? `${p.spec.nodeName}/${p.status?.hostIP ?? ''}` : '<none>'],
    ['Start Time', p.status?.startTime ?? '<none>'],
    ['Labels', map(md.labels)],
    ['Status', status],
    ...(md.deletionTimestamp ? ([['Termination Grace Period', `${md.deletionGracePeriodSeconds ?? 30}s`]] as Array<[string, unknown]>) : []),
    ['IP', p.status?.podIP ?? ''],
    ['Controlled By', owner ? `${owner.kind}/${owner.name}` : '<none>'],
  ]);
  lines.push('Containers:');
  for (const c of p.spec?.containers ?? []) lines.push(...containerLines(c, (p.status?.containerStatuses ?? []).find((x: Any) => x.name === c.name)));
  const conds = p.status?.conditions ?? [];
  lines.push('Conditions:', '  Type                        Status', ...conds.map((c: Any) => `  ${c.type.padEnd(28)}${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`));
  lines.push('Volumes:');
  for (const v of p.spec?.volumes ?? []) {
    lines.push(`  ${v.name}:`);
    if (v.persistentVolumeClaim) lines.push('    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', `    ClaimName:  ${v.persistentVolumeClaim.claimName}`);
    else lines.push(`    Type:       ${Object.keys(v).filter((k) => k !== 'name')[0] ?? '?'}`);
  }
  if (!(p.spec?.volumes ?? []).length) lines.push('  <none>');
  lines.push(...eventsSection(events, now));
  return lines.join('\n') + '\n';
}

export function describeStatefulSet(s: Any, pods: Any[], events: KEvent[], now = Date.now()): string {
  const md = s.metadata ?? {};
  const spec = s.spec ?? {};
  const st = s.status ?? {};
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  const lines = kv([
    ['Name', md.name],
    ['Namespace', md.namespace],
    ['CreationTimestamp', md.creationTimestamp],
    ['Selector', Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')],
    ['Labels', map(md.labels)],
    ['Replicas', `${spec.replicas ?? 1} desired | ${st.replicas ?? 0} total`],
    ['Update Strategy', spec.updateStrategy?.type ?? 'RollingUpdate'],
    ...(spec.updateStrategy?.rollingUpdate?.partition !== undefined ? ([['  Partition', spec.updateStrategy.rollingUpdate.partition]] as Array<[string, unknown]>) : []),
    ['Pod Management Policy', spec.podManagementPolicy ?? 'OrderedReady'],
    ['Min Ready Seconds', spec.minReadySeconds ?? 0],
    ['Current Revision', st.currentRevision ?? ''],
    ['Update Revision', st.updateRevision ?? ''],
    ['Pods Status', `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`],
    ['Ready', `${st.readyReplicas ?? 0}/${spec.replicas ?? 1} (available ${st.availableReplicas ?? 0})`],
  ]);
  lines.push('Pod Template:', `  Labels:  ${map(spec.template?.metadata?.labels)}`, '  Containers:');
  for (const c of spec.template?.spec?.containers ?? []) lines.push(...containerLines(c, undefined).map((l) => `  ${l}`));
  lines.push('Volume Claims:');
  for (const t of spec.volumeClaimTemplates ?? []) {
    lines.push(`  Name:          ${t.metadata?.name}`, `  StorageClass:  ${t.spec?.storageClassName ?? '(default)'}`, `  Capacity:      ${t.spec?.resources?.requests?.storage ?? ''}`, `  Access Modes:  ${(t.spec?.accessModes ?? []).join(', ')}`);
  }
  if (!(spec.volumeClaimTemplates ?? []).length) lines.push('  <none>');
  lines.push(...eventsSection(events, now));
  return lines.join('\n') + '\n';
}

export function describePvc(c: Any, usedBy: string[], events: KEvent[], now = Date.now()): string {
  const md = c.metadata ?? {};
  const lines = kv([
    ['Name', md.name],
    ['Namespace', md.namespace],
    ['StorageClass', c.spec?.storageClassName ?? ''],
    ['Status', md.deletionTimestamp ? `Terminating (lasts ${age(md.deletionTimestamp, now)})` : (c.status?.phase ?? 'Pending')],
    ['Volume', c.spec?.volumeName ?? ''],
    ['Labels', map(md.labels)],
    ['Finalizers', `[${(md.finalizers ?? []).join(' ')}]`],
    ['Capacity', c.status?.capacity?.storage ?? ''],
    ['Requested', c.spec?.resources?.requests?.storage ?? ''],
    ['Access Modes', (c.status?.accessModes ?? c.spec?.accessModes ?? []).join(', ')],
    ['VolumeMode', c.spec?.volumeMode ?? 'Filesystem'],
    ['Used By', usedBy.length ? usedBy.join(', ') : '<none>'],
  ]);
  const conds = c.status?.conditions ?? [];
  if (conds.length) lines.push('Conditions:', ...conds.map((x: Any) => `  ${x.type}  ${x.status}  ${x.message ?? ''}`));
  lines.push(...eventsSection(events, now));
  return lines.join('\n') + '\n';
}

const PATHS: Record<DescribeKind, (ns: string, n: string) => string> = {
  StatefulSet: (ns, n) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets/${encodeURIComponent(n)}`,
  Pod: (ns, n) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(n)}`,
  PersistentVolumeClaim: (ns, n) => `/api/v1/namespaces/${encodeURIComponent(ns)}/persistentvolumeclaims/${encodeURIComponent(n)}`,
};

/** Fetch the object, its events (and for a StatefulSet its pods, for a PVC the pods using it) and describe it. */
export async function describeObject(http: KubeHttp, kind: DescribeKind, namespace: string, name: string, now = Date.now()): Promise<string> {
  const obj = await http.request<KObject & Any>('GET', PATHS[kind](namespace, name));
  const events = await eventsFor(http, { kind, namespace, name, uid: obj.metadata?.uid });
  if (kind === 'Pod') return describePod(obj, events, now);
  const pods = await http.request<{ items?: Any[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, {
    query: kind === 'StatefulSet' ? { labelSelector: Object.entries(obj.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') } : {},
  });
  if (kind === 'StatefulSet') {
    const mine = (pods.items ?? []).filter((p) => (p.metadata?.ownerReferences ?? []).some((r: Any) => r.uid === obj.metadata?.uid));
    return describeStatefulSet(obj, mine, events, now);
  }
  const usedBy = (pods.items ?? []).filter((p) => (p.spec?.volumes ?? []).some((v: Any) => v.persistentVolumeClaim?.claimName === name)).map((p) => p.metadata?.name);
  return describePvc(obj, usedBy, events, now);
}
