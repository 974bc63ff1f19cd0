// What a file changes in a live StatefulSet that the API server will not change in place, and what
// that means for pods and PVCs: storage growth only (→ Resize Storage…), anything else (→ Re-create
// Keeping Pods and Data…), or a shrink (refused: PVCs cannot shrink). Plus the consequences an Apply
// names before it acts (scale-down and the fate of each PVC, from the scale plan).
import type { StatefulSetView } from '../model';
import { scalePlan } from '../operations';
import type { Manifest } from '../fileApply';

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** Bytes of a storage quantity ("10Gi"); NaN when unreadable. */
export function storageBytes(q: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(?:[eE](\d+))?([a-zA-Z]*)$/.exec(String(q ?? '').trim());
  if (!m || !(m[3] in UNITS)) return NaN;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * UNITS[m[3]];
}

export interface Resize {
  template: string;
  from: string;
  to: string;
}

export interface ImmutableChanges {
  /** 'none': applies in place; 'resize': only larger claim storage; 'recreate': other immutable fields; 'refuse': a claim would shrink */
  kind: 'none' | 'resize' | 'recreate' | 'refuse';
  /** readable changes, one per field */
  changes: string[];
  resizes: Resize[];
  shrinks: Resize[];
  addedTemplates: string[];
  removedTemplates: string[];
  serviceName?: { from: string; to: string };
  podManagementPolicy?: { from: string; to: string };
  selectorChanged: boolean;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The claim template's spec without what the API server defaults, for comparison. */
function claimSpec(t: any, withStorage: boolean): string {
  const s = structuredClone(t?.spec ?? {});
  if (!withStorage && s.resources?.requests) delete s.resources.requests.storage;
  s.volumeMode ??= 'Filesystem';
  if (s.storageClassName === undefined) delete s.storageClassName;
  return canonical(s);
}

export function immutableChanges(live: Manifest, file: Manifest): ImmutableChanges {
  const ls = live.spec ?? {};
  const fs = file.spec ?? {};
  const out: ImmutableChanges = { kind: 'none', changes: [], resizes: [], shrinks: [], addedTemplates: [], removedTemplates: [], selectorChanged: false };
  const svcFrom = ls.serviceName ?? '';
  const svcTo = fs.serviceName ?? '';
  if (svcFrom !== svcTo) {
    out.serviceName = { from: svcFrom, to: svcTo };
    out.changes.push(`spec.serviceName: ${svcFrom || '(none)'} → ${svcTo || '(none)'}`);
  }
  const pmFrom = ls.podManagementPolicy ?? 'OrderedReady';
  const pmTo = fs.podManagementPolicy ?? 'OrderedReady';
  if (pmFrom !== pmTo) {
    out.podManagementPolicy = { from: pmFrom, to: pmTo };
    out.changes.push(`spec.podManagementPolicy: ${pmFrom} → ${pmTo}`);
  }
  if (canonical(ls.selector ?? {}) !== canonical(fs.selector ?? {})) {
    out.selectorChanged = true;
    out.changes.push('spec.selector changed');
  }
  const lt: any[] = ls.volumeClaimTemplates ?? [];
  const ft: any[] = fs.volumeClaimTemplates ?? [];
  const name = (t: any) => String(t?.metadata?.name ?? '');
  for (const t of ft) {
    const l = lt.find((x) => name(x) === name(t));
    if (!l) {
      out.addedTemplates.push(name(t));
      out.changes.push(`claim template ${name(t)} added`);
      continue;
    }
    const from = l.spec?.resources?.requests?.storage;
    const to = t.spec?.resources?.requests?.storage;
    if (String(from) !== String(to)) {
      const r = { template: name(t), from: String(from), to: String(to) };
      if (storageBytes(to) > storageBytes(from)) out.resizes.push(r);
      else if (storageBytes(to) < storageBytes(from)) out.shrinks.push(r);
      out.changes.push(`claim template ${name(t)}: storage ${from} → ${to}`);
    }
    if (claimSpec(l, false) !== claimSpec(t, false)) out.changes.push(`claim template ${name(t)}: spec other than storage changed`);
    const lm = canonical({ labels: l.metadata?.labels, annotations: l.metadata?.annotations });
    const fm = canonical({ labels: t.metadata?.labels, annotations: t.metadata?.annotations });
    if (lm !== fm) out.changes.push(`claim template ${name(t)}: labels/annotations changed`);
  }
  for (const l of lt) if (!ft.some((t) => name(t) === name(l))) {
    out.removedTemplates.push(name(l));
    out.changes.push(`claim template ${name(l)} removed`);
  }
  const onlyResize = out.changes.length === out.resizes.length && out.resizes.length > 0;
  out.kind = out.shrinks.length ? 'refuse' : onlyResize ? 'resize' : out.changes.length ? 'recreate' : 'none';
  return out;
}

/** What an apply does to pods and PVCs, said before it acts (empty when nothing needs saying); `file` is the
 * dry-run result (defaulted like the live object). */
export function applyConsequences(view: StatefulSetView | undefined, live: Manifest | undefined, file: Manifest): string[] {
  if (!live || file.kind !== 'StatefulSet') return [];
  const lines: string[] = [];
  const to = file.spec?.replicas ?? 1;
  if (view && to < view.replicas) lines.push(scalePlan(view, to).text);
  else if (view && to > view.replicas) lines.push(scalePlan(view, to).text);
  if (canonical(live.spec?.template ?? {}) !== canonical(file.spec?.template ?? {}) && view) {
    const strategy = file.spec?.updateStrategy?.type ?? 'RollingUpdate';
    const partition = file.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    lines.push(
      strategy === 'OnDelete'
        ? 'The pod template may change: with OnDelete no pod restarts until you delete it.'
        : `The pod template may change: pods with ordinal ≥ ${partition} are replaced one at a time, highest first (their PVCs are kept and reattached).`,
    );
  }
  return lines;
}
