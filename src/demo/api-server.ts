// The demo cluster's HTTP front: the subset of the Kubernetes API the tools use,
// with bearer-token authentication, a small RBAC, impersonation, fault
// injection for tests, and KubeSphere's rerun endpoint when enabled.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFieldSelector, parseLabelSelector, type SelectorError } from '../kube/selector.js';
import type { Container, CronJob, Job, Pod } from '../kube/types.js';
import type { JobController } from './controller.js';
import type { CronJobController } from './cronjob-controller.js';
import { DISCOVERY } from './discovery.js';
import { applyPatch, PATCH_TYPES, PatchError, updateObject } from './patch.js';
import { badRequest, conflict, failure, forbidden, gone, notFound, type StatusBody, statusFor, type Target, unauthorized, unsupportedMediaType } from './status.js';
import { FIELDS, KINDS, type Resource, type Store, WATCHED } from './store.js';
import { serveWatch } from './watch.js';

export interface Identity {
  user: string;
  groups: string[];
  /** Namespaces this identity may read; undefined = all. */
  readNamespaces?: string[];
  canWrite: boolean;
  canImpersonate: boolean;
}

export interface Fault {
  method?: string;
  /** Matched against the path (without query). */
  path: string | RegExp;
  /** Also matched against the query string (e.g. /watch=/ for watch requests only). */
  query?: RegExp;
  status?: number;
  /** Raw body instead of a Status object. */
  body?: string;
  delayMs?: number;
  /** Destroy the socket without answering. */
  cut?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /**
   * Answer 200 with a JSON-looking body of this many bytes, streamed in chunks
   * (never held in memory): a list that opens normally and never ends.
   */
  hugeBodyBytes?: number;
  /**
   * Answer as usual, but send the body this many bytes at a time, a millisecond apart: the client
   * then reads characters split across chunks, as a proxy or a slow link delivers them.
   */
  dribbleBytes?: number;
  /** How many requests it applies to (default: all until cleared). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  user: string;
  impersonateUser?: string;
  impersonateGroups?: string[];
  /** The request body of a write, as sent (at most 64 KiB). */
  body?: string;
  /** The status the demo answered with, once it has (unset for a cut connection). */
  status?: number;
}

export interface ApiServerOptions {
  store: Store;
  controller: JobController;
  /** Validates CronJobs created through the API (schedule, time zone). */
  cronJobs?: CronJobController;
  tokens: Record<string, Identity>;
  /** Identities for impersonated users, by user name; unknown users get no access. */
  impersonable?: Record<string, Omit<Identity, 'user' | 'canImpersonate'>>;
  kubesphere: boolean;
  /** Periodic watch bookmarks, besides the one 2 s before timeoutSeconds (default 60 s). */
  bookmarkIntervalMs?: number;
}

const MAX_BODY = 1024 * 1024;

