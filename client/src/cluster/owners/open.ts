// The owner as a read-only document: the custom resource, Application or Flux object as YAML (as the
// watch holds it, managedFields left out), or for Helm the latest release record (the release Secret
// `sh.helm.release.v1.<release>.v<n>` decoded: status, chart, the values given, the manifest).
import { gunzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { KubeError } from '../errors';
import type { KubeHttp } from '../http';
import type { KObject } from '../types';
import type { Owner } from './detect';

export interface OwnerDocument {
  /** a path for the virtual document: /<ns>/<name>/owner/<Kind>-<name>.yaml */
  path: string;
  yaml: string;
}

function clean(o: KObject): KObject {
  const c = structuredClone(o);
  if (c.metadata) delete c.metadata.managedFields;
  return c;
}

/** Decodes Helm's release Secret payload (base64 of gzip of JSON, itself base64 in `data`). */
export function decodeHelmRelease(secretData: string): Record<string, any> {
  const inner = Buffer.from(secretData, 'base64');
  const gz = Buffer.from(inner.toString('utf8'), 'base64');
  const raw = gz[0] === 0x1f && gz[1] === 0x8b ? gunzipSync(gz) : gz;
  return JSON.parse(raw.toString('utf8'));
}

const SECRET_KEY = /pass(word|wd)?|secret|token|credential|private|(^|[^a-z])key$|apikey|auth/i;

/** Chart values as shown: values under keys that look like credentials are replaced by "***" (never shown, never logged). */
export function redactValues(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => redactValues(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactValues(x, k)]));
  if (key && SECRET_KEY.test(key) && v !== null && v !== '' && typeof v !== 'boolean') return '***';
  return v;
}

/** The latest release record of `release` in `namespace` (its Secret with the highest version label). */
export async function latestHelmRelease(http: KubeHttp, namespace: string, release: string): Promise<{ release: Record<string, any>; secret: string }> {
  let list: { items?: Array<KObject & { data?: Record<string, string> }> };
  try {
    list = await http.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`, { query: { labelSelector: `owner=helm,name=${release}` } });
  } catch (e) {
    if (e instanceof KubeError && e.code === 403) throw new KubeError(403, `Helm release ${release}: its release Secrets cannot be read (needs list secrets in "${namespace}"): ${e.message}`, e.reason);
    throw e;
  }
  const latest = (list.items ?? []).map((s) => ({ s, v: Number(s.metadata?.labels?.version ?? 0) })).sort((a, b) => b.v - a.v)[0];
  if (!latest?.s.data?.release) throw new Error(`Helm release ${namespace}/${release}: no release Secret (sh.helm.release.v1.${release}.v*) found`);
  return { release: decodeHelmRelease(latest.s.data.release), secret: latest.s.metadata?.name ?? '' };
}

export async function ownerDocument(http: KubeHttp, stsNamespace: string, stsName: string, o: Owner): Promise<OwnerDocument> {
  const path = `/${stsNamespace}/${stsName}/owner/${o.ref.kind === 'Secret' ? 'helm-release' : o.ref.kind}-${o.ref.name}.yaml`;
  if (o.type === 'helm') {
    const { release: r, secret } = await latestHelmRelease(http, o.ref.namespace, o.ref.name);
    const doc = {
      release: r.name,
      namespace: r.namespace,
      revision: r.version,
      status: r.info?.status,
      description: r.info?.description,
      lastDeployed: r.info?.last_deployed,
      chart: r.chart?.metadata ? `${r.chart.metadata.name}-${r.chart.metadata.version}` : undefined,
      appVersion: r.chart?.metadata?.appVersion,
      values: redactValues(r.config ?? {}),
      secret,
      note: `The next \`helm upgrade ${r.name}\` renders the chart again and overwrites the fields it sets on the StatefulSet.`,
    };
    // the manifest is left out: a chart's rendered Secrets are in it
    return { path, yaml: `# Helm release ${r.namespace}/${r.name} (read-only; decoded from Secret ${secret}; values that look like credentials shown as ***)\n${stringify(doc)}` };
  }
  if (o.read !== 'read' || !o.object) {
    throw new Error(`${o.label}: ${o.readMessage ?? 'the owning object cannot be read'}`);
  }
  return { path, yaml: `# ${o.label} — owner of StatefulSet ${stsNamespace}/${stsName} (read-only)\n# ${o.revertsText}\n${stringify(clean(o.object))}` };
}
