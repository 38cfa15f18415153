import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as connectTcp, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigInput, makeConfig } from '../../src/config.js';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { HttpConfigError, type HttpServerHandle, startHttpServer } from '../../src/http/server.js';
import { createJobsApi } from '../../src/kube/client.js';
import { silent } from '../helpers.js';
import { CLI, cleanEnv, startHttpCli } from '../spawn.js';

const TOKEN = 'test-token-0123456789abcdef';
const OTHER = 'other-token-0123456789abcdef';
const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdefgh';

let demo: DemoCluster;
// Machines without an IPv6 loopback cannot run the [::1] test.
const IPV6 = await new Promise<boolean>((resolve) => {
  const probe = createNetServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});
const servers: HttpServerHandle[] = [];

beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 100 });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await demo.close();
});

function tokenFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'tokens');
  writeFileSync(path, `# accepted tokens\n${lines.join('\n')}\n`);
  return path;
}

async function serve(config: ConfigInput = {}, bodyTimeoutMs?: number): Promise<HttpServerHandle> {
  const c = makeConfig({ transport: 'http', host: '127.0.0.1', port: 0, kubeconfig: demo.kubeconfigPath, context: 'demo', ...config });
  const h = await startHttpServer(c, {
    log: silent,
    bodyTimeoutMs,
    makeApi: (headers) => createJobsApi({ kubeconfig: c.kubeconfig, context: c.context, timeoutMs: 5000, log: silent, headers, retryBaseMs: 10 }),
  });
  servers.push(h);
  return h;
}

async function mcpClient(url: string, token?: string, onElicit?: () => { action: 'accept'; content: { confirm: boolean } }): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} } });
  const client = new Client({ name: 'http-test', version: '1' }, { capabilities: onElicit ? { elicitation: { form: {} } } : {} });
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, onElicit);
  await client.connect(transport);
  return client;
}

