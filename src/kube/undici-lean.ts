// undici's index loads all of undici — fetch, WebSocket, EventSource, cache stores, mock agents —
// which costs the first Kubernetes call ~50–70 ms and ~14 MB (bench/memory.mjs, issue 14). We and
// @kubernetes/client-node use four things: Agent and ProxyAgent (client-node's TLS and proxy
// settings), request (our reads and writes) and fetch (client-node's generated HTTP layer, which we
// never call). The bundle maps client-node's `undici` imports here too (scripts/postbuild.mjs).
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const load = createRequire(import.meta.url);

// What undici's index does to give every dispatcher its request()/stream()/… methods.
const Dispatcher = load('undici/lib/dispatcher/dispatcher.js');
Object.assign(Dispatcher.prototype, load('undici/lib/api/index.js'));

export const Agent: typeof Undici.Agent = load('undici/lib/dispatcher/agent.js');
export const ProxyAgent: typeof Undici.ProxyAgent = load('undici/lib/dispatcher/proxy-agent.js');
const { getGlobalDispatcher } = load('undici/lib/global.js') as { getGlobalDispatcher: () => Undici.Dispatcher };

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method?: Undici.Dispatcher.HttpMethod; dispatcher?: Undici.Dispatcher };

/** undici.request() for an absolute URL: the dispatcher given, else undici's global one (as undici does). */
export function request(url: URL, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher = getGlobalDispatcher(), ...rest } = opts;
  return dispatcher.request({ ...rest, origin: url.origin, path: `${url.pathname}${url.search}`, method: opts.method ?? 'GET' });
}

/** Loads the rest of undici only if something really fetches. */
export const fetch: typeof Undici.fetch = (...args) => (load('undici') as typeof Undici).fetch(...args);
