// The HTTPS front: authentication (bearer tokens), authorization (per-user deny rules), routing of
// Kubernetes REST paths to the store, content negotiation (JSON, Table, aggregated discovery),
// fault injection and the simulator's control endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDenied, selfSubjectAccessReview, type DenyRule } from './access';
import { admitCreate, admitUpdate, canonicalJson, defaultStatefulSet, type FeatureGates } from './admission';
import { parseApplyBody, serverSideApply, trackUpdate } from './apply';
import {
  AGGREGATED_CONTENT_TYPE,
  AGGREGATED_V2BETA1_CONTENT_TYPE,
  aggregated,
  apiGroup,
  apiGroupList,
  apiVersions,
  resourceList,
  versionInfo,
  wantsAggregated,
} from './discovery';
import type { Faults } from './faults';
import { openapiGroupVersion, openapiRoot } from './openapi';
import { applyPatch, PATCH_TYPES } from './patch';
import { apiVersionOf, findResource, qualifiedName, resourceByKind, type ResourceType } from './resources';
import { labelSelectorString, parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, badRequest, expired, methodNotAllowed, type Obj } from './status';
import { clone, type Store } from './store';
import { TABLE_CONTENT_TYPE, toTable, type IncludeObject } from './tables';
import { admitClaimUpdate } from './volumes';
import { ActiveWatch } from './watch';
import type { Kubelet } from './kubelet';
import { extraForbidden, withoutGroups, type ExtraRoute } from './routes';

export type { DenyRule } from './access';

export interface User {
  name: string;
  token: string;
  /** What this user may not do; everything else is allowed. */
  deny?: DenyRule[];
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  user?: string;
  verb?: string;
  accept?: string;
  contentType?: string;
  status?: number;
}

export interface ServerContext {
  store: Store;
  users: User[];
  faults: Faults;
  bookmarkIntervalMs: number;
  requestLog: RequestRecord[];
  watches: Set<ActiveWatch>;
  control: (action: string, body: Obj) => Promise<Obj>;
  log?: (line: string) => void;
  /** Serves pods/log (kubelet.ts); without it, a few fixed lines. */
  kubelet?: Kubelet;
  /** Feature gates (mutable: the control endpoint `features` changes them). */
  featureGates?: FeatureGates;
  /** Paths served by modules of their own (routes.ts: the node proxy's stats/summary). */
  extraRoutes?: ExtraRoute[];
  /** API groups switched off on this server (CRDs not installed): 404 and absent from discovery. */
  hiddenGroup?: (group: string) => boolean;
}

const STS = resourceByKind('StatefulSet');

/** Replies to cut instead of sending (fault mode "after": the request was handled, the answer is lost). */
const dropReply = new WeakSet<ServerResponse>();