export class DemoApiServer {
  readonly faults: (Fault & { hits: number })[] = [];
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly watches = new Set<() => void>();
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly o: ApiServerOptions) {}

  /** Writes that reached the API (any method but GET): what safety tests assert on. */
  get writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** Watch streams open now (a closed or timed-out watch leaves none behind). */
  get openWatches(): number {
    return this.watches.size;
  }

  addFault(f: Fault): void {
    this.faults.push({ ...f, hits: 0 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.send(res, 500, failure(500, 'InternalError', `demo cluster: ${(e as Error).message}`));
      });
    });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server?.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    return `http://${host}:${addr.port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    // Watches end like at their timeout; a huge body is cut.
    for (const end of [...this.watches]) end();
    for (const r of this.streams) r.destroy();
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json', extra: Record<string, string> = {}): undefined {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': contentType,
      'Cache-Control': 'no-cache, private',
      'Audit-Id': crypto.randomUUID(),
      ...(status === 429 ? { 'Retry-After': '1' } : {}),
      ...extra,
    });
    res.end(text);
    return undefined;
  }

  /** A 200 whose JSON never closes: bytes of filler, written as the client reads them. */
  private async sendHuge(res: ServerResponse, bytes: number): Promise<void> {
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Audit-Id': crypto.randomUUID() });
    const head = Buffer.from('{"kind":"JobList","apiVersion":"batch/v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"');
    const filler = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = (chunk: Buffer) => {
      sent += chunk.length;
      return res.write(chunk);
    };
    write(head.subarray(0, Math.min(head.length, bytes)));
    while (sent < bytes && !res.destroyed) {
      const ok = write(filler.subarray(0, Math.min(filler.length, bytes - sent)));
      if (!ok) await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
    if (!res.destroyed) res.end();
  }

  private identify(req: IncomingMessage): Identity | undefined {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(auth);
    const id = m ? this.o.tokens[m[1] as string] : undefined;
    if (!id) return undefined;
    const as = req.headers['impersonate-user'];
    if (typeof as !== 'string') return id;
    if (!id.canImpersonate) return { ...id, user: id.user, readNamespaces: [], canWrite: false };
    const groups = req.headersDistinct['impersonate-group'] ?? [];
    const known = this.o.impersonable?.[as];
    // An unknown user may do nothing; a known one as its entry says (no readNamespaces: everywhere).
    return { user: as, groups, readNamespaces: known ? known.readNamespaces : [], canWrite: known?.canWrite ?? false, canImpersonate: false };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://demo');
    const method = req.method ?? 'GET';
    const id = this.identify(req);
    const imp = req.headers['impersonate-user'];
    const rec: RecordedRequest = {
      method,
      url: url.pathname + url.search,
      user: id?.user ?? 'system:anonymous',
      ...(typeof imp === 'string' ? { impersonateUser: imp, impersonateGroups: req.headersDistinct['impersonate-group'] ?? [] } : {}),
    };
    this.requests.push(rec);
    if (this.requests.length > 5000) this.requests.splice(0, 1000);
    const answered = () => {
      if (res.headersSent) rec.status = res.statusCode;
    };
    res.once('finish', answered);
    res.once('close', answered);

    const route = parseRoute(url.pathname);
    const watching = method === 'GET' && route.kind === 'resource' && !route.name && isTrue(url.searchParams.get('watch'));
    const target: Target = route.kind === 'resource' ? { ...route.target(method), ...(watching ? { verb: 'watch' } : {}) } : { verb: method.toLowerCase(), group: '', resource: url.pathname };

    const fault = this.faults.find(
      (f) =>
        (!f.method || f.method === method) &&
        (typeof f.path === 'string' ? url.pathname === f.path || url.pathname.startsWith(`${f.path}/`) : f.path.test(url.pathname)) &&
        (!f.query || f.query.test(url.search)) &&
        (f.times === undefined || f.hits < f.times),
    );
    if (fault) {
      fault.hits++;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.cut) {
        req.socket.destroy();
        return;
      }
      if (fault.malformed) return this.send(res, 200, '<html><body>502 Bad Gateway (proxy)</body></html', 'text/html');
      if (fault.hugeBodyBytes !== undefined) return this.sendHuge(res, fault.hugeBodyBytes);
      if (fault.status) return this.send(res, fault.status, fault.body ?? statusFor(fault.status, target, id?.user ?? 'system:anonymous'));
      if (fault.dribbleBytes) dribble(res, fault.dribbleBytes);
    }

    if (!id) return this.send(res, 401, unauthorized());

    if (route.kind === 'discovery') {
      const body = DISCOVERY[url.pathname];
      return body ? this.send(res, 200, body) : this.send(res, 404, '404 page not found', 'text/plain; charset=utf-8');
    }
    if (route.kind === 'kapis') {
      if (!this.o.kubesphere) return this.send(res, 404, '404 page not found', 'text/plain; charset=utf-8');
      if (url.pathname === '/kapis/version') return this.send(res, 200, KS_VERSION);
      if (route.rerun && method === 'POST') {
        if (!id.canWrite) return this.send(res, 403, { message: `jobs.batch "${route.rerun.name}" is forbidden: User "${id.user}" cannot update resource "jobs" in API group "batch" in the namespace "${route.rerun.namespace}"` });
        const r = this.o.controller.kubeSphereRerun(route.rerun.namespace, route.rerun.name, url.searchParams.get('action'), url.searchParams.get('resourceVersion'));
        return this.send(res, r.status, r.body);
      }
      return this.send(res, 404, '404 page not found', 'text/plain; charset=utf-8');
    }
    if (route.kind === 'unknown') return this.send(res, 404, '404 page not found', 'text/plain; charset=utf-8');

    // RBAC
    const isWrite = method !== 'GET';
    const nsAllowed = !id.readNamespaces || (target.namespace !== undefined ? id.readNamespaces.includes(target.namespace) : false);
    if ((isWrite && !id.canWrite) || !nsAllowed) return this.send(res, 403, forbidden(target, id.user));

    const { resource, namespace, name, subresource } = route;
    const store = this.o.store;
    const kind = KINDS[resource];

    if (method === 'GET' && subresource === 'log' && resource === 'pods' && namespace && name) return this.readLog(res, namespace, name, url.searchParams);
    if (subresource) return this.send(res, 404, notFound(target));

    if (method === 'GET' && name) {
      const obj = store.get(resource, namespace, name);
      return obj ? this.send(res, 200, { kind: kind.kind, apiVersion: kind.apiVersion, ...obj }) : this.send(res, 404, notFound(target));
    }
    if (method === 'GET') {
      const q = url.searchParams;
      let labels: ReturnType<typeof parseLabelSelector> | undefined;
      let fields: ReturnType<typeof parseFieldSelector> | undefined;
      try {
        labels = q.get('labelSelector') ? parseLabelSelector(q.get('labelSelector') as string) : undefined;
      } catch (e) {
        return this.send(res, 400, badRequest(`unable to parse requirement: ${(e as SelectorError).message}`));
      }
      try {
        fields = q.get('fieldSelector') ? parseFieldSelector(q.get('fieldSelector') as string) : undefined;
      } catch (e) {
        return this.send(res, 400, badRequest((e as SelectorError).message));
      }
      const unsupported = fields?.find((f) => !FIELDS[resource].includes(f.field));
      if (unsupported) return this.send(res, 400, badRequest(`field label not supported: ${unsupported.field}`));
      if (watching) {
        if (!WATCHED.includes(resource)) return this.send(res, 405, failure(405, 'MethodNotAllowed', 'the demo cluster serves watch for jobs and cronjobs only'));
        const rv = q.get('resourceVersion') ?? undefined;
        if (rv && !/^\d+$/.test(rv)) return this.send(res, 400, badRequest(`invalid resource version: ${rv}`));
        const timeout = q.get('timeoutSeconds');
        const end = serveWatch(
          store,
          res,
          {
            resource,
            namespace,
            labels,
            fields,
            resourceVersion: rv,
            // Without timeoutSeconds the API server picks 30 to 60 minutes.
            timeoutSeconds: timeout && /^\d+$/.test(timeout) ? Number(timeout) : 1800,
            bookmarks: isTrue(q.get('allowWatchBookmarks')),
          },
          { bookmarkIntervalMs: this.o.bookmarkIntervalMs ?? 60_000 },
          { 'Cache-Control': 'no-cache, private', 'Audit-Id': crypto.randomUUID() },
        );
        this.watches.add(end);
        res.on('close', () => this.watches.delete(end));
        return;
      }
      const limitRaw = q.get('limit');
      const limit = limitRaw && /^\d+$/.test(limitRaw) ? Number(limitRaw) : undefined;
      let page: ReturnType<Store['list']>;
      try {
        page = store.list(resource, { namespace, labels, fields, limit, continue: q.get('continue') ?? undefined });
      } catch (e) {
        const msg = (e as Error).message;
        return msg === 'expired' ? this.send(res, 410, gone()) : this.send(res, 400, badRequest(msg));
      }
      return this.send(res, 200, {
        kind: `${kind.kind}List`,
        apiVersion: kind.apiVersion,
        metadata: { resourceVersion: page.resourceVersion, ...(page.continue ? { continue: page.continue } : {}), ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}) },
        items: page.items,
      });
    }

    const notAllowed = () => this.send(res, 405, failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    if ((resource !== 'jobs' && resource !== 'cronjobs') || !namespace) return notAllowed();
    const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim() ?? '';
    if (method === 'PATCH' && !PATCH_TYPES.includes(contentType)) return this.send(res, 415, unsupportedMediaType());
    let body: unknown = {};
    try {
      const raw = await readBody(req);
      if (raw) rec.body = raw.slice(0, 64 * 1024);
      body = raw ? JSON.parse(raw) : {};
    } catch (e) {
      return this.send(res, 400, badRequest(`the body of the request was in an unknown format: ${(e as Error).message}`));
    }
    if (method === 'POST' && !name) {
      if (resource === 'cronjobs') {
        if (!this.o.cronJobs) return notAllowed();
        const r = await this.o.cronJobs.create(namespace, body as CronJob);
        return 'cronJob' in r ? this.send(res, 201, { kind: 'CronJob', apiVersion: 'batch/v1', ...r.cronJob }) : this.send(res, r.status, r.error);
      }
      const r = this.o.controller.create(namespace, body as Job);
      return 'job' in r ? this.send(res, 201, { kind: 'Job', apiVersion: 'batch/v1', ...r.job }) : this.send(res, r.status, r.error);
    }
    if (method === 'DELETE' && name && resource === 'jobs') {
      const o = (body ?? {}) as { propagationPolicy?: string; orphanDependents?: boolean; preconditions?: { uid?: string; resourceVersion?: string } };
      const fromQuery = url.searchParams.get('propagationPolicy');
      const r = this.o.controller.delete(namespace, name, { ...o, ...(fromQuery ? { propagationPolicy: fromQuery } : {}) });
      return this.send(res, r.status, r.body, 'application/json', r.warning ? { Warning: r.warning } : {});
    }
    if ((method === 'PATCH' || method === 'PUT') && name) {
      const current = store.get(resource, namespace, name);
      if (!current) return this.send(res, 404, notFound(target));
      let next: typeof current;
      try {
        next = method === 'PUT' ? (body as typeof current) : (applyPatch(contentType, current, body) as typeof current);
      } catch (e) {
        return e instanceof PatchError ? this.send(res, e.status, e.body) : this.send(res, 400, badRequest((e as Error).message));
      }
      if (!next || typeof next !== 'object' || Array.isArray(next)) return this.send(res, 400, badRequest('the body of the request was in an unknown format: not an object'));
      next.metadata ??= { name };
      // metadata.resourceVersion in the body is an optimistic-concurrency precondition.
      const wanted = next.metadata.resourceVersion;
      if (wanted && wanted !== current.metadata.resourceVersion) return this.send(res, 409, conflict(target));
      if (next.metadata.name !== undefined && next.metadata.name !== name) {
        return this.send(res, 400, badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`));
      }
      const manager = url.searchParams.get('fieldManager') ?? userAgentManager(req.headers['user-agent']);
      try {
        const saved = updateObject(store, resource, current, next, { manager, fields: method === 'PATCH' ? body : undefined });
        return this.send(res, 200, { kind: kind.kind, apiVersion: kind.apiVersion, ...saved });
      } catch (e) {
        if (e instanceof PatchError) return this.send(res, e.status, e.body);
        throw e;
      }
    }
    return this.send(res, 405, failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  }

  private readLog(res: ServerResponse, namespace: string, name: string, q: URLSearchParams): undefined {
    const pod = this.o.store.get<Pod>('pods', namespace, name);
    if (!pod) return this.send(res, 404, notFound({ verb: 'get', group: '', resource: 'pods', namespace, name }));
    const containers: Container[] = pod.spec.containers;
    let container = q.get('container') ?? undefined;
    if (!container) {
      if (containers.length > 1) {
        return this.send(res, 400, badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`));
      }
      container = containers[0]?.name;
    }
    if (!containers.some((c) => c.name === container)) return this.send(res, 400, badRequest(`container ${container} is not valid for pod ${name}`));
    const status = pod.status?.containerStatuses?.find((c) => c.name === container);
    const previous = q.get('previous') === 'true';
    const log = this.o.store.logs.get(`${namespace}/${name}/${container}`);
    if (previous) {
      if (!log?.previous || !status?.lastState?.terminated) {
        return this.send(res, 400, badRequest(`previous terminated container "${container}" in pod "${name}" not found`));
      }
    } else if (!status || (status.state?.waiting && !status.lastState?.terminated)) {
      const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
      const why = /ImagePull|ErrImage/.test(reason) ? 'trying and failing to pull image' : reason;
      return this.send(res, 400, badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`));
    }
    let lines = (previous ? log?.previous : log?.current) ?? [];
    const since = q.get('sinceSeconds');
    if (since && /^\d+$/.test(since)) lines = lines.filter((l) => l.time >= this.o.store.now() - Number(since) * 1000);
    const tail = q.get('tailLines');
    if (tail && /^\d+$/.test(tail)) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
    const stamp = q.get('timestamps') === 'true';
    let text = lines.map((l) => `${stamp ? `${new Date(l.time).toISOString().replace('Z', '000000Z')} ` : ''}${l.text}\n`).join('');
    const limitBytes = q.get('limitBytes');
    if (limitBytes && /^\d+$/.test(limitBytes)) text = Buffer.from(text).subarray(0, Number(limitBytes)).toString('utf8');
    return this.send(res, 200, text, 'text/plain');
  }
}

