// Generates server/src/schema/k8s-schema.json from the pinned `kubernetes-models` package:
// field names, required-ness, enums and the official descriptions come from its type definitions
// (read with the TypeScript compiler API); integer vs number and formats (int32, int64, …) come from
// probing its compiled OpenAPI validators. Nothing is typed by hand. Run: npm run gen:schema
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { compareVersions, FEATURE_GATES, FIELDS_REMOVED, FIELDS_WITHOUT_GATE } from '../server/src/schema/featureStages';
import type { FieldSchema, KindEntry, SchemaBundle, TypeDef } from '../server/src/schema/types';

const require = createRequire(import.meta.url);
const root = path.resolve(__dirname, '..');
const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
const modelsVersion: string = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8')).version;
const OUT = process.env.SCHEMA_OUT ?? path.join(root, 'server/src/schema/k8s-schema.json');
/** The Kubernetes release whose OpenAPI document the pinned kubernetes-models (4.5.1) was generated from. */
const BASE_VERSION = '1.33';

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
      // by file: newer packages list no `_schemas/*` subpath in their exports map
      const [pkg, file] = probe.validator.startsWith('@') ? [probe.validator.split('/').slice(0, 2).join('/'), probe.validator.split('/').slice(2).join('/')] : [probe.validator.split('/')[0], probe.validator.split('/').slice(1).join('/')];
      const dir = pkg === 'kubernetes-models' ? modelsDir : path.dirname(createRequire(path.join(modelsDir, 'package.json')).resolve(`${pkg}/package.json`));
      v = (require(path.join(dir, `${file}.js`)) as { validate: Validator }).validate;
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
  // the generic text is the one of top-level objects (they have metadata), the most common one: the
  // first type that carries any would give another type's text (ManagedFieldsEntry.apiVersion
  // "…the version of this resource that this field set applies to", ObjectReference.kind "Kind of the referent")
  const generic: Record<string, string> = {};
  for (const k of ['apiVersion', 'kind']) {
    const count = new Map<string, number>();
    for (const t of Object.values(types)) {
      const d = t.properties[k]?.description;
      if (d && t.properties.metadata) count.set(d, (count.get(d) ?? 0) + 1);
    }
    const best = [...count].sort((a, b) => b[1] - a[1])[0];
    if (best) generic[k] = best[0];
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


// ---------------------------------------------------------------------------------------------
// Versions. The base above is one Kubernetes minor (kubernetes-models 4.5.1 = 1.33, the newest
// release of that package that installs on Node 20). Every other bundled minor comes from a pinned
// package that carries that minor's types (aliased in package.json as k8s-schema-1.NN, plus the
// runtime @kubernetes/client-node for the newest). Each is walked in parallel with the base from the
// same roots: its fields are recorded as present in that minor, and fields the base lacks (newer
// fields, or fields later removed) are added to the base. A minor that no package carries is
// derived from its neighbours and the hand-written feature-stage table (server/src/schema/featureStages.ts).
// The result: every field that is not in all bundled minors carries `since` and/or `until`.

type Flavor = 'base' | 'kubernetes-types' | 'client-node';
interface VersionSource {
  version: string;
  /** package directory name in node_modules */
  pkg: string;
  flavor: Flavor;
}

const VERSION_SOURCES: VersionSource[] = [
  { version: '1.25', pkg: 'k8s-schema-1.25', flavor: 'kubernetes-types' },
  { version: '1.26', pkg: 'k8s-schema-1.26', flavor: 'kubernetes-types' },
  { version: '1.27', pkg: 'k8s-schema-1.27', flavor: 'client-node' },
  { version: '1.28', pkg: 'k8s-schema-1.28', flavor: 'client-node' },
  { version: '1.29', pkg: 'k8s-schema-1.29', flavor: 'kubernetes-types' },
  { version: '1.30', pkg: 'k8s-schema-1.30', flavor: 'kubernetes-types' },
  { version: '1.32', pkg: 'k8s-schema-1.32', flavor: 'client-node' },
  { version: BASE_VERSION, pkg: 'kubernetes-models', flavor: 'base' },
  { version: '1.34', pkg: '@kubernetes/client-node', flavor: 'client-node' },
];
/** Minors between the first and the last that no pinned package carries. */
const GAP_VERSIONS = ['1.31'];

const ALL_VERSIONS = [...VERSION_SOURCES.map((s) => s.version), ...GAP_VERSIONS].sort(compareVersions);

function pkgDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
}

