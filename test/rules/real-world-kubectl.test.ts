// The real-world corpus against the real kubectl: every file whose header names no expected error is
// accepted by `kubectl apply --dry-run=server` (kubectl's own YAML reading, client-side validation and
// the simulator's API server validation); every file that names one is refused, and accepted once that
// one thing is fixed. Only the kinds the simulator serves are sent (Service, StatefulSet,
// PodDisruptionBudget, PersistentVolumeClaim); ConfigMaps, RBAC and StorageClasses are left out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startApiServer, type ApiServer } from '../../simulator/index';
import { HAS_KUBECTL, kubectl } from '../simulator/testkit';

const dir = path.join(__dirname, '..', 'fixtures', 'real-world');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const SERVED = new Set(['Service', 'StatefulSet', 'PodDisruptionBudget', 'PersistentVolumeClaim']);
/** What each expected error is, and the one-line fix after which kubectl accepts the file. */
const FIXES: Record<string, (text: string) => string> = {
  'invalid-api-version': (t) => t.replace(/apiVersion: policy\/v1beta1/g, 'apiVersion: policy/v1'),
};

describe('real-world files through kubectl apply --dry-run=server', { timeout: 300_000, skip: HAS_KUBECTL ? false : 'kubectl is not installed' }, () => {
  let api: ApiServer;
  const served = (text: string) =>
    parseAllDocuments(text)
      .filter((d) => SERVED.has((d.toJS() as { kind?: string } | null)?.kind ?? ''))
      .map((d) => d.toString())
      .join('---\n');
  const apply = async (name: string, text: string) => {
    const p = path.join(api.dir, name);
    fs.writeFileSync(p, text);
    return kubectl(api, ['apply', '--dry-run=server', '-f', p]);
  };

  before(async () => {
    api = await startApiServer({});
    const namespaces = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^ {2,4}namespace: ([a-z0-9-]+)$/gm)) namespaces.add(m[1]);
    namespaces.delete('default');
    for (const ns of namespaces) {
      const p = path.join(api.dir, `ns-${ns}.yaml`);
      fs.writeFileSync(p, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
      const r = await kubectl(api, ['apply', '-f', p]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(async () => {
    await api?.stop();
  });

  for (const f of files) {
    test(f, async () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const expected = [...text.matchAll(/^# expected-error: ([a-z0-9-]+)/gm)].map((m) => m[1]);
      const r = await apply(f, served(text));
      if (expected.length === 0) {
        assert.equal(r.code, 0, `kubectl refuses a file we give no error: ${r.stderr}`);
        return;
      }
      assert.notEqual(r.code, 0, `kubectl accepts it, but the header expects ${expected.join(', ')}`);
      let fixed = text;
      for (const id of expected) {
        assert.ok(FIXES[id], `no known fix for ${id}`);
        fixed = FIXES[id](fixed);
      }
      const again = await apply(`fixed-${f}`, served(fixed));
      assert.equal(again.code, 0, `still refused after fixing ${expected.join(', ')}: ${again.stderr}`);
    });
  }
});