type Route =
  | { kind: 'discovery' }
  | { kind: 'kapis'; rerun?: { namespace: string; name: string } }
  | { kind: 'unknown' }
  | { kind: 'resource'; resource: Resource; namespace?: string; name?: string; subresource?: string; target: (method: string) => Target };

/** Makes every later write and end of `res` go out in pieces of `size` bytes, each in its own write. */
function dribble(res: ServerResponse, size: number): void {
  const write = res.write.bind(res) as (b: Buffer) => boolean;
  const end = res.end.bind(res) as () => void;
  let queue = Promise.resolve();
  const later = (f: () => void) => {
    queue = queue.then(
      () =>
        new Promise<void>((r) =>
          setTimeout(() => {
            if (!res.destroyed) f();
            r();
          }, 1),
        ),
    );
  };
  const pieces = (chunk: unknown) => {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    for (let i = 0; i < b.length; i += size) {
      const part = b.subarray(i, i + size);
      later(() => write(part));
    }
  };
  res.write = ((chunk: unknown) => {
    pieces(chunk);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (chunk !== undefined && typeof chunk !== 'function') pieces(chunk);
    later(end);
    return res;
  }) as typeof res.end;
}

const VERBS: Record<string, string> = { GET: 'get', POST: 'create', DELETE: 'delete', PATCH: 'patch', PUT: 'update' };

