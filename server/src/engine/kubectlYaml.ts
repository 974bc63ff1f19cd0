// YAML as kubectl reads it. kubectl (apply/create -f) converts YAML to JSON with go-yaml v2 (through
// sigs.k8s.io/yaml), which is laxer than YAML 1.2 in places and resolves scalars by YAML 1.1 rules of
// its own. We parse with the `yaml` package (for its positions) but:
// - let multi-line quoted scalars and flow collections continue on lines at any indentation, as
//   go-yaml does (it checks no indentation inside them): YAML 1.2 requires them to be indented more
//   than their parent; we tell the user in a `yaml-compat` note instead of an error;
// - resolve scalars as go-yaml v2 does: no timestamps (2001-12-14 stays a string), no sexagesimal
//   numbers (1:30 stays a string), 0o17 is octal like 017;
// - refuse what kubectl refuses although `yaml` accepts it: .inf/.nan (no JSON for them), unknown
//   aliases, YAML directives (kubectl's reader splits the stream at ---, leaving %YAML alone).
// The corpus in test/fixtures/yaml-kubectl/ holds each difference with kubectl's verdict.
import { Composer, isAlias, isCollection, isMap, isNode, isPair, isScalar, Lexer, Parser, visit, type Document, type DocumentOptions, type Node, type ParseOptions, type ScalarTag, type SchemaOptions } from 'yaml';

type LexerState = Generator<string, string>;
interface LexerInternals {
  indentNext: number;
  parseQuotedScalar(): LexerState;
  parseFlowCollection(): LexerState;
}

/** The `yaml` lexer without indentation checks inside quoted scalars and flow collections (as go-yaml). */
class KubectlLexer extends Lexer {}
{
  const base = Lexer.prototype as unknown as LexerInternals;
  const proto = KubectlLexer.prototype as unknown as LexerInternals;
  for (const name of ['parseQuotedScalar', 'parseFlowCollection'] as const) {
    const original = base[name];
    proto[name] = function* (this: LexerInternals): LexerState {
      const saved = this.indentNext;
      this.indentNext = 0;
      try {
        return yield* original.call(this);
      } finally {
        // the lexer may have moved on to a new line start (which sets its own indentation)
        if (this.indentNext === 0) this.indentNext = saved;
      }
    };
  }
}

/** 0o17: go-yaml v2 reads it as octal (15); YAML 1.1 as a string. */
const octal0o = {
  identify: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (s: string) => {
    const n = parseInt(s.replace(/_/g, '').replace(/0o/, ''), 8);
    return s.startsWith('-') ? -n : n;
  },
};

type Tags = Extract<NonNullable<SchemaOptions['customTags']>, unknown[]>;

/** YAML 1.1 as go-yaml v2 resolves plain scalars: no timestamps, no base-60 numbers, 0o octal. */
function kubectlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && (t as ScalarTag).format !== 'TIME'));
  return [octal0o as ScalarTag, ...kept];
}

export const KUBECTL_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  // YAML 1.1 like kubectl's decoder (go-yaml v2): `yes`/`on` are booleans, so we see what it sees.
  version: '1.1',
  customTags: kubectlTags,
  prettyErrors: false,
  keepSourceTokens: false,
  uniqueKeys: true,
  strict: false,
  // the parser's console warnings (a collection as a key) would reach the CLI's stderr and the
  // editor's log as errors; our own checks report such keys
  logLevel: 'error',
};

/** Parses one document (no `---` inside but a leading one) as kubectl reads it. */
export function parseLikeKubectl(text: string): Document.Parsed {
  const parser = new Parser();
  (parser as unknown as { lexer: Lexer }).lexer = new KubectlLexer();
  const composer = new Composer(KUBECTL_PARSE_OPTIONS);
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(parser.parse(text), true, text.length)) doc ??= d;
  return doc!;
}

/** A finding of the YAML layer, offsets in the document's text. */
export interface YamlFinding {
  code: 'yaml-syntax' | 'duplicate-key' | 'yaml-compat';
  severity: 'error' | 'warning' | 'information';
  from: number;
  to: number;
  message: string;
}

const DIRECTIVE = /^%[A-Z]/m;

