// Kubernetes Status objects and the errors that carry them.
import { qualifiedName } from './resources';

export type Obj = Record<string, any>;

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }

  toStatus(): Obj {
    const s: Obj = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

type Res = { group: string; resource: string };

export function notFound(t: Res, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedName(t)} "${name}" not found`, {
    name,
    group: t.group || undefined,
    kind: t.resource,
  });
}

export function alreadyExists(t: Res, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedName(t)} "${name}" already exists`, {
    name,
    group: t.group || undefined,
    kind: t.resource,
  });
}

export function conflict(t: Res, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: t.group || undefined, kind: t.resource },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}

export function unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    contentType ? undefined : undefined,
  );
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function successStatus(details?: Obj): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}
