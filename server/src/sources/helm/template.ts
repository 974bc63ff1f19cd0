// The YAML structure a Go template writes, read from its indentation with the `{{ … }}` actions masked: which
// template line writes which key path, which lines include a named template (`include "x" . | nindent N`) or
// a value as YAML (`toYaml .Values.x | nindent N`), and which values each line reads (`.Values.a.b`, or `.b`
// inside `with`/`range`). Used to map a finding on the rendered output back to the line that produced it.
import { lineShape, popFor, pushItem, type Frame } from '../../engine/yamlPath';

export type Seg = string | number;

/** A values reference: a path under .Values, or relative to a `range`/`with` scope (resolved later). */
export interface Ref {
  /** The path below .Values (a `range` element is written as the index -1: "some element"). */
  path: Seg[];
}

/** One template line that writes a YAML key or a sequence item. */
export interface Entry {
  /** 0-based line in the file. */
  line: number;
  /** Column of the key (or of the item's content). */
  col: number;
  /** The path of the key this line writes (sequence items: their template-local index). */
  path: Seg[];
  /** The values the line's value part reads (resolved to .Values paths where the scope is known). */
  refs: Ref[];
  /** The value part is one action that prints YAML (`toYaml X | nindent`), whose keys follow the key's path. */
  yamlOf?: Ref;
  /** The line lies inside a `range` block. */
  inRange: boolean;
  /** For an item line: the literal `name:` it holds, if any. */
  itemName?: string;
  /** Text after `key:` with actions, for messages. */
  value?: string;
}

/** An action line that writes YAML below a path: a named template or a value as YAML. */
export interface Hook {
  line: number;
  col: number;
  /** The path the written keys sit under. */
  parent: Seg[];
  include?: string;
  /** The argument the named template is called with, when it is a values path (`include "x" .Values.a`). */
  includeArg?: Ref;
  yamlOf?: Ref;
  inRange: boolean;
}

export interface TemplateDoc {
  entries: Entry[];
  hooks: Hook[];
  /** The `kind:` line, the fallback for findings no finer line explains, and its literal kind. */
  kindLine?: number;
  kind?: string;
}

export interface ParsedTemplate {
  docs: TemplateDoc[];
  /** Named templates defined in this file: name → the body's 0-based line range [from, to). */
  defines: Map<string, { from: number; to: number }>;
}

interface Action {
  /** Offsets of `{{` and after `}}`. */
  start: number;
  end: number;
  /** The action's text without delimiters, trim markers and surrounding space. */
  body: string;
}

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;

function actionsOf(text: string): Action[] {
  const out: Action[] = [];
  for (const m of text.matchAll(ACTION)) out.push({ start: m.index!, end: m.index! + m[0].length, body: m[1].trim() });
  return out;
}

/** A values reference in an action's words, resolved against the scopes (innermost last). */
function resolve(expr: string, scopes: Array<Ref | undefined>): Ref | undefined {
  const m = /^(\$?)(\.[A-Za-z0-9_.]*|\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_.]+)?)$/.exec(expr);
  if (!m) return undefined;
  let e = expr;
  if (e.startsWith('$.')) return resolve(e.slice(1), []);
  if (e === '$') return undefined;
  if (e.startsWith('$')) return undefined; // a variable: unknown here
  const parts = e.split('.').slice(1).filter(Boolean);
  const scope = scopes.length ? scopes[scopes.length - 1] : undefined;
  if (scopes.length === 0 || (parts[0] === 'Values' && scope === undefined)) {
    if (parts[0] !== 'Values') return undefined;
    return { path: parts.slice(1) };
  }
  if (!scope) return undefined;
  return { path: [...scope.path, ...parts] };
}

/** The first values reference among an action's words (`.Values.a.b`, `.b` in a scope, `toYaml .`). */
function refsIn(body: string, scopes: Array<Ref | undefined>): Ref[] {
  const out: Ref[] = [];
  for (const m of body.matchAll(/(?<![A-Za-z0-9_)\]])(\$?\.[A-Za-z0-9_.]*)/g)) {
    const r = resolve(m[1], scopes);
    if (r) out.push(r);
  }
  return out;
}

/**
 * Reads a template, or a named template's body (lines [from, to) of the file; its columns are those the body is
 * written at, before `nindent` moves it). `argScope`: what `.` is in that body (the include's argument), when known.
 */
