// Target Kubernetes version: which bundled minor a document is checked against, whether a field
// exists in it, and whether its feature gate is off by default there (the API server then drops it).
import { schema, type FieldSchema } from './index';
import { compareVersions, FEATURE_GATES, type FeatureGate, type Stage } from './featureStages';

/** Every bundled minor, oldest first ("1.25" … "1.34"). */
export const bundledVersions: readonly string[] = schema.versions.map((v) => v.version);
export const newestVersion = schema.kubernetesVersion;
export const oldestVersion = bundledVersions[0];

export { compareVersions };

/** "1.30", "v1.30.2", "1.30.1-eks-1234", "v1.30+" (EKS/GKE minors), {major, minor} → "1.30"; else undefined. */
export function parseKubernetesVersion(input: unknown): string | undefined {
  if (input && typeof input === 'object') {
    const o = input as { major?: unknown; minor?: unknown; gitVersion?: unknown };
    if (typeof o.gitVersion === 'string') return parseKubernetesVersion(o.gitVersion);
    if (o.major !== undefined && o.minor !== undefined) return parseKubernetesVersion(`${String(o.major)}.${String(o.minor).replace(/\+$/, '')}`);
    return undefined;
  }
  if (typeof input !== 'string') return undefined;
  const m = /^\s*v?(\d+)\.(\d+)(?:\+|\.\d+)?(?:[-+].*)?\s*$/.exec(input);
  if (!m || m[1] !== '1') return undefined;
  return `1.${Number(m[2])}`;
}

export interface TargetVersion {
  /** The minor asked for (setting, CLI flag or the cluster), normalised. */
  requested: string;
  /** The bundled minor whose fields are checked (the requested one, clamped to what is bundled). */
  schema: string;
  /** Where it came from, for messages: "setting", "cluster", "flag", "default". */
  origin: string;
  /** Set when the requested minor is not bundled: what is checked instead. */
  note?: string;
}

/** The target for a requested version; undefined/empty means the newest bundled. Throws on malformed input. */
export function targetVersion(input?: string, origin = 'setting'): TargetVersion {
  if (input === undefined || input.trim() === '') return { requested: newestVersion, schema: newestVersion, origin: 'default' };
  const v = parseKubernetesVersion(input);
  if (!v) throw new Error(`"${input}" is not a Kubernetes version: write a minor such as ${newestVersion}.`);
  if (compareVersions(v, oldestVersion) < 0) {
    return { requested: v, schema: oldestVersion, origin, note: `Kubernetes ${v} is older than the oldest bundled schema (${oldestVersion}): fields are checked against ${oldestVersion}.` };
  }
  if (compareVersions(v, newestVersion) > 0) {
    return { requested: v, schema: newestVersion, origin, note: `Kubernetes ${v} is newer than the newest bundled schema (${newestVersion}): fields are checked against ${newestVersion}; feature gates against ${v}.` };
  }
  return { requested: v, schema: v, origin };
}

/** Does the field exist in that bundled minor? */
export function fieldInVersion(f: FieldSchema, version: string): boolean {
  if (f.since && compareVersions(version, f.since) < 0) return false;
  if (f.until && compareVersions(version, f.until) > 0) return false;
  return true;
}

const gateByField = new Map<string, FeatureGate>();
for (const g of FEATURE_GATES) for (const f of g.fields) gateByField.set(f, g);

export function gateOf(ownerRef: string, field: string): FeatureGate | undefined {
  return gateByField.get(`${ownerRef}.${field}`);
}

/** The gate's stage in a minor (undefined before its first stage). */
export function stageIn(g: FeatureGate, version: string): Stage | undefined {
  let s: Stage | undefined;
  for (const st of g.stages) if (compareVersions(st.since, version) <= 0) s = st;
  return s;
}

/** The gate of a field when it is off by default in that minor. */
export function gateOffByDefault(ownerRef: string, field: string, version: string): { gate: FeatureGate; stage: Stage } | undefined {
  const g = gateOf(ownerRef, field);
  if (!g) return undefined;
  const stage = stageIn(g, version);
  return stage && !stage.enabledByDefault ? { gate: g, stage } : undefined;
}

export function gateName(g: FeatureGate, version: string): string {
  return g.formerly && compareVersions(version, '1.28') < 0 ? g.formerly : g.gate;
}

/** Markdown lines about a field's versions for hovers and completion: since/until and its gate's stage in the target. */
export function versionNote(ownerRef: string | undefined, name: string, f: FieldSchema, target: TargetVersion): string | undefined {
  const parts: string[] = [];
  if (f.since && f.until) parts.push(`Kubernetes ${f.since} to ${f.until} (removed in later versions).`);
  else if (f.since) parts.push(`Since Kubernetes ${f.since}.`);
  else if (f.until) parts.push(`Until Kubernetes ${f.until} (removed in later versions).`);
  if (!fieldInVersion(f, target.schema)) parts.push(`⚠️ Not in Kubernetes ${target.requested}: the API server rejects it.`);
  const g = ownerRef ? gateOf(ownerRef, name) : undefined;
  if (g && fieldInVersion(f, target.schema)) {
    const st = stageIn(g, target.requested);
    if (st) {
      const label = st.stage === 'ga' ? 'GA' : `${st.stage}, ${st.enabledByDefault ? 'on' : 'off'} by default`;
      parts.push(
        st.enabledByDefault
          ? `Feature gate \`${gateName(g, target.requested)}\`: ${label} in Kubernetes ${target.requested}.`
          : `⚠️ Feature gate \`${gateName(g, target.requested)}\`: ${label} in Kubernetes ${target.requested}: unless the cluster enables it, the API server silently drops this field.`,
      );
    }
  }
  return parts.length ? parts.join(' ') : undefined;
}
