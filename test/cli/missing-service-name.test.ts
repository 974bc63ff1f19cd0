// statefulset-lint warns on a StatefulSet without serviceName (issue 24), at the newest bundled version and at 1.30.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, linter } from './bin';
import { edit, STS } from '../engine/helpers';

let dir: string;
const lint = linter(() => dir);
const SPEC_LINE = STS.split('\n').indexOf('spec:') + 1;

before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-nosvcname-'));
  fs.writeFileSync(path.join(dir, 'web.yaml'), edit(STS, '  serviceName: web\n', ''));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('no serviceName: a warning on spec, by default and with --kubernetes-version 1.30; exit 0 (a warning)', () => {
  for (const args of [[], ['--kubernetes-version', '1.30']]) {
    const r = lint(...args, 'web.yaml');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`^web\\.yaml:${SPEC_LINE}:1: warning \\[missing-service-name\\] No serviceName: its pods get no stable DNS names`, 'm'), args.join(' '));
  }
});

test('--format json carries the finding with its quick-fix data', () => {
  const r = lint('--format', 'json', 'web.yaml');
  const [file] = JSON.parse(r.out) as Array<{ diagnostics: Array<{ code: string; data?: { fix: string; name: string } }> }>;
  const d = file.diagnostics.find((x) => x.code === 'missing-service-name');
  assert.ok(d, r.out);
  assert.equal(d.data?.fix, 'set-service-name');
  assert.equal(d.data?.name, 'web');
});
