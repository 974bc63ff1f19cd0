// Part 4 of issue 19: an empty string in an enum field that the API server defaults before it validates
// (podManagementPolicy: "", as the mysql chart renders it) is not an error; "" in an enum field that is a
// pointer in Go (defaulted only when absent) still is, since the API server refuses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine/analyzer';
import { EMPTY_STRING_DEFAULTS } from '../../server/src/engine/emptyDefaults';
import { schema } from '../../server/src/schema';
import { SERVICE, STS } from './helpers';

const errorsOf = (text: string) => analyzeText(text).diagnostics.filter((d) => d.severity === 1).map((d) => `${d.code}: ${d.message}`);
const codesOf = (text: string) => analyzeText(text).diagnostics.map((d) => d.code);

function edit(text: string, find: string, replace: string): string {
  assert.ok(text.includes(find), `fixture lacks ${JSON.stringify(find)}`);
  return text.replace(find, replace);
}

// Every defaulted field, each set to "" in an otherwise valid StatefulSet or Service.
const STS_CASES: Array<[string, string, string]> = [
  ['spec.podManagementPolicy', '  replicas: 3\n', '  replicas: 3\n  podManagementPolicy: ""\n'],
  ['spec.updateStrategy.type', '  replicas: 3\n', '  replicas: 3\n  updateStrategy:\n    type: ""\n'],
  ['spec.updateStrategy.type with rollingUpdate', '  replicas: 3\n', '  replicas: 3\n  updateStrategy:\n    type: ""\n    rollingUpdate:\n      partition: 0\n'],
  ['persistentVolumeClaimRetentionPolicy.whenDeleted/whenScaled', '  replicas: 3\n', '  replicas: 3\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: ""\n    whenScaled: ""\n'],
  ['template.spec.dnsPolicy and restartPolicy', '      containers:\n', '      dnsPolicy: ""\n      restartPolicy: ""\n      containers:\n'],
  ['containers[].imagePullPolicy and terminationMessagePolicy', '        image: nginx:1.27\n', '        image: nginx:1.27\n        imagePullPolicy: ""\n        terminationMessagePolicy: ""\n'],
  ['containers[].ports[].protocol', '          name: http\n', '          name: http\n          protocol: ""\n'],
  ['httpGet.scheme of a readiness probe', '        image: nginx:1.27\n', '        image: nginx:1.27\n        readinessProbe:\n          httpGet:\n            port: 80\n            scheme: ""\n'],
  ['tolerations[].operator and effect', '      containers:\n', '      tolerations:\n      - key: dedicated\n        operator: ""\n        value: db\n        effect: ""\n      containers:\n'],
  ['initContainers[].imagePullPolicy', '      containers:\n', '      initContainers:\n      - name: init\n        image: busybox:1.36\n        imagePullPolicy: ""\n      containers:\n'],
  ['volumes[].image.pullPolicy (image volume)', '      containers:\n', '      volumes:\n      - name: models\n        image:\n          reference: registry.example.com/models:v1\n          pullPolicy: ""\n      containers:\n'],
  ['lifecycle.preStop.httpGet.scheme', '        image: nginx:1.27\n', '        image: nginx:1.27\n        lifecycle:\n          preStop:\n            httpGet:\n              port: 80\n              scheme: ""\n'],
];

for (const [name, find, replace] of STS_CASES) {
  test(`"" is accepted (defaulted by the API server): ${name}`, () => {
    const text = edit(STS, find, replace);
    assert.deepEqual(errorsOf(text), []);
    assert.ok(!codesOf(text).includes('invalid-enum'));
  });
}

test('"" is accepted in a Service: type, sessionAffinity, externalTrafficPolicy, ports[].protocol', () => {
  let text = edit(SERVICE, '  clusterIP: None\n', '  clusterIP: None\n  type: ""\n  sessionAffinity: ""\n  externalTrafficPolicy: ""\n');
  text = edit(text, '    port: 80\n', '    port: 80\n    protocol: ""\n');
  assert.deepEqual(errorsOf(text), []);
});

