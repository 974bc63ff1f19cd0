// Generates server/src/schema/k8s-schema.json from the pinned `kubernetes-models` package:
// field names, required-ness, enums and the official descriptions come from its type definitions
// (read with the TypeScript compiler API); integer vs number and formats (int32, int64, …) come from
// probing its compiled OpenAPI validators. Nothing is typed by hand. Run: npm run gen:schema
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import type { FieldSchema, KindEntry, SchemaBundle, TypeDef } from '../server/src/schema/types';

const require = createRequire(import.meta.url);
const root = path.resolve(__dirname, '..');
const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
const modelsVersion: string = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8')).version;
const OUT = process.env.SCHEMA_OUT ?? path.join(root, 'server/src/schema/k8s-schema.json');
/** The Kubernetes release whose OpenAPI document kubernetes-models 5.1.0 was generated from. */
const KUBERNETES_VERSION = '1.35';

const ROOTS: Array<{ file: string; apiVersion: string; kind: string }> = [
  { file: 'apps/v1/StatefulSet.d.ts', apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { file: 'v1/Service.d.ts', apiVersion: 'v1', kind: 'Service' },
  { file: 'v1/PersistentVolumeClaim.d.ts', apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { file: 'policy/v1/PodDisruptionBudget.d.ts', apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
];

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string; params: Record<string, unknown> }> | null };

interface Probe {
  /** validator module, e.g. kubernetes-models/_schemas/IoK8sApiAppsV1StatefulSetSpec */
  validator: string;
  /** path from the validated object to this value */
  path: Array<string | number>;
}

const program = ts.createProgram(
  ROOTS.map((r) => path.join(modelsDir, r.file)),
  { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true },
);
const checker = program.getTypeChecker();
const types: Record<string, TypeDef> = {};
const pendingNumbers: Array<{ field: FieldSchema; probe: Probe }> = [];

/** A stable, readable type name from the declaring file: core.v1.Container, apps.v1.StatefulSetSpec, meta.v1.ObjectMeta. */
function typeNameOf(decl: ts.Declaration): string {
  const file = decl.getSourceFile().fileName.replace(/\\/g, '/');
  let m = /kubernetes-models\/(?:dist\/)?([^/]+)\/([^/]+)\/([^/]+)\.d\.ts$/.exec(file);
  if (m) return `${m[1].replace(/\.k8s\.io$/, '')}.${m[2]}.${m[3]}`;
  m = /kubernetes-models\/(?:dist\/)?v1\/([^/]+)\.d\.ts$/.exec(file);
  if (m) return `core.v1.${m[1]}`;
  m = /apimachinery\/(?:dist\/)?apis\/meta\/v1\/([^/]+)\.d\.ts$/.exec(file);
  if (m) return `meta.v1.${m[1]}`;
  m = /apimachinery\/(?:dist\/)?(.+)\.d\.ts$/.exec(file);
  if (m) return m[1].replace(/\//g, '.');
  throw new Error(`cannot name a type declared in ${file}`);
}

/** The validator module for a declared interface: the exported alias IIoK8s… minus its leading I. */
function validatorNameOf(decl: ts.InterfaceDeclaration): string | undefined {
  const sf = decl.getSourceFile();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if (el.propertyName?.text === decl.name.text && el.name.text.startsWith('IIoK8s')) {
          const pkg = /@kubernetes-models\/apimachinery\//.test(sf.fileName) ? '@kubernetes-models/apimachinery' : 'kubernetes-models';
          return `${pkg}/_schemas/${el.name.text.slice(1)}`;
        }
      }
    }
  }
  return undefined;
}

function docOf(node: ts.Node): string {
  const jsdoc = (node as ts.Node & { jsDoc?: ts.JSDoc[] }).jsDoc;
  if (!jsdoc || jsdoc.length === 0) return '';
  const c = jsdoc[jsdoc.length - 1].comment;
  if (!c) return '';
  return (typeof c === 'string' ? c : c.map((p) => p.text).join('')).trim();
}

