// Defaulting and validation on write, as the real API server does for the fields that matter here.
import { dropDisabledStatefulSetFields } from './disabledFields';
import type { ResourceType } from './resources';
import { matchesLabelSelector } from './selectors';
import { ApiError, badRequest, invalid, type Obj, type StatusCause } from './status';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const STS_IMMUTABLE_MESSAGE =
  "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function goMap(m: Record<string, string> | undefined): string {
  const entries = Object.entries(m ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Pod template defaults the API server applies (and serializes, e.g. creationTimestamp: null). */
export function defaultPodTemplate(tpl: Obj): void {
  tpl.metadata ??= {};
  if (!('creationTimestamp' in tpl.metadata)) tpl.metadata.creationTimestamp = null;
  tpl.spec ??= {};
  defaultPodSpec(tpl.spec);
}

export function defaultPodSpec(spec: Obj): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    if (!c || typeof c !== 'object') continue;
    c.resources ??= {};
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
      const tag = c.image.includes('@') ? 'digest' : (c.image.split('/').pop() ?? '').split(':')[1];
      c.imagePullPolicy = !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
    }
    for (const p of c.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  }
}

export function defaultStatefulSet(sts: Obj): void {
  const spec = (sts.spec ??= {});
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= { type: 'RollingUpdate' };
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  if (spec.template && typeof spec.template === 'object') defaultPodTemplate(spec.template);
  for (const vct of spec.volumeClaimTemplates ?? []) {
    if (!vct || typeof vct !== 'object') continue;
    vct.apiVersion ??= 'v1';
    vct.kind ??= 'PersistentVolumeClaim';
    vct.metadata ??= {};
    if (!('creationTimestamp' in vct.metadata)) vct.metadata.creationTimestamp = null;
    vct.spec ??= {};
    vct.spec.volumeMode ??= 'Filesystem';
    vct.status ??= { phase: 'Pending' };
  }
  sts.status ??= { replicas: 0, availableReplicas: 0 };
}

function validateName(t: ResourceType, obj: Obj, causes: StatusCause[]): void {
  const name = obj.metadata?.name;
  if (!name) causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253)
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      field: 'metadata.name',
    });
  void t;
}

