// Access to the bundled Kubernetes schema: kinds, types, fields, and how to name a field's type.
import bundleJson from './k8s-schema.json';
import type { FieldSchema, KindEntry, SchemaBundle, TypeDef } from './types';

export type { FieldSchema, KindEntry, SchemaBundle, TypeDef, ValueKind } from './types';

export const schema = bundleJson as unknown as SchemaBundle;

const kindIndex = new Map<string, KindEntry>(schema.kinds.map((k) => [`${k.apiVersion}|${k.kind}`, k]));

/** The schema entry for a document's apiVersion/kind, if it is one we understand. */
export function kindFor(apiVersion: unknown, kind: unknown): KindEntry | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return kindIndex.get(`${apiVersion}|${kind}`);
}

/** Kinds we know by name, whatever apiVersion the document gives (to say "use apps/v1"). */
export function kindsNamed(kind: string): KindEntry[] {
  return schema.kinds.filter((k) => k.kind === kind);
}

export function typeDef(name: string): TypeDef {
  const t = schema.types[name];
  if (!t) throw new Error(`unknown schema type ${name}`);
  return t;
}

/** The TypeDef of an object-valued field, else undefined. */
export function objectType(field: FieldSchema | undefined): TypeDef | undefined {
  return field && field.kind === 'object' && field.ref ? typeDef(field.ref) : undefined;
}

/** A field schema standing for the whole top-level object of a kind. */
export function rootField(entry: KindEntry): FieldSchema {
  return { kind: 'object', ref: entry.type, description: typeDef(entry.type).description };
}

/** Short type name of a schema type: apps.v1.StatefulSetSpec → StatefulSetSpec. */
export function shortTypeName(ref: string): string {
  const parts = ref.split('.');
  const last = parts[parts.length - 1];
  // inline types are named Owner.field: show the owner's short name and the field
  return /^[a-z]/.test(last) ? `${parts[parts.length - 2]}.${last}` : last;
}

/** How a field's type reads in hovers and completion details: integer (int32), []Container, map[string]string … */
export function describeType(f: FieldSchema): string {
  switch (f.kind) {
    case 'object':
      return f.ref ? shortTypeName(f.ref) : 'object';
    case 'array':
      return `[]${f.items ? describeType(f.items) : 'any'}`;
    case 'map':
      return `map[string]${f.values ? describeType(f.values) : 'any'}`;
    case 'integer':
    case 'number':
      return f.format ? `${f.kind} (${f.format})` : f.kind;
    case 'string':
      return f.enum ? 'string (enum)' : 'string';
    default:
      return f.kind;
  }
}

/** Link to the official API reference anchor for a schema type (e.g. …/#statefulsetspec-v1-apps). */
export function referenceUrl(ref: string): string {
  const [group, version, ...rest] = ref.split('.');
  const type = rest.filter((p) => /^[A-Z]/.test(p)).pop() ?? rest[0];
  return `https://kubernetes.io/docs/reference/generated/kubernetes-api/v${schema.kubernetesVersion}/#${type.toLowerCase()}-${version}-${group}`;
}

/** A path segment: a mapping key, or a sequence item index. */
export type Segment = string | number;

/**
 * The schema of the value at `path` below `root`, following object properties, array items and map
 * values. Undefined where the path leaves the schema (unknown key, or inside an `any`).
 */
export function fieldAt(root: FieldSchema, path: readonly Segment[]): FieldSchema | undefined {
  let f: FieldSchema | undefined = root;
  for (const seg of path) {
    if (!f) return undefined;
    if (typeof seg === 'number') f = f.kind === 'array' ? f.items : undefined;
    else if (f.kind === 'object' && f.ref) f = typeDef(f.ref).properties[seg];
    else if (f.kind === 'map') f = f.values;
    else return undefined;
  }
  return f;
}