/** The npm name and version a source really is (aliases resolved). */
function sourceLabel(s: VersionSource): string {
  const meta = JSON.parse(fs.readFileSync(path.join(pkgDir(s.pkg), 'package.json'), 'utf8')) as { name: string; version: string };
  return `${meta.name}@${meta.version}`;
}

/** Root files and declaration names of the four kinds in each package layout. */
function rootsOf(s: VersionSource): Array<{ file: string; name: string; type: string }> {
  const dir = pkgDir(s.pkg);
  if (s.flavor === 'kubernetes-types') {
    return [
      { file: path.join(dir, 'apps/v1.d.ts'), name: 'StatefulSet', type: 'apps.v1.StatefulSet' },
      { file: path.join(dir, 'core/v1.d.ts'), name: 'Service', type: 'core.v1.Service' },
      { file: path.join(dir, 'core/v1.d.ts'), name: 'PersistentVolumeClaim', type: 'core.v1.PersistentVolumeClaim' },
      { file: path.join(dir, 'policy/v1.d.ts'), name: 'PodDisruptionBudget', type: 'policy.v1.PodDisruptionBudget' },
    ];
  }
  const models = fs.existsSync(path.join(dir, 'dist/gen/models')) ? path.join(dir, 'dist/gen/models') : path.join(dir, 'dist/gen/model');
  const file = (cls: string) => {
    const a = path.join(models, `${cls}.d.ts`);
    return fs.existsSync(a) ? a : path.join(models, `${cls[0].toLowerCase()}${cls.slice(1)}.d.ts`);
  };
  return [
    { file: file('V1StatefulSet'), name: 'V1StatefulSet', type: 'apps.v1.StatefulSet' },
    { file: file('V1Service'), name: 'V1Service', type: 'core.v1.Service' },
    { file: file('V1PersistentVolumeClaim'), name: 'V1PersistentVolumeClaim', type: 'core.v1.PersistentVolumeClaim' },
    { file: file('V1PodDisruptionBudget'), name: 'V1PodDisruptionBudget', type: 'policy.v1.PodDisruptionBudget' },
  ];
}

interface Member {
  name: string;
  type: ts.TypeNode;
  optional: boolean;
  doc: string;
}
type DeclLike = { id: string; doc: string; name: string; file: string; members: Member[] };

/** "field" → present, per version: `${type}.${field}` */
const present = new Map<string, Set<string>>();
/** Types created while merging (required lists come from the first source that has them). */
const createdTypes = new Set<string>();
/** New integer fields whose format must be read from a client-node attributeTypeMap. */
const pendingFormats: Array<{ field: FieldSchema; js: string; cls: string; prop: string }> = [];

function membersOf(checker: ts.TypeChecker, node: ts.Node): Member[] {
  const out: Member[] = [];
  const els: readonly ts.Node[] = ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node) ? node.members : ts.isTypeLiteralNode(node) ? node.members : [];
  for (const m of els) {
    if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) || !m.type) continue;
    if (ts.isPropertyDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
    const name = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
    out.push({ name, type: m.type, optional: !!m.questionToken, doc: docOf(m) });
  }
  void checker;
  return out;
}