function validateStatefulSetSpec(sts: Obj, causes: StatusCause[]): void {
  const spec = sts.spec ?? {};
  if (typeof spec.replicas !== 'number' || spec.replicas < 0 || !Number.isInteger(spec.replicas))
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`, field: 'spec.replicas' });
  if (!['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy))
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${spec.podManagementPolicy}": supported values: "OrderedReady", "Parallel"`,
      field: 'spec.podManagementPolicy',
    });
  const us = spec.updateStrategy ?? {};
  if (!['RollingUpdate', 'OnDelete'].includes(us.type))
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${us.type}": supported values: "OnDelete", "RollingUpdate"`,
      field: 'spec.updateStrategy.type',
    });
  if (us.type === 'OnDelete' && us.rollingUpdate)
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "OnDelete": only allowed for updateStrategy 'RollingUpdate'`,
      field: 'spec.updateStrategy.rollingUpdate',
    });
  const part = us.rollingUpdate?.partition;
  if (part !== undefined && (typeof part !== 'number' || part < 0))
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${part}: must be greater than or equal to 0`, field: 'spec.updateStrategy.rollingUpdate.partition' });
  if (spec.ordinals?.start !== undefined && (typeof spec.ordinals.start !== 'number' || spec.ordinals.start < 0))
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${spec.ordinals.start}: must be greater than or equal to 0`, field: 'spec.ordinals.start' });
  if (spec.serviceName !== undefined && spec.serviceName !== '' && !DNS1123_LABEL.test(String(spec.serviceName)))
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${spec.serviceName}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      field: 'spec.serviceName',
    });
  for (const [field, v] of [
    ['whenDeleted', spec.persistentVolumeClaimRetentionPolicy?.whenDeleted],
    ['whenScaled', spec.persistentVolumeClaimRetentionPolicy?.whenScaled],
  ] as const)
    if (!['Retain', 'Delete'].includes(v))
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${v}": supported values: "Retain", "Delete"`,
        field: `spec.persistentVolumeClaimRetentionPolicy.${field}`,
      });
  const sel = spec.selector;
  const hasSel = sel && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0);
  if (!hasSel) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
  const labels = spec.template?.metadata?.labels;
  if (hasSel && !matchesLabelSelector(sel, labels))
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
      field: 'spec.template.metadata.labels',
    });
  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers' });
  else
    containers.forEach((c: Obj, i: number) => {
      if (!c?.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.template.spec.containers[${i}].name` });
      if (!c?.image) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.template.spec.containers[${i}].image` });
    });
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always')
    causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: "${rp}": supported values: "Always"`, field: 'spec.template.spec.restartPolicy' });
}

function specWithoutMutable(spec: Obj, inPlaceClaimTemplates = false): string {
  if (inPlaceClaimTemplates) {
    const { volumeClaimTemplates: _v, ...rest } = spec ?? {};
    return specWithoutMutable(rest);
  }
  const {
    replicas: _r,
    ordinals: _o,
    template: _t,
    updateStrategy: _u,
    persistentVolumeClaimRetentionPolicy: _p,
    minReadySeconds: _m,
    revisionHistoryLimit: _h,
    ...rest
  } = spec ?? {};
  return canonicalJson(rest);
}

/** JSON with object keys sorted at every level (Go's encoding of map[string]interface{}). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Obj)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Default and validate an object about to be created. Throws ApiError(422) on invalid input. */
export function admitCreate(t: ResourceType, obj: Obj): void {
  const causes: StatusCause[] = [];
  validateName(t, obj, causes);
  if (t.kind === 'StatefulSet') {
    dropDisabledStatefulSetFields(obj);
    defaultStatefulSet(obj);
    validateStatefulSetSpec(obj, causes);
  } else if (t.kind === 'Pod') {
    obj.spec ??= {};
    defaultPodSpec(obj.spec);
    if (!Array.isArray(obj.spec.containers) || obj.spec.containers.length === 0)
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' });
    obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
  } else if (t.kind === 'PersistentVolumeClaim') {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
    if (!obj.spec.accessModes?.length)
      causes.push({ reason: 'FieldValueRequired', message: 'Required value: at least 1 access mode is required', field: 'spec.accessModes' });
    obj.status ??= { phase: 'Pending' };
  } else if (t.kind === 'Namespace') {
    obj.spec ??= { finalizers: ['kubernetes'] };
    obj.status ??= { phase: 'Active' };
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
  } else if (t.kind === 'Service') {
    obj.spec ??= {};
    obj.spec.type ??= 'ClusterIP';
    obj.spec.sessionAffinity ??= 'None';
    if (!obj.spec.clusterIP) {
      const ip = `10.96.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
      obj.spec.clusterIP = ip;
      obj.spec.clusterIPs = [ip];
    }
    for (const p of obj.spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
  }
  if (causes.length) throw invalid(t.kind, t.group, obj.metadata?.name ?? '', causes);
}

/** Feature gates of the simulated API server (all off by default, like a real cluster). */
export interface FeatureGates {
  /** KEP-4650 (in-place StatefulSet claim template updates): admission accepts changes to spec.volumeClaimTemplates. */
  inPlaceClaimTemplates?: boolean;
}

/** Default and validate an update (PUT or the result of a PATCH) against the stored object. */
export function admitUpdate(t: ResourceType, old: Obj, obj: Obj, gates: FeatureGates = {}): void {
  if (obj.metadata?.name !== old.metadata.name)
    throw badRequest(`the name of the object (${obj.metadata?.name}) does not match the name on the URL (${old.metadata.name})`);
  if (t.namespaced && obj.metadata.namespace !== undefined && obj.metadata.namespace !== old.metadata.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  obj.metadata.namespace = old.metadata.namespace;
  if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid)
    throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
  const causes: StatusCause[] = [];
  if (t.kind === 'StatefulSet') {
    dropDisabledStatefulSetFields(obj, old);
    defaultStatefulSet(obj);
    validateStatefulSetSpec(obj, causes);
    if (specWithoutMutable(obj.spec, !!gates.inPlaceClaimTemplates) !== specWithoutMutable(old.spec, !!gates.inPlaceClaimTemplates))
      causes.push({ reason: 'FieldValueForbidden', message: STS_IMMUTABLE_MESSAGE, field: 'spec' });
  } else if (t.kind === 'Pod') {
    obj.spec ??= {};
    defaultPodSpec(obj.spec);
  }
  if (causes.length) throw invalid(t.kind, t.group, old.metadata.name, causes);
}
