// The demo cluster's managed StatefulSets, one per kind of owner, in namespace `managed`:
// - `mq-server`, made by the RabbitmqCluster `managed/mq` (operator; a controller owner reference);
// - `payments-db`, synced by the Argo CD Application `argocd/payments` (automated, selfHeal);
// - `search`, applied by the Flux Kustomization `flux-system/apps` (not suspended);
// - `sessions`, installed by Helm as release `managed/sessions` (labels, annotations, release Secret).
import { gzipSync } from 'node:zlib';
import { createObject, headlessService, settle, statefulSet } from '../scenarios';
import type { Obj } from '../status';
import type { Store } from '../store';
import type { StatefulSetController } from '../controller';
import type { OwnerSimulation } from './controller';

export const MANAGED_NAMESPACE = 'managed';

/** The chart of the demo's Helm release: its StatefulSet template reads replicas, image and storage from values. */
export const SESSIONS_CHART = {
  name: 'redis',
  version: '19.6.4',
  appVersion: '7.2.5',
  values: { replicaCount: 1, image: { repository: 'redis', tag: '7.2.5' }, persistence: { size: '1Gi' } },
  templates: {
    'templates/statefulset.yaml': [
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  labels:',
      '    app.kubernetes.io/name: redis',
      '    app.kubernetes.io/instance: {{ .Release.Name }}',
      'spec:',
      '  serviceName: {{ .Release.Name }}',
      '  replicas: {{ .Values.replicaCount }}',
      '  selector:',
      '    matchLabels:',
      '      app.kubernetes.io/name: redis',
      '      app.kubernetes.io/instance: {{ .Release.Name }}',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: {{ .Chart.Name }}',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '  volumeClaimTemplates:',
      '    - metadata:',
      '        name: data',
      '      spec:',
      '        accessModes: [ReadWriteOnce]',
      '        resources:',
      '          requests:',
      '            storage: {{ .Values.persistence.size | quote }}',
      '',
    ].join('\n'),
  } as Record<string, string>,
};

export interface HelmChart {
  name: string;
  version: string;
  appVersion: string;
  /** the chart's default values (values.yaml) */
  values?: Obj;
  /** template files by name ("templates/statefulset.yaml") */
  templates?: Record<string, string>;
}

/** Helm's release Secret `sh.helm.release.v1.<release>.v<n>` (data.release: base64 of gzip of the release JSON, as Helm 3/4 store it: the chart with its templates base64, its values, the release's own values in `config`). */
export function helmReleaseSecret(release: string, namespace: string, version: number, manifest: string, chart: HelmChart = { name: 'redis', version: '19.6.4', appVersion: '7.2.5' }, config: Obj = {}): Obj {
  const rel = {
    name: release,
    namespace,
    version,
    info: { status: 'deployed', description: version === 1 ? 'Install complete' : 'Upgrade complete', first_deployed: new Date().toISOString(), last_deployed: new Date().toISOString() },
    chart: {
      metadata: { name: chart.name, version: chart.version, appVersion: chart.appVersion, apiVersion: 'v2' },
      templates: Object.entries(chart.templates ?? {}).map(([name, text]) => ({ name, data: Buffer.from(text).toString('base64') })),
      values: chart.values ?? {},
    },
    config,
    manifest,
  };
  const inner = gzipSync(Buffer.from(JSON.stringify(rel))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `sh.helm.release.v1.${release}.v${version}`, namespace, labels: { name: release, owner: 'helm', status: 'deployed', version: String(version) } },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(inner).toString('base64') },
  };
}

/** A StatefulSet as `helm install <release>` leaves it. */
export function helmStatefulSet(release: string, namespace: string, replicas = 1): Obj {
  const sts = statefulSet({
    name: release,
    namespace,
    replicas,
    image: 'redis:7.2.5',
    port: 6379,
    claims: [{ name: 'data', size: '1Gi' }],
    labels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': release },
  });
  sts.metadata.labels['app.kubernetes.io/managed-by'] = 'Helm';
  sts.metadata.labels['helm.sh/chart'] = 'redis-19.6.4';
  sts.metadata.annotations = { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': namespace };
  sts.metadata.managedFields = [{ manager: 'helm', operation: 'Update', apiVersion: 'apps/v1', time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
  return sts;
}

export async function seedOwnerDemo(store: Store, controller: StatefulSetController, owners: OwnerSimulation): Promise<void> {
  const ns = MANAGED_NAMESPACE;
  // operator
  createObject(store, headlessService('mq-nodes', ns, 5672, { 'app.kubernetes.io/name': 'mq' }));
  createObject(store, { apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', metadata: { name: 'mq', namespace: ns }, spec: { replicas: 3, image: 'rabbitmq:3.13', persistence: { storage: '10Gi' } } });
  // Argo CD
  createObject(store, headlessService('payments-db', ns, 5432));
  createObject(store, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'payments', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/platform/payments.git', path: 'deploy', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: ns },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  });
  owners.setGit('Application', 'argocd', 'payments', [statefulSet({ name: 'payments-db', namespace: ns, replicas: 2, image: 'postgres:16.4', port: 5432, claims: [{ name: 'data', size: '5Gi' }] })]);
  // Flux
  createObject(store, headlessService('search', ns, 9200));
  createObject(store, {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { interval: '10m', path: './apps/production', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, targetNamespace: ns },
  });
  owners.setGit('Kustomization', 'flux-system', 'apps', [statefulSet({ name: 'search', namespace: ns, replicas: 2, image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.0', port: 9200, claims: [{ name: 'data', size: '20Gi' }] })]);
  // Helm
  createObject(store, headlessService('sessions', ns, 6379, { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'sessions' }));
  const sessions = helmStatefulSet('sessions', ns, 1);
  createObject(store, sessions);
  createObject(store, helmReleaseSecret('sessions', ns, 1, `---\n# Source: redis/templates/statefulset.yaml\n${JSON.stringify(sessions)}\n`, SESSIONS_CHART));
  // let the owners create theirs, then the controller make the pods
  const deadline = Date.now() + 10_000;
  while (!owners.idle && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await settle(controller);
}
