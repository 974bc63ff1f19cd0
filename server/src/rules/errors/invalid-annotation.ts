import type { Segment } from '../../schema';
import { isPatchDirectiveKey } from '../../engine/partial';
import { arr, obj, type DocumentContext, type Rule } from '../framework';
import { qualifiedNameProblem } from './support';

/** TotalAnnotationSizeLimitB in apimachinery: keys and values together. */
const LIMIT = 256 * 1024;

function byteLength(s: string): number {
  // ASCII is one byte a character; only count precisely when it matters
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : new TextEncoder().encode(s).length;
}

function checkAnnotations(ctx: DocumentContext, path: Segment[], where: string): void {
  const ann = obj(ctx.get(path));
  if (!ann) return;
  let total = 0;
  for (const [k, v] of Object.entries(ann)) {
    if (isPatchDirectiveKey(k)) continue;
    const p = qualifiedNameProblem(k);
    if (p) ctx.report([...path, k], `The annotation key "${k}" is invalid: ${p}. The API server rejects the ${ctx.kind}; fix the key.`);
    total += byteLength(k) + (typeof v === 'string' ? byteLength(v) : 0);
  }
  if (total > LIMIT) {
    ctx.report(path, `The ${where}annotations total ${Math.ceil(total / 1024)} KiB; the API server rejects more than 256 KiB of annotations. Move large data to a ConfigMap.`);
  }
}

export const invalidAnnotation: Rule = {
  id: 'invalid-annotation',
  severity: 'error',
  title: 'Annotation key with invalid syntax, or annotations over 256 KiB',
  doc:
    'Annotation keys follow the label key syntax (optional DNS prefix ≤ 253, name ≤ 63); values are free text, but all annotations of an object together ' +
    'may not exceed 256 KiB. The API server rejects a StatefulSet that breaks either rule, on itself or on its pod template.',
  kinds: ['StatefulSet', 'Service', 'PersistentVolumeClaim', 'PodDisruptionBudget'],
  check(ctx) {
    checkAnnotations(ctx, ['metadata', 'annotations'], '');
    if (ctx.kind === 'StatefulSet') {
      checkAnnotations(ctx, ['spec', 'template', 'metadata', 'annotations'], 'pod template ');
      arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((_, i) => checkAnnotations(ctx, ['spec', 'volumeClaimTemplates', i, 'metadata', 'annotations'], 'claim template '));
    }
  },
};
