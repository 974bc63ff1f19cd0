// Kubernetes resource.Quantity syntax: <signedNumber><suffix>, suffix binary (Ki…Ei), decimal SI
// (n u m "" k M G T P E) or an exponent (e3, E-2). No spaces, no "B".

const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const SCALE: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function isQuantity(s: string): boolean {
  return QUANTITY.test(s);
}

/** The numeric value of a quantity (approximate for huge values), or undefined if not a quantity. */
export function quantityValue(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (!QUANTITY.test(q)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(q)!;
  const n = Number(m[1]);
  const suffix = m[2];
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return n * SCALE[suffix];
}

/** A corrected spelling for a common mistake (`10 Gi`, `512MB`, `1gi`), or undefined. */
export function suggestQuantity(s: string): string | undefined {
  const t = s.replace(/\s+/g, '');
  if (QUANTITY.test(t)) return t;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([a-zA-Z]+)$/.exec(t);
  if (!m) return undefined;
  const unit = m[2];
  const fixes: Record<string, string> = {
    kb: 'k', kib: 'Ki', mb: 'M', mib: 'Mi', gb: 'G', gib: 'Gi', tb: 'T', tib: 'Ti', pb: 'P', pib: 'Pi',
    ki: 'Ki', mi: 'Mi', gi: 'Gi', ti: 'Ti', pi: 'Pi', ei: 'Ei', g: 'G', t: 'T', K: 'k',
  };
  const fixed = fixes[unit] ?? fixes[unit.toLowerCase()];
  return fixed ? `${m[1]}${fixed}` : undefined;
}