/** A raw HTTP request, so tests can forge Host and Origin headers. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname, method: opts.method ?? 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const text = (r: unknown) => (r as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('');

describe('Streamable HTTP transport', () => {
  it('serves initialize, tools/list and a tool call over real HTTP on 127.0.0.1', async () => {
    const s = await serve();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await mcpClient(s.url);
    expect(client.getServerVersion()?.name).toBe('k8s-jobs-mcp');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('job_diagnose');
    const r = (await client.callTool({ name: 'job_get', arguments: { job: 'batch/report-oom' } })) as CallToolResult;
    expect((r.structuredContent as { status: string }).status).toBe('Failed');
    expect(s.sessions()).toBe(1);
    await client.close();
  });

  it('runs the two-call rerun with elicitation over HTTP', async () => {
    const s = await serve();
    let asked = '';
    const client = await mcpClient(s.url, undefined, () => {
      asked = 'yes';
      return { action: 'accept', content: { confirm: true } };
    });
    const first = (await client.callTool({ name: 'job_rerun', arguments: { job: 'demo/hello' } })) as CallToolResult;
    expect(asked).toBe('yes');
    const token = (first.structuredContent as { confirmationToken: string }).confirmationToken;
    const before = demo.api.writes.length;
    const second = (await client.callTool({ name: 'job_rerun', arguments: { job: 'demo/hello', confirmationToken: token } })) as CallToolResult;
    expect(second.isError, text(second)).toBeFalsy();
    // The claim of the token, then the new Job.
    expect(demo.api.writes.length).toBe(before + 2);
    await client.close();
  });

  it('honours a confirmation token on another replica that shares the secret', async () => {
    const secret = 'replica-secret-0123456789abcdef';
    const a = await serve({ tokenSecret: secret });
    const b = await serve({ tokenSecret: secret });
    const ca = await mcpClient(a.url, undefined, () => ({ action: 'accept', content: { confirm: true } }));
    const cb = await mcpClient(b.url);
    const first = (await ca.callTool({ name: 'job_rerun', arguments: { job: 'batch/paused' } })) as CallToolResult;
    const token = (first.structuredContent as { confirmationToken: string }).confirmationToken;
    const r = (await cb.callTool({ name: 'job_rerun', arguments: { job: 'batch/paused', confirmationToken: token } })) as CallToolResult;
    expect(r.isError, text(r)).toBeFalsy();
    await ca.close();
    await cb.close();
  });

  it("refuses a token that another caller's human confirmed (tokens are bound to the bearer token)", async () => {
    const s = await serve({ authTokenFile: tokenFile([TOKEN, OTHER]) });
    const asker = await mcpClient(s.url, TOKEN, () => ({ action: 'accept', content: { confirm: true } }));
    const other = await mcpClient(s.url, OTHER);
    const first = (await asker.callTool({ name: 'job_suspend', arguments: { job: 'batch/flaky-import', suspend: true } })) as CallToolResult;
    const token = (first.structuredContent as { confirmationToken: string }).confirmationToken;
    expect(token).toBeTruthy();
    const before = demo.api.writes.length;
    const stolen = (await other.callTool({ name: 'job_suspend', arguments: { job: 'batch/flaky-import', suspend: true, confirmationToken: token } })) as CallToolResult;
    expect(stolen.isError).toBe(true);
    expect(text(stolen)).toMatch(/^Error \(not-confirmed\): The confirmation token is not valid: it was not issued by this server \(or its shared secret changed\) to this caller/);
    expect(demo.api.writes.length).toBe(before);
    // The caller whose human confirmed it, in another session, may use it.
    const again = await mcpClient(s.url, TOKEN);
    const own = (await again.callTool({ name: 'job_suspend', arguments: { job: 'batch/flaky-import', suspend: true, confirmationToken: token } })) as CallToolResult;
    expect(own.isError, text(own)).toBeFalsy();
    const resume = await mcpClient(s.url, TOKEN, () => ({ action: 'accept', content: { confirm: true } }));
    const r1 = (await resume.callTool({ name: 'job_suspend', arguments: { job: 'batch/flaky-import', suspend: false } })) as CallToolResult;
    const r2 = (await resume.callTool({ name: 'job_suspend', arguments: { job: 'batch/flaky-import', suspend: false, confirmationToken: (r1.structuredContent as { confirmationToken: string }).confirmationToken } })) as CallToolResult;
    expect(r2.isError, text(r2)).toBeFalsy();
    for (const c of [asker, other, again, resume]) await c.close();
  });

  it.skipIf(!IPV6)('binds the IPv6 loopback written as in a URL ([::1]) and serves it', async () => {
    const s = await serve({ host: '[::1]' });
    expect(s.url).toMatch(/^http:\/\/\[::1\]:\d+\/mcp$/);
    const client = await mcpClient(s.url);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('refuses a forged Origin with 403', async () => {
    const s = await serve();
    const r = await raw(s.url, { headers: { Origin: 'http://evil.example' }, body: INIT });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toMatch(/Origin "http:\/\/evil\.example" is not allowed/);
    expect((await raw(s.url, { headers: { Origin: 'http://localhost:3000' }, body: INIT })).status).toBe(200);
  });

  it('refuses a Host that is not loopback with 403 (DNS rebinding)', async () => {
    const s = await serve();
    const r = await raw(s.url, { headers: { Host: 'attacker.example:8080' }, body: INIT });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toMatch(/Host "attacker\.example:8080" is not allowed/);
  });

  it('accepts configured hosts and origins only', async () => {
    const s = await serve({ allowedHosts: 'mcp.internal', allowedOrigins: 'https://chat.example' });
    expect((await raw(s.url, { headers: { Host: 'mcp.internal' }, body: INIT })).status).toBe(200);
    expect((await raw(s.url, { headers: { Host: 'mcp.internal', Origin: 'https://chat.example' }, body: INIT })).status).toBe(200);
    expect((await raw(s.url, { headers: { Host: 'mcp.internal', Origin: 'http://localhost' }, body: INIT })).status).toBe(403);
    expect((await raw(s.url, { body: INIT })).status).toBe(403);
  });

  it('requires the bearer token when one is configured: 401 without it or with a wrong one', async () => {
    const s = await serve({ authToken: TOKEN });
    const none = await raw(s.url, { body: INIT });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await raw(s.url, { headers: { Authorization: `Bearer ${OTHER}` }, body: INIT })).status).toBe(401);
    expect((await raw(s.url, { headers: { Authorization: `Basic ${TOKEN}` }, body: INIT })).status).toBe(401);
    const ok = await mcpClient(s.url, TOKEN);
    expect((await ok.listTools()).tools.length).toBeGreaterThan(0);
    await ok.close();
  });

  it('binds a session to the token that opened it', async () => {
    const s = await serve({ authTokenFile: tokenFile([TOKEN, OTHER]) });
    const init = await raw(s.url, { headers: { Authorization: `Bearer ${TOKEN}` }, body: INIT });
    const sid = init.headers['mcp-session-id'] as string;
    expect(sid).toBeTruthy();
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const hijack = await raw(s.url, { headers: { Authorization: `Bearer ${OTHER}`, 'Mcp-Session-Id': sid, 'Mcp-Protocol-Version': '2025-11-25' }, body: list });
    expect(hijack.status).toBe(403);
    const unknown = await raw(s.url, { headers: { Authorization: `Bearer ${TOKEN}`, 'Mcp-Session-Id': 'no-such-session' }, body: list });
    expect(unknown.status).toBe(404);
  });

  it('refuses to bind a non-loopback address without a token, before listening', async () => {
    await expect(serve({ host: '0.0.0.0' })).rejects.toThrow(HttpConfigError);
    await expect(serve({ host: '0.0.0.0' })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 without authentication/);
  });

  it('bounds request bodies (413) and rejects bodies that are not JSON (400)', async () => {
    const s = await serve();
    const big = await raw(s.url, { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(1024 * 1024 + 10) } }) });
    expect(big.status).toBe(413);
    const bad = await raw(s.url, { body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe(-32700);
    const noSession = await raw(s.url, { body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    expect(noSession.status).toBe(400);
  });

  it('drops a client that trickles its request body', async () => {
    const s = await serve({}, 300);
    const u = new URL(s.url);
    const closed = await new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = connectTcp(Number(u.port), u.hostname, () => {
        socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"json`);
      });
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => {});
    });
    expect(closed).toBeLessThan(5000);
  });

  it('serves /healthz, and /readyz only while the API server answers', async () => {
    const s = await serve({ authToken: TOKEN });
    const base = s.url.replace(/\/mcp$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    // Unauthenticated: it tells nothing about the cluster.
    expect(await ready.json()).toEqual({ ready: true });
    // Unauthenticated probes cannot become load on the API server: one answer serves a second of them.
    const versions = () => demo.api.requests.filter((r) => r.url === '/version').length;
    const before = versions();
    const probes = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/readyz`)));
    expect(probes.every((p) => p.status === 200)).toBe(true);
    expect(versions() - before).toBeLessThanOrEqual(1);
    demo.api.addFault({ path: '/version', status: 500 });
    await new Promise((r) => setTimeout(r, 1100));
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    demo.api.clearFaults();
  });

  it("makes room at the session limit from the caller's own sessions, not another caller's", async () => {
    const s = await serve({ authTokenFile: tokenFile([TOKEN, OTHER]), maxSessions: 2 });
    const b = await mcpClient(s.url, OTHER);
    const mine: Client[] = [];
    for (let i = 0; i < 3; i++) mine.push(await mcpClient(s.url, TOKEN));
    expect(s.sessions()).toBe(2);
    // The other caller's session is still there.
    expect((await b.listTools()).tools.length).toBeGreaterThan(0);
    for (const c of [b, ...mine]) await c.close().catch(() => {});
  });

  it('impersonates the caller: the API sees each user and group, and RBAC applies per human', async () => {
    const s = await serve({ impersonate: true, authTokenFile: tokenFile([`${ALICE} alice@example.com team-batch,devs`, `${BOB} bob@example.com sre`]) });
    const alice = await mcpClient(s.url, ALICE);
    const before = demo.api.requests.length;
    const ok = (await alice.callTool({ name: 'job_get', arguments: { job: 'batch/report-oom' } })) as CallToolResult;
    expect(ok.isError, text(ok)).toBeFalsy();
    const seen = demo.api.requests.slice(before).filter((r) => r.url.startsWith('/apis/batch'));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.impersonateUser === 'alice@example.com' && JSON.stringify(r.impersonateGroups) === '["team-batch","devs"]')).toBe(true);
    const denied = (await alice.callTool({ name: 'job_get', arguments: { job: 'ops/migrate-db' } })) as CallToolResult;
    expect(text(denied)).toMatch(/^Error \(forbidden\): .*alice@example\.com/);
    const bob = await mcpClient(s.url, BOB);
    const b = (await bob.callTool({ name: 'job_get', arguments: { job: 'ops/migrate-db' } })) as CallToolResult;
    expect(b.isError).toBeFalsy();
    expect(demo.api.requests.at(-1)?.impersonateUser).toBe('bob@example.com');
    await alice.close();
    await bob.close();
  });

  it('refuses --impersonate when a token names no user', async () => {
    await expect(serve({ impersonate: true, authToken: TOKEN })).rejects.toThrow(/--impersonate needs every token/);
  });

  it('answers 10 concurrent sessions × 10 parallel calls, each in its own session', async () => {
    const s = await serve({ authToken: TOKEN });
    const jobs = ['batch/report-oom', 'batch/render-frames', 'ops/migrate-db', 'demo/hello', 'batch/paused', 'batch/slow-report', 'ops/backup-db', 'batch/gpu-train', 'batch/flaky-import', 'ops/send-invoices'];
    const clients = await Promise.all(jobs.map(() => mcpClient(s.url, TOKEN)));
    expect(s.sessions()).toBe(10);
    const results = await Promise.all(
      clients.map((c, i) =>
        Promise.all(
          Array.from({ length: 10 }, async (_, k) => {
            const job = jobs[(i + k) % jobs.length] as string;
            const r = (await c.callTool({ name: 'job_get', arguments: { job } })) as CallToolResult;
            const sc = r.structuredContent as { namespace: string; name: string };
            return `${sc.namespace}/${sc.name}` === job;
          }),
        ),
      ),
    );
    expect(results.flat()).toHaveLength(100);
    expect(results.flat().every(Boolean)).toBe(true);
    const ids = new Set(clients.map((c) => (c.transport as StreamableHTTPClientTransport).sessionId));
    expect(ids.size).toBe(10);
    await Promise.all(clients.map((c) => c.close()));
  });
});

describe('the CLI over HTTP', () => {
  it('starts on 127.0.0.1, writes nothing to stdout, and stops cleanly on SIGTERM', async () => {
    const server = await startHttpCli();
    let stdout = '';
    server.child.stdout.on('data', (d) => {
      stdout += d;
    });
    const client = await mcpClient(server.url);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    expect(await server.stop()).toBe(0);
    expect(stdout).toBe('');
  });

  it('refuses a non-loopback bind without a token with exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, '--transport', 'http', '--host', '0.0.0.0', '--port', '0'], { env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without authentication/);
  });
});
