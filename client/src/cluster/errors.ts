// Error shapes of the cluster layer. Every error shown to a user carries the Kubernetes Status
// message (or a readable transport message); nothing here ever contains a credential.

export type ErrorKind = 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'gone' | 'invalid' | 'network' | 'server' | 'other';

export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ message?: string; field?: string }> };
}

export class KubeError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly kind: ErrorKind;
  readonly status?: KubeStatus;
  constructor(code: number, message: string, reason = '', status?: KubeStatus) {
    super(message);
    this.name = 'KubeError';
    this.code = code;
    this.reason = reason;
    this.status = status;
    this.kind = kindOf(code);
  }
}

function kindOf(code: number): ErrorKind {
  switch (code) {
    case 0:
      return 'network';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 410:
      return 'gone';
    case 422:
      return 'invalid';
    default:
      return code >= 500 ? 'server' : 'other';
  }
}

/** Builds a KubeError from an HTTP status code and the raw response body (a Status, hopefully). */
export function errorFromResponse(code: number, body: string, fallback: string): KubeError {
  let status: KubeStatus | undefined;
  try {
    const parsed = JSON.parse(body) as KubeStatus;
    if (parsed && typeof parsed === 'object' && (parsed.kind === 'Status' || typeof parsed.message === 'string')) status = parsed;
  } catch {
    // not JSON
  }
  const message = status?.message || (body && body.length < 300 && !body.trimStart().startsWith('<') ? body.trim() : '') || fallback;
  return new KubeError(status?.code || code, message, status?.reason ?? '', status);
}

/** A readable, token-free message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof KubeError) return err.message;
  if (err instanceof Error) return redact(err.message);
  return redact(String(err));
}

const SECRET_PATTERNS: RegExp[] = [
  /(authorization\s*[:=]\s*)(bearer|basic)\s+[^\s"',}]+/gi,
  /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi,
  /("?(?:token|id-token|refresh-token|access-token|client-secret|password)"?\s*[:=]\s*"?)[^\s"',}]+/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

const knownSecrets = new Set<string>();

/** Registers a credential value (from the kubeconfig) so that redact() removes it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) knownSecrets.add(value);
}

/** Removes credentials from a string meant for logs or the UI. */
export function redact(text: string): string {
  let out = text;
  for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join('***');
  out = out.replace(SECRET_PATTERNS[0], '$1$2 ***');
  out = out.replace(SECRET_PATTERNS[1], '$1 ***');
  out = out.replace(SECRET_PATTERNS[2], '$1***');
  out = out.replace(SECRET_PATTERNS[3], '***');
  return out;
}

/** Which permission a 403 on a list/watch of `resource` means, as a human sentence. */
export function missingPermission(verbs: string, resource: string, group: string, namespace: string | undefined): string {
  const res = group ? `${resource}.${group}` : resource;
  return `missing permission: ${verbs} ${res} ${namespace ? `in namespace "${namespace}"` : 'at cluster scope (all namespaces)'}`;
}
