// Completion where the user is typing: keys valid at the cursor (not yet present), enum and boolean
// values, list items, and skeletons for object and list fields. Works on half-typed documents.
import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { fieldInVersion, targetVersion, versionNote, type TargetVersion } from '../schema/versions';
import { describeType, fieldAt, objectType, rootField, schema, typeDef, type FieldSchema, type KindEntry, type Segment } from '../schema';
import { classify } from './document';
import { fieldMarkdown, isImmutableStatefulSetField } from './fieldDocs';
import { splitDocuments, type Chunk } from './split';
import { cursorContext, lineShape } from './yamlPath';

export interface Position {
  line: number;
  character: number;
}

/** The document (chunk) that holds `line`, its lines, and its kind. */
export function locate(text: string, line: number, chunks: Chunk[] = splitDocuments(text)): { chunk: Chunk; lines: string[]; rel: number; kind?: KindEntry } | undefined {
  let chunk: Chunk | undefined;
  for (const c of chunks) {
    if (c.startLine <= line) chunk = c;
    else break;
  }
  if (!chunk) return undefined;
  // lines as the client counts them (\n, \r\n and a lone \r end a line), like chunk.startLine
  const lines = chunk.text.split(/\r\n|\r|\n/);
  return { chunk, lines, rel: line - chunk.startLine, kind: classify(chunk.text).kind };
}

const INDENT = '  ';

/**
 * Fields a skeleton fills in beyond the required ones, where an empty object would help nobody:
 * a claim template needs a name, access modes and a size; a selector its matchLabels; a pod template
 * labels and containers.
 */
const SKELETON_EXTRAS: Record<string, string[]> = {
  'apps.v1.StatefulSetSpec.volumeClaimTemplates': ['metadata.name', 'spec.accessModes', 'spec.resources.requests.storage'],
  'core.v1.PersistentVolumeClaim': ['metadata.name', 'spec.accessModes', 'spec.resources.requests.storage'],
  'meta.v1.LabelSelector': ['matchLabels'],
  'core.v1.PodTemplateSpec': ['metadata.labels', 'spec.containers'],
  'core.v1.Container': ['image'],
  'apps.v1.StatefulSetUpdateStrategy': ['type'],
  'apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': ['whenDeleted', 'whenScaled'],
  'policy.v1.PodDisruptionBudgetSpec': ['maxUnavailable', 'selector'],
};

/** Field names to write in an object's skeleton, with the nested paths each should carry on. */
function skeletonFields(ref: string, extras: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of typeDef(ref).required) if (r !== 'apiVersion' && r !== 'kind') out.set(r, []);
  for (const p of [...(SKELETON_EXTRAS[ref] ?? []), ...extras]) {
    const [head, ...rest] = p.split('.');
    if (!typeDef(ref).properties[head]) continue;
    const list = out.get(head) ?? [];
    if (rest.length) list.push(rest.join('.'));
    out.set(head, list);
  }
  return out;
}

/** Snippet text for the value part of `name:` — placed after the colon. */
function valueSkeleton(f: FieldSchema, indent: string, tab: { n: number }, depth: number, extras: string[] = []): string {
  if (f.kind === 'object' && f.ref) {
    const t = typeDef(f.ref);
    const fields = depth > 3 ? new Map<string, string[]>() : skeletonFields(f.ref, extras);
    if (fields.size === 0) return `\n${indent}${INDENT}$${tab.n++}`;
    return [...fields].map(([r, sub]) => `\n${indent}${INDENT}${r}:${valueSkeleton(t.properties[r], indent + INDENT, tab, depth + 1, sub)}`).join('');
  }
  if (f.kind === 'array') {
    const item = f.items;
    if (item?.kind === 'object' && item.ref) {
      const io = typeDef(item.ref);
      const fields = depth > 3 ? new Map<string, string[]>() : skeletonFields(item.ref, extras);
      if (fields.size === 0) return `\n${indent}- $${tab.n++}`;
      return '\n' + [...fields].map(([r, sub], i) => `${i === 0 ? `${indent}- ` : `\n${indent}  `}${r}:${valueSkeleton(io.properties[r], indent + '  ', tab, depth + 1, sub)}`).join('');
    }
    if (item?.enum) return `\n${indent}- \${${tab.n++}|${item.enum.join(',')}|}`;
    return `\n${indent}- $${tab.n++}`;
  }
  if (f.kind === 'map') {
    if (extras.length) return extras.map((k) => `\n${indent}${INDENT}${k}: $${tab.n++}`).join('');
    return `\n${indent}${INDENT}$${tab.n++}`;
  }
  if (f.enum) return f.enum.length === 1 ? ` ${f.enum[0]}` : ` \${${tab.n++}|${f.enum.join(',')}|}`;
  if (f.kind === 'boolean') return ` \${${tab.n++}|true,false|}`;
  if (f.default !== undefined && (f.kind === 'integer' || f.kind === 'number')) return ` \${${tab.n++}:${f.default}}`;
  return ` $${tab.n++}`;
}

