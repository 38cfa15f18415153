// Memory under a mixed read load (issue 14's measurement): this server and a peer do the same work
// on the same cluster — get a Job, list a namespace, list the Job's pods, read its failed pod's log,
// list a namespace of 300 Jobs — side by side, so machine load hits all alike. RSS and
// peak RSS (VmHWM) of each server are read at the checkpoints. Used by `npm run bench`.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const round = (x) => Math.round(x * 10) / 10;

function rss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMB: round(kb('VmRSS') / 1024), peakMB: round(kb('VmHWM') / 1024) };
}

/** The five calls of the mix, in each server's own tools. */
function mixFor(kind, { ns, job, pod, bulkNs, selector }) {
  if (kind === 'ours') {
    return [
      ['job_get', { job: `${ns}/${job}` }],
      ['job_list', { namespace: ns }],
      ['job_pods', { job: `${ns}/${job}` }],
      ['job_logs', { pod: `${ns}/${pod}` }],
      ['job_list', { namespace: bulkNs, limit: 300 }],
    ];
  }
  if (kind === 'go') {
    return [
      ['resources_get', { apiVersion: 'batch/v1', kind: 'Job', name: job, namespace: ns }],
      ['resources_list', { apiVersion: 'batch/v1', kind: 'Job', namespace: ns }],
      ['pods_list_in_namespace', { namespace: ns, labelSelector: selector }],
      ['pods_log', { name: pod, namespace: ns }],
      ['resources_list', { apiVersion: 'batch/v1', kind: 'Job', namespace: bulkNs }],
    ];
  }
  // mcp-server-kubernetes runs kubectl for each call.
  return [
    ['kubectl_get', { resourceType: 'job', name: job, namespace: ns }],
    ['kubectl_get', { resourceType: 'jobs', namespace: ns }],
    ['kubectl_get', { resourceType: 'pods', namespace: ns, labelSelector: selector }],
    ['kubectl_logs', { resourceType: 'pod', name: pod, namespace: ns }],
    ['kubectl_get', { resourceType: 'jobs', namespace: bulkNs }],
  ];
}

/**
 * servers: [{ key, kind: 'ours'|'go'|'node-peer', cmd, args, env, upTo }] — each runs the mix up to
 * its `upTo` calls (the Node peer, which spawns kubectl per call, is given fewer).
 */
export async function mixedLoad(servers, target, checkpoints) {
  const running = [];
  for (const s of servers) {
    const transport = new StdioClientTransport({ command: s.cmd, args: s.args, env: s.env, stderr: 'ignore' });
    const client = new Client({ name: 'bench-mixed', version: '1' });
    await client.connect(transport);
    running.push({ ...s, client, pid: transport.pid, mix: mixFor(s.kind, target), at: {}, failures: 0, ms: 0, byTool: {} });
  }
  // Side by side, each server its own sequence of calls (the Go peer's client-go throttles itself to
  // ~5 requests a second, so taking turns would make every server wait for the slowest).
  await Promise.all(
    running.map(async (r) => {
      for (let i = 1; i <= r.upTo; i++) {
        const [name, args] = r.mix[(i - 1) % r.mix.length];
        const t0 = performance.now();
        // A peer may answer with a protocol error rather than an error result (the Node peer's kubectl
        // output of 300 Jobs overflows its buffer): counted as a failed call either way.
        const res = await r.client.callTool({ name, arguments: args }).catch((e) => ({ isError: true, content: [{ type: 'text', text: String(e?.message ?? e) }] }));
        const ms = performance.now() - t0;
        r.ms += ms;
        r.byTool[name] = (r.byTool[name] ?? 0) + ms;
        if (res.isError) {
          r.failures++;
          r.firstFailure ??= `${name}: ${JSON.stringify(res.content).slice(0, 300)}`;
        }
        if (checkpoints.includes(i)) r.at[i] = rss(r.pid);
      }
    }),
  );
  for (const r of running) await r.client.close();
  return running.map((r) => ({ key: r.key, calls: r.upTo, failures: r.failures, firstFailure: r.firstFailure, msPerCall: round(r.ms / r.upTo), at: r.at, byTool: Object.fromEntries(Object.entries(r.byTool).map(([k, v]) => [k, round(v)])) }));
}
