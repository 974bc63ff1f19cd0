// Quick fix for `missing-required`: insert the missing field with a skeleton of its value (its own
// required fields, recursively), filled from the document where it can be (a selector from the
// template's labels and back, a container name from the StatefulSet's name).
import { fieldAt, kindFor, kindsNamed, rootField, typeDef, type FieldSchema, type Segment } from '../../schema';
import { obj, str } from '../framework';
import { labelsOf } from '../practices/util';
import { insertFields, type FileDoc, type Fix } from './text';

const MAX_DEPTH = 6;

/** A placeholder value for a field: its required fields (objects), one item (arrays of objects), a neutral scalar. */
function skeleton(field: FieldSchema, name: string, depth = 0): unknown {
  switch (field.kind) {
    case 'object': {
      if (!field.ref || depth >= MAX_DEPTH) return {};
      const t = typeDef(field.ref);
      const out: Record<string, unknown> = {};
      for (const r of t.required) out[r] = skeleton(t.properties[r], r, depth + 1);
      return out;
    }
    case 'array':
      return field.items && field.items.kind === 'object' ? [skeleton(field.items, name, depth + 1)] : [];
    case 'map':
    case 'any':
      return {};
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'quantity':
      return '1Gi';
    case 'int-or-string':
      return 80;
    default:
      if (field.enum?.length) return field.enum[0];
      if (name === 'topologyKey') return 'kubernetes.io/hostname';
      return '';
  }
}

/** A skeleton that fits this StatefulSet where we know better than the schema. */
function contextual(f: FileDoc, path: readonly Segment[], missing: string): unknown {
  const v = f.value ?? {};
  const spec = obj(v.spec);
  const name = str(obj(v.metadata)?.name) ?? 'app';
  const isSts = v.kind === 'StatefulSet';
  if (isSts && path.length === 1 && path[0] === 'spec') {
    const templateLabels = labelsOf(obj(obj(obj(spec?.template)?.metadata)?.labels));
    const matchLabels = labelsOf(obj(spec?.selector)?.matchLabels);
    if (missing === 'selector') return { matchLabels: Object.keys(templateLabels).length ? templateLabels : { app: name } };
    if (missing === 'template') {
      return {
        metadata: { labels: Object.keys(matchLabels).length ? matchLabels : { app: name } },
        spec: { containers: [{ name, image: '' }] },
      };
    }
  }
  if (missing === 'apiVersion' && path.length === 0) {
    const kind = str(v.kind);
    return kind ? (kindsNamed(kind)[0]?.apiVersion ?? '') : '';
  }
  if (isSts && missing === 'name' && (path.includes('containers') || path.includes('initContainers'))) return name;
  return undefined;
}

export function missingFieldFix(f: FileDoc, data: unknown): Fix[] {
  const d = obj(data);
  const missing = str(d?.missing);
  const path = Array.isArray(d?.path) ? (d!.path as unknown[]).filter((s): s is Segment => typeof s === 'string' || typeof s === 'number') : undefined;
  if (!missing || !path || !f.value) return [];
  const kind = kindFor(f.value.apiVersion, f.value.kind);
  const schemaField = kind ? fieldAt(rootField(kind), [...path, missing]) : undefined;
  let value = contextual(f, path, missing);
  if (value === undefined) {
    if (!schemaField) return [];
    value = skeleton(schemaField, missing);
  }
  const edit = insertFields(f, path, { [missing]: value });
  if (!edit) return [];
  return [{ title: `Add the required field "${missing}"`, edits: [edit], preferred: true }];
}
