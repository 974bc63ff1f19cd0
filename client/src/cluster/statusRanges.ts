// Where in the file an API server error belongs: each cause of a Status names a field
// ("spec.replicas", "spec.template.spec.containers[0].image", ".spec.containers[name=\"web\"].image",
// "metadata.labels"); this finds it in the YAML document (offsets), or the nearest ancestor that the
// file has. Plain Node: the vscode side turns offsets into ranges and diagnostics.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { KubeError } from './errors';

export interface StatusProblem {
  start: number;
  end: number;
  message: string;
  /** the field the server named, as it named it */
  field?: string;
  /** true when the whole path was found; false when an ancestor stands in for it */
  exact: boolean;
}

type Step = { key: string } | { index: number } | { match: Record<string, string> };

/** "spec.template.spec.containers[0].image" / ".spec.x[name=\"web\"]" / "spec.resources[storage]" → steps. */
export function parseFieldPath(field: string): Step[] {
  const steps: Step[] = [];
  const re = /\.?([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field))) {
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else {
      const inner = m[2];
      if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (inner.includes('=')) {
        const match: Record<string, string> = {};
        for (const part of inner.split(',')) {
          const i = part.indexOf('=');
          let v = part.slice(i + 1).trim();
          try {
            v = String(JSON.parse(v));
          } catch {
            // unquoted value
          }
          match[part.slice(0, i).trim()] = v;
        }
        steps.push({ match });
      } else steps.push({ key: inner });
    }
  }
  return steps;
}

function rangeOf(n: Node | Pair | null | undefined): [number, number] | undefined {
  if (!n) return undefined;
  if (isPair(n)) {
    const k = rangeOf(n.key as Node);
    const v = rangeOf(n.value as Node);
    if (k && v) return [k[0], Math.max(k[1], v[1])];
    return k ?? v;
  }
  const r = (n as Node).range;
  return r ? [r[0], r[1]] : undefined;
}

/** Offsets of a field in one YAML document node: the key of the deepest pair found, plus its value when the path is complete. */
export function locateField(root: Node | null, field: string): { start: number; end: number; exact: boolean } | undefined {
  let node: Node | null | undefined = root;
  let found: [number, number] | undefined = rangeOf(root);
  let exact = true;
  for (const step of parseFieldPath(field)) {
    if ('key' in step && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step.key);
      if (!pair) {
        exact = false;
        break;
      }
      found = rangeOf(pair.key as Node) ?? found;
      node = pair.value as Node;
      continue;
    }
    if (('index' in step || 'match' in step) && isSeq(node)) {
      const item = (
        'index' in step
          ? node.items[step.index]
          : node.items.find(
              (it) =>
                isMap(it) &&
                Object.entries(step.match).every(([k, v]) => it.items.some((p) => isScalar(p.key) && String(p.key.value) === k && isScalar(p.value) && String(p.value.value) === v)),
            )
      ) as Node | undefined;
      if (!item) {
        exact = false;
        break;
      }
      found = rangeOf(item) ?? found;
      node = item;
      continue;
    }
    exact = false;
    break;
  }
  if (!found) return undefined;
  // a complete path to a scalar: underline the value too
  if (exact && node && isScalar(node) && node.range) found = [found[0], Math.max(found[1], node.range[1])];
  return { start: found[0], end: found[1], exact };
}

/**
 * The problems of an API server error for document `docIndex` of `text`: one per Status cause (at its
 * field), or one on the document's `kind` line when the error names no field.
 */
export function statusProblems(text: string, docIndex: number, err: Pick<KubeError, 'message' | 'status'>): StatusProblem[] {
  const docs = parseAllDocuments(text);
  const doc = docs[docIndex];
  if (!doc) return [];
  const root = doc.contents as Node | null;
  const causes = (err.status?.details?.causes ?? []).filter((c) => c.field || c.message);
  const fallback = (): { start: number; end: number } => {
    const kind = locateField(root, 'kind');
    if (kind?.exact) return kind;
    const r = rangeOf(root) ?? [0, 0];
    return { start: r[0], end: Math.min(r[1], r[0] + 1) };
  };
  if (causes.length === 0) return [{ ...fallback(), message: err.message, exact: false }];
  return causes.map((c) => {
    const field = c.field?.replace(/^\./, '');
    const at = field ? locateField(root, field) : undefined;
    const where = at ?? { ...fallback(), exact: false };
    const message = field ? `${field}: ${c.message ?? ''}`.trim() : (c.message ?? err.message);
    return { start: where.start, end: where.end, message, field: c.field, exact: where.exact };
  });
}
