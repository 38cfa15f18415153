// A bounded load on the Streamable HTTP transport, on 127.0.0.1 only: 50 sessions × 20 calls
// (job_get, job_list, job_pods, job_logs, job_triage), reporting p50/p95 and the server's RSS,
// with the heap flags the container image passes and without. Used by `npm run bench`; alone:
// node bench/http-load.mjs
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const BIN = new URL('../dist/bin/k8s-jobs-mcp.js', import.meta.url).pathname;
const SESSIONS = 50;
const CALLS = 20;
const CALLS_MIX = [
  ['job_get', { job: 'batch/report-oom' }],
  ['job_list', { namespace: 'batch' }],
  ['job_pods', { job: 'batch/report-oom' }],
  ['job_logs', { job: 'batch/report-oom' }],
  ['job_triage', { namespace: 'batch' }],
];

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const rss = (pid) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakMB: Math.round(kb('VmHWM') / 102.4) / 10 };
};
const pct = (xs, p) => Math.round(xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] * 10) / 10;

export async function httpLoad(kubeconfig, nodeArgs = [], env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, BIN, '--transport', 'http', '--host', '127.0.0.1', '--port', String(port), '--kubeconfig', kubeconfig, '--context', 'demo', '--max-sessions', '100', '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ...env } });
  try {
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const times = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: SESSIONS }, async (_, s) => {
        const client = new Client({ name: `load-${s}`, version: '1' });
        await client.connect(new StreamableHTTPClientTransport(url));
        for (let i = 0; i < CALLS; i++) {
          const [name, args] = CALLS_MIX[(s + i) % CALLS_MIX.length];
          const t = performance.now();
          const r = await client.callTool({ name, arguments: args });
          times.push(performance.now() - t);
          if (r.isError) throw new Error(`${name}: ${r.content?.[0]?.text}`);
        }
        await client.close();
      }),
    );
    times.sort((a, b) => a - b);
    return { sessions: SESSIONS, calls: times.length, wallMs: Math.round(performance.now() - started), p50Ms: pct(times, 0.5), p95Ms: pct(times, 0.95), ...rss(child.pid), nodeArgs, env };
  } finally {
    child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startDemoCluster } = await import('../dist/demo/index.js');
  const demo = await startDemoCluster({ podRunMs: 60_000 });
  try {
    for (const args of [[], ['--max-semi-space-size=2', '--max-old-space-size=128']]) process.stdout.write(`${JSON.stringify(await httpLoad(demo.kubeconfigPath, args))}\n`);
  } finally {
    await demo.close();
  }
}
