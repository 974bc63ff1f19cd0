// Markdown documentation of a schema field, shared by hover and completion.
import { describeType, referenceUrl, type FieldSchema, type Segment } from '../schema';

/** Fields of a StatefulSet's spec that the API server refuses to change after creation. */
export const IMMUTABLE_STATEFULSET_SPEC_FIELDS = new Set(['selector', 'serviceName', 'podManagementPolicy', 'volumeClaimTemplates']);

export function isImmutableStatefulSetField(kind: string | undefined, path: readonly Segment[]): boolean {
  return kind === 'StatefulSet' && path.length === 2 && path[0] === 'spec' && IMMUTABLE_STATEFULSET_SPEC_FIELDS.has(String(path[1]));
}

export interface FieldDocOptions {
  name: string;
  field: FieldSchema;
  /** Schema type that declares the field (for the reference link). */
  ownerRef?: string;
  required?: boolean;
  immutable?: boolean;
  /** Which Kubernetes versions have the field (since/until, feature gate in the target version). */
  versions?: string;
}

export function fieldMarkdown(o: FieldDocOptions): string {
  const { field } = o;
  const parts: string[] = [];
  const flags = [o.required ? 'required' : '', o.immutable ? 'immutable' : ''].filter(Boolean).join(', ');
  parts.push(`**${o.name}** · \`${describeType(field)}\`${flags ? ` · ${flags}` : ''}`);
  if (o.immutable) {
    parts.push(
      '⚠️ **Cannot be changed after the StatefulSet is created**: the API server rejects the update ("updates to statefulset spec for fields other than … are forbidden"). To change it, delete the StatefulSet with `--cascade=orphan` and recreate it.',
    );
  }
  if (o.versions) parts.push(o.versions);
  if (field.description) parts.push(escapeMarkdown(field.description));
  const values = field.enum ?? field.items?.enum;
  if (values) {
    const docs = field.enumDescriptions ?? field.items?.enumDescriptions ?? {};
    parts.push('Allowed values:\n' + values.map((v) => `- \`${v}\`${docs[v] ? `: ${escapeMarkdown(docs[v])}` : ''}`).join('\n'));
  }
  if (field.default !== undefined) parts.push(`Default: \`${field.default}\``);
  if (field.kind === 'quantity') parts.push('A quantity: a number with an optional unit, e.g. `10Gi`, `512Mi`, `500m`, `2`.');
  if (field.kind === 'int-or-string') parts.push('An integer or a string (e.g. a percentage like `"25%"`, or a named port).');
  const ref = field.kind === 'object' ? field.ref : field.kind === 'array' && field.items?.kind === 'object' ? field.items.ref : o.ownerRef;
  if (ref) parts.push(`[Kubernetes API reference](${referenceUrl(ref)})`);
  return parts.join('\n\n');
}

function escapeMarkdown(s: string): string {
  return s.replace(/([<>])/g, '\\$1');
}
