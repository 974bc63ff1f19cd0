// forbiddenUpdates as plain data (the file's object and the live object in, changes out), and the
// forbidden-update rule placing them in the document.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { analyzeText } from '../../server/src/engine/analyzer';
import { forbiddenMessage, forbiddenUpdates, IMMUTABLE_SPEC_FIELDS } from '../../server/src/rules/practices/forbidden-update';

type Obj = Record<string, any>;

const FILE: Obj = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    serviceName: 'web',
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
};

/** What the API server stores for FILE: every default filled in, status and metadata noise. */
function live(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '7', generation: 1, managedFields: [{ manager: 'kubectl' }] },
    spec: {
      podManagementPolicy: 'OrderedReady',
      replicas: 3,
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'web',
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data', creationTimestamp: null },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
          status: { phase: 'Pending' },
        },
      ],
    },
    status: { replicas: 3, readyReplicas: 3 },
  };
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function file(change: (f: Obj) => void): Obj {
  const f = clone(FILE);
  change(f);
  return f;
}

describe('forbiddenUpdates', () => {
  test('the immutable fields are what the schema knows outside the mutable set', () => {
    assert.deepEqual([...IMMUTABLE_SPEC_FIELDS].sort(), ['podManagementPolicy', 'selector', 'serviceName', 'volumeClaimTemplates']);
  });

  test('the file that made the live object: no change (defaults, status, managedFields are noise)', () => {
    assert.deepEqual(forbiddenUpdates(FILE, live()), []);
  });

  test('every mutable field may change', () => {
    const f = file((x) => {
      x.spec.replicas = 7;
      x.spec.ordinals = { start: 1 };
      x.spec.template.spec.containers[0].image = 'nginx:1.28';
      x.spec.updateStrategy = { type: 'OnDelete' };
      x.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
      x.spec.minReadySeconds = 30;
      x.spec.revisionHistoryLimit = 3;
      x.metadata.labels = { team: 'a' };
    });
    assert.deepEqual(forbiddenUpdates(f, live()), []);
  });

  test('equal quantities in another unit, a numeric label value, an empty serviceName vs none are not changes', () => {
    const f = file((x) => {
      x.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '1024Mi';
    });
    assert.deepEqual(forbiddenUpdates(f, live()), []);
    const l = live();
    l.spec.selector.matchLabels.version = '2';
    l.spec.template.metadata.labels.version = '2';
    const g = file((x) => {
      x.spec.selector.matchLabels.version = 2;
      x.spec.template.metadata.labels.version = 2;
    });
    assert.deepEqual(forbiddenUpdates(g, l), []);
    const noService = live();
    delete noService.spec.serviceName;
    assert.deepEqual(forbiddenUpdates(file((x) => (x.spec.serviceName = '')), noService), []);
  });

  test('serviceName, podManagementPolicy: one change each, with the API server message', () => {
    const changes = forbiddenUpdates(
      file((x) => {
        x.spec.serviceName = 'web-headless';
        x.spec.podManagementPolicy = 'Parallel';
      }),
      live(),
    );
    assert.deepEqual(
      changes.map((c) => [c.path.join('.'), c.file, c.live]).sort(),
      [
        ['spec.podManagementPolicy', 'Parallel', 'OrderedReady'],
        ['spec.serviceName', 'web-headless', 'web'],
      ],
    );
    for (const c of changes) assert.ok(c.message.includes(forbiddenMessage('web')));
    assert.equal(
      forbiddenMessage('web'),
      `StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
    );
  });

  test('a live non-default podManagementPolicy the file leaves out is a change (the file would reset it)', () => {
    const l = live();
    l.spec.podManagementPolicy = 'Parallel';
    const c = forbiddenUpdates(FILE, l);
    assert.deepEqual(c.map((x) => [x.path.join('.'), x.file, x.live]), [['spec.podManagementPolicy', 'OrderedReady', 'Parallel']]);
  });

  test('selector: a changed, an added and a removed label, and a changed expression', () => {
    const l = live();
    l.spec.selector = { matchLabels: { app: 'web', tier: 'db' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] };
    const f = file((x) => {
      x.spec.selector = { matchLabels: { app: 'api', zone: 'a' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['staging'] }] };
    });
    const paths = forbiddenUpdates(f, l).map((c) => c.path.join('.'));
    assert.deepEqual(paths.sort(), [
      'spec.selector.matchExpressions.0.values.0',
      'spec.selector.matchLabels.app',
      'spec.selector.matchLabels.tier',
      'spec.selector.matchLabels.zone',
    ]);
  });

  test('claim templates: size (even up), access modes, storage class, volumeMode against its default', () => {
    const grow = forbiddenUpdates(file((x) => (x.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '10Gi')), live());
    assert.equal(grow.length, 1);
    assert.deepEqual(grow[0].path, ['spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage']);
    assert.match(grow[0].message, /"10Gi" here but "1Gi"/);
    assert.match(grow[0].message, /resize each PVC/);
    const modes = forbiddenUpdates(file((x) => (x.spec.volumeClaimTemplates[0].spec.accessModes = ['ReadWriteOncePod'])), live());
    assert.deepEqual(modes.map((c) => c.path.join('.')), ['spec.volumeClaimTemplates.0.spec.accessModes.0']);
    const sc = forbiddenUpdates(file((x) => (x.spec.volumeClaimTemplates[0].spec.storageClassName = 'fast')), live());
    assert.deepEqual(sc.map((c) => c.path.join('.')), ['spec.volumeClaimTemplates.0.spec.storageClassName']);
    const block = forbiddenUpdates(file((x) => (x.spec.volumeClaimTemplates[0].spec.volumeMode = 'Block')), live());
    assert.deepEqual(block.map((c) => [c.file, c.live]), [['Block', 'Filesystem']]);
    const explicitDefault = forbiddenUpdates(file((x) => (x.spec.volumeClaimTemplates[0].spec.volumeMode = 'Filesystem')), live());
    assert.deepEqual(explicitDefault, []);
  });

  test('claim templates added, removed or reordered: one change naming them', () => {
    const added = forbiddenUpdates(
      file((x) => x.spec.volumeClaimTemplates.push({ metadata: { name: 'logs' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })),
      live(),
    );
    assert.equal(added.length, 1);
    assert.deepEqual(added[0].path, ['spec', 'volumeClaimTemplates', 1]);
    assert.match(added[0].message, /adds "logs"/);
    const removed = forbiddenUpdates(file((x) => delete x.spec.volumeClaimTemplates), live());
    assert.equal(removed.length, 1);
    assert.match(removed[0].message, /removes "data"/);
    assert.deepEqual(removed[0].path, ['spec', 'volumeClaimTemplates']);
  });

  test('at most 20 changes, however different the objects', () => {
    const l = live();
    l.spec.selector.matchLabels = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(forbiddenUpdates(FILE, l).length, 20);
  });

  test('fields the schema does not know (typos, newer servers) are left to other checks', () => {
    assert.deepEqual(forbiddenUpdates(file((x) => (x.spec.serviceNmae = 'x')), live()), []);
    const l = live();
    l.spec.someFutureField = { a: 1 };
    assert.deepEqual(forbiddenUpdates(FILE, l), []);
  });
});

describe('forbidden-update rule', () => {
  const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: c
        image: nginx:1.27
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 2Gi
`;
  const env = (l: Obj | undefined) => ({ workspace: () => [], live: (kind: string, _ns: string | undefined, name: string) => (l && kind === 'StatefulSet' && name === l.metadata.name ? l : undefined) });

  test('each change at its position: the value of a changed scalar, the key of a removed field', () => {
    const l = live();
    l.spec.podManagementPolicy = 'Parallel';
    const found = analyzeText(yaml, { env: env(l) }).diagnostics.filter((d) => d.code === 'forbidden-update');
    const lines = yaml.split('\n');
    assert.deepEqual(
      found.map((d) => [lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), d.severity]),
      [
        ['spec', 1], // podManagementPolicy absent here (OrderedReady) but Parallel live: at the spec key
        ['2Gi', 1],
      ],
    );
  });

  test('no live object, or a Kustomize patch: nothing', () => {
    assert.deepEqual(analyzeText(yaml, { env: env(undefined) }).diagnostics.filter((d) => d.code === 'forbidden-update'), []);
    const patch = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 5\n`;
    assert.deepEqual(analyzeText(patch, { env: env(live()) }).diagnostics.filter((d) => d.code === 'forbidden-update'), []);
  });

  test('the live object as kubectl prints it (YAML) works the same', () => {
    const l = parse(`apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  selector:\n    matchLabels:\n      app: web\n`);
    const found = analyzeText(yaml, { env: env(l) }).diagnostics.filter((d) => d.code === 'forbidden-update');
    assert.ok(found.some((d) => /spec\.serviceName is "web" here but "nginx"/.test(d.message)));
  });
});
