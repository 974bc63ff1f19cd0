// Edge cases of the error rules beyond their fixtures: the syntax helpers, boundaries (what Kubernetes
// accepts must stay clean), and where findings point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import {
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelValueProblem,
  portNameProblem,
  qualifiedNameProblem,
  selectorMatches,
} from '../../server/src/rules/errors/support';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: postgres:17.2
          ports:
            - name: postgres
              containerPort: 5432
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 10Gi
`;

const errorCodes = (text: string) =>
  analyzeText(text)
    .diagnostics.filter((d) => d.severity === 1)
    .map((d) => String(d.code));
const find = (text: string, code: string) => analyzeText(text).diagnostics.filter((d) => d.code === code);
/** Insert lines after the line that ends with `after` (keeping the indentation given in `lines`). */
const insert = (after: string, lines: string, text = STS) => {
  const i = text.indexOf(after);
  assert.ok(i >= 0, after);
  const end = text.indexOf('\n', i) + 1;
  return text.slice(0, end) + lines + text.slice(end);
};
const container = (lines: string) => insert('          image: postgres:17.2', lines);
const podSpec = (lines: string) => STS.replace('    spec:\n      containers:', `    spec:\n${lines}      containers:`);

test('the base StatefulSet is clean', () => assert.deepEqual(errorCodes(STS), []));

test('name syntax helpers', () => {
  assert.equal(dnsLabelProblem('web-0'), undefined);
  assert.match(dnsLabelProblem('Web')!, /lowercase/);
  assert.match(dnsLabelProblem('a'.repeat(64))!, /64 characters/);
  assert.match(dnsLabelProblem('-web')!, /start and end/);
  assert.equal(dnsSubdomainProblem('db.example.com'), undefined);
  assert.match(dnsSubdomainProblem('db..x')!, /lowercase/);
  assert.equal(qualifiedNameProblem('app.kubernetes.io/name'), undefined);
  assert.equal(qualifiedNameProblem('Team_Name.v2'), undefined);
  assert.match(qualifiedNameProblem('a/b/c')!, /at most one "\/"/);
  assert.match(qualifiedNameProblem('/name')!, /prefix/);
  assert.match(qualifiedNameProblem('Example.com/name')!, /prefix/);
  assert.match(qualifiedNameProblem('x'.repeat(64))!, /64 characters/);
  assert.equal(labelValueProblem(''), undefined);
  assert.equal(labelValueProblem('v1.2_3-x'), undefined);
  assert.match(labelValueProblem('a b')!, /only letters/);
  assert.match(labelValueProblem('x'.repeat(64))!, /64 characters/);
  assert.equal(portNameProblem('http'), undefined);
  assert.equal(portNameProblem('tcp-9042'), undefined);
  for (const bad of ['HTTP', '8080', '-web', 'web-', 'a--b', 'sixteen-chars-xx', 'web_ui']) assert.ok(portNameProblem(bad), bad);
});

test('selectorMatches evaluates matchLabels and every operator', () => {
  const labels = { app: 'db', tier: 'backend' };
  assert.ok(selectorMatches({ matchLabels: { app: 'db' } }, labels));
  assert.ok(!selectorMatches({ matchLabels: { app: 'web' } }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'x'] }] }, labels));
  assert.ok(!selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: 'canary', operator: 'NotIn', values: ['true'] }] }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels));
  assert.ok(!selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels));
});

test('a StatefulSet name with dots is accepted by the API server but no pod can be created', () => {
  const [d] = find(STS.replace('  name: db\n', '  name: db.primary\n'), 'invalid-object-name');
  assert.match(d.message, /accepts the StatefulSet.*hostname.*every pod creation fails/);
  assert.deepEqual(d.range.start, { line: 3, character: 8 });
});

test('selector mismatch names the labels and points at the template labels', () => {
  const [d] = find(STS.replace('        app: db\n', '        app: database\n'), 'selector-template-mismatch');
  assert.match(d.message, /selector wants app: db, the template has app: database/);
  assert.equal(d.range.start.line, 12);
});

test('maxUnavailable: 1, "1%", "100%" pass; 0, "0%", "101%", "2", -1 fail', () => {
  const withMax = (v: string) => STS.replace('  replicas: 3', `  replicas: 3\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: ${v}`);
  for (const ok of ['1', '"1%"', '"100%"', '5']) assert.deepEqual(find(withMax(ok), 'invalid-max-unavailable'), [], ok);
  for (const bad of ['0', '"0%"', '"101%"', '"2"', '-1']) assert.equal(find(withMax(bad), 'invalid-max-unavailable').length, 1, bad);
});

test('OnDelete alone and rollingUpdate with the default type are fine', () => {
  assert.deepEqual(errorCodes(STS.replace('  replicas: 3', '  replicas: 3\n  updateStrategy:\n    type: OnDelete')), []);
  assert.deepEqual(errorCodes(STS.replace('  replicas: 3', '  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n      partition: 2')), []);
});

test('hostPort 0 means unset; probe ports are checked; a quoted number as probe port is flagged with its fix', () => {
  assert.deepEqual(errorCodes(STS.replace('containerPort: 5432', 'containerPort: 5432\n              hostPort: 0')), []);
  assert.equal(find(container('          readinessProbe:\n            httpGet:\n              port: 0\n'), 'invalid-port').length, 1);
  const [d] = find(container('          readinessProbe:\n            tcpSocket:\n              port: "5432"\n'), 'invalid-port-name');
  assert.deepEqual((d.data as { replacements: string[] }).replacements, ['5432']);
});

test('duplicate port names within a container are flagged; the same name in two containers is not', () => {
  assert.equal(find(STS.replace('              containerPort: 5432\n', '              containerPort: 5432\n            - name: postgres\n              containerPort: 5433\n'), 'invalid-port-name').length, 1);
  const two = STS.replace(
    '  volumeClaimTemplates:',
    '        - name: exporter\n          image: exporter:1\n          ports:\n            - name: postgres\n              containerPort: 9187\n  volumeClaimTemplates:',
  );
  assert.deepEqual(errorCodes(two), []);
});

test('requests ≤ limits compares units: 1000m = 1 and 1Gi = 1024Mi pass, 1.1G > 1Gi fails', () => {
  const res = (r: string, l: string) => container(`          resources:\n            requests:\n              ${r}\n            limits:\n              ${l}\n`);
  assert.deepEqual(find(res('cpu: 1000m', 'cpu: 1'), 'requests-exceed-limits'), []);
  assert.deepEqual(find(res('memory: 1Gi', 'memory: 1024Mi'), 'requests-exceed-limits'), []);
  assert.equal(find(res('memory: 1.1G', 'memory: 1Gi'), 'requests-exceed-limits').length, 1);
});

test('env: valueFrom with two sources or none; empty value with valueFrom is allowed', () => {
  const env = (e: string) => container(`          env:\n            - name: X\n${e}`);
  assert.equal(find(env('              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n                secretKeyRef:\n                  name: s\n                  key: k\n'), 'invalid-env-var').length, 1);
  assert.equal(find(env('              valueFrom: {}\n'), 'invalid-env-var').length, 1);
  assert.deepEqual(errorCodes(env('              value: ""\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n')), []);
  assert.equal(find(env('              valueFrom:\n                secretKeyRef:\n                  key: password\n'), 'invalid-env-var').length, 1, 'secretKeyRef needs a name');
});

test('fieldRef: whole labels only in volumes; labels[...] and status.hostIPs in env', () => {
  const env = (p: string) => container(`          env:\n            - name: X\n              valueFrom:\n                fieldRef:\n                  fieldPath: ${p}\n`);
  for (const ok of ["metadata.labels['app.kubernetes.io/name']", "metadata.annotations['x']", 'status.hostIPs', 'spec.serviceAccountName']) assert.deepEqual(find(env(ok), 'unsupported-field-ref'), [], ok);
  for (const bad of ['metadata.labels', 'status.phase', 'metadata.generateName', "metadata.labels['a b']"]) assert.equal(find(env(bad), 'unsupported-field-ref').length, 1, bad);
});

test('sidecar init containers may have probes; regular init containers may not', () => {
  const init = (extra: string) => podSpec(`      initContainers:\n        - name: proxy\n          image: envoy:1\n${extra}          readinessProbe:\n            tcpSocket:\n              port: 9901\n`);
  assert.deepEqual(errorCodes(init('          restartPolicy: Always\n')), []);
  assert.deepEqual(errorCodes(init('')), ['probe-handler']);
});

test('probes: no handler is flagged; readiness successThreshold > 1 is fine; liveness 0 defaults to 1', () => {
  assert.equal(find(container('          livenessProbe:\n            periodSeconds: 5\n'), 'probe-handler').length, 1);
  assert.deepEqual(errorCodes(container('          livenessProbe:\n            successThreshold: 0\n            tcpSocket:\n              port: 5432\n')), []);
  assert.equal(find(container('          startupProbe:\n            successThreshold: 3\n            tcpSocket:\n              port: 5432\n'), 'probe-success-threshold').length, 1);
});

test('node affinity: Gt needs one integer; matchFields only metadata.name with one value; empty terms list', () => {
  const na = (req: string) => podSpec(`      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n${req}`);
  const expr = (e: string) => na(`            nodeSelectorTerms:\n              - matchExpressions:\n                  - ${e}\n`);
  assert.deepEqual(find(expr('{key: cores, operator: Gt, values: ["4"]}'), 'invalid-affinity'), []);
  assert.equal(find(expr('{key: cores, operator: Gt, values: ["four"]}'), 'invalid-affinity').length, 1);
  assert.equal(find(expr('{key: disk, operator: In}'), 'invalid-affinity').length, 1);
  const field = (e: string) => na(`            nodeSelectorTerms:\n              - matchFields:\n                  - ${e}\n`);
  assert.deepEqual(find(field('{key: metadata.name, operator: In, values: [node-1]}'), 'invalid-affinity'), []);
  assert.equal(find(field('{key: metadata.name, operator: In, values: [a, b]}'), 'invalid-affinity').length, 1);
  assert.equal(find(field('{key: spec.unschedulable, operator: In, values: ["true"]}'), 'invalid-affinity').length, 1);
  assert.equal(find(na('            nodeSelectorTerms: []\n'), 'invalid-affinity').length, 1);
});

test('pod anti-affinity: weight outside 1–100 and bad label selector operators', () => {
  const pa = (w: string, op: string) =>
    podSpec(`      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: ${w}\n              podAffinityTerm:\n                topologyKey: kubernetes.io/hostname\n                labelSelector:\n                  matchExpressions:\n                    - {key: app, operator: ${op}, values: [db]}\n`);
  assert.deepEqual(find(pa('100', 'In'), 'invalid-affinity'), []);
  assert.equal(find(pa('0', 'In'), 'invalid-affinity').length, 1);
  assert.equal(find(pa('10', 'Gt'), 'invalid-affinity').length, 1);
});

test('tolerations: empty key needs Exists; tolerationSeconds needs NoExecute', () => {
  const tol = (t: string) => podSpec(`      tolerations:\n        - ${t}\n`);
  assert.deepEqual(find(tol('{operator: Exists}'), 'invalid-toleration'), []);
  assert.deepEqual(find(tol('{key: dedicated, value: db, effect: NoSchedule}'), 'invalid-toleration'), [], 'Equal is the default');
  assert.equal(find(tol('{value: db}'), 'invalid-toleration').length, 1);
  assert.equal(find(tol('{key: x, operator: Exists, tolerationSeconds: 30}'), 'invalid-toleration').length, 1);
});

test('runAsNonRoot at pod level with runAsUser 0 in a container: the kubelet refuses to start it', () => {
  const t = podSpec('      securityContext:\n        runAsNonRoot: true\n').replace('          image: postgres:17.2\n', '          image: postgres:17.2\n          securityContext:\n            runAsUser: 0\n');
  const [d] = find(t, 'security-context-conflict');
  assert.match(d.message, /kubelet refuses to start the container/);
  assert.deepEqual(errorCodes(t.replace('runAsUser: 0', 'runAsUser: 0\n            runAsNonRoot: false')), []);
});

test('volumes: a mount may name a claim template; a pod volume named like a claim template is no duplicate', () => {
  const vols = podSpec('      volumes:\n        - name: data\n          emptyDir: {}\n        - name: config\n          configMap:\n            name: db\n');
  assert.deepEqual(errorCodes(vols), []);
  assert.equal(find(vols.replace('- name: config', '- name: data'), 'duplicate-volume-name').length, 1);
});

test('claim templates: missing storage request and ReadWriteOncePod with another mode', () => {
  assert.equal(find(STS.replace('            storage: 10Gi\n', '            cpu: "1"\n'), 'invalid-claim-template').length, 1);
  assert.equal(find(STS.replace('["ReadWriteOnce"]', '["ReadWriteOncePod", "ReadWriteOnce"]'), 'invalid-claim-template').length, 1);
});

test('labels on the Service selector and the pod template are checked; annotations over 256 KiB are flagged', () => {
  const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector:\n    app: "db server"\n`;
  assert.deepEqual(errorCodes(svc), ['invalid-label']);
  assert.deepEqual(errorCodes(`apiVersion: v1\nkind: Service\nmetadata:\n  name: 1db\nspec:\n  clusterIP: None\n`), ['invalid-object-name']);
  const big = STS.replace('  name: db\n', `  name: db\n  annotations:\n    blob: "${'x'.repeat(270 * 1024)}"\n`);
  assert.deepEqual(errorCodes(big), ['invalid-annotation']);
});

