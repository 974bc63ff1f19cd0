// The best-practice rules beyond their fixtures: the workspace, namespaces, defaults, patches,
// templates, and the helpers they stand on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import type { IndexedObject, RuleEnvironment } from '../../server/src/rules/framework';
import { practiceRules } from '../../server/src/rules/practices';
import { imageTag } from '../../server/src/rules/practices/image-tag-latest';
import { labelSelectorSelects, mapSelects } from '../../server/src/rules/practices/util';
import { parse } from 'yaml';
import { edit } from '../engine/helpers';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          tcpSocket:
            port: 80
        resources:
          requests:
            cpu: 100m
          limits:
            memory: 64Mi
`;


function ws(objects: Array<Partial<IndexedObject> & { kind: string; value: Record<string, unknown> }>): RuleEnvironment {
  const all = objects.map((o) => ({ uri: 'file:///other.yaml', ...o }) as IndexedObject);
  return { workspace: (kind) => all.filter((o) => o.kind === kind), live: () => undefined };
}

function codes(text: string, env?: RuleEnvironment, settings?: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'>): string[] {
  return analyzeText(text, { uri: 'file:///sts.yaml', env, settings }).diagnostics.map((d) => String(d.code));
}

const service = (ns?: string, spec: Record<string, unknown> = { clusterIP: 'None', selector: { app: 'web' } }) => ({
  kind: 'Service',
  name: 'web',
  namespace: ns,
  value: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ...(ns ? { namespace: ns } : {}) }, spec },
});
const pdb = (selector: unknown) => ({
  kind: 'PodDisruptionBudget',
  name: 'web-pdb',
  value: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb' }, spec: { maxUnavailable: 1, selector } },
});

describe('practice rules', () => {
  test('every rule is a warning or information, except forbidden-update (an error: the apply fails)', () => {
    for (const r of practiceRules) assert.ok(r.id === 'forbidden-update' ? r.severity === 'error' : ['warning', 'information'].includes(r.severity), r.id);
  });

  test('the governing Service and the PodDisruptionBudget may live elsewhere in the workspace', () => {
    const c = codes(STS, ws([service(), pdb({ matchLabels: { app: 'web' } })]));
    for (const id of ['service-not-found', 'service-not-headless', 'service-selector-mismatch', 'missing-pod-disruption-budget']) assert.ok(!c.includes(id), id);
    assert.ok(codes(STS).includes('service-not-found'));
  });

  test('namespaces: a Service in another namespace does not count; an unset namespace matches any', () => {
    const namespaced = edit(STS, '  name: web\nspec:', '  name: web\n  namespace: shop\nspec:');
    assert.ok(codes(namespaced, ws([service('other')])).includes('service-not-found'));
    assert.ok(!codes(namespaced, ws([service('shop')])).includes('service-not-found'));
    assert.ok(!codes(namespaced, ws([service()])).includes('service-not-found'));
  });

  test('a Service with a cluster IP, or a selector that misses the pods, is named in the message', () => {
    const d = analyzeText(STS, { uri: 'file:///sts.yaml', env: ws([service(undefined, { selector: { app: 'web' } })]) }).diagnostics.find((x) => x.code === 'service-not-headless');
    assert.match(d!.message, /Service "web" \(in other.yaml\) is not headless/);
    const m = analyzeText(STS, { uri: 'file:///sts.yaml', env: ws([service(undefined, { clusterIP: 'None', selector: { app: 'nginx' } })]) }).diagnostics.find((x) => x.code === 'service-selector-mismatch');
    assert.match(m!.message, /selects app=nginx, which the pod template's labels \(app=web\) do not match/);
    const none = analyzeText(STS, { uri: 'file:///sts.yaml', env: ws([service(undefined, { clusterIP: 'None' })]) }).diagnostics.find((x) => x.code === 'service-selector-mismatch');
    assert.match(none!.message, /has no selector/);
  });

  test('a PodDisruptionBudget that selects other pods, or has no selector, does not count; an empty selector selects all', () => {
    assert.ok(codes(STS, ws([pdb({ matchLabels: { app: 'db' } })])).includes('missing-pod-disruption-budget'));
    assert.ok(codes(STS, ws([pdb(undefined)])).includes('missing-pod-disruption-budget'));
    assert.ok(!codes(STS, ws([pdb({})])).includes('missing-pod-disruption-budget'));
  });

  test('one replica: no PDB or anti-affinity warning; replicas unset counts as "may be more than one" (an autoscaler may own it)', () => {
    const c = codes(edit(STS, 'replicas: 3', 'replicas: 1'));
    assert.ok(!c.includes('missing-pod-disruption-budget') && !c.includes('missing-pod-anti-affinity'), c.join());
    const unset = analyzeText(edit(STS, '  replicas: 3\n', '')).diagnostics;
    for (const id of ['missing-pod-disruption-budget', 'missing-pod-anti-affinity']) {
      assert.match(unset.find((d) => d.code === id)?.message ?? '', /replicas is not set \(an autoscaler or operator may scale it past one\)/, id);
    }
  });

  test("anti-affinity: a term that selects other pods is called out; a required zone term counts, a preferred one does not", () => {
    const text = edit(
      STS,
      '    spec:\n      containers:',
      '    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - topologyKey: kubernetes.io/hostname\n            labelSelector:\n              matchLabels:\n                app: other\n      containers:',
    );
    const d = analyzeText(text).diagnostics.find((x) => x.code === 'missing-pod-anti-affinity');
    assert.match(d!.message, /does not select this StatefulSet's own pods \(it selects app=other, the pods have app=web\)/);
    const zone = text.replace('kubernetes.io/hostname', 'topology.kubernetes.io/zone').replace('app: other', 'app: web');
    assert.ok(!codes(zone).includes('missing-pod-anti-affinity'), 'a required zone term keeps replicas on separate nodes');
    const preferredZone = edit(
      STS,
      '    spec:\n      containers:',
      '    spec:\n      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n          - weight: 100\n            podAffinityTerm:\n              topologyKey: topology.kubernetes.io/zone\n              labelSelector:\n                matchLabels:\n                  app: web\n      containers:',
    );
    assert.match(analyzeText(preferredZone).diagnostics.find((x) => x.code === 'missing-pod-anti-affinity')!.message, /no pod anti-affinity or topology spread on kubernetes.io\/hostname/);
    const preferredHost = preferredZone.replace('topology.kubernetes.io/zone', 'kubernetes.io/hostname');
    assert.ok(!codes(preferredHost).includes('missing-pod-anti-affinity'), 'a preferred hostname term counts');
    const matchLabelKeys = preferredHost.replace('              labelSelector:\n                matchLabels:\n                  app: web\n', '              labelSelector: {}\n              matchLabelKeys: [app]\n');
    assert.ok(!codes(matchLabelKeys).includes('missing-pod-anti-affinity'), 'matchLabelKeys take the pod\'s own values');
  });

  test('a PodDisruptionBudget in another namespace does not count, and the message says why', () => {
    const namespaced = edit(STS, '  name: web\nspec:', '  name: web\n  namespace: shop\nspec:');
    const other = { ...pdb({ matchLabels: { app: 'web' } }), namespace: 'ops' };
    const d = analyzeText(namespaced, { env: ws([other]) }).diagnostics.find((x) => x.code === 'missing-pod-disruption-budget');
    assert.match(d!.message, /no PodDisruptionBudget in namespace shop selects these pods \(PodDisruptionBudget "web-pdb" selects them, but it is in namespace ops/);
    assert.doesNotMatch(d!.message, /quorum/);
    assert.ok(!codes(namespaced, ws([{ ...other, namespace: 'shop' }])).includes('missing-pod-disruption-budget'));
  });

  test('pdb-blocks-disruptions: maxUnavailable 0 or 0%, minAvailable 100%, or minAvailable ≥ the replicas of a StatefulSet it selects (here or in the workspace)', () => {
    const budget = (policy: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  ${policy}\n  selector:\n    matchLabels:\n      app: web\n`;
    const flagged = (text: string, env?: RuleEnvironment) => codes(text, env).includes('pdb-blocks-disruptions');
    assert.ok(flagged(budget('maxUnavailable: 0')));
    assert.ok(flagged(budget('maxUnavailable: "0%"')));
    assert.ok(flagged(budget('minAvailable: "100%"')));
    assert.ok(!flagged(budget('maxUnavailable: 1')));
    assert.ok(!flagged(budget('minAvailable: 3')), 'no StatefulSet known: minAvailable alone says nothing');
    assert.ok(flagged(`${budget('minAvailable: 3')}---\n${STS}`));
    assert.ok(!flagged(`${budget('minAvailable: 2')}---\n${STS}`));
    assert.ok(flagged(`${budget('minAvailable: "67%"')}---\n${STS}`), '67% of 3 rounds up to 3');
    assert.ok(!flagged(`${budget('minAvailable: "60%"')}---\n${STS}`), '60% of 3 rounds up to 2');
    const sts = { kind: 'StatefulSet', name: 'web', uri: 'file:///db/sts.yaml', value: parse(STS) as Record<string, unknown> };
    const d = analyzeText(budget('minAvailable: 3'), { uri: 'file:///db/pdb.yaml', env: ws([sts]) }).diagnostics.find((x) => x.code === 'pdb-blocks-disruptions');
    assert.match(d!.message, /minAvailable: 3 with 3 replicas of StatefulSet "web" \(in sts.yaml\)/);
    assert.ok(codes(budget('selector: {}').replace('  selector:\n    matchLabels:\n      app: web\n', '')).includes('pdb-no-policy'));
  });

  test('containers, sidecars and init containers lacking resources are one finding per StatefulSet that names them all', () => {
    const init = edit(
      STS,
      '      containers:\n',
      '      initContainers:\n      - name: chown\n        image: busybox:1.36\n      - name: config\n        image: busybox:1.36\n      - name: proxy\n        image: envoyproxy/envoy:v1.31.0\n        restartPolicy: Always\n      containers:\n',
    );
    const mem = analyzeText(init).diagnostics.filter((d) => d.code === 'container-memory-limit').map((d) => d.message);
    assert.deepEqual(mem, [
      'Init containers "chown" and "config", sidecar "proxy" have no memory limit: they may use all of the node\'s memory, and Kubernetes then OOM-kills or evicts pods on that node. Set resources.limits.memory.',
    ]);
    const eph = analyzeText(init).diagnostics.filter((d) => d.code === 'container-ephemeral-storage');
    assert.equal(eph.length, 1, 'one for nginx, the sidecar and both init containers');
    assert.match(eph[0].message, /^Init containers "chown" and "config", sidecar "proxy", container "nginx" have neither an ephemeral-storage request nor a limit: /);
    // on the first container named (the first init container)
    assert.equal(eph[0].range.start.line, init.split('\n').findIndex((l) => l.includes('- name: chown')));
  });

  test('container-ephemeral-storage says which of request and limit is missing; a limit alone is enough', () => {
    const res = (resources: string) =>
      analyzeText(edit(STS, '          requests:\n            cpu: 100m\n          limits:\n            memory: 64Mi\n', resources)).diagnostics.filter((d) => d.code === 'container-ephemeral-storage').map((d) => d.message);
    const neither = res('          requests:\n            cpu: 100m\n          limits:\n            memory: 64Mi\n');
    assert.equal(neither.length, 1);
    assert.match(neither[0], /^Container "nginx" has neither an ephemeral-storage request nor a limit: logs, emptyDir/);
    const requestOnly = res('          requests:\n            cpu: 100m\n            ephemeral-storage: 1Gi\n          limits:\n            memory: 64Mi\n');
    assert.equal(requestOnly.length, 1);
    assert.match(requestOnly[0], /^Container "nginx" has an ephemeral-storage request but no limit: one container can fill the node's disk/);
    assert.doesNotMatch(requestOnly[0], /neither|not accounted/, 'it does not claim the request is missing');
    assert.deepEqual(res('          requests:\n            cpu: 100m\n          limits:\n            memory: 64Mi\n            ephemeral-storage: 1Gi\n'), [], 'the request defaults to the limit');
    assert.deepEqual(res('          requests:\n            cpu: 100m\n            ephemeral-storage: 1Gi\n          limits:\n            memory: 64Mi\n            ephemeral-storage: 1Gi\n'), []);
  });

  test('per-container rules: one finding per StatefulSet listing the containers (Bitnami-style uid 1001 everywhere)', () => {
    const many = edit(
      STS,
      '    spec:\n      containers:\n',
      '    spec:\n      securityContext:\n        runAsUser: 1001\n        runAsGroup: 1001\n      initContainers:\n      - name: perms\n        image: busybox\n        securityContext:\n          privileged: true\n          runAsUser: 0\n      containers:\n      - name: metrics\n        image: exporter:latest\n        imagePullPolicy: IfNotPresent\n        securityContext:\n          privileged: true\n        env:\n        - name: X\n          value: "1"\n        - name: X\n          value: "2"\n',
    );
    const ds = analyzeText(many).diagnostics;
    const per = new Map<string, number>();
    for (const d of ds) per.set(String(d.code), (per.get(String(d.code)) ?? 0) + 1);
    for (const [id, n] of per) assert.equal(n, 1, `${id}: ${n} findings`);
    const msg = (id: string) => ds.find((d) => d.code === id)!.message;
    assert.equal(
      msg('container-user-group-id'),
      'Ids below 10000: runAsUser 1001 from the pod securityContext (containers "metrics" and "nginx") and runAsGroup 1001 from the pod securityContext (init container "perms", containers "metrics" and "nginx"). Such ids may belong to a user on the node. Use ids of 10000 or more if the image allows it.',
    );
    assert.match(msg('container-privileged'), /^Init container "perms", container "metrics" are privileged: /);
    assert.match(msg('container-run-as-non-root'), /^Init container "perms" runs as root \(runAsUser 0\): /);
    assert.match(msg('container-read-only-root-fs'), /^Init container "perms", containers "metrics" and "nginx" can write to their root file system/);
    assert.match(msg('image-tag-latest'), /^Image "busybox" \(container "perms"\) has no tag, so it means :latest and "exporter:latest" \(container "metrics"\) uses the tag latest: /);
    assert.match(msg('image-pull-policy'), /^Image "exporter:latest" of container "metrics" has the moving tag latest and imagePullPolicy IfNotPresent: /);
    assert.match(msg('duplicate-env-var'), /^Container "metrics" defines environment variable "X" again at env\[1\] \(first at env\[0\]\)/);
  });

  test('moving tags and pull policies', () => {
    const img = (image: string, policy?: string) =>
      analyzeText(edit(STS, 'image: nginx:1.27', `image: ${image}${policy ? `\n        imagePullPolicy: ${policy}` : ''}`)).diagnostics.map((d) => String(d.code));
    for (const tag of ['nightly', 'main', 'master', 'edge', 'stable', 'dev']) assert.ok(img(`nginx:${tag}`).includes('image-tag-latest'), tag);
    assert.ok(!img('nginx:1.27-stable').includes('image-tag-latest'));
    assert.ok(!img('nginx@sha256:0123').includes('image-tag-latest'));
    assert.ok(!img('nginx:latest').includes('image-pull-policy'), 'latest defaults to Always');
    assert.ok(img('nginx:latest', 'IfNotPresent').includes('image-pull-policy'));
    assert.ok(img('nginx:nightly').includes('image-pull-policy'), 'a moving tag other than latest defaults to IfNotPresent');
    assert.ok(!img('nginx:nightly', 'Always').includes('image-pull-policy'));
    assert.ok(!img('nginx:1.27', 'IfNotPresent').includes('image-pull-policy'), 'a pinned tag needs no Always');
    assert.ok(!img('nginx:1.27', 'Never').includes('image-pull-policy'));
  });

  test('security context: container values win over the pod\'s; unset privileged is not privileged', () => {
    const pod = (podSc: string, sc = '') =>
      codes(edit(STS, '    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n', `    spec:\n${podSc}      containers:\n      - name: nginx\n        image: nginx:1.27\n${sc}`));
    assert.ok(!pod('').includes('container-privileged'));
    assert.ok(pod('', '        securityContext:\n          privileged: true\n').includes('container-privileged'));
    assert.ok(pod('      securityContext:\n        runAsUser: 999\n').includes('container-user-group-id'));
    assert.ok(!pod('      securityContext:\n        runAsUser: 999\n', '        securityContext:\n          runAsUser: 20000\n').includes('container-user-group-id'));
    assert.ok(!pod('      securityContext:\n        runAsUser: 999\n').includes('container-run-as-non-root'), 'a non-zero user is not root');
    assert.ok(pod('      securityContext:\n        runAsNonRoot: true\n', '        securityContext:\n          runAsUser: 0\n').includes('container-run-as-non-root'));
    assert.ok(!pod('      securityContext:\n        runAsNonRoot: true\n').includes('container-run-as-non-root'));
  });

  test('maxUnavailable against replicas − partition, percentages rounded down as the controller does', () => {
    const ru = (max: string, partition = 0, replicas = 3) =>
      codes(edit(STS, 'replicas: 3\n', `replicas: ${replicas}\n  updateStrategy:\n    rollingUpdate:\n      partition: ${partition}\n      maxUnavailable: ${max}\n`)).includes('max-unavailable-exceeds-updated-pods');
    assert.ok(!ru('3'), 'equal to replicas: not more than the pods reached');
    assert.ok(ru('4'));
    assert.ok(ru('2', 2), '3 − 2 = 1 pod reached');
    assert.ok(!ru('1', 2));
    assert.ok(ru('"100%"', 2, 5), '5 of 5 > 3 reached');
    assert.ok(!ru('"50%"', 2, 5), '2 of 5 ≤ 3 reached');
  });

  test('duplicate env names, identical probes and unmounted claim templates', () => {
    const env = edit(STS, '        readinessProbe:', '        env:\n        - name: A\n          value: "1"\n        - name: A\n          value: "2"\n        readinessProbe:');
    const d = analyzeText(env).diagnostics.find((x) => x.code === 'duplicate-env-var');
    assert.match(d!.message, /defines environment variable "A" again at env\[1\] \(first at env\[0\]\): the API server warns that a repeated name hides the previous definition/);
    assert.equal(d!.range.start.line, env.split('\n').findIndex((l, i) => i > env.split('\n').findIndex((x) => x.includes('- name: A')) && l.includes('- name: A')));
    const probes = edit(STS, '        readinessProbe:\n          tcpSocket:\n            port: 80\n', '        readinessProbe:\n          tcpSocket:\n            port: 80\n        livenessProbe:\n          tcpSocket:\n            port: 80\n');
    assert.ok(codes(probes).includes('identical-probes'));
    assert.ok(!codes(probes.replace(/(livenessProbe:\n {10}tcpSocket:\n {12}port: )80/, '$18080')).includes('identical-probes'), 'another port is another check');
    const claim = `${STS}  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n`;
    assert.ok(codes(claim).includes('unmounted-claim-template'));
    const device = claim.replace('        resources:\n          requests:\n            cpu: 100m', '        volumeDevices:\n        - name: data\n          devicePath: /dev/xvda\n        resources:\n          requests:\n            cpu: 100m');
    assert.notEqual(device, claim);
    assert.ok(!codes(device).includes('unmounted-claim-template'), 'a block device counts as a use');
  });

  test('a CPU limit alone is enough (the request defaults to it); init containers are checked too', () => {
    const limitOnly = edit(STS, '          requests:\n            cpu: 100m\n          limits:\n            memory: 64Mi\n', '          limits:\n            cpu: 1\n            memory: 64Mi\n');
    assert.ok(!codes(limitOnly).includes('container-cpu-request'));
    const init = edit(STS, '      containers:\n', '      initContainers:\n      - name: setup\n        image: busybox:1.36\n      containers:\n');
    const found = analyzeText(init).diagnostics.filter((d) => d.code === 'container-memory-limit' || d.code === 'container-cpu-request');
    assert.deepEqual(found.map((d) => d.message.slice(0, 24)), ['Init container "setup" h', 'Init container "setup" h']);
  });

  test('the readiness probe of any container is enough (sidecars need none)', () => {
    const sidecar = edit(STS, '        resources:', '      - name: sidecar\n        image: busybox:1.36\n        resources:');
    assert.ok(!codes(sidecar).includes('missing-readiness-probe'));
  });

  test('partition: at or above replicas only; OnDelete and partition 0 say nothing here', () => {
    const p = (n: number, type = 'RollingUpdate') => edit(STS, '  selector:', `  updateStrategy:\n    type: ${type}\n    rollingUpdate:\n      partition: ${n}\n  selector:`);
    assert.ok(codes(p(3)).includes('partition-reaches-no-pod'));
    assert.ok(codes(p(7)).includes('partition-reaches-no-pod'));
    assert.ok(!codes(p(2)).includes('partition-reaches-no-pod'));
    assert.ok(!codes(p(3, 'OnDelete')).includes('partition-reaches-no-pod'));
    assert.ok(codes(edit(STS, '  replicas: 3\n', '  replicas: 0\n').replace('  selector:', '  updateStrategy:\n    rollingUpdate:\n      partition: 0\n  selector:')).every((c) => c !== 'partition-reaches-no-pod'));
  });

  test('a Kustomize patch gets no container, affinity, PDB or selector advice', () => {
    const patch = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.28\n`;
    const c = codes(patch);
    for (const id of ['container-memory-limit', 'container-cpu-request', 'missing-readiness-probe', 'missing-pod-anti-affinity', 'missing-pod-disruption-budget']) assert.ok(!c.includes(id), `${id} in ${c.join()}`);
  });

  test('a Helm template gets none of them', () => {
    const helm = edit(STS, 'image: nginx:1.27', 'image: "{{ .Values.image }}"');
    assert.deepEqual(codes(helm).filter((c) => practiceRules.some((r) => r.id === c)), []);
  });

  test('settings and disable comments apply to these rules', () => {
    assert.ok(!codes(STS, undefined, { 'service-not-found': 'off' }).includes('service-not-found'));
    const d = analyzeText(STS, { settings: { 'service-not-found': 'error' } }).diagnostics.find((x) => x.code === 'service-not-found');
    assert.equal(d?.severity, 1);
    const quiet = edit(STS, '  serviceName: web', '  # statefulset-studio-disable-next-line service-not-found\n  serviceName: web');
    assert.ok(!codes(quiet).includes('service-not-found'));
  });
});

describe('helpers', () => {
  test('imageTag: none, latest, a registry port, a digest', () => {
    assert.equal(imageTag('nginx'), undefined);
    assert.equal(imageTag('nginx:latest'), 'latest');
    assert.equal(imageTag('localhost:5000/nginx'), undefined);
    assert.equal(imageTag('localhost:5000/team/nginx:1.2'), '1.2');
    assert.equal(imageTag('nginx@sha256:abc'), '');
    assert.equal(imageTag('nginx:1.2@sha256:abc'), '');
  });

  test('selectors: empty selects all, absent none; every operator', () => {
    const pod = { app: 'web', tier: 'db' };
    assert.equal(labelSelectorSelects({}, pod), true);
    assert.equal(labelSelectorSelects(undefined, pod), false);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] }, pod), true);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, pod), false);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, pod), true);
    assert.equal(labelSelectorSelects({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, pod), false);
    assert.equal(labelSelectorSelects({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Bogus' }] }, pod), false);
    assert.equal(mapSelects({}, pod), false, "a Service's empty selector selects nothing");
    assert.equal(mapSelects({ app: 'web' }, pod), true);
  });
});