/** Strips arrays, maps and `| undefined` off a type: the wrappers, outermost first, and the leaf. */
function unwrap(node: ts.TypeNode): { wrappers: Array<'array' | 'map'>; leaf: ts.TypeNode } {
  if (ts.isParenthesizedTypeNode(node)) return unwrap(node.type);
  if (ts.isUnionTypeNode(node)) {
    const rest = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    if (rest.length === 1) return unwrap(rest[0]);
    return { wrappers: [], leaf: node };
  }
  if (ts.isArrayTypeNode(node)) {
    const r = unwrap(node.elementType);
    return { wrappers: ['array', ...r.wrappers], leaf: r.leaf };
  }
  if (ts.isTypeReferenceNode(node)) {
    const id = node.typeName.getText();
    if (id === 'Array' && node.typeArguments?.length === 1) {
      const r = unwrap(node.typeArguments[0]);
      return { wrappers: ['array', ...r.wrappers], leaf: r.leaf };
    }
    if (id === 'Record' && node.typeArguments?.length === 2) {
      const r = unwrap(node.typeArguments[1]);
      return { wrappers: ['map', ...r.wrappers], leaf: r.leaf };
    }
  }
  if (ts.isTypeLiteralNode(node) && node.members.length === 1 && ts.isIndexSignatureDeclaration(node.members[0])) {
    const r = unwrap(node.members[0].type);
    return { wrappers: ['map', ...r.wrappers], leaf: r.leaf };
  }
  return { wrappers: [], leaf: node };
}

/** The object declaration a leaf type names (interface, class or inline literal), else undefined. */
function objectDeclOf(checker: ts.TypeChecker, leaf: ts.TypeNode): DeclLike | undefined {
  if (ts.isTypeLiteralNode(leaf)) {
    return { id: `${leaf.getSourceFile().fileName}:${leaf.pos}`, doc: '', name: '', file: leaf.getSourceFile().fileName, members: membersOf(checker, leaf) };
  }
  if (!ts.isTypeReferenceNode(leaf)) return undefined;
  let sym = checker.getSymbolAtLocation(leaf.typeName);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  const decl = sym?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl)) {
    const name = decl.name?.text ?? '';
    return { id: `${decl.getSourceFile().fileName}:${name}`, doc: docOf(decl), name, file: decl.getSourceFile().fileName, members: membersOf(checker, decl) };
  }
  if (ts.isTypeAliasDeclaration(decl)) {
    const u = unwrap(decl.type);
    if (u.wrappers.length === 0 && u.leaf !== decl.type) return objectDeclOf(checker, u.leaf);
    if (ts.isTypeReferenceNode(decl.type) || ts.isTypeLiteralNode(decl.type)) return objectDeclOf(checker, decl.type);
  }
  return undefined;
}

/** The innermost field of arrays and maps. */
function innermost(f: FieldSchema): FieldSchema {
  let x = f;
  while ((x.kind === 'array' && x.items) || (x.kind === 'map' && x.values)) x = x.kind === 'array' ? x.items! : x.values!;
  return x;
}

/** A type name for a declaration first met in a version source: core.v1.ContainerRestartRule. */
function newTypeName(owner: string, decl: DeclLike, field: string): string {
  const gv = owner.split('.').slice(0, 2).join('.');
  const short = decl.name.replace(/^V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
  return short ? `${gv}.${short}` : `${owner}.${field}`;
}

/** A field schema for a field first met in a version source. */
function newField(checker: ts.TypeChecker, m: Member, owner: string, decl: DeclLike): FieldSchema {
  const { wrappers, leaf } = unwrap(m.type);
  const inner = objectDeclOf(checker, leaf);
  let leafSchema: FieldSchema;
  if (inner) {
    const name = newTypeName(owner, inner, m.name);
    if (!types[name]) {
      types[name] = { description: inner.doc, properties: {}, required: [] };
      createdTypes.add(name);
    }
    leafSchema = { kind: 'object', ref: name, description: '' };
  } else {
    const text = ts.isTypeReferenceNode(leaf) ? leaf.typeName.getText() : '';
    if (leaf.kind === ts.SyntaxKind.StringKeyword) leafSchema = { kind: 'string', description: '' };
    else if (leaf.kind === ts.SyntaxKind.BooleanKeyword) leafSchema = { kind: 'boolean', description: '' };
    else if (leaf.kind === ts.SyntaxKind.NumberKeyword) {
      leafSchema = { kind: 'integer', description: '' };
      if (decl.name) pendingFormats.push({ field: leafSchema, js: decl.file.replace(/\.d\.ts$/, '.js'), cls: decl.name, prop: m.name });
    } else if (text === 'IntOrString') leafSchema = { kind: 'int-or-string', description: '' };
    else if (text === 'Quantity') leafSchema = { kind: 'quantity', description: '' };
    else if (text === 'Date' || text === 'Time' || text === 'MicroTime') leafSchema = { kind: 'time', format: 'date-time', description: '' };
    else if (ts.isUnionTypeNode(leaf) && leaf.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
      leafSchema = { kind: 'string', enum: leaf.types.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text), description: '' };
    } else leafSchema = { kind: 'any', description: '' };
  }
  let f = leafSchema;
  for (const w of [...wrappers].reverse()) f = w === 'array' ? { kind: 'array', items: f, description: '' } : { kind: 'map', values: f, description: '' };
  // client-node carries no description on reference-valued fields: the referenced type's says what it is
  f.description = m.doc || inner?.doc || '';
  if (!f.description) throw new Error(`${owner}.${m.name} (first met in ${decl.file}) has no description`);
  return f;
}

