// statefulset-lint --live: the built CLI (bin/statefulset-lint.js → dist/lint.js) compares StatefulSet
// files with a `kubectl get sts NAME -o yaml` export. The CLI is bundled afresh into a temporary folder
// (with a copy of the bin shim), so the test runs what ships without rewriting the shared dist/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICE, PDB, edit } from '../engine/helpers';
import { bundledLint } from './bin';

const root = path.join(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'rules', 'forbidden-update');
const LIVE = fs.readFileSync(path.join(fixtures, 'live.yaml'), 'utf8');
const FORBIDDEN =
  `StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ` +
  `'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`;

/** The StatefulSet as applied (what live.yaml was created from). */
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
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  app: web
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 10101
        runAsGroup: 10101
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        securityContext:
          readOnlyRootFilesystem: true
        ports:
        - name: http
          containerPort: 80
        readinessProbe:
          httpGet:
            path: /
            port: http
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
            ephemeral-storage: 64Mi
          limits:
            memory: 128Mi
            ephemeral-storage: 256Mi
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;




interface Finding {
  code: string;
  severity: number;
  message: string;
  range: { start: { line: number; character: number } };
}

const built = bundledLint('sts-lint-live-');

let n = 0;
function write(text: string, name = `f${++n}.yaml`): string {
  const dir = path.join(built.tmp, `case${++n}`);
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function lint(args: string[]): { status: number | null; stdout: string; stderr: string; results: Array<{ file: string; diagnostics: Finding[] }> } {
  const r = spawnSync(process.execPath, [built.bin, '--format', 'json', ...args], { encoding: 'utf8', timeout: 30_000 });
  let results: Array<{ file: string; diagnostics: Finding[] }> = [];
  if (r.status === 0 || r.status === 1) results = JSON.parse(r.stdout);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, results };
}

function forbidden(results: Array<{ diagnostics: Finding[] }>): Finding[] {
  return results.flatMap((r) => r.diagnostics).filter((d) => d.code === 'forbidden-update');
}

