// The shape of the bundled Kubernetes schema (server/src/schema/k8s-schema.json), produced by
// scripts/generate-schema.ts from the pinned `kubernetes-models` package. Plain data, no behaviour.

/** What a value must be. `quantity`, `int-or-string` and `time` are Kubernetes string formats. */
export type ValueKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  | 'array'
  | 'map'
  | 'int-or-string'
  | 'quantity'
  | 'time'
  | 'any';

export interface FieldSchema {
  kind: ValueKind;
  /** For kind `object`: the name of a TypeDef in `types`. */
  ref?: string;
  /** For kind `array`: the element schema. */
  items?: FieldSchema;
  /** For kind `map`: the schema of every value (keys are strings). */
  values?: FieldSchema;
  /** int32, int64, double, byte, date-time … as the OpenAPI document says. */
  format?: string;
  /** Allowed string values (from the Go enum types). */
  enum?: string[];
  /** Per-value explanation from the official "Possible enum values" text. */
  enumDescriptions?: Record<string, string>;
  /** The official description (markdown-ish plain text). Empty only for nested element schemas. */
  description: string;
  /** Default value, when the description states one. */
  default?: string;
  /** First bundled Kubernetes minor that has the field (absent: every bundled minor has it). */
  since?: string;
  /** Last bundled Kubernetes minor that has the field (absent: it is still in the newest). */
  until?: string;
}

export interface TypeDef {
  description: string;
  properties: Record<string, FieldSchema>;
  /** Property names that must be present. */
  required: string[];
}

export interface KindEntry {
  apiVersion: string;
  kind: string;
  /** TypeDef name of the top-level object. */
  type: string;
}

export interface SchemaBundle {
  /** The newest bundled Kubernetes minor (the default target). */
  kubernetesVersion: string;
  /** The npm package and version the base schema (descriptions, enums) was generated from. */
  source: string;
  /** Every bundled minor, oldest first, with the package its fields come from. */
  versions: Array<{ version: string; source: string }>;
  kinds: KindEntry[];
  types: Record<string, TypeDef>;
}