test('a finding can be switched off and suppressed like any rule', () => {
  const bad = STS.replace('  replicas: 3', '  replicas: -1');
  assert.deepEqual(analyzeText(bad, { settings: { 'negative-spec-field': 'off' } }).diagnostics.filter((d) => d.code === 'negative-spec-field'), []);
  const suppressed = bad.replace('  replicas: -1', '  # statefulset-studio-disable-next-line negative-spec-field\n  replicas: -1');
  assert.deepEqual(errorCodes(suppressed), []);
});

test('CAP_SYS_ADMIN with allowPrivilegeEscalation: false is refused; SYS_ADMIN is accepted (the API compares the literal)', () => {
  const sc = (capName: string) => container(`          securityContext:\n            allowPrivilegeEscalation: false\n            capabilities:\n              add: [${capName}]\n`);
  assert.equal(find(sc('CAP_SYS_ADMIN'), 'security-context-conflict').length, 1);
  assert.deepEqual(find(sc('SYS_ADMIN'), 'security-context-conflict'), []);
});

test('negative user and group ids are flagged', () => {
  assert.equal(find(podSpec('      securityContext:\n        runAsUser: -1\n        fsGroup: 1000\n'), 'security-context-conflict').length, 1);
  assert.equal(find(container('          securityContext:\n            runAsGroup: -5\n'), 'security-context-conflict').length, 1);
});

test('a Gt/Lt toleration needs an integer value', () => {
  const tol = (v: string) => podSpec(`      tolerations:\n        - {key: example.com/gpu-count, operator: Gt, value: "${v}", effect: NoSchedule}\n`);
  assert.deepEqual(find(tol('2'), 'invalid-toleration'), []);
  assert.equal(find(tol('two'), 'invalid-toleration').length, 1);
});
