// Streamable HTTP (MCP 2025-11-25) for chat-ops bots and shared assistants:
// one McpServer per session, every request checked for Host/Origin (DNS
// rebinding), a bearer token (required off loopback), and a bounded body.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Log } from '../log.js';
import type { Config } from '../config.js';
import type { JobsApi } from '../kube/types.js';
import { TokenMinter } from '../safety/token.js';
import { clustersFor, createServer } from '../server.js';
import type { Clusters } from '../kube/clusters.js';
import { type Caller, TokenAuth } from './auth.js';
import { isLoopback, rejectHostOrOrigin } from './guard.js';

/** The whole digest decides, in constant time: the 8-character id in the logs could be ground to a match. */
function sameCaller(a: Caller, b: Caller): boolean {
  const x = Buffer.from(a.binding);
  const y = Buffer.from(b.binding);
  return x.length === y.length && timingSafeEqual(x, y);
}

const MAX_BODY_BYTES = 1024 * 1024;
const IDLE_MS = 30 * 60_000;
// A request body must arrive within this time: a client trickling bytes cannot hold a socket forever.
const BODY_TIMEOUT_MS = 30_000;

export class HttpConfigError extends Error {}

export interface HttpServerDeps {
  log: Log;
  now?: () => number;
  /** How long a request body may take to arrive (default 30 s). */
  bodyTimeoutMs?: number;
  /** Builds the Kubernetes client for a set of impersonation headers (tests bind it to the demo cluster). */
  makeApi?: (headers: Record<string, string | string[]> | undefined) => JobsApi;
}

export interface HttpServerHandle {
  url: string;
  sessions(): number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  caller: Caller;
  lastSeen: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage, timeoutMs: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyError(413, -32600, `Request body larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => req.destroy(new BodyError(408, -32600, 'Request body not received in time')), timeoutMs);
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new BodyError(413, -32600, `Request body larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
  } finally {
    clearTimeout(timer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, -32700, 'Parse error: the body is not JSON');
  }
}

