// Real-world StatefulSets (Kubernetes examples and e2e manifests, vendor quickstarts, rendered charts;
// each file names its source and commit) must produce no error at all, from the schema checks or any
// rule, unless its header names the error with `# expected-error: <id> (<why kubectl refuses it>)`:
// an error means kubectl or the API server refuses the file. Realistic mistakes in them are caught
// by the right rule. `node --import tsx scripts/real-world-tally.ts` prints the warnings per rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../server/src/engine/analyzer';

const dir = path.join(__dirname, '..', 'fixtures', 'real-world');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
const errorsOf = (text: string, uri: string) =>
  analyzeText(text, { uri }).diagnostics.filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`);
/** The errors a file's header says kubectl itself refuses it for. */
const expectedErrors = (text: string) => [...text.matchAll(/^# expected-error: ([a-z0-9-]+)/gm)].map((m) => m[1]);

test('there are real-world files for the usual stateful workloads', () => {
  for (const name of ['zookeeper', 'cassandra', 'mysql', 'postgresql', 'kafka', 'redis']) assert.ok(files.includes(`${name}.yaml`), name);
});

const MIN_FILES = 40;

test(`at least ${MIN_FILES} real-world files, each collected one naming its source and commit`, () => {
  assert.ok(files.length >= MIN_FILES, `${files.length} files`);
  const styled = ['cassandra', 'elasticsearch', 'etcd', 'kafka', 'mongodb', 'mysql', 'postgresql', 'redis', 'web', 'zookeeper'].map((n) => `${n}.yaml`);
  for (const f of files.filter((x) => !styled.includes(x))) {
    assert.match(read(f), /^# Source: [\w.-]+\/[\w.-]+ \S+/m, `${f} names its repository and path`);
    assert.match(read(f), /commit [0-9a-f]{40}/, `${f} names the commit`);
  }
});

for (const f of files) {
  test(`real-world ${f}: a StatefulSet with its headless Service`, () => {
    const docs = parseAllDocuments(read(f)).map((d) => d.toJS() as Record<string, any>);
    const sts = docs.filter((d) => d?.kind === 'StatefulSet');
    assert.ok(sts.length > 0, 'has a StatefulSet');
    for (const s of sts) {
      const svc = docs.find((d) => d?.kind === 'Service' && d.metadata?.name === s.spec.serviceName);
      assert.ok(svc, `the Service ${s.spec.serviceName} is in the file`);
      if (/^# governing-service: not headless/m.test(read(f))) assert.notEqual(svc.spec.clusterIP, 'None', 'the header says it is not headless');
      else assert.equal(svc.spec.clusterIP, 'None', 'and it is headless');
    }
  });

  test(`real-world ${f}: no error-severity diagnostics${expectedErrors(read(f)).length ? ' but those kubectl refuses it for' : ''}`, () => {
    const codes = errorsOf(read(f), path.join(dir, f)).map((e) => e.split(': ')[1]);
    assert.deepEqual([...new Set(codes)].sort(), [...new Set(expectedErrors(read(f)))].sort(), errorsOf(read(f), path.join(dir, f)).join('\n'));
  });
}

// Realistic mistakes in the real-world files: [file, find, replace, the rule that must catch it].
const MISTAKES: Array<[string, string | RegExp, string, string]> = [
  ['zookeeper.yaml', /(template:\n    metadata:\n      labels:\n        app:) zk/, '$1 zookeeper', 'selector-template-mismatch'],
  ['zookeeper.yaml', 'containerPort: 3888\n              name: leader-election', 'containerPort: 3888\n              name: leader-election-port', 'invalid-port-name'],
  ['cassandra.yaml', 'mountPath: /var/lib/cassandra', 'mountPath: /var/lib/cassandra\n            - name: cassandra-data\n              mountPath: /var/lib/cassandra', 'duplicate-mount-path'],
  ['cassandra.yaml', 'fieldPath: status.podIP', 'fieldPath: status.phase', 'unsupported-field-ref'],
  ['mysql.yaml', '        - name: clone-mysql', '        - name: mysql', 'duplicate-container-name'],
  ['mysql.yaml', '        - name: config-map\n          configMap:', '        - name: config-map\n          emptyDir: {}\n          configMap:', 'multiple-volume-sources'],
  ['postgresql.yaml', 'runAsUser: 1001\n            runAsGroup', 'runAsUser: 0\n            runAsGroup', 'security-context-conflict'],
  ['postgresql.yaml', 'memory: 256Mi', 'memory: 512Mi', 'requests-exceed-limits'],
  ['postgresql.yaml', 'operator: Equal\n          value: database', 'operator: Exists\n          value: database', 'invalid-toleration'],
  ['kafka.yaml', 'maxUnavailable: 1\n', 'maxUnavailable: 0\n', 'invalid-max-unavailable'],
  ['kafka.yaml', 'topologyKey: kubernetes.io/hostname', 'topologyKey: ""', 'invalid-affinity'],
  ['kafka.yaml', 'effect: NoExecute', 'effect: NoSchedule', 'invalid-toleration'],
  ['redis.yaml', '- name: data\n              mountPath: /data', '- name: redis-data\n              mountPath: /data', 'unknown-volume-mount'],
  ['redis.yaml', 'replicas: 3', 'replicas: -3', 'negative-spec-field'],
  ['web.yaml', 'serviceName: nginx', 'serviceName: nginx.default', 'invalid-service-name'],
  ['web.yaml', '      terminationGracePeriodSeconds: 10', '      terminationGracePeriodSeconds: 10\n      restartPolicy: OnFailure', 'restart-policy-not-always'],
  ['etcd.yaml', 'accessModes: ["ReadWriteOncePod"]', 'accessModes: []', 'invalid-claim-template'],
  ['elasticsearch.yaml', 'runAsUser: 0\n            privileged: true', 'runAsUser: 0\n            privileged: true\n            allowPrivilegeEscalation: false', 'security-context-conflict'],
  ['mongodb.yaml', "fieldPath: metadata.labels['role']", "fieldPath: metadata.labels['bad key']", 'unsupported-field-ref'],
];

for (const [f, find, replace, rule] of MISTAKES) {
  test(`real-world ${f} with a mistake is flagged by ${rule}`, () => {
    const text = read(f);
    const broken = text.replace(find, replace);
    assert.notEqual(broken, text, 'the mistake applies');
    const errors = errorsOf(broken, path.join(dir, f));
    assert.ok(errors.some((e) => e.includes(`: ${rule}: `)), `expected ${rule} among ${JSON.stringify(errors, null, 1)}`);
  });
}

// Warnings a careful reviewer agrees with, found in the collected files themselves.
const FINDINGS: Array<[string, string, RegExp, (text: string) => string]> = [
  // the "Running ZooKeeper" tutorial's anti-affinity selects app=zk; its pods carry app.kubernetes.io/name=zk
  ['website-zookeeper.yaml', 'missing-pod-anti-affinity', /does not select this StatefulSet's own pods/, (t) => t],
  // Pulsar's budget selects app=zk; its ZooKeeper pods are app=pulsar, component=zookeeper
  ['pulsar-zookeeper.yaml', 'missing-pod-disruption-budget', /no PodDisruptionBudget in this namespace selects these pods/, (t) => t],
  // once its budget is moved to policy/v1, minAvailable 67% of 3 rounds up to 3: no drain can proceed
  ['k8s-examples-cockroachdb.yaml', 'pdb-blocks-disruptions', /minAvailable: 67% with 3 replicas/, (t) => t.replace('apiVersion: policy/v1beta1', 'apiVersion: policy/v1')],
  ['website-zookeeper.yaml', 'identical-probes', /same check as the readiness probe/, (t) => t],
];

for (const [f, rule, message, change] of FINDINGS) {
  test(`real-world ${f}: ${rule} finds what a reviewer would`, () => {
    const text = change(read(f));
    const d = analyzeText(text, { uri: path.join(dir, f) }).diagnostics.filter((x) => x.code === rule);
    assert.ok(d.some((x) => message.test(x.message)), JSON.stringify(d.map((x) => x.message)));
  });
}
