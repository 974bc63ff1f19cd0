// The contributed snippets (snippets/statefulset.json): each expands, with its default values, to a valid
// document that the engine finds no error in, and each has tab stops. (The e2e suite repeats the check
// through VS Code's own snippet engine in code-server.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../server/src/engine/analyzer';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const snippets: Record<string, { prefix: string | string[]; body: string[]; description: string }> = JSON.parse(
  readFileSync(new URL('../../snippets/statefulset.json', import.meta.url), 'utf8'),
);

/** Expands a TextMate/VS Code snippet body with every placeholder's default and every choice's first option. */
export function expandDefaults(body: string): string {
  const values = new Map<string, string>();
  let s = body;
  for (let guard = 0; guard < 50; guard++) {
    const before = s;
    s = s.replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_, n: string, choices: string) => {
      const v = choices.split(',')[0];
      if (!values.has(n)) values.set(n, v);
      return v;
    });
    s = s.replace(/\$\{(\d+):([^${}]*)\}/g, (_, n: string, def: string) => {
      if (!values.has(n)) values.set(n, def);
      return values.get(n)!;
    });
    s = s.replace(/\$\{(\d+)\}|\$(\d+)/g, (m, a?: string, b?: string) => {
      const n = a ?? b!;
      return n === '0' ? '' : values.has(n) ? values.get(n)! : m;
    });
    if (s === before) break;
  }
  return s;
}

test('snippets are contributed for yaml', () => {
  const entries = manifest.contributes?.snippets ?? [];
  assert.ok(entries.some((e: { language: string; path: string }) => e.language === 'yaml' && /snippets\/statefulset\.json$/.test(e.path)),
    `contributes.snippets: ${JSON.stringify(entries)}`);
});

test('the five StatefulSet snippets are there', () => {
  const text = Object.keys(snippets).join(' | ');
  for (const re of [/headless Service/, /volumeClaimTemplate/, /PodDisruptionBudget/, /partitioned rolling update/, /PVC retention policy/]) {
    assert.match(text, re);
  }
});

for (const [name, s] of Object.entries(snippets)) {
  test(`snippet "${name}" expands to a valid document with no errors and has tab stops`, () => {
    const body = s.body.join('\n');
    assert.ok(s.description.length > 20, 'needs a description');
    assert.ok((body.match(/\$\{\d+[:|]/g) ?? []).length >= 2, 'needs tab stops with defaults');
    assert.match(body, /\$0/, 'needs a final cursor position $0');
    const text = expandDefaults(body);
    assert.doesNotMatch(text, /\$\{?\d/, `unexpanded tab stop in:\n${text}`);
    for (const d of parseAllDocuments(text)) assert.deepEqual(d.errors, [], `YAML errors in:\n${text}`);
    const { diagnostics } = analyzeText(text);
    const errors = diagnostics.filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    assert.deepEqual(errors, [], `errors in the expanded snippet:\n${text}`);
    const others = diagnostics.filter((d) => d.severity !== 1).map((d) => `${d.range.start.line + 1}: [${d.code}] ${d.message}`);
    if (others.length) console.log(`# ${name}: ${others.join(' / ')}`);
  });
}