export async function startHttpServer(config: Config, deps: HttpServerDeps): Promise<HttpServerHandle> {
  const auth = TokenAuth.load(config.authTokenFile, config.authToken);
  if (!isLoopback(config.host) && auth.size === 0) {
    throw new HttpConfigError(
      `Refusing to listen on ${config.host} without authentication: set K8S_JOBS_MCP_AUTH_TOKEN or --auth-token-file, or bind 127.0.0.1.`,
    );
  }
  if (config.impersonate && (auth.size === 0 || !auth.allHaveIdentity)) {
    throw new HttpConfigError('--impersonate needs every token in --auth-token-file to name a user: "<token> <user> [group,group…]".');
  }
  const log = deps.log;
  const now = deps.now ?? Date.now;
  // One set of clients per caller identity: with --impersonate every context's requests carry it.
  const clusterSets = new Map<string, Clusters>();
  const clustersOf = (caller: Caller | undefined): Clusters => {
    const key = config.impersonate && caller ? `${caller.user}|${caller.groups.join(',')}` : '';
    let c = clusterSets.get(key);
    if (!c) {
      const headers =
        config.impersonate && caller ? { 'Impersonate-User': caller.user as string, ...(caller.groups.length ? { 'Impersonate-Group': caller.groups } : {}) } : undefined;
      const makeApi = deps.makeApi;
      c = clustersFor(config, log, headers, makeApi ? () => makeApi(headers) : undefined);
      clusterSets.set(key, c);
    }
    return c;
  };
  // Probes are unauthenticated: one answer serves every probe of the next second, so they cannot
  // be turned into load on the API server.
  let lastPing: { at: number; result: Promise<string> } | undefined;
  const readiness = {
    ping: () => {
      if (!lastPing || now() - lastPing.at > 1000) lastPing = { at: now(), result: clustersOf(undefined).resolve().then((b) => b.api.ping()) };
      return lastPing.result;
    },
  };
  // One secret for all sessions: a token confirmed in one session is good in another of the same
  // caller (and, with K8S_JOBS_MCP_TOKEN_SECRET, on another replica), never for another caller.
  const tokens = new TokenMinter(config.tokenSecret, config.tokenTtlSeconds * 1000, now);
  const sessions = new Map<string, Session>();

  const closeSession = async (id: string, why: string) => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    log.info({ session: id, caller: s.caller.id, why }, 'session closed');
    await s.transport.close().catch(() => {});
    await s.server.close().catch(() => {});
  };

  const newSession = async (caller: Caller): Promise<StreamableHTTPServerTransport> => {
    if (sessions.size >= config.maxSessions) {
      // The caller's own idlest session goes first: one caller cannot push the others out.
      const all = [...sessions.entries()].sort((a, b) => a[1].lastSeen - b[1].lastSeen);
      const idlest = all.find(([, x]) => sameCaller(x.caller, caller)) ?? all[0];
      if (idlest) await closeSession(idlest[0], 'session limit');
    }
    const server = createServer(config, { log, clusters: clustersOf(caller), now, tokens: tokens.forCaller(caller.binding) });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, caller, lastSeen: now() });
        log.info({ session: id, caller: caller.id, user: caller.user }, 'session opened');
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname === '/readyz') {
      try {
        // Unauthenticated: it says whether the cluster answers, never what it is.
        await readiness.ping();
        return sendJson(res, 200, { ready: true });
      } catch (e) {
        log.warn({ err: (e as Error).message }, 'readiness check failed');
        return sendJson(res, 503, { ready: false });
      }
    }
    if (url.pathname !== '/mcp') return sendJson(res, 404, rpcError(-32601, 'Not found: the MCP endpoint is /mcp'));

    const refused = rejectHostOrOrigin({ bindHost: config.host, allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins }, req.headers.host, req.headers.origin);
    if (refused) {
      log.warn({ host: req.headers.host, origin: req.headers.origin }, 'request refused: host/origin');
      return sendJson(res, 403, rpcError(-32000, `Forbidden: ${refused}`));
    }
    let caller: Caller = { id: 'anonymous', binding: '', groups: [] };
    if (auth.size) {
      const found = auth.verify(req.headers.authorization);
      if (!found) return sendJson(res, 401, rpcError(-32000, 'Unauthorized: send "Authorization: Bearer <token>"'), { 'WWW-Authenticate': 'Bearer realm="k8s-jobs-mcp"' });
      caller = found;
    }

    const method = req.method ?? 'GET';
    const sessionId = req.headers['mcp-session-id'];
    let body: unknown;
    if (method === 'POST') {
      try {
        body = await readJson(req, deps.bodyTimeoutMs ?? BODY_TIMEOUT_MS);
      } catch (e) {
        const b = e instanceof BodyError ? e : new BodyError(400, -32700, 'Unreadable body');
        return sendJson(res, b.status, rpcError(b.code, b.message), b.status === 413 ? { Connection: 'close' } : {});
      }
    }
    if (typeof sessionId === 'string') {
      const s = sessions.get(sessionId);
      if (!s) return sendJson(res, 404, rpcError(-32001, 'Session not found: initialize a new session'));
      // A session belongs to the token that opened it.
      if (!sameCaller(s.caller, caller)) return sendJson(res, 403, rpcError(-32000, 'Forbidden: this session belongs to another caller'));
      s.lastSeen = now();
      return s.transport.handleRequest(req, res, body);
    }
    if (method === 'POST' && (Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body))) {
      const transport = await newSession(caller);
      return transport.handleRequest(req, res, body);
    }
    return sendJson(res, 400, rpcError(-32000, 'Bad Request: no valid Mcp-Session-Id header; start with an initialize request'));
  };

  const http: Server = createHttpServer((req, res) => {
    handle(req, res).catch((e) => {
      log.error({ err: e }, 'http handler failed');
      sendJson(res, 500, rpcError(-32603, 'Internal error'));
    });
  });
  // Slow-loris and stuck clients: bounded header and request times.
  http.headersTimeout = 20_000;
  http.requestTimeout = 0; // SSE streams are long-lived; bodies are bounded by size instead.

  const sweeper = setInterval(() => {
    for (const [id, s] of sessions) if (now() - s.lastSeen > IDLE_MS) void closeSession(id, 'idle');
  }, 60_000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const addr = http.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}/mcp`;
  log.info({ url, auth: auth.size > 0, impersonate: config.impersonate }, 'k8s-jobs-mcp listening (Streamable HTTP)');

  return {
    url,
    sessions: () => sessions.size,
    async close() {
      clearInterval(sweeper);
      await Promise.all([...sessions.keys()].map((id) => closeSession(id, 'shutdown')));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