/** The first of `a`, `b` by position. */
function earlier(a: YamlFinding | undefined, b: YamlFinding): YamlFinding {
  return a === undefined || b.from < a.from ? b : a;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function columnOf(text: string, starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return offset - starts[lo];
}

/**
 * An error the parser puts in a line's indentation ("All mapping items must start at the same column" points at
 * column 1 of `   template:`) is about what stands there out of line: the key, or the line's first token.
 * Returns that token's span, or undefined when the offset is not inside the leading spaces of a non-blank line.
 */
export function outOfLine(text: string, offset: number): { from: number; to: number } | undefined {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let first = start;
  while (text[first] === ' ') first++;
  if (offset > first || first === offset || first >= text.length || text[first] === '\n' || text[first] === '\r') return undefined;
  let end = text.indexOf('\n', first);
  if (end < 0) end = text.length;
  const line = text.slice(first, end).replace(/\r$/, '');
  const key = /^(?:- +)?(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:][^#]*?)(?=:(?:\s|$))/.exec(line);
  const token = key ? key[0] : /^(?:- +)?\S*/.exec(line)![0];
  return { from: first, to: first + token.length };
}

/**
 * What kubectl says about the YAML of one document: its first syntax error (the tokens after a
 * syntax error are not worth reporting: kubectl stops there), duplicate keys (kubectl keeps the
 * last value), and notes where kubectl accepts what strict YAML 1.2 tools refuse.
 */
export function kubectlYamlFindings(text: string, doc: Document.Parsed): YamlFinding[] {
  let first: YamlFinding | undefined;
  const dups: YamlFinding[] = [];
  for (const e of doc.errors) {
    const from = e.pos[0];
    const to = Math.max(e.pos[1], from + 1);
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^\s*(.+?)\s*:(?:\s|$)/.exec(text.slice(from).split('\n')[0])?.[1];
      dups.push({
        code: 'duplicate-key',
        severity: 'warning',
        from,
        to,
        message: `Duplicate key${key ? ` "${key}"` : ''}: kubectl apply -f keeps only the last value and silently drops the earlier one, and kubectl apply -k (Kustomize) refuses the file ("mapping key already defined"). Remove one of them.`,
      });
      continue;
    }
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const at = outOfLine(text, from) ?? { from, to };
    first = earlier(first, { code: 'yaml-syntax', severity: 'error', ...at, message: `YAML syntax error: ${msg}.` });
  }
  const directive = DIRECTIVE.exec(text);
  if (directive && text.slice(0, directive.index).split('\n').every((l) => /^\s*(#.*)?$/.test(l))) {
    const end = text.indexOf('\n', directive.index);
    first = earlier(first, {
      code: 'yaml-syntax',
      severity: 'error',
      from: directive.index,
      to: end < 0 ? text.length : end,
      message: 'kubectl refuses YAML directives (%YAML, %TAG): it splits the file at --- first, so the directive is left as a document of its own ("did not find expected <document start>"). Remove the line.',
    });
  }
  const starts = lineStarts(text);
  const compat: YamlFinding[] = [];
  const anchors = new Set<string>();
  visit(doc, {
    Node(_key, node, path) {
      if (!isNode(node) || !node.range) return;
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) anchors.add(anchor);
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          first = earlier(first, { code: 'yaml-syntax', severity: 'error', from: node.range[0], to: node.range[1], message: `YAML syntax error: unknown anchor '${node.source}' referenced (kubectl refuses the file).` });
        }
        return;
      }
      if (isScalar(node)) {
        if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
          first = earlier(first, {
            code: 'yaml-syntax',
            severity: 'error',
            from: node.range[0],
            to: node.range[1],
            message: `kubectl cannot convert ${String(node.source ?? node.value)} to JSON ("json: unsupported value") and refuses the file. Quote it if you mean a string.`,
          });
        }
        if (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') return;
      } else if (!(isCollection(node) && node.flow)) return;
      const [from, to] = node.range;
      if (text.lastIndexOf('\n', to - 1) < from) return; // one line
      // YAML 1.2: the lines of a multi-line quoted scalar or flow collection are indented more than
      // the block collection they are in (a closing bracket may sit at that indentation)
      let parentIndent = -1;
      for (let i = path.length - 1; i >= 0; i--) {
        const p = path[i];
        if (isPair(p) || !isNode(p as Node)) continue;
        if (isCollection(p) && !p.flow && p.range) parentIndent = columnOf(text, starts, p.range[0]);
        if (isCollection(p)) break;
      }
      if (parentIndent < 0) return;
      for (let nl = text.indexOf('\n', from); nl >= 0 && nl + 1 < to; nl = text.indexOf('\n', nl + 1)) {
        const line = text.slice(nl + 1, Math.min(to, text.indexOf('\n', nl + 1) < 0 ? text.length : text.indexOf('\n', nl + 1)));
        const indent = /^ */.exec(line)![0].length;
        if (line.trim() === '' || indent > parentIndent) continue;
        if (isCollection(node) && indent === parentIndent && /^ *[\]}]/.test(line)) continue;
        const what = isScalar(node) ? 'multi-line quoted string' : `flow ${isMap(node) ? 'mapping { }' : 'sequence [ ]'}`;
        compat.push({
          code: 'yaml-compat',
          severity: 'information',
          from: nl + 1 + indent,
          to: nl + 1 + line.length,
          message: `kubectl accepts this line, but strict YAML 1.2 tools (yamllint, yq, yaml-language-server) reject it: the lines of a ${what} must be indented more than its parent (column ${parentIndent + 1}). Indent it to keep those tools working.`,
        });
        break;
      }
    },
  });
  const out: YamlFinding[] = [];
  if (first) out.push(first);
  // after a syntax error, the rest of the document is not what the author meant: say nothing about it
  const limit = first ? first.from : Infinity;
  for (const f of [...dups, ...compat]) if (f.from < limit) out.push(f);
  return out;
}
