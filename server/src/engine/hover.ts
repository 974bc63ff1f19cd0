// Hover on a key: the official description, type, enum values, default, immutability, API link.
import type { Hover } from 'vscode-languageserver-types';
import { fieldAt, rootField, typeDef, type Segment } from '../schema';
import type { Position } from './completion';
import { locate } from './completion';
import { fieldMarkdown, isImmutableStatefulSetField } from './fieldDocs';
import { cursorContext, lineShape } from './yamlPath';
import { targetVersion, versionNote, type TargetVersion } from '../schema/versions';

export function hover(text: string, pos: Position, target: TargetVersion = targetVersion()): Hover | undefined {
  const where = locate(text, pos.line);
  if (!where?.kind) return undefined;
  const { lines, rel, kind } = where;
  const lineText = lines[rel] ?? '';
  const full = lineShape(lineText);
  if (full.key === undefined || pos.character < full.contentCol) return undefined;
  // hover anywhere on the line's key or its value: describe the key
  const ctx = cursorContext(lines, rel, Math.min(full.contentCol + 1, lineText.length));
  const path: Segment[] = [...ctx.path, full.key];
  const root = rootField(kind);
  const field = fieldAt(root, path);
  if (!field) return undefined;
  const owner = fieldAt(root, ctx.path);
  const ownerRef = owner?.kind === 'object' ? owner.ref : undefined;
  const required = ownerRef ? typeDef(ownerRef).required.includes(full.key) : false;
  const colon = lineText.indexOf(':', full.contentCol + Math.max(0, full.key.length - 1));
  return {
    contents: { kind: 'markdown', value: fieldMarkdown({ name: full.key, field, ownerRef, required, immutable: isImmutableStatefulSetField(kind.kind, path), versions: versionNote(ownerRef, full.key, field, target) }) },
    range: { start: { line: pos.line, character: full.contentCol }, end: { line: pos.line, character: colon > 0 ? colon : lineText.length } },
  };
}