function keyItems(
  owner: FieldSchema,
  path: Segment[],
  kind: KindEntry | undefined,
  siblings: Set<string>,
  current: string | undefined,
  range: Range,
  relIndent: string,
  target: TargetVersion,
): CompletionItem[] {
  const t = objectType(owner);
  if (!t || !owner.ref) return [];
  const items: CompletionItem[] = [];
  for (const [name, f] of Object.entries(t.properties)) {
    if (siblings.has(name) && name !== current) continue;
    if (path.length === 0 && name === 'status') continue; // written by the cluster, never by authors
    if (!fieldInVersion(f, target.schema)) continue; // only what the target Kubernetes version has
    const required = t.required.includes(name);
    const immutable = isImmutableStatefulSetField(kind?.kind, [...path, name]);
    const snippet = `${name}:${valueSkeleton(f, relIndent, { n: 1 }, 0)}`;
    items.push({
      label: name,
      kind: f.kind === 'object' || f.kind === 'map' ? CompletionItemKind.Module : f.kind === 'array' ? CompletionItemKind.Field : CompletionItemKind.Property,
      detail: describeType(f) + (required ? ' (required)' : ''),
      documentation: { kind: 'markdown', value: fieldMarkdown({ name, field: f, ownerRef: owner.ref, required, immutable, versions: versionNote(owner.ref, name, f, target) }) },
      sortText: `${required ? '0' : '1'}${name}`,
      filterText: name,
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range, newText: snippet },
    });
  }
  return items;
}

function valueItems(f: FieldSchema, range: Range, quote: boolean, space = ''): CompletionItem[] {
  const values = f.enum ?? (f.kind === 'boolean' ? ['true', 'false'] : []);
  return values.map((v, i) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    detail: describeType(f),
    documentation: f.enumDescriptions?.[v] ? { kind: 'markdown', value: f.enumDescriptions[v] } : undefined,
    sortText: String(i).padStart(3, '0'),
    filterText: v,
    textEdit: { range, newText: space + (quote && /^(y|n|yes|no|on|off|true|false|null|~|\d.*)$/i.test(v) && f.kind !== 'boolean' ? `"${v}"` : v) },
  }));
}

/** Document-level completion for a document with no kind yet: the apiVersion/kind pairs we know. */
function kindItems(range: Range): CompletionItem[] {
  return schema.kinds.map((k, i) => ({
    label: `${k.kind} (${k.apiVersion})`,
    kind: CompletionItemKind.Class,
    detail: 'apiVersion + kind',
    documentation: { kind: 'markdown', value: typeDef(k.type).description },
    sortText: String(i),
    filterText: `kind ${k.kind}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: `apiVersion: ${k.apiVersion}\nkind: ${k.kind}\nmetadata:\n  name: $1\nspec:\n  $0` },
  }));
}

export function complete(text: string, pos: Position, target: TargetVersion = targetVersion()): CompletionItem[] {
  const where = locate(text, pos.line);
  if (!where) return [];
  const { lines, rel, kind } = where;
  const lineText = lines[rel] ?? '';
  const character = Math.min(pos.character, lineText.length);
  const ctx = cursorContext(lines, rel, character);
  const line = (start: number, end = character): Range => ({ start: { line: pos.line, character: start }, end: { line: pos.line, character: end } });

  if (!kind) {
    // only at the top level of a document that has no kind yet; other kinds are not ours
    const hasKind = lines.some((l) => /^kind:/.test(l));
    if (!hasKind && ctx.path.length === 0 && !ctx.inValue && ctx.keyCol === 0) return kindItems(line(ctx.line.contentCol));
    if (ctx.inValue && ctx.path.length === 0 && ctx.key === 'kind') {
      return schema.kinds.map((k) => ({ label: k.kind, kind: CompletionItemKind.Class, textEdit: { range: line(valueStart(lineText, ctx.line.afterColon!)), newText: k.kind } }));
    }
    return [];
  }
  const root = rootField(kind);
  if (ctx.inValue && ctx.keyPath) {
    const f = fieldAt(root, ctx.keyPath);
    if (ctx.keyPath.length === 1 && ctx.key === 'apiVersion') {
      const start = valueStart(lineText, ctx.line.afterColon!);
      return [{ label: kind.apiVersion, kind: CompletionItemKind.Value, textEdit: { range: line(start), newText: kind.apiVersion } }];
    }
    if (!f) return [];
    const start = valueStart(lineText, ctx.line.afterColon!);
    return valueItems(f, line(start, wordEnd(lineText, character)), true, start === ctx.line.afterColon && lineText[start - 1] === ':' ? ' ' : '');
  }
  if (ctx.inItemValue) {
    const f = fieldAt(root, ctx.path);
    if (f && f.kind !== 'object') return valueItems(f, line(ctx.line.contentCol), true);
  }
  const owner = fieldAt(root, ctx.path);
  if (!owner) return [];
  const current = ctx.key ?? (lineText.slice(ctx.line.contentCol, character).trim() || undefined);
  const end = ctx.key !== undefined ? character : wordEnd(lineText, character);
  const relIndent = ' '.repeat(Math.max(0, ctx.keyCol - ctx.line.indent));
  const items = keyItems(owner, ctx.path, kind, ctx.siblings, current, line(ctx.line.blank ? character : ctx.line.contentCol, end), relIndent, target);
  // a key whose colon is already written on this line: complete only the name
  const full = lineShape(lineText);
  if (full.key !== undefined && full.afterColon !== undefined && full.contentCol === ctx.line.contentCol && character < full.afterColon) {
    const colon = lineText.indexOf(':', full.contentCol + full.key.length - 1);
    for (const it of items) it.textEdit = { range: line(ctx.line.contentCol, colon), newText: it.label };
  }
  return items;
}

function valueStart(lineText: string, afterColon: number): number {
  let i = afterColon;
  while (i < lineText.length && lineText[i] === ' ') i++;
  return i;
}

function wordEnd(lineText: string, from: number): number {
  let i = from;
  while (i < lineText.length && /[A-Za-z0-9_.-]/.test(lineText[i])) i++;
  return i;
}
