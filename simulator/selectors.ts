// Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=).
import { badRequest, type Obj } from './status';

export type Predicate = (obj: Obj) => boolean;

interface LabelReq {
  key: string;
  op: 'eq' | 'ne' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

/** Split on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

export function parseLabelSelector(sel: string | null | undefined): Predicate {
  if (!sel || !sel.trim()) return () => true;
  const reqs: LabelReq[] = [];
  for (const part of splitTop(sel)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3].split(',').map((v) => v.trim()).filter((v) => v);
      reqs.push({ key: m[1], op: m[2] as 'in' | 'notin', values });
    } else if ((m = part.match(/^([^\s!=]+)\s*(==|=|!=)\s*([^\s=!]*)$/))) {
      reqs.push({ key: m[1], op: m[2] === '!=' ? 'ne' : 'eq', values: [m[3]] });
    } else if ((m = part.match(/^!\s*([^\s!=]+)$/))) {
      reqs.push({ key: m[1], op: 'notexists', values: [] });
    } else if ((m = part.match(/^([^\s!=(),]+)$/))) {
      reqs.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: label selector requirement`);
    }
  }
  return (obj) => {
    const labels: Record<string, string> = obj.metadata?.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'eq':
          return has && v === r.values[0];
        case 'ne':
          return !has || v !== r.values[0];
        case 'in':
          return has && r.values.includes(v);
        case 'notin':
          return !has || !r.values.includes(v);
        case 'exists':
          return has;
        case 'notexists':
          return !has;
      }
    });
  };
}

/** Matches an object against a LabelSelector object (matchLabels + matchExpressions). */
export function matchesLabelSelector(selector: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A LabelSelector object as the string form kubectl and the API use. */
export function labelSelectorString(selector: Obj | undefined): string {
  if (!selector) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    parts.push(`${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

function fieldValue(obj: Obj, path: string): string {
  let cur: any = obj;
  for (const p of path.split('.')) {
    if (cur == null) return '';
    cur = cur[p];
  }
  if (cur == null) return '';
  return String(cur);
}

export function parseFieldSelector(sel: string | null | undefined): Predicate {
  if (!sel || !sel.trim()) return () => true;
  const reqs: { path: string; neg: boolean; value: string }[] = [];
  for (const part of sel.split(',').map((x) => x.trim()).filter((x) => x)) {
    const m = part.match(/^([^!=]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`);
    reqs.push({ path: m[1], neg: m[2] === '!=', value: m[3] });
  }
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.neg);
}
