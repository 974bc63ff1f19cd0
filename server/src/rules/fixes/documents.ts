// Quick fixes that append a document after the StatefulSet: its governing headless Service, a
// PodDisruptionBudget. What to write comes from the diagnostic's data (else from the document itself).
import { obj, str } from '../framework';
import { headlessServiceData, type HeadlessServiceData } from '../practices/service-not-found';
import { pdbData, type PdbData } from '../practices/missing-pod-disruption-budget';
import { appendDocument, type FileDoc, type Fix } from './text';

function isHeadlessData(d: unknown): d is HeadlessServiceData {
  const o = obj(d);
  return !!o && o.fix === 'add-headless-service' && typeof o.name === 'string' && !!obj(o.selector) && Array.isArray(o.ports);
}

function isPdbData(d: unknown): d is PdbData {
  const o = obj(d);
  return !!o && o.fix === 'add-pod-disruption-budget' && typeof o.name === 'string' && !!obj(o.selector);
}

export function headlessServiceFix(f: FileDoc, data: unknown): Fix[] {
  const name = str(obj(f.value?.spec)?.serviceName);
  const d = isHeadlessData(data) ? data : f.value && name ? headlessServiceData(f.value, name) : undefined;
  if (!d) return [];
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}), ...(Object.keys(d.selector).length ? { labels: { ...d.selector } } : {}) },
    spec: {
      clusterIP: 'None',
      ...(Object.keys(d.selector).length ? { selector: { ...d.selector } } : {}),
      ...(d.ports.length
        ? { ports: d.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, targetPort: p.name ?? p.port, ...(p.protocol ? { protocol: p.protocol } : {}) })) }
        : {}),
    },
  };
  return [{ title: `Add the headless Service "${d.name}" after the StatefulSet`, edits: [appendDocument(f, service)], preferred: true }];
}

export function pdbFix(f: FileDoc, data: unknown): Fix[] {
  const d = isPdbData(data) ? data : f.value ? pdbData(f.value) : undefined;
  if (!d) return [];
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}) },
    spec: { maxUnavailable: 1, selector: d.selector },
  };
  return [{ title: `Add a PodDisruptionBudget "${d.name}" (maxUnavailable: 1)`, edits: [appendDocument(f, pdb)], preferred: true }];
}
