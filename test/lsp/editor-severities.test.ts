// Information findings are hints in the editor (faded dots, not in the Problems view) unless the user
// raises them with the rule's setting; warnings and errors keep their severity. Over real LSP stdio.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, startClient, type TestClient } from './lspClient';
import { STS } from '../engine/helpers';
import { allRules } from '../../server/src/rules';

const INFO = allRules.filter((r) => r.severity === 'information').map((r) => r.id);
let client: TestClient | undefined;

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status, 0);
});

after(async () => {
  await client?.stop();
});

test('information rules are hints by default; a setting raises one; warnings stay warnings', async () => {
  client = await startClient();
  const uri = 'file:///tmp/editor-severities-a.yaml';
  let got = client.diagnostics(uri);
  client.open(uri, STS);
  let p = await got;
  const info = p.diagnostics.filter((d) => INFO.includes(String(d.code)));
  assert.ok(info.some((d) => d.code === 'container-read-only-root-fs'), 'the sample has information findings');
  assert.deepEqual([...new Set(info.map((d) => d.severity))], [4], 'all of them hints');
  const warnings = p.diagnostics.filter((d) => !INFO.includes(String(d.code)));
  assert.ok(warnings.some((d) => d.code === 'container-memory-limit' && d.severity === 2), 'a warning rule keeps its severity');

  // the user raises one (VS Code sends the whole section: the other information rules at their default, hint)
  got = client.diagnostics(uri, (q) => q.diagnostics.some((d) => d.code === 'container-read-only-root-fs' && d.severity === 3));
  client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: { rules: { 'container-read-only-root-fs': 'information', 'container-run-as-non-root': 'hint' } } } });
  p = await got;
  assert.equal(p.diagnostics.find((d) => d.code === 'container-run-as-non-root')?.severity, 4);

  // a settings section without rules (another editor): back to hints
  got = client.diagnostics(uri, (q) => q.diagnostics.some((d) => d.code === 'container-read-only-root-fs' && d.severity === 4));
  client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { statefulsetStudio: {} } });
  await got;
  await client.stop();
  client = undefined;
});

test('initializationOptions.rules raise an information rule from the start (other editors)', async () => {
  client = await startClient({ initializationOptions: { rules: { 'container-run-as-non-root': 'warning' } } });
  const uri = 'file:///tmp/editor-severities-b.yaml';
  const got = client.diagnostics(uri);
  client.open(uri, STS);
  const p = await got;
  assert.equal(p.diagnostics.find((d) => d.code === 'container-run-as-non-root')?.severity, 2);
  assert.equal(p.diagnostics.find((d) => d.code === 'container-read-only-root-fs')?.severity, 4, 'the others stay hints');
});
