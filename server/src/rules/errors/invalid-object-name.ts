import { obj, str, type Rule } from '../framework';
import { dns1035Problem, dnsLabelProblem, dnsSubdomainProblem } from './support';

export const invalidObjectName: Rule = {
  id: 'invalid-object-name',
  severity: 'error',
  title: 'Object name or namespace is not a valid DNS name',
  doc:
    'Names are DNS names: the API server rejects a StatefulSet whose name is not a DNS-1123 subdomain, and since every pod is named ' +
    '<name>-<ordinal> and uses that name as its hostname (a DNS label), a name with dots is accepted but no pod can ever be created. ' +
    'Services need a DNS-1035 label (starting with a letter); namespaces are DNS labels.',
  kinds: ['StatefulSet', 'Service', 'PersistentVolumeClaim', 'PodDisruptionBudget'],
  check(ctx) {
    const meta = obj(ctx.get(['metadata']));
    if (!meta) return;
    const kind = ctx.kind;
    const name = str(meta.name);
    if (name !== undefined) {
      if (kind === 'Service') {
        const p = dns1035Problem(name);
        if (p) ctx.report(['metadata', 'name'], `The Service name "${name}" is not a DNS-1035 label: ${p}. The API server rejects the Service; rename it (for example "${suggestLabel(name, true)}").`, { at: 'value' });
      } else {
        const p = dnsSubdomainProblem(name);
        if (p) {
          ctx.report(['metadata', 'name'], `The name "${name}" is not a valid DNS-1123 subdomain: ${p}. The API server rejects the ${kind}; rename it (for example "${suggestLabel(name, false)}").`, { at: 'value' });
        } else if (kind === 'StatefulSet' && name.includes('.')) {
          ctx.report(
            ['metadata', 'name'],
            `The name "${name}" contains "."; the API server accepts the StatefulSet, but each pod uses "<name>-<ordinal>" as its hostname, which must be a DNS label, so every pod creation fails. Use "-" instead of ".".`,
            { at: 'value' },
          );
        }
      }
    }
    const ns = str(meta.namespace);
    if (ns !== undefined) {
      const p = dnsLabelProblem(ns);
      if (p) ctx.report(['metadata', 'namespace'], `The namespace "${ns}" is not a DNS-1123 label: ${p}. The API server rejects the ${kind}; use a valid namespace name.`, { at: 'value' });
    }
  },
};

function suggestLabel(name: string, letterFirst: boolean): string {
  let s = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  if (letterFirst) s = s.replace(/\./g, '-').replace(/^[^a-z]+/, '');
  s = s.slice(0, letterFirst ? 63 : 253).replace(/[-.]+$/, '');
  return s || 'my-app';
}