test('the same fields with a wrong non-empty value are still errors (the check is not switched off)', () => {
  const text = edit(STS, '  replicas: 3\n', '  replicas: 3\n  podManagementPolicy: "ordered"\n');
  assert.ok(codesOf(text).includes('invalid-enum'));
  const svc = edit(SERVICE, '    port: 80\n', '    port: 80\n    protocol: tcp\n');
  assert.ok(codesOf(svc).includes('invalid-enum'));
});

test('"" in enum fields that are pointers in Go (not defaulted when present) stays an error', () => {
  const volumeMode = edit(STS, '      accessModes: ["ReadWriteOnce"]\n', '      accessModes: ["ReadWriteOnce"]\n      volumeMode: ""\n');
  assert.ok(codesOf(volumeMode).includes('invalid-enum'), 'volumeClaimTemplates[].spec.volumeMode: "" is refused');
  const propagation = edit(STS, '          mountPath: /usr/share/nginx/html\n', '          mountPath: /usr/share/nginx/html\n          mountPropagation: ""\n');
  assert.ok(codesOf(propagation).includes('invalid-enum'), 'volumeMounts[].mountPropagation: "" is refused');
  const svc = edit(SERVICE, '  clusterIP: None\n', '  clusterIP: None\n  ipFamilyPolicy: ""\n');
  assert.ok(codesOf(svc).includes('invalid-enum'), 'ipFamilyPolicy: "" is refused');
});

test('every entry of the defaults table is an enum field of a schema type (the table cannot name a field that is not there)', () => {
  for (const [type, fields] of Object.entries(EMPTY_STRING_DEFAULTS)) {
    const def = schema.types[type];
    assert.ok(def, `${type} is a schema type`);
    for (const field of Object.keys(fields)) {
      assert.ok(def.properties[field]?.enum, `${type}.${field} is an enum field`);
      assert.ok(!def.required.includes(field), `${type}.${field} is not required`);
    }
  }
});

test('rules read "" as the default: restartPolicy "" is Always, imagePullPolicy "" with a moving tag warns like an unset one', () => {
  const restart = edit(STS, '      containers:\n', '      restartPolicy: ""\n      containers:\n');
  assert.ok(!codesOf(restart).includes('restart-policy-not-always'));
  const moving = edit(STS, '        image: nginx:1.27\n', '        image: nginx:stable\n        imagePullPolicy: ""\n');
  const d = analyzeText(moving).diagnostics.find((x) => x.code === 'image-pull-policy');
  assert.ok(d, 'a moving tag with imagePullPolicy "" defaults to IfNotPresent: warned');
  assert.match(d.message, /an empty imagePullPolicy, which then defaults to IfNotPresent/);
  const latest = edit(STS, '        image: nginx:1.27\n', '        image: nginx:latest\n        imagePullPolicy: ""\n');
  assert.ok(!codesOf(latest).includes('image-pull-policy'), ':latest with "" defaults to Always');
});

test('a toleration with operator "" and a bad value is checked as Equal', () => {
  const text = edit(STS, '      containers:\n', '      tolerations:\n      - key: dedicated\n        operator: ""\n        value: "not a label value!"\n      containers:\n');
  assert.ok(codesOf(text).includes('invalid-toleration'));
});

test('a chart-like render with every empty default at once has no errors', () => {
  const text = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mysql
spec:
  serviceName: mysql-headless
  replicas: 1
  podManagementPolicy: ""
  updateStrategy:
    type: ""
  selector:
    matchLabels:
      app: mysql
  template:
    metadata:
      labels:
        app: mysql
    spec:
      dnsPolicy: ""
      containers:
      - name: mysql
        image: mysql:8.4.2
        imagePullPolicy: ""
        ports:
        - name: mysql
          containerPort: 3306
          protocol: ""
`;
  assert.deepEqual(errorsOf(text), []);
});
