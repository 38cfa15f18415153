import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type CallToolResult, type ClientCapabilities, ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import pino, { type Logger } from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ConfigInput, makeConfig } from '../src/config.js';
import { type DemoCluster, type DemoOptions, startDemoCluster } from '../src/demo/index.js';
import { createJobsApi } from '../src/kube/client.js';
import { createServer } from '../src/server.js';
import type { Job } from '../src/kube/types.js';

export interface Harness {
  demo: DemoCluster;
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult & { text: string; structured: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: ConfigInput;
  demo?: DemoOptions;
  /** Reuse a running demo cluster (it is then not closed by this harness). */
  cluster?: DemoCluster;
  context?: string;
  capabilities?: ClientCapabilities;
  readAttempts?: number;
  now?: () => number;
  /** Answers elicitation/create; giving it declares the elicitation capability. */
  onElicit?: (message: string) => ElicitResult | Promise<ElicitResult>;
  log?: Logger;
}

export const silent = pino({ level: 'silent' });

/**
 * A real MCP Client connected in memory to the real server, which talks HTTP
 * through @kubernetes/client-node to a demo cluster on 127.0.0.1.
 */
export async function connect(o: HarnessOptions = {}): Promise<Harness> {
  const demo = o.cluster ?? (await startDemoCluster({ noiseEvents: 50, podRunMs: 200, ...o.demo }));
  const config = makeConfig({ kubeconfig: demo.kubeconfigPath, context: o.context ?? 'demo', ...o.config });
  // With several contexts the server builds one client per context itself, from the kubeconfig.
  const api = config.contexts.length
    ? undefined
    : createJobsApi({
    kubeconfig: config.kubeconfig,
    context: config.context,
    namespace: config.namespace,
    timeoutMs: config.requestTimeoutMs,
    log: silent,
    readAttempts: o.readAttempts,
    retryBaseMs: 10,
    redact: config.redact,
      });
  const server = createServer(config, { log: o.log ?? silent, api, now: o.now });
  const capabilities = o.capabilities ?? (o.onElicit ? { elicitation: { form: {} } } : {});
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities });
  const onElicit = o.onElicit;
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, (req) => onElicit(String(req.params.message)));
  const [ct, st] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(st), client.connect(ct)]);
  return {
    demo,
    client,
    async call(name, args = {}) {
      const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
      const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      return Object.assign(r, { text, structured: (r.structuredContent ?? {}) as Record<string, unknown> });
    },
    async close() {
      await client.close();
      await server.close();
      if (!o.cluster) await demo.close();
    },
  };
}

/** A pino logger whose JSON lines are kept for assertions. */
export function captureLog(): { log: Logger; lines: () => Record<string, unknown>[]; raw: () => string } {
  let raw = '';
  const log = pino(
    { level: 'info' },
    {
      write: (s: string) => {
        raw += s;
      },
    },
  );
  return { log, raw: () => raw, lines: () => raw.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

/** Polls a condition of the demo cluster's state (never a timing assertion: it only waits). */
export async function waitFor<T>(fn: () => T | undefined | false, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const ACCEPT = { action: 'accept', content: { confirm: true } } as const satisfies ElicitResult;

/**
 * One demo cluster for a test file, and MCP clients on it that accept every confirmation unless
 * told otherwise; faults are cleared and clients closed after each test.
 */
export interface SharedDemo {
  demo: () => DemoCluster;
  client: (o?: HarnessOptions) => Promise<Harness>;
  /** How many writes the demo API has received: a test compares it before and after. */
  writes: () => number;
  job: (namespace: string, name: string) => Job | undefined;
}

export function sharedDemo(options: DemoOptions): SharedDemo {
  let demo: DemoCluster | undefined;
  const open: Harness[] = [];
  beforeAll(async () => {
    demo = await startDemoCluster(options);
  });
  afterEach(async () => {
    demo?.api.clearFaults();
    for (const h of open.splice(0)) await h.close();
  });
  afterAll(() => demo?.close());
  const cluster = () => {
    if (!demo) throw new Error('the demo cluster is started in beforeAll');
    return demo;
  };
  return {
    demo: cluster,
    writes: () => cluster().api.writes.length,
    job: (namespace, name) => cluster().store.get<Job>('jobs', namespace, name),
    async client(o = {}) {
      const h = await connect({ cluster: cluster(), onElicit: () => ACCEPT, ...o });
      open.push(h);
      return h;
    },
  };
}