/** 0-based line of the first line containing `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line has ${needle}`);
  return i;
}

describe('statefulset-lint --live', () => {
  test('allowed changes (replicas, image, partition, retention policy) and API-server defaults produce nothing: exit 0', () => {
    let text = edit(STS, 'replicas: 3', 'replicas: 5');
    text = edit(text, 'nginx-slim:0.24', 'nginx-slim:0.26');
    text = edit(text, 'storage: 1Gi', 'storage: 1024Mi'); // the same quantity
    text = edit(text, '  volumeClaimTemplates:', '  minReadySeconds: 10\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n  volumeClaimTemplates:');
    const file = write([SERVICE, PDB, text].join('---\n'));
    const live = write(LIVE, 'live.yaml');
    const r = lint(['--live', live, file]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.deepEqual(forbidden(r.results), []);
    assert.deepEqual(r.results[0].diagnostics.filter((d) => d.severity === 1), []);
    assert.equal(r.stderr, '');
  });

  test('the unchanged file against its own live export: exit 0, no finding at all', () => {
    const r = lint(['--live', write(LIVE, 'live.yaml'), write([SERVICE, PDB, STS].join('---\n'))]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.results[0].diagnostics, []);
  });

  test('serviceName change: exit 1, one forbidden-update at spec.serviceName with the API server wording', () => {
    const text = [edit(SERVICE, 'name: web', 'name: web-headless'), PDB, edit(STS, 'serviceName: web', 'serviceName: web-headless')].join('---\n');
    const r = lint(['--live', write(LIVE, 'live.yaml'), write(text)]);
    assert.equal(r.status, 1);
    const f = forbidden(r.results);
    assert.equal(f.length, 1, JSON.stringify(f, null, 1));
    assert.equal(f[0].severity, 1);
    assert.ok(f[0].message.includes(FORBIDDEN), f[0].message);
    assert.match(f[0].message, /spec\.serviceName is "web-headless" here but "web" in the live StatefulSet/);
    assert.equal(f[0].range.start.line, lineOf(text, 'serviceName: web-headless'));
  });

  test('selector change: flagged at the changed label, even when the template follows', () => {
    let text = edit(STS, '    matchLabels:\n      app: web\n  template:', '    matchLabels:\n      app: web2\n  template:');
    text = edit(text, '      labels:\n        app: web\n', '      labels:\n        app: web2\n');
    const all = [SERVICE, PDB, text].join('---\n');
    const r = lint(['--live', write(LIVE, 'live.yaml'), write(all)]);
    assert.equal(r.status, 1);
    const f = forbidden(r.results);
    assert.equal(f.length, 1, JSON.stringify(f, null, 1));
    assert.equal(f[0].range.start.line, lineOf(all, 'app: web2'));
    assert.match(f[0].message, /spec\.selector\.matchLabels\.app/);
  });

  test('claim template size change (even an increase) is forbidden, at the storage line', () => {
    const all = [SERVICE, PDB, edit(STS, 'storage: 1Gi', 'storage: 5Gi')].join('---\n');
    const r = lint(['--live', write(LIVE, 'live.yaml'), write(all)]);
    assert.equal(r.status, 1);
    const f = forbidden(r.results);
    assert.equal(f.length, 1);
    assert.equal(f[0].range.start.line, lineOf(all, 'storage: 5Gi'));
    assert.match(f[0].message, /resize each PVC/);
  });

  test('a claim template added, and podManagementPolicy set to Parallel: two findings', () => {
    let text = edit(STS, '          storage: 1Gi\n', '          storage: 1Gi\n  - metadata:\n      name: logs\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n');
    text = edit(text, '  serviceName: web\n', '  serviceName: web\n  podManagementPolicy: Parallel\n');
    const all = [SERVICE, PDB, text].join('---\n');
    const r = lint(['--live', write(LIVE, 'live.yaml'), write(all)]);
    assert.equal(r.status, 1);
    const f = forbidden(r.results);
    assert.equal(f.length, 2, JSON.stringify(f, null, 1));
    assert.ok(f.some((d) => /adds "logs"/.test(d.message)));
    assert.ok(f.some((d) => d.range.start.line === lineOf(all, 'podManagementPolicy: Parallel')));
  });

  test('podManagementPolicy absent in the file: the same as the live default, but not as a live Parallel', () => {
    const file = write([SERVICE, PDB, STS].join('---\n'));
    assert.equal(lint(['--live', write(LIVE, 'live.yaml'), file]).status, 0);
    const parallel = write(edit(LIVE, 'podManagementPolicy: OrderedReady', 'podManagementPolicy: Parallel'), 'live.yaml');
    const r = lint(['--live', parallel, file]);
    assert.equal(r.status, 1);
    assert.match(forbidden(r.results)[0].message, /podManagementPolicy is "OrderedReady" here but "Parallel"/);
  });

  test('a List export (kubectl get sts -o yaml) matches each StatefulSet by name; other namespaces are not confused', () => {
    const indented = LIVE.replace(/^#.*\n/, '')
      .split('\n')
      .map((l, i) => (l ? (i === 0 ? `- ${l}` : `  ${l}`) : l))
      .join('\n');
    const other = edit(edit(LIVE.replace(/^#.*\n/, ''), 'name: web\n  namespace: default', 'name: db\n  namespace: default'), 'serviceName: web', 'serviceName: db')
      .split('\n')
      .map((l, i) => (l ? (i === 0 ? `- ${l}` : `  ${l}`) : l))
      .join('\n');
    const list = `apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: ""\nitems:\n${other}\n${indented}\n`;
    const r = lint(['--live', write(list, 'live.yaml'), write([SERVICE, PDB, edit(STS, 'serviceName: web', 'serviceName: other')].join('---\n'))]);
    assert.equal(r.status, 1);
    const f = forbidden(r.results);
    assert.equal(f.length, 1);
    assert.match(f[0].message, /"other" here but "web"/);
    // the live StatefulSet "db" matched no file: said once on stderr, not an error
    assert.match(r.stderr, /no checked file has StatefulSet "db"/);
  });

  test('a file in another namespace is not compared with the live object in default', () => {
    const r = lint(['--live', write(LIVE, 'live.yaml'), write([SERVICE, PDB, edit(STS, '  name: web\nspec:', '  name: web\n  namespace: prod\nspec:').replace('serviceName: web', 'serviceName: other')].join('---\n'))]);
    assert.deepEqual(forbidden(r.results), []);
  });

  test('without --live nothing is compared', () => {
    const r = lint([write([SERVICE, PDB, edit(STS, 'storage: 1Gi', 'storage: 5Gi')].join('---\n'))]);
    assert.equal(r.status, 0);
    assert.deepEqual(forbidden(r.results), []);
  });

  test('text output names the file, line and rule', () => {
    const file = write([SERVICE, PDB, edit(STS, 'storage: 1Gi', 'storage: 5Gi')].join('---\n'));
    const r = spawnSync(process.execPath, [built.bin, '--live', write(LIVE, 'live.yaml'), file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error \\[forbidden-update\\] `));
    assert.match(r.stdout, /1 file checked: 1 error/);
  });

  test('usage and I/O errors exit 2: missing argument, missing file, a file with no object, broken YAML', () => {
    const file = write(STS);
    const noArg = spawnSync(process.execPath, [built.bin, file, '--live'], { encoding: 'utf8' });
    assert.equal(noArg.status, 2);
    assert.match(noArg.stderr, /--live needs a file/);
    const missing = lint(['--live', path.join(built.tmp, 'nope.yaml'), file]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--live: .*nope\.yaml/);
    const empty = lint(['--live', write('# nothing\n', 'live.yaml'), file]);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /holds no Kubernetes object/);
    const broken = lint(['--live', write('kind: StatefulSet\nmetadata: [\n', 'live.yaml'), file]);
    assert.equal(broken.status, 2);
  });
});

describe('statefulset-lint workspace', () => {
  test('a Service and a PodDisruptionBudget in other linted files count; alone the StatefulSet gets warnings (exit 0)', () => {
    const dir = path.join(built.tmp, `ws${++n}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'sts.yaml'), STS);
    fs.writeFileSync(path.join(dir, 'svc.yaml'), SERVICE);
    fs.writeFileSync(path.join(dir, 'pdb.yaml'), PDB);
    const together = lint([dir]);
    assert.equal(together.status, 0);
    assert.deepEqual(together.results.flatMap((r) => r.diagnostics.map((d) => d.code)), []);
    const alone = lint([path.join(dir, 'sts.yaml')]);
    assert.equal(alone.status, 0, 'warnings do not fail the run');
    assert.deepEqual(alone.results[0].diagnostics.map((d) => d.code).sort(), ['missing-pod-disruption-budget', 'service-not-found']);
  });

  test('a Service in another namespace does not count', () => {
    const dir = path.join(built.tmp, `ws${++n}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'sts.yaml'), edit(STS, '  name: web\nspec:', '  name: web\n  namespace: prod\nspec:'));
    fs.writeFileSync(path.join(dir, 'svc.yaml'), edit(SERVICE, '  name: web\n', '  name: web\n  namespace: staging\n'));
    const r = lint([dir]);
    assert.ok(r.results.find((x) => x.file.endsWith('sts.yaml'))!.diagnostics.some((d) => d.code === 'service-not-found'));
  });
});
