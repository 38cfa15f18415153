// The only module that talks to Kubernetes. It uses @kubernetes/client-node for
// what is hard to get right (kubeconfig, contexts, exec/OIDC auth, in-cluster
// service accounts, TLS: its RequestContext and undici dispatcher), but keeps
// response bodies as the JSON the API server sent: the generated typed models
// turn timestamps into Dates and drop fields they do not know, and job_yaml
// must show the object as the cluster has it.
import type { Log } from '../log.js';
import { JobsError } from '../errors.js';
import { httpError, networkError, type RequestDescription } from './errors.js';
import type { ClusterInfo, DeleteOptions, Job, JobsApi, KubeEvent, List, ListOptions, LogOptions, Namespace, Pod } from './types.js';

// Deep imports: the package index re-exports every generated API and model, which costs ~80 MB and
// half a second to load; the kubeconfig and the request context are all we need.
type KubeConfig = import('@kubernetes/client-node/dist/config.js').KubeConfig;
type RequestContextCtor = typeof import('@kubernetes/client-node/dist/gen/http/http.js').RequestContext;

export interface KubeClientOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  timeoutMs: number;
  log: Log;
  /** Attempts for reads on 429/5xx/connection errors; writes are sent once. */
  readAttempts?: number;
  retryBaseMs?: number;
  /** Extra headers on every request (impersonation); an array sends the header once per value. */
  headers?: Record<string, string | string[]>;
}

interface Loaded {
  RequestContext: RequestContextCtor;
  kc: KubeConfig;
  request: typeof import('undici').request;
  info: ClusterInfo;
  /**
   * The connection pool. client-node builds a new undici Agent for every request (one TCP+TLS
   * handshake each, and sockets left to idle out); we keep the first and reuse it. A 401 drops it,
   * in case an exec plugin rotated the client certificate.
   */
  dispatcher?: unknown;
}

const NO_CONFIG_HELP =
  'Give the server access to a cluster: set KUBECONFIG or pass --kubeconfig <file> (and --context <name>), run it inside a cluster with a service account, or try --demo for the built-in demo cluster.';

type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH';

interface SendOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createJobsApi(opts: KubeClientOptions): JobsApi {
  const attempts = Math.max(1, opts.readAttempts ?? 3);
  const retryBase = opts.retryBaseMs ?? 200;
  let loading: Promise<Loaded> | undefined;
  let kubesphere: Promise<boolean> | undefined;

  async function load(): Promise<Loaded> {
    // client-node is large; loading it on first use keeps start-up (initialize, tools/list) fast.
    const [{ KubeConfig }, { RequestContext }, undici] = await Promise.all([
      import('@kubernetes/client-node/dist/config.js'),
      import('@kubernetes/client-node/dist/gen/http/http.js'),
      import('undici'),
    ]);
    const kc = new KubeConfig();
    try {
      if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
      else kc.loadFromDefault();
    } catch (e) {
      const where = opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
      const why = ((e as Error).message ?? String(e)).split('\n')[0];
      throw new JobsError('no-cluster-config', `Could not load the kubeconfig ${where}: ${why}. ${NO_CONFIG_HELP}`);
    }
    if (opts.context) {
      if (!kc.getContextObject(opts.context)) {
        const known = kc.getContexts().map((c) => c.name);
        throw new JobsError('no-cluster-config', `The kubeconfig has no context "${opts.context}" (it has: ${known.join(', ') || 'none'}). Pass one of those with --context.`);
      }
      kc.setCurrentContext(opts.context);
    }
    const cluster = kc.getCurrentCluster();
    // loadFromDefault falls back to an unauthenticated localhost:8080 when it finds nothing.
    if (!cluster || (kc.getCurrentContext() === 'loaded-context' && cluster.server === 'http://localhost:8080')) {
      throw new JobsError('no-cluster-config', `No Kubernetes cluster is configured. ${NO_CONFIG_HELP}`);
    }
    const ctx = kc.getContextObject(kc.getCurrentContext());
    return {
      RequestContext,
      kc,
      request: undici.request,
      info: {
        server: cluster.server.replace(/\/+$/, ''),
        context: kc.getCurrentContext(),
        defaultNamespace: opts.namespace ?? ctx?.namespace ?? 'default',
      },
    };
  }

