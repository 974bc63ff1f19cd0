// Whether a change still holds on the live object (plain functions; the explorer watches with them for the
// owner's revert after a write): every field the written manifest sets has that value live. Fields the
// API server defaults or the controllers add are not compared; lists are compared by index.
import type { Manifest } from '../fileApply';

/** Every value `wanted` sets is in `live` (objects by key, lists by index and length, scalars equal). */
export function setsHold(wanted: unknown, live: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(live) && live.length === wanted.length && wanted.every((x, i) => setsHold(x, live[i]));
  if (wanted && typeof wanted === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(wanted as Record<string, unknown>).every(([k, v]) => v === null || v === undefined || setsHold(v, (live as Record<string, unknown>)[k]));
  }
  // numbers the file writes as strings (a port "80") and the reverse compare as text
  return wanted === live || (wanted !== undefined && live !== undefined && String(wanted) === String(live));
}

/** A written StatefulSet manifest still holds on the live one: its spec, labels and annotations. */
export function manifestHolds(written: Manifest, live: Manifest | undefined): boolean {
  if (!live) return false;
  const md = written.metadata ?? {};
  return setsHold(written.spec ?? {}, live.spec) && setsHold(md.labels ?? {}, live.metadata?.labels ?? {}) && setsHold(md.annotations ?? {}, live.metadata?.annotations ?? {});
}

/** `live` with every value `wanted` sets put over it (objects merged by key; lists by index, to wanted's length). */
export function overlay(live: unknown, wanted: unknown): unknown {
  if (Array.isArray(wanted)) return wanted.map((x, i) => overlay(Array.isArray(live) ? live[i] : undefined, x));
  if (wanted && typeof wanted === 'object') {
    const out: Record<string, unknown> = live && typeof live === 'object' && !Array.isArray(live) ? { ...(live as Record<string, unknown>) } : {};
    for (const [k, v] of Object.entries(wanted as Record<string, unknown>)) if (v !== undefined && v !== null) out[k] = overlay(out[k], v);
    return out;
  }
  return wanted;
}
