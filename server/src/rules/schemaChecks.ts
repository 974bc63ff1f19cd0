// The schema-level checks (engine/validate.ts) described like rules, so that users can configure
// them the same way and the docs list them.
import type { SeverityName } from '../engine/diagnostic';

export interface CheckMeta {
  id: string;
  severity: SeverityName;
  title: string;
  doc: string;
}

export const schemaChecks: CheckMeta[] = [
  { id: 'yaml-syntax', severity: 'error', title: 'YAML syntax error', doc: 'kubectl cannot read the file at all.' },
  { id: 'duplicate-key', severity: 'warning', title: 'Duplicate mapping key', doc: 'kubectl apply -f keeps the last of the values and silently drops the others (it converts YAML to JSON before sending, so the API server never sees the duplicate); kubectl apply -k (Kustomize) refuses the file ("mapping key already defined").' },
  { id: 'yaml-compat', severity: 'information', title: 'YAML that kubectl reads but strict YAML 1.2 tools refuse', doc: 'Multi-line quoted strings and flow collections ([ ], { }) whose lines are not indented more than their parent: kubectl (go-yaml) accepts them, yamllint, yq and yaml-language-server do not. See docs/yaml-compat.md.' },
  { id: 'unknown-field', severity: 'error', title: 'Unknown field', doc: 'kubectl validates strictly by default and rejects fields the API does not define; a typo silently loses a setting with --validate=false.' },
  { id: 'invalid-type', severity: 'error', title: 'Wrong value type', doc: 'The API server decodes JSON strictly: "3" is not an integer, 1.0 is not a string.' },
  { id: 'invalid-enum', severity: 'error', title: 'Unsupported enum value', doc: 'The API server accepts only the listed values (case-sensitive).' },
  { id: 'missing-required', severity: 'error', title: 'Missing required field', doc: 'The API server rejects the object without it.' },
  { id: 'invalid-quantity', severity: 'error', title: 'Malformed resource quantity', doc: 'Quantities are a number and a unit with no space (10Gi, 500m); 10 Gi or 512MB are rejected.' },
  { id: 'invalid-api-version', severity: 'error', title: 'apiVersion not served', doc: 'StatefulSet is served only as apps/v1 (the beta versions were removed in 1.16).' },
  {
    id: 'field-not-in-version',
    severity: 'error',
    title: 'Field not in the target Kubernetes version',
    doc: 'The field exists in other Kubernetes versions but not in the one targeted (statefulsetStudio.kubernetesVersion, else the connected cluster, else the newest bundled): kubectl\'s strict validation rejects it on such a cluster.',
  },
  {
    id: 'feature-gate-off',
    severity: 'warning',
    title: 'Field behind a feature gate that is off by default',
    doc: 'In the targeted Kubernetes version the field\'s feature gate is alpha (or beta and off by default): unless the cluster enables the gate, the API server silently drops the field, so the setting has no effect and no error says so.',
  },
  { id: 'template', severity: 'information', title: 'Template file', doc: 'Helm/Go templates are not YAML until rendered; only the rendered output can be checked.' },
  { id: 'too-large', severity: 'information', title: 'Document too large to check as you type', doc: 'Very large documents are not parsed on every keystroke, to keep the editor responsive.' },
];
