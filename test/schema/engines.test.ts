// `npm install` on Node 20 prints no EBADENGINE warning: every package in package-lock.json admits it.
// (kubernetes-models 5.x and @kubernetes-models/* 3.x/5.x/6.x want Node >= 22; the schema is generated
// from releases that install on Node 20.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

type V = [number, number, number];

function parse(v: string): { v: V; parts: number } {
  const nums = v.replace(/^v/, '').split('.').filter((p) => p !== '' && p !== 'x' && p !== 'X' && p !== '*');
  return { v: [Number(nums[0] ?? 0), Number(nums[1] ?? 0), Number(nums[2] ?? 0)], parts: nums.length };
}

function cmp(a: V, b: V): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** One comparator of an npm engines range (>=, >, <=, <, ^, ~, a partial version, *). */
function comparator(c: string, node: V): boolean {
  const m = /^(>=|<=|>|<|\^|~|=)?\s*(.*)$/.exec(c)!;
  const op = m[1] ?? '';
  if (m[2] === '*' || m[2] === '') return true;
  const { v, parts } = parse(m[2]);
  switch (op) {
    case '>=':
      return cmp(node, v) >= 0;
    case '>':
      return cmp(node, v) > 0;
    case '<=':
      return cmp(node, v) <= 0;
    case '<':
      return cmp(node, v) < 0;
    case '^':
      return cmp(node, v) >= 0 && (v[0] > 0 ? node[0] === v[0] : node[0] === 0 && node[1] === v[1]);
    case '~':
      return cmp(node, v) >= 0 && node[0] === v[0] && (parts < 2 || node[1] === v[1]);
    default:
      // a partial version: 20, 20.x, 6.* match the whole line
      return node[0] === v[0] && (parts < 2 || node[1] === v[1]) && (parts < 3 || node[2] === v[2]);
  }
}

function satisfies(node: string, range: string): boolean {
  const n = parse(node).v;
  return range.split('||').some((alt) => {
    const comps = alt.trim().replace(/(>=|<=|>|<|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comps.every((c) => comparator(c, n));
  });
}

test('the engines range reader reads what npm packages write', () => {
  assert.ok(satisfies('20.19.0', '>=18'));
  assert.ok(!satisfies('20.19.0', '>=22'));
  assert.ok(satisfies('20.19.0', '18 || 20 || >=22'));
  assert.ok(satisfies('20.19.0', '^18.18.0 || ^20.9.0 || >=21.1.0'));
  assert.ok(!satisfies('20.19.0', '>=22.19.0'));
  assert.ok(satisfies('20.19.0', '>= 14.6'));
  assert.ok(satisfies('20.19.0', '6.* || 8.* || >= 10.*'));
  assert.ok(!satisfies('20.19.0', '>=0.6.11 <=0.7.0'));
});

test('every package in package-lock.json admits Node 20 (npm install prints no EBADENGINE)', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> };
  const node20 = ['20.19.0', ...(process.versions.node.startsWith('20.') ? [process.versions.node] : [])];
  const refused: string[] = [];
  for (const [where, p] of Object.entries(lock.packages)) {
    const range = p.engines && !Array.isArray(p.engines) ? p.engines.node : undefined;
    if (!range) continue;
    for (const v of node20) if (!satisfies(v, range)) refused.push(`${where || '(root)'} wants node ${range} (not ${v})`);
  }
  assert.deepEqual(refused, []);
});
