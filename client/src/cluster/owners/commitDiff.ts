// "Git is the source of truth": the change a user must commit for Argo CD / Flux to keep what a command did
// live — the fields that differ between the object before and after (plain functions; no I/O). A short text
// for messages ("spec.replicas: 3; …") and a field-by-field diff document for "Show Diff".
import { stringify } from 'yaml';

export interface FieldChange {
  /** "spec.template.spec.containers[0].image", "metadata.annotations[\"a/b\"]" */
  path: string;
  from: unknown;
  to: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function key(path: string, k: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`;
}

/** What the server keeps for itself, not part of what git holds. */
const SERVER_METADATA = new Set(['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (path === '' && k === 'status') continue;
      if (path === 'metadata' && SERVER_METADATA.has(k)) continue;
      walk(a[k], b[k], key(path, k), out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, out));
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, from: a, to: b });
}

/** The leaf fields that differ from `before` to `after` (under `prefix`, e.g. "spec.template"); status and the server's metadata left out. */
export function fieldChanges(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before ?? {}, after ?? {}, prefix, out);
  return out;
}

function inline(v: unknown): string {
  if (v === undefined) return '(removed)';
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** For a message: "spec.replicas: 3; spec.template.spec.containers[0].image: postgres:16.4" (at most `max` fields). */
export function commitText(before: unknown, after: unknown, prefix = '', max = 3): string | undefined {
  const ch = fieldChanges(before, after, prefix);
  if (!ch.length) return undefined;
  const shown = ch.slice(0, max).map((c) => `${c.path}: ${inline(c.to)}`);
  return `${shown.join('; ')}${ch.length > max ? `; … (${ch.length - max} more)` : ''}`;
}

function block(sign: '-' | '+', v: unknown): string[] {
  if (v === undefined) return [];
  const text = isObj(v) || Array.isArray(v) ? stringify(v, { sortMapEntries: true }).trimEnd() : stringify(v).trimEnd();
  return text.split('\n').map((l) => `${sign} ${l}`);
}

/** A diff document, field by field: `@@ path` then `- live` / `+ what to commit` (YAML values). */
export function commitDiff(before: unknown, after: unknown, opts: { prefix?: string; title: string; where: string }): string {
  const ch = fieldChanges(before, after, opts.prefix ?? '');
  const lines = [`# ${opts.title}`, `# To keep it, commit these field values to ${opts.where}; - is what it holds now, + is the change.`, ''];
  for (const c of ch) lines.push(`@@ ${c.path}`, ...block('-', c.from), ...block('+', c.to), '');
  if (!ch.length) lines.push('# (no field differs)');
  return `${lines.join('\n').trimEnd()}\n`;
}
