// Schema-level checks of one parsed document: YAML syntax, unknown fields, types, enums, required
// fields, quantities, int-or-string. What the API server's decoder and validation would refuse.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { describeType, kindsNamed, rootField, shortTypeName, typeDef, type FieldSchema, type Segment } from '../schema';
import { makeDiagnostic, Severity, severityByName, type Diagnostic } from './diagnostic';
import type { ParsedDocument } from './document';
import { isPartialDocument, isPatchDirectiveKey } from './partial';
import { isQuantity, suggestQuantity } from './quantity';
import { closest } from './suggest';
import { emptyStringDefault } from './emptyDefaults';
import { compareVersions, fieldInVersion, gateName, gateOffByDefault, type TargetVersion } from '../schema/versions';

/** Stop listing findings in one document after this many (a pasted binary would list thousands). */
export const MAX_DIAGNOSTICS_PER_DOCUMENT = 200;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

interface Ctx {
  doc: ParsedDocument;
  out: Diagnostic[];
}

function push(ctx: Ctx, d: Diagnostic): void {
  if (ctx.out.length < MAX_DIAGNOSTICS_PER_DOCUMENT) ctx.out.push(d);
}

function rangeOf(ctx: Ctx, node: { range?: [number, number, number] | null } | null | undefined, fallback = 0) {
  const r = node?.range;
  return r ? ctx.doc.lines.range(r[0], r[1]) : ctx.doc.lines.range(fallback, fallback);
}

function pathText(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The value as the user wrote it: "3" for a quoted string, 1.0 or yes for plain scalars. */
function showValue(s: Scalar): string {
  const src = typeof s.source === 'string' && s.type === 'PLAIN' ? s.source : JSON.stringify(s.value) ?? String(s.value);
  return src.length > 40 ? `${src.slice(0, 37)}…` : src;
}

function valueKindOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}

/** YAML syntax problems: errors always; warnings only where they matter. */
function syntaxDiagnostics(ctx: Ctx): void {
  const { doc } = ctx;
  if (doc.fatal) {
    push(ctx, makeDiagnostic(doc.lines.range(0, 0), Severity.Error, 'yaml-syntax', doc.fatal));
    return;
  }
  for (const f of doc.syntax) push(ctx, makeDiagnostic(doc.lines.range(f.from, f.to), severityByName[f.severity], f.code, f.message));
}

function checkScalar(ctx: Ctx, node: Scalar, f: FieldSchema, path: readonly Segment[]): void {
  const v = node.value;
  if (v === null || v === undefined) return; // null means "unset" to the API server
  // (the path's text and the node's range are made for a finding only: most scalars are fine)
  switch (f.kind) {
    case 'string':
    case 'time': {
      if (typeof v !== 'string') {
        const src = showValue(node);
        wrongType(ctx, node, path, 'a string', typeof v === 'boolean' ? `kubectl reads ${src} as a boolean (YAML 1.1). Quote it: "${src}".` : `Quote it: "${src}".`);
        return;
      }
      if (f.enum && !f.enum.includes(v)) {
        const near = closest(v, f.enum, 1);
        push(
          ctx,
          makeDiagnostic(
            rangeOf(ctx, node),
            Severity.Error,
            'invalid-enum',
            `${pathText(path)}: "${v}" is not a supported value; the API server accepts ${f.enum.map((e) => `"${e}"`).join(', ')}.${near.length ? ` Did you mean "${near[0]}"?` : ''}`,
            near.length ? { replacements: near } : undefined,
          ),
        );
      }
      return;
    }
    case 'integer': {
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        const hint = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? 'Remove the quotes.' : '';
        wrongType(ctx, node, path, 'an integer', hint);
        return;
      }
      if (f.format === 'int32' && (v < INT32_MIN || v > INT32_MAX)) {
        push(ctx, makeDiagnostic(rangeOf(ctx, node), Severity.Error, 'invalid-type', `${pathText(path)} is a 32-bit integer; ${v} is out of range.`));
      }
      return;
    }
    case 'number':
      if (typeof v !== 'number') wrongType(ctx, node, path, 'a number', typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? 'Remove the quotes.' : '');
      return;
    case 'boolean':
      if (typeof v !== 'boolean') wrongType(ctx, node, path, 'true or false', typeof v === 'string' && /^(true|false)$/i.test(v) ? 'Remove the quotes.' : '');
      return;
    case 'int-or-string':
      if (typeof v === 'number' && !Number.isInteger(v)) wrongType(ctx, node, path, 'an integer or a string', 'Use a whole number or a percentage such as "25%".');
      else if (typeof v !== 'number' && typeof v !== 'string') wrongType(ctx, node, path, 'an integer or a string', '');
      return;
    case 'quantity': {
      if (typeof v === 'number') return;
      if (typeof v !== 'string') {
        wrongType(ctx, node, path, 'a quantity', 'Write a number with an optional unit, such as 10Gi or 500m.');
        return;
      }
      if (!isQuantity(v)) {
        const fix = suggestQuantity(v);
        push(
          ctx,
          makeDiagnostic(
            rangeOf(ctx, node),
            Severity.Error,
            'invalid-quantity',
            `${pathText(path)}: "${v}" is not a Kubernetes quantity, so the API server rejects it. Write a number and a unit with no space: binary Ki Mi Gi Ti Pi Ei, decimal k M G T P E, or m for milli${fix ? ` (did you mean ${fix}?)` : ''}.`,
            fix ? { replacements: [fix] } : undefined,
          ),
        );
      }
      return;
    }
    case 'object':
    case 'array':
    case 'map':
      wrongType(ctx, node, path, f.kind === 'array' ? `a list (${describeType(f)})` : f.kind === 'map' ? 'a map of keys to values' : `an object (${describeType(f)})`, '');
      return;
    case 'any':
      return;
  }
}

