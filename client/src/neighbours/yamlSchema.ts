// One answer per question on StatefulSet documents beside Red Hat YAML (redhat.vscode-yaml) and Microsoft Kubernetes:
// plain functions (no `vscode`) behind the schema contributor we register with the YAML extension's API.
//
// How the YAML extension picks schemas for a file (its schema-extension-api, requestCustomSchema): every registered
// contributor's schema is used, except that a contributor registered with a `label` (a regular expression) whose
// pattern matches the file's text is used ALONE for that file. The Kubernetes extension registers a contributor
// without a label that gives every document with apiVersion/kind its Kubernetes schema; so on a file with a
// StatefulSet our labelled contributor replaces it there, and only there:
//   - a StatefulSet document (or a Service, PVC or PDB: OUR_KINDS, which our server answers too) gets an empty schema: the YAML server then adds no completion, hover or validation of
//     its own (only YAML syntax errors, which it reports whatever the schema) and ours are the only answers;
//   - in a multi-document file, the other documents (a Service, a PDB...) keep the Kubernetes extension's schema,
//     through a schemaSequence (one schema per document, in order) of $refs to its kubernetes:// schema URIs, which
//     the YAML extension resolves through the Kubernetes contributor, as the Kubernetes extension itself does for
//     multi-document files;
//   - files without a StatefulSet document are left alone (requestSchema answers undefined, the label does not match).

/** The documents of a YAML stream as text: a `---` or `...` marker line at column 0 starts a new one (no parse; the
 *  client does not import the server's engine). */
export function splitStream(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (/^(?:---|\.\.\.)(?=[ \t\r]|$)/.test(line) && current.length) {
      out.push(current.join('\n'));
      current = [];
    }
    current.push(line);
  }
  out.push(current.join('\n'));
  return out;
}

/** Our contributor's name and the scheme of its schema URIs. */
export const SCHEMA_SCHEME = 'statefulsetstudio';
/** The Kubernetes extension's schema URIs (its yaml-constant KUBERNETES_SCHEMA_PREFIX). */
export const KUBERNETES_SCHEMA_PREFIX = 'kubernetes://schema/';

/** The kinds our language server answers for (completion, hover, checks: server/src/schema k8s-schema.json kinds). A file
 *  with one of them is taken by our contributor; their documents get the empty schema. */
export const OUR_KINDS: readonly string[] = ['StatefulSet', 'Service', 'PersistentVolumeClaim', 'PodDisruptionBudget'];

const kindAlternatives = OUR_KINDS.flatMap((k) => [k, `"${k}"`, `'${k}'`]).join('|');
/** The label the YAML extension matches against the whole file (new RegExp(label, 'g').test(text)): a top-level
 *  `kind: StatefulSet` line (or another of OUR_KINDS; quoted or not, a comment after it allowed) anywhere in the file. */
export const STATEFULSET_LABEL = String.raw`(^|\n)kind:[ \t]*(${kindAlternatives})[ \t]*(#[^\n]*)?(\r?\n|$)`;

const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?$/m;
const API_VERSION_LINE = /^apiVersion:[ \t]*["']?([A-Za-z0-9./-]+)["']?[ \t]*(?:#.*)?$/m;

/** The kinds (of Kubernetes 1.12, its bundled schema swagger-v1.12.2.json: policy/v1 PDBs are not there) the
 *  Kubernetes extension's bundled schema describes that may sit beside a StatefulSet in a file: their
 *  documents keep its schema. Any other kind (a CRD, a kind it may not know) gets no schema rather than a $ref the
 *  Kubernetes extension could not answer (which the YAML server would report as a schema load error). */
const KUBERNETES_KINDS = new Set([
  'v1@service', 'v1@configmap', 'v1@secret', 'v1@serviceaccount', 'v1@persistentvolumeclaim', 'v1@persistentvolume',
  'v1@namespace', 'v1@pod', 'v1@endpoints', 'v1@limitrange', 'v1@resourcequota',
  'apps/v1@deployment', 'apps/v1@daemonset', 'apps/v1@replicaset',
  'policy/v1beta1@poddisruptionbudget',
  'batch/v1@job', 'batch/v1beta1@cronjob',
  'networking.k8s.io/v1@networkpolicy', 'extensions/v1beta1@ingress',
  'rbac.authorization.k8s.io/v1@role', 'rbac.authorization.k8s.io/v1@rolebinding',
  'rbac.authorization.k8s.io/v1@clusterrole', 'rbac.authorization.k8s.io/v1@clusterrolebinding',
  'autoscaling/v1@horizontalpodautoscaler', 'autoscaling/v2beta1@horizontalpodautoscaler',
  'storage.k8s.io/v1@storageclass',
]);

export interface DocumentKind {
  apiVersion?: string;
  kind?: string;
  /** only blank lines, comments and the --- marker */
  empty?: true;
}

const CONTENT_LINE = /^(?!---|\.\.\.)[ \t]*[^\s#]/m;

/** apiVersion and kind of each document of a YAML stream (top-level lines only; no parse). */
export function documentKinds(text: string): DocumentKind[] {
  return splitStream(text).map((c) => {
    const kind = KIND_LINE.exec(c)?.[1];
    const apiVersion = API_VERSION_LINE.exec(c)?.[1];
    return { ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}), ...(CONTENT_LINE.test(c) ? {} : { empty: true as const }) };
  });
}

