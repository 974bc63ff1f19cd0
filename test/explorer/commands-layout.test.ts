// One module per command: every command the manifest contributes is defined by exactly one module of
// client/src/commands/ (as `id: '…'`), registered through COMMANDS in index.ts, and no module defines a command
// the manifest does not contribute (test hooks aside).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const dir = join(root, 'client', 'src', 'commands');

test('each contributed command has its own module in client/src/commands, listed in COMMANDS', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  const index = readFileSync(join(dir, 'index.ts'), 'utf8');
  const listed = index.slice(index.indexOf('COMMANDS'), index.indexOf('];', index.indexOf('COMMANDS')));
  const defined = new Map<string, string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ts') || f === 'index.ts' || f === 'context.ts' || f === 'testHooks.ts') continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const ids = [...text.matchAll(/^\s+id: '([^']+)'/gm)].map((m) => m[1]);
    assert.equal(ids.length, 1, `${f} defines ${ids.length} commands; one module per command`);
    assert.ok(!defined.has(ids[0]), `${ids[0]} is defined twice`);
    defined.set(ids[0], f);
    const exported = /export const (\w+): Command/.exec(text)?.[1];
    assert.ok(exported && new RegExp(`\\b${exported},`).test(listed), `${f}: ${exported} is not in COMMANDS`);
  }
  assert.deepEqual([...defined.keys()].sort(), [...contributed].sort());
  assert.doesNotMatch(index, /registerCommand\('/, 'index.ts only registers the modules');
});
