// The walkthrough (Help → Welcome → "Get started with StatefulSet Studio"): every step has a picture that exists
// (and that the VSIX ships), a completion event that can happen, and buttons that run commands that exist. In the
// real editor: test/e2e/suite/readme.e2e.ts opens it and runs its first step.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// VS Code's own commands the steps' buttons and completion events use
const BUILT_IN = new Set(['workbench.actions.view.problems', 'editor.action.quickFix', 'workbench.view.extension.statefulsetStudio', 'workbench.action.openSettings']);

test('the walkthrough: open a file, diagnostics and a quick fix, connect, scale, roll back — each with a picture and a completion event', () => {
  const [w] = pkg.contributes.walkthroughs as Array<{ id: string; title: string; description: string; steps: Array<{ id: string; title: string; description: string; media: { image: string; altText: string }; completionEvents: string[] }> }>;
  assert.ok(w.title && w.description);
  assert.deepEqual(w.steps.map((s) => s.id), ['openStatefulSet', 'diagnosticsAndQuickFix', 'connectCluster', 'scale', 'rollback']);
  const commands = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));
  const views = new Set(Object.values(pkg.contributes.views as Record<string, Array<{ id: string }>>).flat().map((v) => v.id));
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  for (const s of w.steps) {
    assert.ok(s.title && s.description.length > 60, `${s.id}: title and description`);
    assert.match(s.media.image, /^docs\/images\/[\w-]+\.png$/, `${s.id}: a screenshot captured by the editor tests`);
    assert.ok(existsSync(join(root, s.media.image)), `${s.id}: ${s.media.image} exists`);
    assert.ok(s.media.altText.length > 20, `${s.id}: alt text`);
    assert.ok(s.completionEvents.length > 0, `${s.id}: a completion event`);
    for (const e of s.completionEvents) {
      const [kind, arg] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
      if (kind === 'onCommand') assert.ok(commands.has(arg) || BUILT_IN.has(arg), `${s.id}: ${e} names a command that exists`);
      else if (kind === 'onView') assert.ok(views.has(arg), `${s.id}: ${e} names our view`);
      else assert.equal(kind, 'onContext', `${s.id}: ${e}`);
    }
    const buttons = [...s.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.ok(buttons.length > 0, `${s.id}: at least one button`);
    for (const b of buttons) assert.ok(commands.has(b) || BUILT_IN.has(b), `${s.id}: button runs ${b}, which exists`);
  }
  for (const s of w.steps) assert.ok(ignore.split('\n').includes(`!${s.media.image}`), `the VSIX ships ${s.media.image}`);
  assert.match(ignore, /^!examples\/broken\/web\.yaml$/m, 'the VSIX ships the sample the first step opens');
});
