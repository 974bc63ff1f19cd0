import { arr, obj, str, type Rule } from '../framework';
import { labelsOf, namespaceOf, relatedNamed, type Labels } from './util';

/** What the "append the headless Service" quick fix needs, carried in Diagnostic.data. */
export interface HeadlessServiceData {
  fix: 'add-headless-service';
  name: string;
  namespace?: string;
  selector: Labels;
  ports: Array<{ name?: string; port: number; protocol?: string }>;
}

/** The headless Service a StatefulSet (plain value) needs: its selector's matchLabels (else the template's labels), its containers' ports. */
export function headlessServiceData(sts: Record<string, unknown>, name: string): HeadlessServiceData {
  const spec = obj(sts.spec);
  const matchLabels = labelsOf(obj(spec?.selector)?.matchLabels);
  const selector = Object.keys(matchLabels).length ? matchLabels : labelsOf(obj(obj(spec?.template)?.metadata)?.labels);
  const ports: HeadlessServiceData['ports'] = [];
  const seen = new Set<string>();
  for (const c of arr(obj(obj(spec?.template)?.spec)?.containers)) {
    for (const p of arr(obj(c)?.ports)) {
      const po = obj(p);
      const port = po?.containerPort;
      if (typeof port !== 'number') continue;
      const protocol = str(po?.protocol) || undefined; // "" is TCP to the API server
      const key = `${port}/${protocol ?? 'TCP'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const name = str(po?.name);
      ports.push({ ...(name ? { name } : {}), port, ...(protocol && protocol !== 'TCP' ? { protocol } : {}) });
    }
  }
  const namespace = str(obj(sts.metadata)?.namespace);
  return { fix: 'add-headless-service', name, ...(namespace ? { namespace } : {}), selector, ports };
}

export const serviceNotFound: Rule = {
  id: 'service-not-found',
  severity: 'warning',
  title: 'serviceName names no Service in this file or the workspace',
  doc:
    'A StatefulSet gives each pod a stable DNS name (<pod>.<serviceName>.<namespace>.svc) through its governing headless Service. ' +
    'The API server does not check that the Service exists: without it the pods start, but their names never resolve, so peers cannot find each other.',
  kinds: ['StatefulSet'],
  parity: { kubeScore: 'statefulset-has-servicename', differs: 'The Service may be in this file or anywhere in the workspace; headlessness is checked separately (service-not-headless).' },
  checkWithEnvironment(ctx, env) {
    const serviceName = str(ctx.get(['spec', 'serviceName']));
    if (!serviceName) return;
    const ns = namespaceOf(ctx);
    if (relatedNamed(env, 'Service', ns, serviceName).length) return;
    ctx.report(
      ['spec', 'serviceName'],
      `serviceName "${serviceName}" names no Service in this file or the workspace${ns ? ` (namespace ${ns})` : ''}: unless it already exists in the cluster, Kubernetes creates the pods but their stable DNS names (<pod>.${serviceName}) do not resolve. Add a headless Service "${serviceName}" (clusterIP: None) that selects the pods.`,
      { at: 'value', data: { ...headlessServiceData(ctx.value, serviceName) } },
    );
  },
};
