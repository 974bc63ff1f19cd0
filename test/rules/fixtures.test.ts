// Every rule has a failing and a passing fixture: test/fixtures/rules/<id>/fail.yaml must produce at
// least one finding with the rule's id, pass.yaml none. An optional live.yaml is the live object
// (as `kubectl get -o yaml` prints it) for rules that compare with the cluster; other documents in
// the fixture file stand for the rest of the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { analyzeText } from '../../server/src/engine/analyzer';
import { allRules } from '../../server/src/rules';
import type { RuleEnvironment } from '../../server/src/rules/framework';

const dir = path.join(__dirname, '..', 'fixtures', 'rules');

function envFor(ruleDir: string): RuleEnvironment {
  const livePath = path.join(ruleDir, 'live.yaml');
  const live = fs.existsSync(livePath) ? (parse(fs.readFileSync(livePath, 'utf8')) as Record<string, unknown>) : undefined;
  return {
    workspace: () => [],
    live: (kind, _ns, name) => {
      const meta = live?.metadata as Record<string, unknown> | undefined;
      return live && live.kind === kind && meta?.name === name ? live : undefined;
    },
  };
}

for (const rule of allRules) {
  test(`rule ${rule.id}: has an id, severity, title and doc`, () => {
    assert.match(rule.id, /^[a-z0-9-]+$/);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(rule.severity));
    assert.ok(rule.title.length > 5 && rule.doc.length > 20, 'title and doc say why it matters');
  });
  for (const which of ['fail', 'pass'] as const) {
    test(`rule ${rule.id}: ${which}.yaml ${which === 'fail' ? 'is flagged' : 'is clean'}`, () => {
      const ruleDir = path.join(dir, rule.id);
      const file = path.join(ruleDir, `${which}.yaml`);
      assert.ok(fs.existsSync(file), `missing fixture ${path.relative(process.cwd(), file)}`);
      const { diagnostics } = analyzeText(fs.readFileSync(file, 'utf8'), { uri: file, env: envFor(ruleDir) });
      const mine = diagnostics.filter((d) => d.code === rule.id);
      if (which === 'fail') {
        assert.ok(mine.length > 0, `${rule.id} should flag ${which}.yaml`);
        for (const d of mine) assert.ok(d.message.length > 20, 'the message explains');
      } else {
        assert.deepEqual(mine.map((d) => d.message), [], `${rule.id} should not flag pass.yaml`);
      }
      // a fixture isolates its rule: the pass file has no error from any check at all
      if (which === 'pass') {
        const errors = diagnostics.filter((d) => d.severity === 1);
        assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], 'pass.yaml has no errors');
      }
    });
  }
}