function wrongType(ctx: Ctx, node: Scalar, path: readonly Segment[], expect: string, hint: string): void {
  push(
    ctx,
    makeDiagnostic(
      rangeOf(ctx, node),
      Severity.Error,
      'invalid-type',
      `${pathText(path)} must be ${expect}, but ${showValue(node)} is ${valueKindOf(node.value)}: the API server refuses to decode it.${hint ? ' ' + hint : ''}`,
    ),
  );
}

function checkMapKeys(ctx: Ctx, map: YAMLMap, path: readonly Segment[]): Array<{ key: string; pair: Pair }> {
  const keys: Array<{ key: string; pair: Pair }> = [];
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const k = pair.key;
    if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) {
      keys.push({ key: String(k.value), pair });
    } else if (isScalar(k) && typeof k.value === 'symbol') {
      // a YAML 1.1 merge key (<<: *anchor): kubectl (go-yaml v2) merges the aliased map in
    } else if (k !== null) {
      push(ctx, makeDiagnostic(rangeOf(ctx, k as Node), Severity.Error, 'invalid-type', `${pathText(path) || 'The document'} has a key that is not a plain string.`));
    }
  }
  return keys;
}

function checkNode(ctx: Ctx, node: Node | null, f: FieldSchema, path: Segment[], keyNode: Node | null): void {
  if (ctx.out.length >= MAX_DIAGNOSTICS_PER_DOCUMENT) return;
  if (node === null || isAlias(node)) return; // aliases are not expanded (alias bombs cost nothing)
  if (isScalar(node)) {
    checkScalar(ctx, node, f, path);
    return;
  }
  if (f.kind === 'object' && f.ref) {
    if (!isMap(node)) return checkWrongShape(ctx, node, f, path);
    const t = typeDef(f.ref);
    const keys = checkMapKeys(ctx, node, path);
    const present = new Set<string>();
    for (const { key, pair } of keys) {
      const sub = t.properties[key];
      if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) present.add(key);
      if (!sub) {
        if (isPatchDirectiveKey(key)) continue; // strategic-merge directives ($patch, $setElementOrder/…) in Kustomize patches
        const near = closest(key, Object.keys(t.properties));
        push(
          ctx,
          makeDiagnostic(
            rangeOf(ctx, pair.key as Node),
            Severity.Error,
            'unknown-field',
            `Unknown field "${key}" in ${shortTypeName(f.ref)}${pathText(path) ? ` (${pathText(path)})` : ''}: kubectl's strict validation rejects it.${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}`,
            near.length ? { replacements: near } : undefined,
          ),
        );
        continue;
      }
      // "" in a defaulted enum field: the API server defaults it before validating (emptyDefaults.ts)
      if (sub.enum && isScalar(pair.value) && pair.value.value === '' && emptyStringDefault(f.ref, key) !== undefined) continue;
      checkNode(ctx, pair.value as Node | null, sub, [...path, key], pair.key as Node);
    }
    for (const req of t.required) {
      if (present.has(req)) continue;
      // a Kustomize patch states only what it changes: do not flood it with missing fields
      if (isPartialDocument(ctx.doc)) break;
      const target = keyNode ?? node;
      push(
        ctx,
        makeDiagnostic(
          rangeOf(ctx, target),
          Severity.Error,
          'missing-required',
          `${pathText(path) || shortTypeName(f.ref)} is missing the required field "${req}" (${describeType(t.properties[req])}): the API server rejects the object without it.`,
          { missing: req, path: path.slice() },
        ),
      );
    }
    return;
  }
  if (f.kind === 'map') {
    if (!isMap(node)) return checkWrongShape(ctx, node, f, path);
    for (const { key, pair } of checkMapKeys(ctx, node, path)) {
      if (f.values) checkNode(ctx, pair.value as Node | null, f.values, [...path, key], pair.key as Node);
    }
    return;
  }
  if (f.kind === 'array') {
    if (!isSeq(node)) return checkWrongShape(ctx, node, f, path);
    node.items.forEach((item, i) => {
      if (f.items) checkNode(ctx, item as Node | null, f.items, [...path, i], null);
    });
    return;
  }
  if (f.kind === 'any') return;
  checkWrongShape(ctx, node, f, path);
}

