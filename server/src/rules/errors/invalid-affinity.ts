import type { Segment } from '../../schema';
import { arr, obj, type DocumentContext, type Rule } from '../framework';
import { labelSelectorRequirementProblems, POD_SPEC, qualifiedNameProblem, TEMPLATE_FAILS } from './support';

const A: Segment[] = [...POD_SPEC, 'affinity'];
const INT = /^-?\d+$/;

function nodeRequirement(ctx: DocumentContext, r: Record<string, unknown>, path: Segment[], field: boolean): void {
  const op = r.operator;
  const values = Array.isArray(r.values) ? r.values : [];
  const at = (f: string): Segment[] => (r[f] !== undefined ? [...path, f] : path);
  const say = (p: Segment[], msg: string) => ctx.report(p, `${msg} It is ${TEMPLATE_FAILS}.`, { at: 'value' });
  if (field) {
    if (typeof r.key === 'string' && r.key !== 'metadata.name') say(at('key'), `The node field selector key "${r.key}" is not supported; matchFields supports only metadata.name.`);
    if (op === 'In' || op === 'NotIn') {
      if (values.length !== 1) say(at('values'), `A node field selector with ${op} needs exactly one value (got ${values.length}).`);
    } else if (typeof op === 'string') say(at('operator'), `The node field selector operator "${op}" is not supported; matchFields takes In or NotIn.`);
    return;
  }
  if (typeof r.key === 'string') {
    const p = qualifiedNameProblem(r.key);
    if (p) say(at('key'), `The node label key "${r.key}" is invalid: ${p}.`);
  }
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) say(at('values'), `Operator ${op} needs at least one value in "values".`);
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) say(at('values'), `Operator ${op} takes no "values"; remove them.`);
  } else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1) say(at('values'), `Operator ${op} needs exactly one value (got ${values.length}).`);
    else if (!INT.test(String(values[0]))) say([...path, 'values', 0], `Operator ${op} compares integers; "${String(values[0])}" is not one.`);
  }
}

function nodeTerm(ctx: DocumentContext, term: unknown, path: Segment[]): void {
  const t = obj(term);
  if (!t) return;
  arr(t.matchExpressions).forEach((r, k) => obj(r) && nodeRequirement(ctx, obj(r)!, [...path, 'matchExpressions', k], false));
  arr(t.matchFields).forEach((r, k) => obj(r) && nodeRequirement(ctx, obj(r)!, [...path, 'matchFields', k], true));
}

function labelSelector(ctx: DocumentContext, sel: unknown, path: Segment[]): void {
  arr(obj(sel)?.matchExpressions).forEach((e, k) => {
    const r = obj(e);
    if (!r) return;
    const p = [...path, 'matchExpressions', k];
    for (const pr of labelSelectorRequirementProblems(r)) ctx.report(r[pr.field] !== undefined ? [...p, pr.field] : p, `${pr.message} It is ${TEMPLATE_FAILS}.`, { at: 'value' });
  });
}

function podTerm(ctx: DocumentContext, term: unknown, path: Segment[]): void {
  const t = obj(term);
  if (!t) return;
  if (typeof t.topologyKey === 'string') {
    if (t.topologyKey === '') ctx.report([...path, 'topologyKey'], `topologyKey may not be empty. It is ${TEMPLATE_FAILS}. Use a node label such as kubernetes.io/hostname or topology.kubernetes.io/zone.`, { at: 'value' });
    else {
      const p = qualifiedNameProblem(t.topologyKey);
      if (p) ctx.report([...path, 'topologyKey'], `topologyKey "${t.topologyKey}" is not a valid label key: ${p}. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
    }
  }
  labelSelector(ctx, t.labelSelector, [...path, 'labelSelector']);
  labelSelector(ctx, t.namespaceSelector, [...path, 'namespaceSelector']);
}

function weight(ctx: DocumentContext, w: unknown, path: Segment[]): void {
  if (typeof w === 'number' && Number.isInteger(w) && (w < 1 || w > 100)) ctx.report(path, `weight ${w} is outside 1–100. It is ${TEMPLATE_FAILS}.`, { at: 'value' });
}

export const invalidAffinity: Rule = {
  id: 'invalid-affinity',
  severity: 'error',
  title: 'Affinity term with a bad operator, values, weight or topologyKey',
  doc:
    'Node selector requirements: In/NotIn need values, Exists/DoesNotExist take none, Gt/Lt exactly one integer; matchFields only metadata.name with one value. ' +
    'Pod (anti-)affinity terms need a non-empty topologyKey and valid label selectors; preferred terms a weight of 1–100. A bad term makes the pod template invalid, so the StatefulSet never gets a pod.',
  kinds: ['StatefulSet'],
  check(ctx) {
    const aff = obj(ctx.get(A));
    if (!aff) return;
    const na = obj(aff.nodeAffinity);
    if (na) {
      const req = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
      if (req) {
        const terms = req.nodeSelectorTerms;
        const p: Segment[] = [...A, 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
        if (Array.isArray(terms) && terms.length === 0) ctx.report(p, `nodeSelectorTerms must have at least one term. It is ${TEMPLATE_FAILS}.`);
        arr(terms).forEach((t, i) => nodeTerm(ctx, t, [...p, i]));
      }
      arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
        const p: Segment[] = [...A, 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i];
        weight(ctx, obj(t)?.weight, [...p, 'weight']);
        nodeTerm(ctx, obj(t)?.preference, [...p, 'preference']);
      });
    }
    for (const kind of ['podAffinity', 'podAntiAffinity']) {
      const pa = obj(aff[kind]);
      if (!pa) continue;
      arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => podTerm(ctx, t, [...A, kind, 'requiredDuringSchedulingIgnoredDuringExecution', i]));
      arr(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
        const p: Segment[] = [...A, kind, 'preferredDuringSchedulingIgnoredDuringExecution', i];
        weight(ctx, obj(t)?.weight, [...p, 'weight']);
        podTerm(ctx, obj(t)?.podAffinityTerm, [...p, 'podAffinityTerm']);
      });
    }
  },
};