function walkVersion(s: VersionSource): void {
  const set = new Set<string>();
  present.set(s.version, set);
  const roots = rootsOf(s);
  const prog = ts.createProgram([...new Set(roots.map((r) => r.file))], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true });
  const chk = prog.getTypeChecker();
  const seen = new Set<string>();
  const walk = (decl: DeclLike, baseName: string) => {
    const key = `${baseName}|${decl.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    const t = types[baseName];
    for (const m of decl.members) {
      set.add(`${baseName}.${m.name}`);
      let bf = t.properties[m.name];
      if (!bf) {
        bf = t.properties[m.name] = newField(chk, m, baseName, decl);
        if (createdTypes.has(baseName) && !m.optional && !t.required.includes(m.name)) t.required.push(m.name);
      }
      const inner = innermost(bf);
      if (inner.kind !== 'object' || !inner.ref) continue;
      const d = objectDeclOf(chk, unwrap(m.type).leaf);
      if (d) walk(d, inner.ref);
    }
  };
  for (const r of roots) {
    const sf = prog.getSourceFile(r.file);
    if (!sf) throw new Error(`missing ${r.file}`);
    const decl = sf.statements.find((st): st is ts.InterfaceDeclaration | ts.ClassDeclaration => (ts.isInterfaceDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === r.name);
    if (!decl) throw new Error(`no ${r.name} in ${r.file}`);
    walk({ id: `${r.file}:${r.name}`, doc: docOf(decl), name: r.name, file: r.file, members: membersOf(chk, decl) }, r.type);
  }
}

async function resolveFormats(): Promise<void> {
  for (const p of pendingFormats) {
    const mod = (await import(pathToFileURL(p.js).href)) as Record<string, unknown>;
    const cls = (mod[p.cls] ?? (mod.default as Record<string, unknown> | undefined)?.[p.cls]) as { attributeTypeMap?: Array<{ name: string; baseName: string; type: string; format: string }> } | undefined;
    const attr = cls?.attributeTypeMap?.find((a) => a.baseName === p.prop || a.name === p.prop);
    if (!attr) throw new Error(`no type information for ${p.cls}.${p.prop} in ${p.js}`);
    if (attr.format) p.field.format = attr.format;
    if (attr.format === 'double' || attr.format === 'float') p.field.kind = 'number';
  }
}

/** Which fields of the gap minors exist: from the neighbours, and the feature-stage table where they differ. */
function fillGaps(): void {
  const added = new Map<string, string>();
  const removed = new Map<string, string>();
  for (const g of FEATURE_GATES) for (const f of g.fields) added.set(f, g.stages[0].since);
  for (const [f, v] of Object.entries(FIELDS_WITHOUT_GATE)) added.set(f, v);
  for (const [f, v] of Object.entries(FIELDS_REMOVED)) removed.set(f, v);
  for (const gap of GAP_VERSIONS) {
    const i = ALL_VERSIONS.indexOf(gap);
    const prev = present.get(ALL_VERSIONS[i - 1])!;
    const next = present.get(ALL_VERSIONS[i + 1])!;
    const reachedPrev = new Set([...prev].map((k) => k.slice(0, k.lastIndexOf('.'))));
    const set = new Set<string>();
    const unknown: string[] = [];
    for (const k of new Set([...prev, ...next])) {
      const inPrev = prev.has(k);
      const inNext = next.has(k);
      if (inPrev && inNext) set.add(k);
      else if (inNext) {
        // a field of a type the previous minor did not reach at all follows its parent field
        if (!reachedPrev.has(k.slice(0, k.lastIndexOf('.')))) set.add(k);
        else if (added.has(k)) {
          if (compareVersions(added.get(k)!, gap) <= 0) set.add(k);
        } else unknown.push(`${k} (in ${ALL_VERSIONS[i + 1]}, not in ${ALL_VERSIONS[i - 1]})`);
      } else if (removed.has(k)) {
        if (compareVersions(removed.get(k)!, gap) > 0) set.add(k);
      } else unknown.push(`${k} (in ${ALL_VERSIONS[i - 1]}, not in ${ALL_VERSIONS[i + 1]})`);
    }
    if (unknown.length) throw new Error(`no package carries Kubernetes ${gap}; say in server/src/schema/featureStages.ts when these appeared or went:\n  ${unknown.join('\n  ')}`);
    // fields of types that only the gap's own new fields reach are present where the type is reached
    present.set(gap, set);
  }
}

/** since/until on every field that is not in every bundled minor. */
function annotateVersions(): void {
  for (const [name, t] of Object.entries(types)) {
    for (const [prop, f] of Object.entries(t.properties)) {
      const k = `${name}.${prop}`;
      const inV = ALL_VERSIONS.map((v) => present.get(v)!.has(k));
      const first = inV.indexOf(true);
      const last = inV.lastIndexOf(true);
      if (first < 0) throw new Error(`${k} is in no bundled version`);
      for (let i = first; i <= last; i++) if (!inV[i]) throw new Error(`${k} comes and goes: ${ALL_VERSIONS.filter((_, j) => inV[j]).join(', ')}`);
      delete f.since;
      delete f.until;
      if (first > 0) f.since = ALL_VERSIONS[first];
      if (last < ALL_VERSIONS.length - 1) f.until = ALL_VERSIONS[last];
    }
  }
}

/** Cross-check the hand-written table against the packages: a gated field appears when its gate does. */
function checkFeatureTable(): void {
  const problems: string[] = [];
  for (const g of FEATURE_GATES) {
    for (const k of g.fields) {
      const dot = k.lastIndexOf('.');
      const f = types[k.slice(0, dot)]?.properties[k.slice(dot + 1)];
      if (!f) {
        problems.push(`${g.gate}: ${k} is not in the schema`);
        continue;
      }
      const alpha = g.stages[0].since;
      const expected = compareVersions(alpha, ALL_VERSIONS[0]) <= 0 ? undefined : alpha;
      if (f.since !== expected) problems.push(`${g.gate}: ${k} appears in ${f.since ?? `≤ ${ALL_VERSIONS[0]}`} by the packages, the table says ${alpha}`);
    }
  }
  if (problems.length) throw new Error(`the feature-stage table disagrees with the packages:\n  ${problems.join('\n  ')}`);
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
  // the base's own fields, before other versions add theirs
  present.set(BASE_VERSION, new Set(Object.entries(types).flatMap(([n, t]) => Object.keys(t.properties).map((p) => `${n}.${p}`))));
  for (const s of VERSION_SOURCES) if (s.flavor !== 'base') walkVersion(s);
  await resolveFormats();
  fillGaps();
  annotateVersions();
  checkFeatureTable();
  fillGenericDescriptions();
  applyValidatedEnums();
  const sorted: Record<string, TypeDef> = {};
  for (const k of Object.keys(types).sort()) sorted[k] = types[k];
  const bundle: SchemaBundle = {
    kubernetesVersion: ALL_VERSIONS[ALL_VERSIONS.length - 1],
    source: `kubernetes-models@${modelsVersion}`,
    versions: ALL_VERSIONS.map((v) => {
      const src = VERSION_SOURCES.find((x) => x.version === v);
      return { version: v, source: src ? sourceLabel(src) : 'feature-stage table (server/src/schema/featureStages.ts)' };
    }),
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