function send(res: ServerResponse, code: number, body: Obj, contentType = 'application/json'): void {
  if (dropReply.has(res)) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`);
  send(res, err.code, err.toStatus());
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const STATUS_SUBRESOURCE_KINDS = new Set(['StatefulSet', 'Pod', 'PersistentVolumeClaim', 'Service', 'Namespace', 'PodDisruptionBudget']);

function stripForList(o: Obj): Obj {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

interface Route {
  t: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Parse /api/v1/... or /apis/<g>/<v>/... into a resource route. */
function parseRoute(segs: string[]): Route | 'discovery' | undefined {
  let group = '';
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length <= 2) return 'discovery';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length <= 3) return 'discovery';
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else return undefined;
  if (rest[0] === 'watch') rest = rest.slice(1); // legacy /watch/ paths
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = findResource(group, version, rest[2]);
    if (inner && inner.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const t = findResource(group, version, rest[0]);
  if (!t) return undefined;
  if (rest.length > 3) return undefined;
  const r: Route = { t, namespace, name: rest[1], subresource: rest[2] };
  if (r.subresource && !t.subresources.some((s) => s.name === r.subresource)) return undefined;
  return r;
}

function verbOf(method: string, route: Route, q: URLSearchParams): string {
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return route.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function forbidden(user: User, verb: string, route: Route): ApiError {
  const { t, name, namespace, subresource } = route;
  const res = subresource ? `${t.resource}/${subresource}` : t.resource;
  const what = name ? `${qualifiedName(t)} "${name}"` : qualifiedName(t);
  const where = t.namespaced && namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return new ApiError(403, 'Forbidden', `${what} is forbidden: User "${user.name}" cannot ${verb} resource "${res}" in API group "${t.group}" ${where}`, {
    ...(name ? { name } : {}),
    ...(t.group ? { group: t.group } : {}),
    kind: t.resource,
  });
}

function denied(user: User, verb: string, route: Route): boolean {
  return isDenied(user.deny, verb, route.t.resource, route.subresource);
}

/** The field manager of a write: ?fieldManager, else the User-Agent's program name, as the API server does. */
function managerOf(req: IncomingMessage, q: URLSearchParams): string {
  return q.get('fieldManager') || String(req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
}

// ---- continue tokens ----------------------------------------------------------------------------

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof o.rv !== 'number' || typeof o.start !== 'string') throw new Error('bad');
    return o;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data');
  }
}

// ---- scale subresource -------------------------------------------------------------------------

function scaleOf(sts: Obj): Obj {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: sts.metadata.name,
      namespace: sts.metadata.namespace,
      uid: sts.metadata.uid,
      resourceVersion: sts.metadata.resourceVersion,
      creationTimestamp: sts.metadata.creationTimestamp,
    },
    spec: { replicas: sts.spec.replicas },
    status: { replicas: sts.status?.replicas ?? 0, selector: labelSelectorString(sts.spec.selector) },
  };
}

export function createHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((e) => {
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  };
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  const segs = url.pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  const record: RequestRecord = {
    method,
    path: url.pathname,
    query: url.search,
    accept: req.headers.accept,
    contentType: req.headers['content-type'],
  };
  ctx.requestLog.push(record);
  // bounded for a long `npm start`; high enough that no test's "requests since index N" is shifted by a trim
  if (ctx.requestLog.length > 50_000) ctx.requestLog.splice(0, ctx.requestLog.length - 40_000);
  res.on('finish', () => {
    record.status = res.statusCode;
    ctx.log?.(`${method} ${url.pathname}${url.search} ${res.statusCode} ${record.user ?? '-'}`);
  });

  // authentication
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  const user = ctx.users.find((u) => u.token === token);
  if (user) record.user = user.name;
  const health = ['healthz', 'livez', 'readyz'].includes(segs[0] ?? '');
  if (!user && !health) {
    send(res, 401, new ApiError(401, 'Unauthorized', 'Unauthorized').toStatus());
    return;
  }

  // simulator control endpoint (full-rights users only)
  if (segs[0] === '_simulator') {
    if (user?.deny?.length) throw new ApiError(403, 'Forbidden', 'the simulator control endpoint needs a full-rights user');
    if (method !== 'POST' && method !== 'GET') throw methodNotAllowed();
    const raw = method === 'POST' ? await readBody(req) : '';
    let body: Obj = {};
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw badRequest('control body must be JSON');
      }
    }
    send(res, 200, await ctx.control(segs.slice(1).join('/'), body));
    return;
  }

  const route = parseRoute(segs);
  const verb = route && route !== 'discovery' ? verbOf(method, route, q) : 'get';
  record.verb = verb;

  // fault injection
  if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
  const failure = ctx.faults.take(verb, url.pathname);
  if (failure?.mode === 'drop') {
    req.socket.destroy();
    return;
  }
  if (failure?.mode === 'hang') {
    const t = setTimeout(() => res.destroy(), 120_000);
    t.unref?.();
    res.on('close', () => clearTimeout(t));
    return;
  }
  if (failure?.mode === 'after') dropReply.add(res);
  else if (failure) {
    send(res, failure.code, failure.status);
    return;
  }

  if (health) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return;
  }
  if (segs[0] === 'version' && segs.length === 1) return send(res, 200, versionInfo());
  for (const r of ctx.extraRoutes ?? []) {
    const m = r.match(segs, method);
    if (!m) continue;
    if (isDenied(user!.deny, m.verb, m.resource, m.subresource)) throw extraForbidden(user!.name, m);
    return m.serve(res);
  }
  const hidden = ctx.hiddenGroup;
  if (hidden && segs[0] === 'apis' && segs.length >= 2 && hidden(segs[1])) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (route === 'discovery') return discovery(req, res, segs, hidden);
  if (!route) {
    if (segs[0] === 'openapi' && segs[1] === 'v3') {
      const doc = segs.length === 2 ? openapiRoot() : openapiGroupVersion(segs.slice(2));
      if (doc) return send(res, 200, doc);
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  if (route.t.namespaced && !route.namespace && route.name) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (denied(user!, verb, route)) throw forbidden(user!, verb, route);

  switch (verb) {
    case 'list':
      return list(ctx, req, res, route, q);
    case 'watch':
      return watch(ctx, req, res, route, q);
    case 'get':
      return get(ctx, req, res, route, q);
    case 'create':
      return create(ctx, req, res, route, q, user!);
    case 'update':
      return update(ctx, req, res, route, q);
    case 'patch':
      return patch(ctx, req, res, route, q);
    case 'delete':
      return del(ctx, req, res, route, q);
    case 'deletecollection':
      return deleteCollection(ctx, res, route, q);
    default:
      throw methodNotAllowed();
  }
}

function discovery(req: IncomingMessage, res: ServerResponse, segs: string[], hidden?: (group: string) => boolean): void {
  const agg = wantsAggregated(req.headers.accept);
  if (segs.length === 1 && agg) {
    const ct = agg === 'v2' ? AGGREGATED_CONTENT_TYPE : AGGREGATED_V2BETA1_CONTENT_TYPE;
    res.setHeader('Vary', 'Accept');
    return send(res, 200, hidden ? withoutGroups(aggregated(segs[0] === 'api', agg), hidden) : aggregated(segs[0] === 'api', agg), ct);
  }
  if (segs[0] === 'api') {
    if (segs.length === 1) return send(res, 200, apiVersions());
    const rl = resourceList('', segs[1]);
    if (!rl) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return send(res, 200, rl);
  }
  if (segs.length === 1) return send(res, 200, hidden ? withoutGroups(apiGroupList(), hidden) : apiGroupList());
  if (segs.length === 2) {
    const g = apiGroup(segs[1]);
    if (!g) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return send(res, 200, g);
  }
  const rl = resourceList(segs[1], segs[2]);
  if (!rl) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return send(res, 200, rl);
}

function respondObject(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams, code: number, obj: Obj): void {
  if (wantsTable(req.headers.accept) && !route.subresource) {
    return send(res, code, toTable(route.t, [obj], { include: includeObject(q), now: ctx.store.now(), listMeta: { resourceVersion: obj.metadata?.resourceVersion } }), TABLE_CONTENT_TYPE);
  }
  send(res, code, obj);
}

/**
 * Filtered lists by resource, namespace and selectors, kept while nothing is written (the store's
 * revision is unchanged): the pages of one paginated list are then cut from one scan, as an API
 * server reading on from its continue key does, instead of a scan of the whole table per page.
 */
const listCache = new WeakMap<Store, { rv: number; lists: Map<string, Obj[]> }>();

function filteredList(ctx: ServerContext, route: Route, q: URLSearchParams): Obj[] {
  const key = `${route.t.group}/${route.t.resource}|${route.namespace ?? ''}|${q.get('labelSelector') ?? ''}|${q.get('fieldSelector') ?? ''}`;
  let c = listCache.get(ctx.store);
  if (!c || c.rv !== ctx.store.rv) listCache.set(ctx.store, (c = { rv: ctx.store.rv, lists: new Map() }));
  let all = c.lists.get(key);
  if (!all) {
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'));
    all = ctx.store.listRaw(route.t, route.namespace).filter((o) => labels(o) && fields(o));
    c.lists.set(key, all);
  }
  return all;
}

function list(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
  const all = filteredList(ctx, route, q);
  const limit = Number(q.get('limit') ?? '0') || 0;
  const cont = q.get('continue');
  let rv = ctx.store.rv;
  let startIdx = 0;
  if (cont) {
    const tok = decodeContinue(cont);
    if (tok.rv < ctx.store.compactedRv)
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    rv = tok.rv;
    const key = (o: Obj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    // the first item after the token's key (the list is sorted by key)
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(all[mid]) > tok.start) hi = mid;
      else lo = mid + 1;
    }
    startIdx = lo;
  }
  let page = all.slice(startIdx);
  const meta: Obj = { resourceVersion: String(rv) };
  if (limit > 0 && page.length > limit) {
    page = page.slice(0, limit);
    const last = page[page.length - 1];
    meta.continue = encodeContinue(rv, `${last.metadata.namespace ?? ''}/${last.metadata.name}`);
    meta.remainingItemCount = all.length - startIdx - limit;
  }
  if (wantsTable(req.headers.accept)) {
    return send(res, 200, toTable(route.t, page, { include: includeObject(q), now: ctx.store.now(), listMeta: meta }), TABLE_CONTENT_TYPE);
  }
  send(res, 200, { kind: route.t.listKind, apiVersion: apiVersionOf(route.t), metadata: meta, items: page.map(stripForList) });
}

function watch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
  const fieldSel = q.get('fieldSelector');
  const labels = parseLabelSelector(q.get('labelSelector'));
  let fields = parseFieldSelector(fieldSel);
  if (route.name) {
    const byName = parseFieldSelector(`metadata.name=${route.name}`);
    const f = fields;
    fields = (o) => byName(o) && f(o);
  }
  const timeout = Number(q.get('timeoutSeconds') ?? '') || 1800;
  const aw = new ActiveWatch(
    ctx.store,
    res,
    {
      t: route.t,
      namespace: route.namespace,
      labels,
      fields,
      resourceVersion: q.get('resourceVersion') ?? '',
      allowBookmarks: q.get('allowWatchBookmarks') === 'true',
      timeoutSeconds: timeout,
      sendInitialEvents: q.get('sendInitialEvents') === 'true',
      table: wantsTable(req.headers.accept) ? includeObject(q) : undefined,
      bookmarkIntervalMs: ctx.bookmarkIntervalMs,
    },
    (w) => ctx.watches.delete(w),
  );
  ctx.watches.add(aw);
  aw.start();
}

/** GET pods/<name>/log: a few simulated lines (there are no containers). */
function podLog(res: ServerResponse, pod: Obj, q: URLSearchParams): void {
  const containers: Obj[] = pod.spec?.containers ?? [];
  const name = q.get('container') ?? containers[0]?.name;
  const c = containers.find((x) => x.name === name);
  if (!c) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  if (pod.status?.phase !== 'Running')
    throw badRequest(`container "${name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
  const started = pod.status?.containerStatuses?.find((x: Obj) => x.name === name)?.state?.running?.startedAt ?? pod.metadata.creationTimestamp;
  const stamp = q.get('timestamps') === 'true';
  let lines = [
    `simulated log (StatefulSet Studio API server simulator): no container runs here`,
    `container ${name} image ${c.image} started`,
    `pod ${pod.metadata.name} ordinal ${pod.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? '?'} ready`,
  ].map((l) => (stamp ? `${started} ${l}` : l));
  const tail = Number(q.get('tailLines') ?? '');
  if (Number.isInteger(tail) && tail >= 0 && q.get('tailLines') !== null) lines = lines.slice(Math.max(0, lines.length - tail));
  const text = lines.map((l) => `${l}\n`).join('');
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function get(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
  const obj = ctx.store.get(route.t, route.namespace, route.name!);
  if (route.subresource === 'scale') return send(res, 200, scaleOf(obj));
  if (route.subresource === 'log') return ctx.kubelet ? ctx.kubelet.serveLog(req, res, obj, q) : podLog(res, obj, q);
  respondObject(ctx, req, res, route, q, 200, obj);
}

function parseJson(text: string, contentType: string | undefined): Obj {
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (ct !== 'application/json' && ct !== '*/*' && ct !== '')
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  try {
    const o = JSON.parse(text);
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error('not an object');
    return o;
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type Object): couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkKind(route: Route, obj: Obj): void {
  const t = route.subresource === 'scale' ? { kind: 'Scale', group: 'autoscaling', version: 'v1' } : route.t;
  if (obj.kind !== undefined && obj.kind !== t.kind)
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(route.t)})`);
}

async function create(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams, user: User): Promise<void> {
  if (route.name) throw methodNotAllowed();
  const obj = parseJson(await readBody(req), req.headers['content-type']);
  checkKind(route, obj);
  if (route.t.kind === 'SelfSubjectAccessReview') return send(res, 201, selfSubjectAccessReview(user, obj));
  obj.metadata ??= {};
  if (route.t.namespaced) {
    if (!route.namespace) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (obj.metadata.namespace && obj.metadata.namespace !== route.namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata.namespace = route.namespace;
    if (route.t.kind !== 'Namespace' && !ctx.store.peek(resourceByKind('Namespace'), undefined, route.namespace))
      throw new ApiError(404, 'NotFound', `namespaces "${route.namespace}" not found`, { name: route.namespace, kind: 'namespaces' });
  }
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = `${obj.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
  delete obj.metadata.resourceVersion;
  delete obj.metadata.uid;
  delete obj.metadata.managedFields;
  admitCreate(route.t, obj);
  obj.apiVersion = apiVersionOf(route.t);
  trackUpdate(undefined, obj, managerOf(req, q), ctx.store.timestamp());
  if (q.get('dryRun')) {
    obj.apiVersion = apiVersionOf(route.t);
    obj.kind = route.t.kind;
    return respondObject(ctx, req, res, route, q, 201, obj);
  }
  const created = ctx.store.create(route.t, obj);
  respondObject(ctx, req, res, route, q, 201, created);
}

/** Write `next` (a full object for the main resource, or the result of a subresource change). */
function write(ctx: ServerContext, route: Route, old: Obj, next: Obj, dryRun: boolean, manager: string): Obj {
  const t = route.t;
  if (route.subresource === 'status') {
    const merged = clone(old);
    merged.status = next.status;
    if (next.metadata?.resourceVersion) merged.metadata.resourceVersion = next.metadata.resourceVersion;
    next = merged;
  } else if (STATUS_SUBRESOURCE_KINDS.has(t.kind)) {
    next.status = clone(old.status);
    if (next.status === undefined) delete next.status;
  }
  next.metadata ??= {};
  // Go's omitempty: an emptied labels/annotations map is not serialized
  for (const m of ['labels', 'annotations']) if (next.metadata[m] && !Object.keys(next.metadata[m]).length) delete next.metadata[m];
  admitUpdate(t, old, next, ctx.featureGates);
  if (t.kind === 'PersistentVolumeClaim' && !route.subresource) admitClaimUpdate(ctx.store, old, next);
  next.metadata.managedFields = old.metadata.managedFields;
  trackUpdate(old, next, manager, ctx.store.timestamp(), route.subresource);
  if (dryRun) return next;
  return ctx.store.update(t, next);
}

async function update(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): Promise<void> {
  if (!route.name) throw methodNotAllowed();
  const obj = parseJson(await readBody(req), req.headers['content-type']);
  checkKind(route, obj);
  const old = ctx.store.get(route.t, route.namespace, route.name);
  if (route.subresource === 'scale') {
    if (obj.metadata?.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion)
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(route.t)} "${route.name}": the object has been modified; please apply your changes to the latest version and try again`, {
        name: route.name,
        group: route.t.group,
        kind: route.t.resource,
      });
    return send(res, 200, scaleOf(applyScale(ctx, route, old, obj, !!q.get('dryRun'), managerOf(req, q))));
  }
  const written = write(ctx, route, old, obj, !!q.get('dryRun'), managerOf(req, q));
  respondObject(ctx, req, res, route, q, 200, written);
}

function applyScale(ctx: ServerContext, route: Route, old: Obj, scale: Obj, dryRun: boolean, manager: string): Obj {
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
  const next = clone(old);
  next.spec.replicas = replicas;
  delete next.metadata.resourceVersion;
  trackUpdate(old, next, manager, ctx.store.timestamp(), 'scale');
  if (dryRun) return next;
  return ctx.store.update(STS, next);
}

async function patch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): Promise<void> {
  if (!route.name) throw methodNotAllowed();
  const ct = req.headers['content-type'] ?? '';
  const body = await readBody(req);
  if (ct.split(';')[0].trim().toLowerCase() === 'application/apply-patch+yaml' && !route.subresource) return apply(ctx, req, res, route, q, body);
  const old = ctx.store.get(route.t, route.namespace, route.name);
  if (!PATCH_TYPES.includes(ct.split(';')[0].trim().toLowerCase()))
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  const dryRun = !!q.get('dryRun');
  if (route.subresource === 'scale') {
    const scale = applyPatch(scaleOf(old), ct, body);
    if (scale.metadata?.resourceVersion && scale.metadata.resourceVersion !== old.metadata.resourceVersion)
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(route.t)} "${route.name}": the object has been modified; please apply your changes to the latest version and try again`);
    return send(res, 200, scaleOf(applyScale(ctx, route, old, scale, dryRun, managerOf(req, q))));
  }
  const patched = applyPatch(old, ct, body);
  const written = write(ctx, route, old, patched, dryRun, managerOf(req, q));
  respondObject(ctx, req, res, route, q, 200, written);
}

