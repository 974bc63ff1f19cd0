// One YAML document (a chunk of a file) parsed with positions and classified by apiVersion/kind.
import { isMap, isScalar, type Document } from 'yaml';
import { kindFor, kindsNamed, type KindEntry } from '../schema';
import { LineIndex, type Diagnostic } from './diagnostic';
import { kubectlYamlFindings, parseLikeKubectl, type YamlFinding } from './kubectlYaml';
import { reparseValueEdit } from './scalarEdit';
import type { Chunk } from './split';

/** Documents larger than this are not parsed as you type (bounded time on huge files). */
export const MAX_CHECKED_DOCUMENT_BYTES = 1024 * 1024;

export interface ParsedDocument {
  /** The chunk's own text (positions below are relative to it). */
  text: string;
  lines: LineIndex;
  /** Undefined when the parser itself failed (e.g. nesting too deep for the stack). */
  yaml: Document.Parsed | undefined;
  /** Why the parser failed, when it did. */
  fatal?: string;
  /** What kubectl says about the YAML: its first syntax error, duplicate keys, notes (offsets in `text`). */
  syntax: YamlFinding[];
  /** Set when the document was too large to parse as you type. */
  tooLarge?: string;
  apiVersion?: string;
  kindName?: string;
  /** Our schema entry when this is a StatefulSet, Service, PVC or PodDisruptionBudget we understand. */
  kind?: KindEntry;
  /** apiVersion/kind looks like one of ours (even if the apiVersion is wrong or the YAML is broken). */
  ours: boolean;
  /** A Helm/Go template (`{{ … }}`): not valid YAML until rendered. */
  template: boolean;
  /** Nothing but comments and blank lines. */
  empty: boolean;
}

const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)/m;
const API_LINE = /^apiVersion:[ \t]*["']?([A-Za-z0-9./-]+)/m;
const TEMPLATE = /\{\{[\s\S]*?\}\}|\{\{-?/;

/** apiVersion/kind from the top-level lines alone, without parsing (cheap, for completion and hover). */
export function classify(text: string): { apiVersion?: string; kindName?: string; kind?: KindEntry } {
  const kindName = KIND_LINE.exec(text)?.[1];
  const apiVersion = API_LINE.exec(text)?.[1];
  return { apiVersion, kindName, kind: kindFor(apiVersion, kindName) };
}

/**
 * `previous`: the same document's parse before an edit, if the caller knows it; an edit inside one plain value
 * then costs no parse (scalarEdit.ts).
 */
export function parseChunk(chunk: Pick<Chunk, 'text'>, previous?: ParsedDocument): ParsedDocument {
  const text = chunk.text;
  const lines = new LineIndex(text);
  const empty = !/^[ \t]*[^\s#]/m.test(text.replace(/^(?:---|\.\.\.)(?=[ \t\r]|$)/, ''));
  const template = TEMPLATE.test(text);
  let yaml: Document.Parsed | undefined;
  let fatal: string | undefined;
  if (text.length > MAX_CHECKED_DOCUMENT_BYTES) {
    const c = classify(text);
    const ours = c.kind !== undefined || (c.kindName !== undefined && kindsNamed(c.kindName).length > 0);
    const mb = (text.length / 1024 / 1024).toFixed(1);
    return { text, lines, yaml: undefined, syntax: [], tooLarge: `This document is ${mb} MB, too large to check as you type (limit ${MAX_CHECKED_DOCUMENT_BYTES / 1024 / 1024} MB); completion and hover still work. Split it into smaller documents to have it checked.`, ...c, ours, template, empty };
  }
  let syntax: YamlFinding[] = [];
  try {
    // as kubectl's decoder (go-yaml v2) reads it: YAML 1.1 scalars, lax indentation in quoted/flow
    yaml = (previous && !previous.template && reparseValueEdit(previous.text, previous.yaml, text)) || parseLikeKubectl(text);
    syntax = kubectlYamlFindings(text, yaml);
  } catch (e) {
    fatal = e instanceof RangeError ? 'The document is nested too deeply to parse.' : `The YAML parser failed: ${(e as Error).message}`;
  }
  let apiVersion: string | undefined;
  let kindName: string | undefined;
  const contents = yaml?.contents;
  if (contents && isMap(contents)) {
    for (const pair of contents.items) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
      if (pair.key.value === 'apiVersion' && typeof pair.value.value === 'string') apiVersion = pair.value.value;
      if (pair.key.value === 'kind' && typeof pair.value.value === 'string') kindName = pair.value.value;
    }
  }
  // broken YAML: fall back to the top-level lines, so a broken StatefulSet is still ours
  if (kindName === undefined) kindName = KIND_LINE.exec(text)?.[1];
  if (apiVersion === undefined) apiVersion = API_LINE.exec(text)?.[1];
  const kind = kindFor(apiVersion, kindName);
  const ours = kind !== undefined || (kindName !== undefined && kindsNamed(kindName).length > 0);
  return { text, lines, yaml, fatal, syntax, apiVersion, kindName, kind, ours, template, empty };
}

/**
 * kubectl stops at a document's first syntax error, and what the parser made of the text after it
 * is not what the author meant: drop findings that start after it (they would be a cascade).
 */
export function beforeSyntaxError(doc: ParsedDocument, found: Diagnostic[]): Diagnostic[] {
  const error = doc.template ? undefined : doc.syntax.find((f) => f.severity === 'error');
  if (!error) return found;
  const at = doc.lines.range(error.from, error.from).start;
  return found.filter((d) => d.code === 'yaml-syntax' || d.range.start.line < at.line || (d.range.start.line === at.line && d.range.start.character < at.character));
}
