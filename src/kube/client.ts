// The only module that talks to Kubernetes. It uses @kubernetes/client-node for
// what is hard to get right (kubeconfig, contexts, exec/OIDC auth, in-cluster
// service accounts, TLS: its RequestContext and undici dispatcher), but keeps
// response bodies as the JSON the API server sent: the generated typed models
// turn timestamps into Dates and drop fields they do not know, and job_yaml
// must show the object as the cluster has it.
import { StringDecoder } from 'node:string_decoder';
import type { Log } from '../log.js';
import { JobsError } from '../errors.js';
import { httpError, networkError, type RequestDescription } from './errors.js';
import { MAX_BODY_BYTES, MAX_LOG_BYTES } from './limits.js';
import { sanitizeLog, sanitizeObject } from './sanitize.js';
import { checkShape, type Shape } from './shape.js';
import type { ClusterInfo, CronJob, DeleteOptions, Job, JobsApi, KubeEvent, List, ListOptions, LogOptions, Namespace, Pod, WatchEvent, WatchOptions } from './types.js';

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
  /** Redact secret-looking values in everything read (default true; --no-redact turns it off). */
  redact?: boolean;
  /** Largest JSON body read (objects and lists); larger answers are refused while reading. */
  maxBodyBytes?: number;
}


interface Loaded {
  RequestContext: RequestContextCtor;
  kc: KubeConfig;
  request: typeof import('./undici-lean.js').request;
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
  /** Stop reading the body past this many bytes: `refuse` fails the request, `keep` keeps what came (logs). */
  cap?: { bytes: number; over: 'refuse' | 'keep' };
}

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string>;
  /** The body was longer than the cap and only its start was kept. */
  capped: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createJobsApi(opts: KubeClientOptions): JobsApi {
  const attempts = Math.max(1, opts.readAttempts ?? 3);
  const redact = opts.redact ?? true;
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const retryBase = opts.retryBaseMs ?? 200;
  let loading: Promise<Loaded> | undefined;
  let kubesphere: Promise<boolean> | undefined;

  async function load(): Promise<Loaded> {
    // client-node is large; loading it on first use keeps start-up (initialize, tools/list) fast.
    const [{ KubeConfig }, { RequestContext }, undici] = await Promise.all([
      import('@kubernetes/client-node/dist/config.js'),
      import('@kubernetes/client-node/dist/gen/http/http.js'),
      import('./undici-lean.js'),
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

  async function sendOnce(l: Loaded, method: Method, path: string, so: SendOptions): Promise<Answer> {
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
      // The body is read under the same timer (a stalled stream aborts too) and never past the cap:
      // a hostile or broken server cannot make us hold a 200 MiB answer.
      const cap = so.cap ?? { bytes: maxBody, over: 'refuse' as const };
      // Decoded chunk by chunk rather than joined into one Buffer first: a body of a few hundred KB in
      // one malloc'd block raises glibc's mmap threshold, after which such blocks stay resident in its
      // heap (bench/memory.mjs: ~27 MB of RSS after 1,000 mixed calls).
      const decoder = new StringDecoder('utf8');
      const parts: string[] = [];
      let size = 0;
      let capped = false;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (size + chunk.length > cap.bytes) {
          capped = true;
          parts.push(decoder.write(chunk.subarray(0, cap.bytes - size)));
          res.body.destroy();
          break;
        }
        parts.push(decoder.write(chunk));
        size += chunk.length;
      }
      parts.push(decoder.end());
      const resHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
      if (capped && cap.over === 'refuse' && res.statusCode < 400) {
        throw new JobsError(
          'bad-response',
          `The API server's answer to ${method} ${path} is larger than ${Math.round(cap.bytes / 1048576)} MiB, so it was not read. Narrow the request (a namespace, a selector, a smaller limit).`,
        );
      }
      return { status: res.statusCode, text: parts.join(''), headers: resHeaders, capped };
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(method: Method, path: string, d: Omit<RequestDescription, 'server'>, so: SendOptions = {}): Promise<Answer> {
    const l = await loaded();
    const desc: RequestDescription = { ...d, server: l.info.server, context: l.info.context };
    const max = method === 'GET' ? attempts : 1;
    let retriedAuth = false;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let res: Answer;
      try {
        res = await sendOnce(l, method, path, so);
      } catch (e) {
        if (e instanceof JobsError) throw e;
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
      if (res.status < 400) return res;
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

  function parse(text: string, method: Method, path: string, d: Omit<RequestDescription, 'server'>): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new JobsError(
        'bad-response',
        `The API server answered ${method} ${path} (${d.verb} ${d.resource}) with a body that is not JSON (${text.length} bytes starting ${JSON.stringify(text.slice(0, 40))}). Is --kubeconfig pointing at a Kubernetes API server?`,
      );
    }
  }

  /**
   * The object an answer names must be the one asked for: a body naming another namespace would
   * otherwise carry later reads and writes past the namespace policy.
   */
  function same(body: unknown, d: Omit<RequestDescription, 'server'>, request: string): void {
    const m = (body as { metadata?: { name?: string; namespace?: string } }).metadata ?? {};
    if (d.name === undefined || m.name === undefined) return;
    if (m.name !== d.name || (d.namespace !== undefined && m.namespace !== undefined && m.namespace !== d.namespace)) {
      throw new JobsError('bad-response', `The API server answered ${request} with another object (${JSON.stringify(`${m.namespace ?? ''}/${m.name}`.slice(0, 120))}). Nothing was done with it.`);
    }
  }

  /** A JSON answer, checked for its shape and passed through the sanitizing boundary. */
  async function json<T>(method: Method, path: string, d: Omit<RequestDescription, 'server'>, shape: Shape, so?: SendOptions): Promise<T> {
    const body = parse((await send(method, path, d, so)).text, method, path, d);
    checkShape(body, shape, `${method} ${path}`);
    if (method !== 'POST') same(body, d, `${method} ${path}`);
    return sanitizeObject(body as T, { redact });
  }

  /** The object exactly as the cluster has it, for building a write (a rerun copies env values). Never shown. */
  async function raw<T>(path: string, d: Omit<RequestDescription, 'server'>, shape: Shape): Promise<T> {
    const body = parse((await send('GET', path, d)).text, 'GET', path, d);
    checkShape(body, shape, `GET ${path}`);
    same(body, d, `GET ${path}`);
    return body as T;
  }

  const ns = (namespace: string) => `/namespaces/${encodeURIComponent(namespace)}`;
  const listQuery = (o: ListOptions = {}) => ({ labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit, continue: o.continue });
  const jobPath = (namespace: string, name: string) => `/apis/batch/v1${ns(namespace)}/jobs/${encodeURIComponent(name)}`;
  const cronJobPath = (namespace: string, name: string) => `/apis/batch/v1${ns(namespace)}/cronjobs/${encodeURIComponent(name)}`;
  const merge = { contentType: 'application/merge-patch+json' };

  async function watch(path: string, d: Omit<RequestDescription, 'server'>, item: Shape, o: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<void> {
    const l = await loaded();
    const url = new URL(l.info.server + path);
    const q = { watch: 1, allowWatchBookmarks: true, resourceVersion: o.resourceVersion, timeoutSeconds: o.timeoutSeconds, fieldSelector: o.fieldSelector, labelSelector: o.labelSelector };
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const req = new l.RequestContext(url.toString(), 'GET' as never);
    await l.kc.applySecurityAuthentication(req);
    l.dispatcher ??= req.getDispatcher();
    const headers: string[] = Object.entries(req.getHeaders()).flat();
    headers.push('Accept', 'application/json');
    for (const [k, v] of Object.entries(opts.headers ?? {})) for (const one of ([] as string[]).concat(v)) headers.push(k, one);
    const desc = { ...d, server: l.info.server, context: l.info.context };
    // The server ends the stream at timeoutSeconds; our own timer is a backstop for one that does not.
    const abort = new AbortController();
    const stop = () => abort.abort(new DOMException('watch ended', 'AbortError'));
    o.signal?.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(stop, ((o.timeoutSeconds ?? 60) + 10) * 1000 + opts.timeoutMs);
    try {
      let res: Awaited<ReturnType<typeof l.request>>;
      try {
        res = await l.request(url, { method: 'GET', headers, signal: abort.signal, dispatcher: l.dispatcher as never });
      } catch (e) {
        if (o.signal?.aborted) return;
        throw networkError(e, desc, opts.timeoutMs);
      }
      if (res.statusCode >= 400) {
        // An error body is read only up to 64 KiB: it is a Status, not a stream.
        let text = '';
        const errDecoder = new StringDecoder('utf8');
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          text += errDecoder.write(chunk);
          if (text.length > 64 * 1024) {
            res.body.destroy();
            break;
          }
        }
        throw httpError(res.statusCode, text.slice(0, 64 * 1024), desc);
      }
      let pending = '';
      // A character split across two chunks stays one character.
      const decoder = new StringDecoder('utf8');
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          pending += decoder.write(chunk);
          if (pending.length > maxBody) throw new JobsError('bad-response', `A watch event from GET ${path} is larger than ${Math.round(maxBody / 1048576)} MiB.`);
          let nl = pending.indexOf('\n');
          while (nl >= 0) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line) {
              const ev = parse(line, 'GET', path, d) as WatchEvent;
              if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string' || !ev.object || typeof ev.object !== 'object') {
                throw new JobsError('bad-response', `The API server sent a watch event of an unknown shape on GET ${path}.`);
              }
              // An object event carries a whole object, checked like a GET's; BOOKMARK and ERROR carry less.
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') checkShape(ev.object, item, `a watch event of GET ${path}`);
              onEvent(sanitizeObject(ev, { redact }));
            }
            nl = pending.indexOf('\n');
          }
        }
      } catch (e) {
        if (e instanceof JobsError) throw e;
        if (abort.signal.aborted) return;
        throw networkError(e, desc, opts.timeoutMs);
      }
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', stop);
    }
  }

  return {
    async cluster() {
      return (await loaded()).info;
    },
    async ping() {
      const v = await json<{ gitVersion?: string }>('GET', '/version', { verb: 'get', resource: 'version' }, 'any');
      return v.gitVersion ?? 'unknown';
    },
    listJobs(namespace, o) {
      const path = namespace ? `/apis/batch/v1${ns(namespace)}/jobs` : '/apis/batch/v1/jobs';
      return json<List<Job>>('GET', path, { verb: 'list', resource: 'jobs', namespace }, 'JobList', { query: listQuery(o) });
    },
    getJob(namespace, name) {
      return json<Job>('GET', jobPath(namespace, name), { verb: 'get', resource: 'jobs', namespace, name }, 'Job');
    },
    rawJob(namespace, name) {
      return raw<Job>(jobPath(namespace, name), { verb: 'get', resource: 'jobs', namespace, name }, 'Job');
    },
    createJob(namespace, job) {
      return json<Job>('POST', `/apis/batch/v1${ns(namespace)}/jobs`, { verb: 'create', resource: 'jobs', namespace, name: job.metadata.name }, 'Job', { body: job });
    },
    patchJob(namespace, name, patch) {
      return json<Job>('PATCH', jobPath(namespace, name), { verb: 'patch', resource: 'jobs', namespace, name }, 'Job', { body: patch, ...merge });
    },
    async deleteJob(namespace, name, o: DeleteOptions = {}) {
      const res = await send('DELETE', jobPath(namespace, name), { verb: 'delete', resource: 'jobs', namespace, name }, {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', ...o },
      });
      return { warning: res.headers.warning || undefined };
    },
    watchJobs(namespace, o, onEvent) {
      return watch(`/apis/batch/v1${ns(namespace)}/jobs`, { verb: 'watch', resource: 'jobs', namespace }, 'Job', o, onEvent);
    },
    listCronJobs(namespace, o) {
      const path = namespace ? `/apis/batch/v1${ns(namespace)}/cronjobs` : '/apis/batch/v1/cronjobs';
      return json<List<CronJob>>('GET', path, { verb: 'list', resource: 'cronjobs', namespace }, 'CronJobList', { query: listQuery(o) });
    },
    getCronJob(namespace, name) {
      return json<CronJob>('GET', cronJobPath(namespace, name), { verb: 'get', resource: 'cronjobs', namespace, name }, 'CronJob');
    },
    rawCronJob(namespace, name) {
      return raw<CronJob>(cronJobPath(namespace, name), { verb: 'get', resource: 'cronjobs', namespace, name }, 'CronJob');
    },
    patchCronJob(namespace, name, patch) {
      return json<CronJob>('PATCH', cronJobPath(namespace, name), { verb: 'patch', resource: 'cronjobs', namespace, name }, 'CronJob', { body: patch, ...merge });
    },
    listPods(namespace, o) {
      return json<List<Pod>>('GET', `/api/v1${ns(namespace)}/pods`, { verb: 'list', resource: 'pods', namespace }, 'PodList', { query: listQuery(o) });
    },
    getPod(namespace, name) {
      return json<Pod>('GET', `/api/v1${ns(namespace)}/pods/${encodeURIComponent(name)}`, { verb: 'get', resource: 'pods', namespace, name }, 'Pod');
    },
    listEvents(namespace, o) {
      return json<List<KubeEvent>>('GET', `/api/v1${ns(namespace)}/events`, { verb: 'list', resource: 'events', namespace }, 'EventList', { query: listQuery(o) });
    },
    async readLog(namespace, pod, o: LogOptions = {}) {
      // The cap is enforced while reading, whatever limitBytes the kubelet honours.
      const bytes = Math.min(o.limitBytes ?? MAX_LOG_BYTES, MAX_LOG_BYTES);
      const res = await send('GET', `/api/v1${ns(namespace)}/pods/${encodeURIComponent(pod)}/log`, { verb: 'get', resource: 'pods/log', namespace, name: pod }, {
        query: { container: o.container, previous: o.previous || undefined, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, limitBytes: bytes, timestamps: o.timestamps || undefined },
        cap: { bytes, over: 'keep' },
      });
      return { ...sanitizeLog(res.text, { redact }), capped: res.capped || Buffer.byteLength(res.text) >= bytes };
    },
    listNamespaces(o) {
      return json<List<Namespace>>('GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces' }, 'NamespaceList', { query: listQuery(o) });
    },
    hasKubeSphere() {
      // Only a definite answer is remembered: a 404 (or any non-KubeSphere answer) means no KubeSphere.
      // A timeout or a 5xx says nothing: it is reported, and the next call asks again.
      kubesphere ??= json<{ gitVersion?: string }>('GET', '/kapis/version', { verb: 'get', resource: 'kapis/version' }, 'any')
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