/** Splits "Possible enum values:" out of a description into per-value docs. */
function splitEnumDocs(description: string): { description: string; enumDescriptions?: Record<string, string> } {
  const idx = description.indexOf('Possible enum values:');
  if (idx < 0) return { description };
  const head = description.slice(0, idx).trim();
  const enumDescriptions: Record<string, string> = {};
  const re = /-\s+`"([^"]*)"`\s*([^\n]*(?:\n(?!\s*-\s+`")[^\n]*)*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(description.slice(idx)))) enumDescriptions[m[1]] = m[2].replace(/\s+/g, ' ').trim();
  return { description: head, enumDescriptions };
}

/** "Defaults to X", "default value is X", "If unspecified, defaults to X" → X. */
function defaultOf(description: string): string | undefined {
  const m = /(?:[Dd]efaults? (?:to|is)|[Tt]he default (?:value |policy )?is|[Tt]he default policy of|[Dd]efault value is)\s+[`"']?([A-Za-z0-9_.\-/]+)[`"']?/.exec(description);
  if (!m) return undefined;
  // "Defaults to Always if :latest tag is specified" is conditional: no single default
  if (/^[`"']?\s+(if|when|unless|for|hours?|minutes?|days?|seconds?)\b/.test(description.slice(m.index + m[0].length))) return undefined;
  const v = m[1].replace(/\.$/, '');
  return v.length > 0 && v.length < 40 ? v : undefined;
}

function resolveDecl(typeName: ts.EntityName): ts.Declaration | undefined {
  let sym = checker.getSymbolAtLocation(typeName);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  return sym?.declarations?.[0];
}

function convert(node: ts.TypeNode, description: string, probe: Probe | undefined, owner: string): FieldSchema {
  const { description: desc, enumDescriptions } = splitEnumDocs(description);
  const base = (f: Omit<FieldSchema, 'description'>): FieldSchema => {
    const out: FieldSchema = { ...f, description: desc };
    if (enumDescriptions && f.enum) out.enumDescriptions = enumDescriptions;
    const d = defaultOf(desc);
    if (d && desc) out.default = d;
    return out;
  };
  if (ts.isParenthesizedTypeNode(node)) return convert(node.type, description, probe, owner);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return base({ kind: 'string' });
    case ts.SyntaxKind.BooleanKeyword:
      return base({ kind: 'boolean' });
    case ts.SyntaxKind.NumberKeyword: {
      const f = base({ kind: 'integer' });
      if (probe) pendingNumbers.push({ field: f, probe });
      else throw new Error(`no validator to probe a number in ${owner}`);
      return f;
    }
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return base({ kind: 'any' });
  }
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return base({ kind: 'string', enum: [node.literal.text] });
  if (ts.isUnionTypeNode(node)) {
    const lits = node.types.filter((t): t is ts.LiteralTypeNode => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
    if (lits.length === node.types.length) return base({ kind: 'string', enum: lits.map((l) => (l.literal as ts.StringLiteral).text) });
    const kinds = new Set(node.types.map((t) => t.kind));
    if (kinds.has(ts.SyntaxKind.StringKeyword) && kinds.has(ts.SyntaxKind.NumberKeyword)) return base({ kind: 'int-or-string' });
    throw new Error(`unsupported union in ${owner}: ${node.getText()}`);
  }
  if (ts.isArrayTypeNode(node)) return base({ kind: 'array', items: convert(node.elementType, '', probe && { ...probe, path: [...probe.path, 0] }, owner) });
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index && node.members.length === 1) {
      return base({ kind: 'map', values: convert(index.type, '', probe && { ...probe, path: [...probe.path, 'k'] }, owner) });
    }
    const name = `${owner}.${probe ? probe.path.filter((p) => typeof p === 'string').slice(-1)[0] ?? 'inline' : 'inline'}`;
    defineType(name, node.members, desc, probe);
    return base({ kind: 'object', ref: name });
  }
  if (ts.isTypeReferenceNode(node)) {
    const id = node.typeName.getText();
    if (id === 'Array' && node.typeArguments?.length === 1) {
      return base({ kind: 'array', items: convert(node.typeArguments[0], '', probe && { ...probe, path: [...probe.path, 0] }, owner) });
    }
    if (id === 'Record' && node.typeArguments?.length === 2) {
      return base({ kind: 'map', values: convert(node.typeArguments[1], '', probe && { ...probe, path: [...probe.path, 'k'] }, owner) });
    }
    const decl = resolveDecl(node.typeName);
    if (!decl) throw new Error(`unresolved type ${id} in ${owner}`);
    if (ts.isTypeAliasDeclaration(decl)) {
      const alias = decl.name.text;
      if (alias === 'IQuantity') return base({ kind: 'quantity' });
      if (alias === 'IIntOrString') return base({ kind: 'int-or-string' });
      if (alias === 'ITime' || alias === 'IMicroTime') return base({ kind: 'time', format: 'date-time' });
      return convert(decl.type, description, probe, owner);
    }
    if (ts.isInterfaceDeclaration(decl)) {
      const name = typeNameOf(decl);
      if (!types[name]) {
        const v = validatorNameOf(decl);
        defineType(name, decl.members, docOf(decl), v ? { validator: v, path: [] } : undefined);
      }
      return base({ kind: 'object', ref: name });
    }
    throw new Error(`unsupported declaration for ${id} in ${owner}`);
  }
  throw new Error(`unsupported type node ${ts.SyntaxKind[node.kind]} in ${owner}`);
}

function defineType(name: string, members: ts.NodeArray<ts.TypeElement>, description: string, probe: Probe | undefined): void {
  const def: TypeDef = { description, properties: {}, required: [] };
  types[name] = def; // before recursion: types refer to themselves (JSONSchemaProps-like cycles)
  for (const m of members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const prop = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
    def.properties[prop] = convert(m.type, docOf(m), probe && { ...probe, path: [...probe.path, prop] }, name);
    if (!m.questionToken) def.required.push(prop);
  }
}

/** Builds the smallest object that puts `value` at `p`. */
function nest(p: Array<string | number>, value: unknown): unknown {
  if (p.length === 0) return value;
  const [head, ...rest] = p;
  const inner = nest(rest, value);
  return typeof head === 'number' ? [inner] : { [head]: inner };
}

async function probeNumbers(): Promise<void> {
  const cache = new Map<string, Validator>();
  for (const { field, probe } of pendingNumbers) {
    let v = cache.get(probe.validator);
    if (!v) {
      v = ((await import(probe.validator)) as { validate: Validator }).validate;
      cache.set(probe.validator, v);
    }
    const at = '/' + probe.path.join('/');
    v(nest(probe.path, 1.5));
    const errs = (v.errors ?? []).filter((e) => e.instancePath === at);
    const typeErr = errs.find((e) => e.keyword === 'type');
    const fmtErr = errs.find((e) => e.keyword === 'format');
    field.kind = typeErr && typeErr.params.type === 'integer' ? 'integer' : 'number';
    if (fmtErr) field.format = String(fmtErr.params.format);
    else if (field.kind === 'number') {
      v(nest(probe.path, 'x'));
      field.format = 'double';
    }
    // reorder keys for a readable diff: kind first
    const { kind, format, ...rest } = field;
    for (const k of Object.keys(field)) delete (field as unknown as Record<string, unknown>)[k];
    Object.assign(field, { kind, ...(format ? { format } : {}), ...rest });
  }
}

/**
 * The package gives top-level apiVersion/kind literal types without their (generic, official)
 * descriptions, and inline object types without a type description: take both from where the same
 * text stands in the package (an inline object's twin interface with the same fields; the generic
 * apiVersion/kind text from any type that carries it).
 */
/** A default read from prose must fit the field's type ("Defaults to the …" is not a default). */
function plausibleDefault(f: FieldSchema): boolean {
  const d = f.default!;
  switch (f.kind) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(d);
    case 'boolean':
      return d === 'true' || d === 'false';
    case 'int-or-string':
      return /^\d+%?$/.test(d);
    case 'string':
      return f.enum ? f.enum.includes(d) : !/^(to|the|a|an|empty|nil|defined|user|no|shared)$/i.test(d);
    default:
      return false;
  }
}

function fillGenericDescriptions(): void {
  const generic: Record<string, string> = {};
  for (const t of Object.values(types)) {
    for (const k of ['apiVersion', 'kind']) if (t.properties[k]?.description) generic[k] ??= t.properties[k].description;
  }
  for (const [name, t] of Object.entries(types)) {
    for (const f of Object.values(t.properties)) if (f.default !== undefined && !plausibleDefault(f)) delete f.default;
    for (const k of ['apiVersion', 'kind']) if (t.properties[k] && !t.properties[k].description && generic[k]) t.properties[k].description = generic[k];
    if (!t.description) {
      const shape = (o: TypeDef) => Object.keys(o.properties).sort().map((k) => `${k}:${o.properties[k].kind}:${o.properties[k].ref ?? ''}`).join(',');
      const twin = Object.entries(types).find(([n, o]) => n !== name && o.description && shape(o) === shape(t));
      if (twin) t.description = twin[1].description;
    }
  }
}

/**
 * Values the API server's validation enforces on string fields whose Go type has no `+enum` marker,
 * so the OpenAPI document (and the package) lists none. Values only; the descriptions stay official.
 */
const VALIDATED_ENUMS: Record<string, Record<string, string[]>> = {
  // k8s.io/kubernetes pkg/apis/apps/validation: supported PersistentVolumeClaimRetentionPolicyType
  'apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: ['Retain', 'Delete'], whenScaled: ['Retain', 'Delete'] },
};

function applyValidatedEnums(): void {
  for (const [type, fields] of Object.entries(VALIDATED_ENUMS)) {
    for (const [field, values] of Object.entries(fields)) {
      const f = types[type]?.properties[field];
      if (!f) throw new Error(`VALIDATED_ENUMS: ${type}.${field} is not in the schema any more`);
      if (!f.enum) f.enum = values;
      const d = defaultOf(f.description);
      if (d && values.includes(d)) f.default = d;
    }
  }
}

async function main(): Promise<void> {
  const kinds: KindEntry[] = [];
  for (const r of ROOTS) {
    const sf = program.getSourceFile(path.join(modelsDir, r.file));
    if (!sf) throw new Error(`missing ${r.file}`);
    const iface = sf.statements.find(ts.isInterfaceDeclaration);
    if (!iface) throw new Error(`no interface in ${r.file}`);
    const name = typeNameOf(iface);
    defineType(name, iface.members, docOf(iface), { validator: validatorNameOf(iface)!, path: [] });
    kinds.push({ apiVersion: r.apiVersion, kind: r.kind, type: name });
  }
  await probeNumbers();
  fillGenericDescriptions();
  applyValidatedEnums();
  const sorted: Record<string, TypeDef> = {};
  for (const k of Object.keys(types).sort()) sorted[k] = types[k];
  const bundle: SchemaBundle = {
    kubernetesVersion: KUBERNETES_VERSION,
    source: `kubernetes-models@${modelsVersion}`,
    kinds,
    types: sorted,
  };
  fs.writeFileSync(OUT, JSON.stringify(bundle, null, 1) + '\n');
  const fields = Object.values(sorted).reduce((n, t) => n + Object.keys(t.properties).length, 0);
  console.log(`wrote ${path.relative(root, OUT)}: ${Object.keys(sorted).length} types, ${fields} fields (${bundle.source})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