function checkWrongShape(ctx: Ctx, node: Node, f: FieldSchema, path: readonly Segment[]): void {
  const got = isMap(node) ? 'a map' : isSeq(node) ? 'a list' : 'a value';
  const expect =
    f.kind === 'object' ? `an object (${describeType(f)})` : f.kind === 'array' ? `a list (${describeType(f)})` : f.kind === 'map' ? 'a map of keys to values' : describeType(f);
  push(
    ctx,
    makeDiagnostic(rangeOf(ctx, node), Severity.Error, 'invalid-type', `${pathText(path)} must be ${expect}, but it is ${got}: the API server refuses to decode it.`),
  );
}

/** All schema diagnostics of one document, with positions relative to the document's own text. */
export function validateDocument(doc: ParsedDocument): Diagnostic[] {
  const ctx: Ctx = { doc, out: [] };
  if (doc.template) {
    // A Helm/Go template is not YAML until rendered: say so once instead of flooding.
    const at = doc.text.indexOf('{{');
    push(
      ctx,
      makeDiagnostic(
        doc.lines.range(at, at + 2),
        Severity.Information,
        'template',
        'This document is a template ({{ … }}): it is checked once rendered. Run `helm template` (or your renderer) and open or lint the output for full StatefulSet checks.',
      ),
    );
    return ctx.out;
  }
  if (doc.tooLarge) {
    if (doc.ours) push(ctx, makeDiagnostic(doc.lines.range(0, 0), Severity.Information, 'too-large', doc.tooLarge));
    return ctx.out;
  }
  syntaxDiagnostics(ctx);
  if (!doc.yaml) return ctx.out;
  const contents = doc.yaml.contents as Node | null;
  if (!doc.kind) {
    if (doc.kindName && doc.apiVersion !== undefined && isMap(contents)) {
      const known = kindsNamed(doc.kindName);
      const apiPair = contents.items.find((p) => isScalar(p.key) && p.key.value === 'apiVersion');
      if (known.length && apiPair) {
        push(
          ctx,
          makeDiagnostic(
            rangeOf(ctx, (apiPair.value ?? apiPair.key) as Node),
            Severity.Error,
            'invalid-api-version',
            `${doc.kindName} is served as apiVersion "${known[0].apiVersion}"; "${doc.apiVersion}" is not (older beta versions were removed from Kubernetes). Use ${known[0].apiVersion}.`,
            { replacements: [known[0].apiVersion] },
          ),
        );
      }
    }
    return ctx.out;
  }
  if (!isMap(contents)) return ctx.out;
  checkNode(ctx, contents, rootField(doc.kind), [], null);
  return ctx.out;
}


/**
 * Version checks of one document against a target Kubernetes version: fields that version's API
 * lacks (kubectl's strict validation refuses them), and fields whose feature gate is off by default
 * there (the API server silently drops them). Fields unknown to every version are unknown-field's.
 */
export function versionDiagnostics(doc: ParsedDocument, target: TargetVersion): Diagnostic[] {
  const ctx: Ctx = { doc, out: [] };
  if (!doc.kind || !doc.yaml || doc.template || doc.tooLarge) return ctx.out;
  const walk = (node: Node | null, f: FieldSchema, path: Segment[]): void => {
    if (node === null || isAlias(node) || ctx.out.length >= MAX_DIAGNOSTICS_PER_DOCUMENT) return;
    if (f.kind === 'object' && f.ref && isMap(node)) {
      const t = typeDef(f.ref);
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const sub = t.properties[key];
        if (!sub) continue;
        if (!fieldInVersion(sub, target.schema)) {
          const when = sub.since && compareVersions(target.schema, sub.since) < 0 ? `it was added in ${sub.since}` : `it was removed after ${sub.until}`;
          push(
            ctx,
            makeDiagnostic(
              rangeOf(ctx, pair.key as Node),
              Severity.Error,
              'field-not-in-version',
              `${pathText([...path, key])} is not in the Kubernetes ${target.requested} API (${when}): kubectl's strict validation rejects it there.${target.note ? ' ' + target.note : ''} Target another version with the setting statefulsetStudio.kubernetesVersion or --kubernetes-version.`,
            ),
          );
          continue;
        }
        if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) {
          const off = gateOffByDefault(f.ref, key, target.requested);
          if (off) {
            push(
              ctx,
              makeDiagnostic(
                rangeOf(ctx, pair.key as Node),
                Severity.Warning,
                'feature-gate-off',
                `${pathText([...path, key])} needs the feature gate ${gateName(off.gate, target.requested)}, which is ${off.stage.stage} and off by default in Kubernetes ${target.requested}: unless the cluster enables it, the API server silently drops this field and the setting has no effect.`,
              ),
            );
          }
        }
        walk(pair.value as Node | null, sub, [...path, key]);
      }
      return;
    }
    if (f.kind === 'map' && f.values && isMap(node)) {
      for (const pair of node.items) if (isPair(pair) && isScalar(pair.key)) walk(pair.value as Node | null, f.values, [...path, String(pair.key.value)]);
      return;
    }
    if (f.kind === 'array' && f.items && isSeq(node)) node.items.forEach((item, i) => walk(item as Node | null, f.items!, [...path, i]));
  };
  walk(doc.yaml.contents as Node | null, rootField(doc.kind), []);
  return ctx.out;
}
