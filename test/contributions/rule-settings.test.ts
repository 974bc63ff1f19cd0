// Every rule and schema check can be configured from the settings UI: the manifest lists exactly them,
// with their default severity (regenerate with `npm run sync:manifest`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleSettingGroups, ruleSettings, rulesMarkdown } from '../../scripts/sync-manifest';
import { allCheckIds } from '../../server/src/rules';

test('package.json has one statefulsetStudio.rules.<id> setting per rule, in sync with the rule modules', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const groups = pkg.contributes.configuration as Array<{ id: string; properties: Record<string, unknown> }>;
  const props = Object.assign({}, ...groups.map((g) => g.properties)) as Record<string, unknown>;
  const inManifest = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('statefulsetStudio.rules.')));
  assert.deepEqual(inManifest, ruleSettings(), 'run `npm run sync:manifest`');
  assert.deepEqual(groups.filter((g) => g.id.startsWith('statefulsetStudio.rules.')), ruleSettingGroups(), 'run `npm run sync:manifest`');
  assert.deepEqual(Object.keys(inManifest).map((k) => k.slice('statefulsetStudio.rules.'.length)).sort(), allCheckIds().sort());
  assert.equal(new Set(allCheckIds()).size, allCheckIds().length, 'rule ids are unique');
});

test('docs/rules.md lists every rule as the modules describe it', () => {
  assert.equal(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8'), rulesMarkdown(), 'run `npm run sync:manifest`');
});

test('settings come in titled groups (Cluster, Language server, then the rules), each described, every choice explained', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const groups = pkg.contributes.configuration as Array<{ id: string; title: string; order: number; properties: Record<string, { markdownDescription?: string; description?: string; enum?: string[]; enumDescriptions?: string[] }> }>;
  assert.ok(Array.isArray(groups), 'contributes.configuration is an array of groups');
  assert.deepEqual(groups.slice(0, 2).map((g) => g.title), ['Cluster', 'Language server']);
  assert.ok(groups.slice(2).every((g) => g.title.startsWith('Rules: ')));
  assert.deepEqual(groups.map((g) => g.order), [...groups.map((g) => g.order)].sort((a, b) => a - b), 'groups in their order');
  assert.equal(new Set(groups.map((g) => g.id)).size, groups.length);
  const seen = new Set<string>();
  for (const g of groups) {
    assert.ok(Object.keys(g.properties).length > 0, `${g.title} is not empty`);
    for (const [k, v] of Object.entries(g.properties)) {
      assert.ok(!seen.has(k), `${k} in one group only`);
      seen.add(k);
      assert.ok((v.markdownDescription ?? v.description ?? '').length > 40, `${k} has a description`);
      if (v.enum) assert.equal(v.enumDescriptions?.length, v.enum.length, `${k}: one description per choice`);
    }
  }
  assert.ok(seen.has('statefulsetStudio.kubeconfig') && seen.has('statefulsetStudio.trace.server'));
});
