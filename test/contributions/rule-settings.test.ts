// Every rule and schema check can be configured from the settings UI: the manifest lists exactly them,
// with their default severity (regenerate with `npm run sync:manifest`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleSettings, rulesMarkdown } from '../../scripts/sync-manifest';
import { allCheckIds } from '../../server/src/rules';

test('package.json has one statefulsetStudio.rules.<id> setting per rule, in sync with the rule modules', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties as Record<string, unknown>;
  const inManifest = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('statefulsetStudio.rules.')));
  assert.deepEqual(inManifest, ruleSettings(), 'run `npm run sync:manifest`');
  assert.deepEqual(Object.keys(inManifest).map((k) => k.slice('statefulsetStudio.rules.'.length)).sort(), allCheckIds().sort());
  assert.equal(new Set(allCheckIds()).size, allCheckIds().length, 'rule ids are unique');
});

test('docs/rules.md lists every rule as the modules describe it', () => {
  assert.equal(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8'), rulesMarkdown(), 'run `npm run sync:manifest`');
});