  function loaded(): Promise<Loaded> {
    loading ??= load();
    // A failed load is not cached: the user may fix the kubeconfig while the server runs.
    return loading.catch((e) => {
      loading = undefined;
      throw e;
    });
  }

  async function sendOnce(l: Loaded, method: Method, path: string, so: SendOptions): Promise<{ status: number; text: string; headers: Record<string, string> }> {
    const url = new URL(l.info.server + path);
    for (const [k, v] of Object.entries(so.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    // client-node applies the kubeconfig's credentials (token, client cert, exec/OIDC plugins) and TLS
    // settings to the request context; we send it with the same undici, keeping repeated headers
    // (Kubernetes reads one Impersonate-Group header per group).
    const req = new l.RequestContext(url.toString(), method as never);
    await l.kc.applySecurityAuthentication(req);
    l.dispatcher ??= req.getDispatcher();
    // A flat [name, value, …] list: undici sends a repeated name as repeated headers, where fetch() would join them.
    const headers: string[] = Object.entries(req.getHeaders()).flat();
    headers.push('Accept', 'application/json, */*');
    for (const [k, v] of Object.entries(opts.headers ?? {})) for (const one of ([] as string[]).concat(v)) headers.push(k, one);
    if (so.body !== undefined) headers.push('Content-Type', so.contentType ?? 'application/json');
    // A timer we clear, rather than AbortSignal.timeout(): that one keeps every finished request
    // reachable until it fires, which under load holds megabytes for the whole timeout.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException(`timed out after ${opts.timeoutMs} ms`, 'TimeoutError')), opts.timeoutMs);
    try {
      const res = await l.request(url, {
        method,
        headers,
        body: so.body === undefined ? undefined : JSON.stringify(so.body),
        signal: abort.signal,
        dispatcher: l.dispatcher as never,
      });
      // The body is read under the same timer: a stalled stream aborts too.
      const text = await res.body.text();
      const resHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
      return { status: res.statusCode, text, headers: resHeaders };
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(method: Method, path: string, d: Omit<RequestDescription, 'server'>, so: SendOptions = {}): Promise<string> {
    const l = await loaded();
    const desc: RequestDescription = { ...d, server: l.info.server };
    const max = method === 'GET' ? attempts : 1;
    let retriedAuth = false;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let res: Awaited<ReturnType<typeof sendOnce>>;
      try {
        res = await sendOnce(l, method, path, so);
      } catch (e) {
        const err = e as { name?: string };
        opts.log.debug({ method, path, err: err?.name, ms: Date.now() - started }, 'kube request failed');
        const retryable = err?.name !== 'TimeoutError' && err?.name !== 'AbortError';
        if (retryable && attempt < max) {
          await sleep(retryBase * 2 ** (attempt - 1));
          continue;
        }
        throw networkError(e, desc, opts.timeoutMs, attempt);
      }
      opts.log.debug({ method, path, status: res.status, ms: Date.now() - started }, 'kube request');
      if (res.status < 400) return res.text;
      // A rejected credential was not acted on, so one retry with fresh TLS material is safe for writes too.
      if (res.status === 401 && l.dispatcher && !retriedAuth) {
        retriedAuth = true;
        l.dispatcher = undefined;
        attempt--;
        continue;
      }
      if ((res.status === 429 || res.status >= 500) && attempt < max) {
        const retryAfter = Number(res.headers['retry-after']);
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 2000) : retryBase * 2 ** (attempt - 1);
        await sleep(wait);
        continue;
      }
      throw httpError(res.status, res.text, desc, attempt);
    }
  }

  async function json<T>(method: Method, path: string, d: Omit<RequestDescription, 'server'>, so?: SendOptions): Promise<T> {
    const text = await send(method, path, d, so);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new JobsError('bad-response', `The API server answered ${d.verb} ${d.resource} with a body that is not JSON (${text.length} bytes starting ${JSON.stringify(text.slice(0, 40))}). Is --kubeconfig pointing at a Kubernetes API server?`);
    }
  }

  const ns = (namespace: string) => `/namespaces/${encodeURIComponent(namespace)}`;
  const listQuery = (o: ListOptions = {}) => ({ labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit, continue: o.continue });

  return {
    async cluster() {
      return (await loaded()).info;
    },
    async ping() {
      const v = await json<{ gitVersion?: string }>('GET', '/version', { verb: 'get', resource: 'version' });
      return v.gitVersion ?? 'unknown';
    },
    listJobs(namespace, o) {
      const path = namespace ? `/apis/batch/v1${ns(namespace)}/jobs` : '/apis/batch/v1/jobs';
      return json<List<Job>>('GET', path, { verb: 'list', resource: 'jobs', namespace }, { query: listQuery(o) });
    },
    getJob(namespace, name) {
      return json<Job>('GET', `/apis/batch/v1${ns(namespace)}/jobs/${encodeURIComponent(name)}`, { verb: 'get', resource: 'jobs', namespace, name });
    },
    createJob(namespace, job) {
      return json<Job>('POST', `/apis/batch/v1${ns(namespace)}/jobs`, { verb: 'create', resource: 'jobs', namespace, name: job.metadata.name }, { body: job });
    },
    async deleteJob(namespace, name, o: DeleteOptions = {}) {
      await send('DELETE', `/apis/batch/v1${ns(namespace)}/jobs/${encodeURIComponent(name)}`, { verb: 'delete', resource: 'jobs', namespace, name }, {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', ...o },
      });
    },
    listPods(namespace, o) {
      return json<List<Pod>>('GET', `/api/v1${ns(namespace)}/pods`, { verb: 'list', resource: 'pods', namespace }, { query: listQuery(o) });
    },
    getPod(namespace, name) {
      return json<Pod>('GET', `/api/v1${ns(namespace)}/pods/${encodeURIComponent(name)}`, { verb: 'get', resource: 'pods', namespace, name });
    },
    listEvents(namespace, o) {
      return json<List<KubeEvent>>('GET', `/api/v1${ns(namespace)}/events`, { verb: 'list', resource: 'events', namespace }, { query: listQuery(o) });
    },
    readLog(namespace, pod, o: LogOptions = {}) {
      return send('GET', `/api/v1${ns(namespace)}/pods/${encodeURIComponent(pod)}/log`, { verb: 'get', resource: 'pods/log', namespace, name: pod }, {
        query: { container: o.container, previous: o.previous || undefined, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, limitBytes: o.limitBytes, timestamps: o.timestamps || undefined },
      });
    },
    listNamespaces(o) {
      return json<List<Namespace>>('GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces' }, { query: listQuery(o) });
    },
    hasKubeSphere() {
      // Only a definite answer is remembered: a 404 (or any non-KubeSphere answer) means no KubeSphere.
      // A timeout or a 5xx says nothing: it is reported, and the next call asks again.
      kubesphere ??= json<{ gitVersion?: string }>('GET', '/kapis/version', { verb: 'get', resource: 'kapis/version' })
        .then((v) => typeof v.gitVersion === 'string')
        .catch((e) => {
          if (e instanceof JobsError && ['not-found', 'forbidden', 'unauthorized', 'bad-response'].includes(e.kind)) return false;
          kubesphere = undefined;
          throw new JobsError(
            (e as JobsError).kind ?? 'server-error',
            `Could not tell whether the cluster serves KubeSphere's rerun API (${(e as Error).message}) Nothing was changed. Retry, or choose the backend with --rerun-backend native|kubesphere.`,
          );
        });
      return kubesphere;
    },
    async kubeSphereRerun(namespace, name, resourceVersion) {
      await send('POST', `/kapis/operations.kubesphere.io/v1alpha2${ns(namespace)}/jobs/${encodeURIComponent(name)}`, { verb: 'create', resource: 'jobs/rerun', namespace, name }, {
        query: { action: 'rerun', resourceVersion },
      });
    },
  };
}