export function parseTemplate(text: string, from = 0, to?: number, argScope?: Ref): ParsedTemplate {
  const actions = actionsOf(text);
  // the text with each action masked (same length, line breaks kept): `X` inside a line
  let masked = '';
  let last = 0;
  for (const a of actions) {
    masked += text.slice(last, a.start) + text.slice(a.start, a.end).replace(/[^\n]/g, '\u0001');
    last = a.end;
  }
  masked += text.slice(last);
  const lines = masked.split('\n');
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const end = to ?? lines.length;
  const actionsByLine = new Map<number, Action[]>();
  let li = 0;
  for (const a of actions) {
    while (li + 1 < lineStarts.length && lineStarts[li + 1] <= a.start) li++;
    const list = actionsByLine.get(li) ?? [];
    list.push(a);
    actionsByLine.set(li, list);
  }
  const defines = new Map<string, { from: number; to: number }>();
  const docs: TemplateDoc[] = [{ entries: [], hooks: [] }];
  let stack: Frame[] = [];
  // control blocks: if/with/range/define/block; with and range open a scope
  const control: Array<{ kind: string; scope?: Ref | undefined; hasScope: boolean; name?: string; line: number }> = [];
  const scopes = (): Array<Ref | undefined> => {
    const s: Array<Ref | undefined> = argScope ? [argScope] : [];
    for (const c of control) if (c.hasScope) s.push(c.scope);
    return s;
  };
  const inRange = () => control.some((c) => c.kind === 'range');
  for (let i = from; i < end; i++) {
    const raw = lines[i] ?? '';
    const lineActions = actionsByLine.get(i) ?? [];
    const structural = raw.replace(/\u0001+/g, (s) => 'X'.repeat(s.length));
    const actionOnly = raw.replace(/\u0001/g, '').trim() === '';
    // control flow first (an action-only line), then the YAML the line writes
    if (actionOnly) {
      for (const a of lineActions) {
        const b = a.body;
        let m: RegExpExecArray | null;
        if (b.startsWith('/*') || b.startsWith('//')) continue;
        if ((m = /^define\s+"([^"]+)"/.exec(b))) {
          control.push({ kind: 'define', hasScope: false, name: m[1], line: i });
          continue;
        }
        if ((m = /^(if|with|range|block)\b\s*(.*)$/.exec(b))) {
          const kind = m[1];
          let expr = m[2];
          const v = /^(?:\$[A-Za-z0-9_]*\s*,\s*)?(\$[A-Za-z0-9_]*)\s*:=\s*(.*)$/.exec(expr);
          if (v) expr = v[2];
          const ref = kind === 'with' || kind === 'range' ? resolve(expr.trim(), scopes()) : undefined;
          control.push({ kind, hasScope: kind === 'with' || kind === 'range', scope: ref && kind === 'range' ? { path: [...ref.path, -1] } : ref, line: i });
          continue;
        }
        if (/^end\b/.test(b)) {
          const c = control.pop();
          if (c?.kind === 'define' && c.name) defines.set(c.name, { from: c.line + 1, to: i + (raw.slice(0, raw.indexOf('\u0001')).trim() ? 1 : 0) });
          continue;
        }
        if (/^else\b/.test(b)) continue;
        // an action that writes YAML at a column: include/template … | nindent N, toYaml X | nindent N
        const indent = /\|\s*n?indent\s+(\d+)/.exec(b);
        const col = indent ? Number(indent[1]) : raw.indexOf('\u0001');
        const inc = /^(?:include|template)\s+"([^"]+)"\s*(\S+)?/.exec(b);
        const yaml = /^(?:toYaml|toJson)\s+(\S+)/.exec(b) ?? /^(\S+)\s*\|\s*toYaml\b/.exec(b);
        if (inc || yaml) {
          const probe = [...stack];
          popFor(probe, col, false);
          const hook: Hook = { line: i, col, parent: probe.map((f) => f.seg), inRange: inRange() };
          if (inc) {
            hook.include = inc[1];
            const arg = inc[2] ? resolve(inc[2].replace(/\)$/, ''), scopes()) : undefined;
            if (arg) hook.includeArg = arg;
          } else if (yaml) {
            const r = resolve(yaml[1].replace(/^\(|\)$/g, ''), scopes());
            if (r) hook.yamlOf = r;
          }
          docs[docs.length - 1].hooks.push(hook);
        }
      }
      continue;
    }
    if (/^(---)(\s|$)/.test(raw)) {
      stack = [];
      docs.push({ entries: [], hooks: [] });
      continue;
    }
    const s = lineShape(structural);
    if (s.blank) continue;
    const top = stack[stack.length - 1];
    if (top?.blockScalar && s.indent > top.col) continue;
    const doc = docs[docs.length - 1];
    let itemLine = false;
    for (const d of s.dashes) {
      popFor(stack, d, true);
      pushItem(stack, d);
      itemLine = true;
    }
    const valueStart = s.afterColon ?? s.contentCol;
    const valueActions = lineActions.filter((a) => a.start - lineStarts[i] >= valueStart);
    const refs = valueActions.flatMap((a) => refsIn(a.body, scopes()));
    const yamlAction = valueActions.map((a) => /^(?:toYaml|toJson)\s+(\S+)/.exec(a.body) ?? /^(\S+)\s*\|\s*toYaml\b/.exec(a.body)).find(Boolean);
    const yamlOf = yamlAction ? resolve(yamlAction[1].replace(/^\(|\)$/g, ''), scopes()) : undefined;
    if (itemLine) {
      const item: Entry = { line: i, col: s.dashes[s.dashes.length - 1], path: stack.map((f) => f.seg), refs: s.key === undefined ? refs : [], inRange: inRange() };
      if (s.key === 'name' && s.value && !s.value.includes('X')) item.itemName = s.value.replace(/^["']|["']$/g, '');
      doc.entries.push(item);
    }
    if (s.key !== undefined) {
      popFor(stack, s.contentCol, false);
      const entry: Entry = { line: i, col: s.contentCol, path: [...stack.map((f) => f.seg), s.key], refs, inRange: inRange(), value: text.slice(lineStarts[i] + valueStart, (lineStarts[i + 1] ?? text.length + 1) - 1).trim() };
      if (yamlOf) entry.yamlOf = yamlOf;
      doc.entries.push(entry);
      if (s.key === 'kind' && stack.length === 0 && doc.kindLine === undefined) {
        doc.kindLine = i;
        if (s.value && !s.value.includes('X')) doc.kind = s.value.replace(/^["']|["']$/g, '');
      }
      stack.push({ col: s.contentCol, seg: s.key, kind: 'key', blockScalar: /^[|>][-+0-9]*$/.test(s.value ?? '') });
    }
  }
  return { docs, defines };
}

/** Does a template path segment stand for a rendered one? */
function sameSeg(a: Seg, b: Seg): boolean {
  return a === b || String(a) === String(b);
}

/** Where a rendered path lands in a template document. */
export interface Landing {
  /** The deepest entry matched (undefined: none, not even the first key). */
  entry?: Entry;
  /** Segments of the rendered path below the entry (or the hook) that the template does not write itself. */
  rest: Seg[];
  /** The hook that writes the rest, when one does. */
  hook?: Hook;
}

/**
 * The template line that writes a rendered path. Sequence items: the item whose literal `name:` is the rendered
 * item's name, else the item inside a `range` (its one body writes them all), else the same index.
 */
export function land(doc: TemplateDoc, path: readonly Seg[], nameAt: (depth: number) => string | undefined): Landing {
  let prefix: Seg[] = [];
  let best: Entry | undefined;
  let depth = 0;
  for (; depth < path.length; depth++) {
    const seg = path[depth];
    const candidates = doc.entries.filter((e) => e.path.length === depth + 1 && prefix.every((p, i) => sameSeg(e.path[i], p)));
    let next: Entry | undefined;
    if (typeof seg === 'number') {
      const items = candidates.filter((e) => typeof e.path[depth] === 'number');
      const name = nameAt(depth + 1);
      next = (name !== undefined ? items.find((e) => e.itemName === name) : undefined) ?? items.find((e) => e.inRange && e.itemName === undefined) ?? items.find((e) => e.path[depth] === seg && e.itemName === undefined && !e.inRange);
    } else {
      next = candidates.find((e) => e.path[depth] === seg);
    }
    if (!next) break;
    best = next;
    prefix = next.path;
  }
  const rest = path.slice(depth);
  if (rest.length === 0) return { entry: best, rest };
  // a hook under the matched prefix writes the rest (several: the caller tries each)
  const hook = doc.hooks.find((h) => h.parent.length === prefix.length && h.parent.every((p, i) => sameSeg(p, prefix[i])));
  return { entry: best, rest, hook };
}

/** All hooks directly under a path (a caller tries each in turn). */
export function hooksUnder(doc: TemplateDoc, prefix: readonly Seg[]): Hook[] {
  return doc.hooks.filter((h) => h.parent.length === prefix.length && h.parent.every((p, i) => sameSeg(p, prefix[i])));
}
