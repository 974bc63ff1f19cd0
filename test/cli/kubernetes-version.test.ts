// statefulset-lint --kubernetes-version: the built bin checks fields against the version asked for.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, linter } from './bin';
import { edit, STS } from '../engine/helpers';

let dir: string;
const lint = linter(() => dir);

before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-k8sver-'));
  const text = edit(STS, '  replicas: 3\n', '  replicas: 3\n  ordinals:\n    start: 1\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 2\n');
  fs.writeFileSync(path.join(dir, 'web.yaml'), text);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--kubernetes-version 1.25: ordinals is an error (exit 1), maxUnavailable a feature-gate warning', () => {
  const r = lint('--kubernetes-version', '1.25', 'web.yaml');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /web\.yaml:8:3: error \[field-not-in-version\] spec\.ordinals is not in the Kubernetes 1\.25 API/);
  assert.match(r.out, /web\.yaml:\d+:7: warning \[feature-gate-off\] spec\.updateStrategy\.rollingUpdate\.maxUnavailable needs the feature gate MaxUnavailableStatefulSet/);
});

test('--kubernetes-version=1.27 (the = form): no version error; the default (newest bundled) neither', () => {
  for (const args of [['--kubernetes-version=1.27'], []]) {
    const r = lint(...args, 'web.yaml');
    assert.doesNotMatch(r.out, /field-not-in-version/, args.join(' '));
    assert.match(r.out, /feature-gate-off/, 'maxUnavailable is alpha up to 1.34');
  }
});

test('a version past the newest bundled: a note on stderr, gates judged at that version', () => {
  const r = lint('--kubernetes-version', 'v1.35.1', '--format', 'json', 'web.yaml');
  assert.match(r.err, /1\.35 is newer than the newest bundled schema/);
  const codes = (JSON.parse(r.out) as Array<{ diagnostics: Array<{ code: string }> }>)[0].diagnostics.map((d) => d.code);
  assert.ok(!codes.includes('feature-gate-off') && !codes.includes('field-not-in-version'), codes.join(','));
});

test('a malformed or missing version is a usage error (exit 2)', () => {
  const bad = lint('--kubernetes-version', 'latest', 'web.yaml');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--kubernetes-version: "latest" is not a Kubernetes version/);
  const missing = lint('web.yaml', '--kubernetes-version');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--kubernetes-version needs a version/);
  assert.match(lint('--help').out, /--kubernetes-version 1\.NN/);
});