/** What each document of the file gets: 'ours' (the empty schema: our server answers), 'none' (no schema), or the
 *  Kubernetes extension's schema id (apiVersion@kind, lower case). */
export type Entry = 'ours' | 'none' | `k8s:${string}`;

export function entriesFor(text: string, o: { kubernetes: boolean }): Entry[] | undefined {
  const docs = documentKinds(text);
  if (!docs.some((d) => d.kind !== undefined && OUR_KINDS.includes(d.kind))) return undefined;
  // comments before the first --- are not a document of their own
  const real = docs.filter((d, i) => !(i === 0 && d.empty && docs.length > 1));
  return real.map((d): Entry => {
    if (d.kind !== undefined && OUR_KINDS.includes(d.kind)) return 'ours';
    const id = d.apiVersion && d.kind ? `${d.apiVersion}@${d.kind}`.toLowerCase() : undefined;
    return o.kubernetes && id && KUBERNETES_KINDS.has(id) ? `k8s:${id}` : 'none';
  });
}

/** The schema URI we answer for a file's text, or undefined when it has no document of OUR_KINDS. */
export function schemaUriFor(text: string, o: { kubernetes: boolean }): string | undefined {
  const entries = entriesFor(text, o);
  if (!entries) return undefined;
  if (entries.length === 1) return `${SCHEMA_SCHEME}://schema/${entries[0] === 'ours' ? 'ours' : 'sequence/' + encodeURIComponent(entries[0])}`;
  return `${SCHEMA_SCHEME}://schema/sequence/${entries.map((e) => encodeURIComponent(e)).join('+')}`;
}

/** The schema content (JSON text) for one of our URIs. The schema of a document of ours is empty: it allows
 *  anything, describes nothing, offers nothing. */
export function schemaContentFor(uri: string): string | undefined {
  const prefix = `${SCHEMA_SCHEME}://schema/`;
  if (!uri.startsWith(prefix)) return undefined;
  const rest = uri.slice(prefix.length);
  const empty = {};
  if (rest === 'ours') return JSON.stringify(empty);
  if (!rest.startsWith('sequence/')) return undefined;
  const entries = rest.slice('sequence/'.length).split('+').map((e) => decodeURIComponent(e));
  const schemaSequence = entries.map((e) => {
    if (e.startsWith('k8s:')) return { $ref: `${KUBERNETES_SCHEMA_PREFIX}${encodeURIComponent(e.slice(4))}` };
    return e === 'ours' ? empty : {};
  });
  return JSON.stringify({ schemaSequence });
}

/** Our diagnostics the YAML extension also reports when it serves the document: YAML syntax errors, duplicate keys,
 *  and our note on lines kubectl reads but strict YAML tools (the YAML extension among them) refuse — which is about
 *  the very line the YAML extension flags. */
export const SYNTAX_CODES: ReadonlySet<string> = new Set(['yaml-syntax', 'duplicate-key', 'yaml-compat']);

/** Our diagnostics without those the YAML extension reports itself (when `yamlReportsSyntax`). */
export function withoutDoubledSyntax<D extends { code?: string | number | { value: string | number } }>(diagnostics: D[], yamlReportsSyntax: boolean): D[] {
  if (!yamlReportsSyntax) return diagnostics;
  const codeOf = (d: D) => (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
  const kept = diagnostics.filter((d) => !SYNTAX_CODES.has(String(codeOf(d))));
  return kept.length === diagnostics.length ? diagnostics : kept;
}