function parseRoute(path: string): Route {
  if (DISCOVERY[path] || path === '/version') return { kind: 'discovery' };
  if (path.startsWith('/kapis/')) {
    const m = /^\/kapis\/operations\.kubesphere\.io\/v1alpha2\/namespaces\/([^/]+)\/jobs\/([^/]+)$/.exec(path);
    return { kind: 'kapis', ...(m ? { rerun: { namespace: m[1] as string, name: m[2] as string } } : {}) };
  }
  const m = /^\/(?:api\/v1|apis\/batch\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?$/.exec(path);
  if (!m) {
    // /api/v1/namespaces/{name}: a namespace itself.
    const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (ns) return resourceRoute('namespaces', undefined, ns[1], undefined);
    return { kind: 'unknown' };
  }
  const [, namespace, res, name, sub] = m as unknown as [string, string | undefined, string, string | undefined, string | undefined];
  const batch = path.startsWith('/apis/batch/v1');
  const ok = batch ? res === 'jobs' || res === 'cronjobs' : ['pods', 'events', 'namespaces'].includes(res);
  if (!ok || (res === 'namespaces' && namespace)) return { kind: 'unknown' };
  return resourceRoute(res as Resource, namespace, name, sub);
}

function resourceRoute(resource: Resource, namespace: string | undefined, name: string | undefined, subresource: string | undefined): Route {
  return {
    kind: 'resource',
    resource,
    namespace,
    name,
    subresource,
    target: (method) => ({
      verb: method === 'GET' && !name ? 'list' : (VERBS[method] ?? method.toLowerCase()),
      group: KINDS[resource].group,
      resource,
      subresource,
      namespace,
      name,
    }),
  };
}

const isTrue = (v: string | null) => v === '1' || v === 'true';

/** The field manager the API server derives from a User-Agent: its part before the first "/". */
function userAgentManager(ua: string | undefined): string {
  const m = (ua ?? '').split('/')[0]?.trim();
  return m ? m.slice(0, 128) : 'unknown';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request entity too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const KS_VERSION = {
  gitVersion: 'v3.4.1',
  gitMajor: '3',
  gitMinor: '4',
  gitCommit: 'demo',
  gitTreeState: 'clean',
  buildDate: '2023-11-14T08:31:05Z',
  goVersion: 'go1.19.13',
  compiler: 'gc',
  platform: 'linux/amd64',
  kubernetes: { major: '1', minor: '32', gitVersion: 'v1.32.13', gitCommit: 'demo', gitTreeState: 'clean', buildDate: '2026-11-22T10:50:40Z', goVersion: 'go1.23.5', compiler: 'gc', platform: 'linux/amd64' },
};

export type { StatusBody };
