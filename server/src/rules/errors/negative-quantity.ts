import type { Segment } from '../../schema';
import { quantityValue } from '../../engine/quantity';
import { arr, obj, type DocumentContext, type Rule } from '../framework';
import { CLAIM_TEMPLATE_FAILS, containersOf, POD_SPEC, TEMPLATE_FAILS } from './support';

function checkMap(ctx: DocumentContext, path: Segment[], what: string, fails: string): void {
  const m = obj(ctx.get(path));
  if (!m) return;
  for (const [name, q] of Object.entries(m)) checkOne(ctx, [...path, name], q, `${what} ${name}`, fails);
}

function checkOne(ctx: DocumentContext, path: Segment[], q: unknown, what: string, fails: string): void {
  if (typeof q !== 'string' && typeof q !== 'number') return;
  const v = quantityValue(q);
  if (v !== undefined && v < 0) ctx.report(path, `The ${what} is negative (${q}); quantities here must be 0 or more. It is ${fails}. Use a positive quantity.`, { at: 'value' });
}

export const negativeQuantity: Rule = {
  id: 'negative-quantity',
  severity: 'error',
  title: 'Negative resource quantity',
  doc: 'Resource requests and limits, claim sizes and emptyDir size limits must not be negative; the quantity syntax allows a sign, validation does not.',
  kinds: ['StatefulSet'],
  check(ctx) {
    for (const at of containersOf(ctx)) {
      checkMap(ctx, [...at.path, 'resources', 'requests'], 'request', TEMPLATE_FAILS);
      checkMap(ctx, [...at.path, 'resources', 'limits'], 'limit', TEMPLATE_FAILS);
    }
    arr(ctx.get([...POD_SPEC, 'volumes'])).forEach((v, i) => {
      const e = obj(obj(v)?.emptyDir);
      if (e) checkOne(ctx, [...POD_SPEC, 'volumes', i, 'emptyDir', 'sizeLimit'], e.sizeLimit, 'emptyDir sizeLimit', TEMPLATE_FAILS);
    });
    arr(ctx.get(['spec', 'volumeClaimTemplates'])).forEach((_, i) => {
      checkMap(ctx, ['spec', 'volumeClaimTemplates', i, 'spec', 'resources', 'requests'], 'claim template request', CLAIM_TEMPLATE_FAILS);
      checkMap(ctx, ['spec', 'volumeClaimTemplates', i, 'spec', 'resources', 'limits'], 'claim template limit', CLAIM_TEMPLATE_FAILS);
    });
  },
};