/** PATCH with application/apply-patch+yaml: server-side apply (creates the object when missing). */
function apply(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams, body: string): void {
  const config = parseApplyBody(body);
  checkKind(route, config);
  if (config.apiVersion !== undefined && config.apiVersion !== apiVersionOf(route.t))
    throw badRequest(`the API version in the data (${config.apiVersion}) does not match the expected API version (${apiVersionOf(route.t)})`);
  config.metadata ??= {};
  if (config.metadata.name !== undefined && config.metadata.name !== route.name)
    throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${route.name})`);
  if (route.t.namespaced && config.metadata.namespace !== undefined && config.metadata.namespace !== route.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const live = ctx.store.peek(route.t, route.namespace, route.name!);
  const force = q.get('force') === 'true';
  const dryRun = !!q.get('dryRun');
  const { object, created } = serverSideApply(live ? clone(live) : undefined, config, q.get('fieldManager') ?? '', force, ctx.store.timestamp(), qualifiedName(route.t), (o) => {
    if (route.t.kind === 'StatefulSet') defaultStatefulSet(o);
  });
  object.apiVersion = apiVersionOf(route.t);
  object.kind = route.t.kind;
  object.metadata.name = route.name;
  if (created) {
    if (route.t.namespaced) {
      object.metadata.namespace = route.namespace;
      if (!ctx.store.peek(resourceByKind('Namespace'), undefined, route.namespace!))
        throw new ApiError(404, 'NotFound', `namespaces "${route.namespace}" not found`, { name: route.namespace, kind: 'namespaces' });
    }
    const managed = object.metadata.managedFields;
    admitCreate(route.t, object);
    object.metadata.managedFields = managed;
    if (dryRun) return respondObject(ctx, req, res, route, q, 201, object);
    return respondObject(ctx, req, res, route, q, 201, ctx.store.create(route.t, object));
  }
  const managed = object.metadata.managedFields;
  const t = route.t;
  if (STATUS_SUBRESOURCE_KINDS.has(t.kind)) object.status = clone(live!.status);
  if (object.status === undefined) delete object.status;
  delete object.metadata.resourceVersion;
  admitUpdate(t, live!, object, ctx.featureGates);
  if (t.kind === 'PersistentVolumeClaim') admitClaimUpdate(ctx.store, live!, object);
  object.metadata.managedFields = managed;
  // a no-op apply writes nothing (the times of managedFields entries do not count)
  if (sameIgnoringTimes(object, live!)) return respondObject(ctx, req, res, route, q, 200, clone(live!));
  if (dryRun) return respondObject(ctx, req, res, route, q, 200, object);
  respondObject(ctx, req, res, route, q, 200, ctx.store.update(t, object));
}

function sameIgnoringTimes(a: Obj, b: Obj): boolean {
  const norm = (o: Obj) => {
    const { resourceVersion: _rv, generation: _g, ...md } = o.metadata ?? {};
    return canonicalJson({ ...o, metadata: { ...md, managedFields: (md.managedFields ?? []).map(({ time: _t, ...e }: Obj) => e) } });
  };
  return norm(a) === norm(b);
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<Obj> {
  const text = await readBody(req);
  let opts: Obj = {};
  if (text.trim()) {
    try {
      opts = JSON.parse(text);
    } catch {
      throw badRequest('DeleteOptions body must be JSON');
    }
  }
  if (q.get('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy');
  return opts;
}

async function del(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): Promise<void> {
  if (route.subresource) throw methodNotAllowed();
  const opts = await deleteOptions(req, q);
  const uid = opts.preconditions?.uid;
  const rv = opts.preconditions?.resourceVersion;
  const cur = ctx.store.get(route.t, route.namespace, route.name!);
  if (rv && rv !== cur.metadata.resourceVersion)
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(route.t)} "${route.name}": the ResourceVersion in the precondition (${rv}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`);
  if (q.get('dryRun') || (Array.isArray(opts.dryRun) && opts.dryRun.length)) return respondObject(ctx, req, res, route, q, 200, cur);
  const grace = q.get('gracePeriodSeconds') ?? opts.gracePeriodSeconds;
  const gone = ctx.store.delete(route.t, route.namespace, route.name!, {
    orphan: opts.propagationPolicy === 'Orphan' || opts.orphanDependents === true,
    uid,
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
  });
  respondObject(ctx, req, res, route, q, 200, gone);
}

function deleteCollection(ctx: ServerContext, res: ServerResponse, route: Route, q: URLSearchParams): void {
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'));
  const victims = ctx.store.listRaw(route.t, route.namespace).filter((o) => labels(o) && fields(o));
  const items: Obj[] = [];
  for (const v of victims) {
    if (ctx.store.peek(route.t, v.metadata.namespace, v.metadata.name))
      items.push(stripForList(ctx.store.delete(route.t, v.metadata.namespace, v.metadata.name)));
  }
  send(res, 200, { kind: route.t.listKind, apiVersion: apiVersionOf(route.t), metadata: { resourceVersion: String(ctx.store.rv) }, items });
}
