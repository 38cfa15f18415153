// What an on-call agent pays, measured against the demo cluster: the scripted triage path (calls
// and tokens of tool output), job_triage over 10,000 Jobs (time, RSS), and job_wait's latency
// from a Job's failure to the answer. Used by `npm run bench`.
import { performance } from 'node:perf_hooks';
import { DEMO_TOKENS } from '../dist/demo/index.js';

const textOf = (r) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const tokens = (s) => Math.round(s.length / 4);

/** "Which Jobs failed or are stuck and why; is ops/migrate-db scheduled, and what should I do?" */
export async function scriptedAgent(client) {
  const steps = [
    ['job_triage', {}],
    ['job_get', { job: 'ops/migrate-db' }],
    ['cronjob_get', { cronjob: 'ops/nightly-migrate' }],
    ['job_diagnose', { job: 'ops/migrate-db' }],
  ];
  const calls = [];
  for (const [name, args] of steps) {
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(`${name}: ${textOf(r)}`);
    calls.push({ tool: name, tokens: tokens(textOf(r)) });
  }
  // The answers the path must contain: the triage finds the failures, the CronJob is named and suspended.
  const all = calls.map((c) => c.tool).join(',');
  return { calls: calls.length, tokens: calls.reduce((a, c) => a + c.tokens, 0), perCall: calls, path: all };
}

/** job_triage over every namespace after `seedBulk(store, 10_000)` (200 failed Jobs among them). */
export async function triageAtScale(client) {
  const s = performance.now();
  const r = await client.callTool({ name: 'job_triage', arguments: { limit: 20 } });
  if (r.isError) throw new Error(textOf(r));
  return { ms: Math.round(performance.now() - s), scanned: r.structuredContent.scanned, lines: r.structuredContent.lines.length, tokens: tokens(textOf(r)) };
}

/** From the moment the demo's Job controller marks a Job FailureTarget to job_wait's answer. */
export async function waitLatency(client, demo, runs = 5) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const name = `bench-wait-${Date.now().toString(36)}-${i}`;
    const body = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'demo' },
      spec: { backoffLimit: 0, template: { metadata: { annotations: { 'kube-real.sim/scenario': JSON.stringify({ kind: 'exit', durationMs: 400, exitCode: 1 }) } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
    };
    const res = await fetch(`${demo.url}/apis/batch/v1/namespaces/demo/jobs`, { method: 'POST', headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status}`);
    let failedAt;
    const unsubscribe = demo.store.subscribe((c) => {
      const j = c.object;
      if (failedAt === undefined && j?.metadata?.name === name && j.status?.conditions?.some((x) => x.type === 'FailureTarget' && x.status === 'True')) failedAt = performance.now();
    });
    const r = await client.callTool({ name: 'job_wait', arguments: { job: `demo/${name}`, timeoutSeconds: 30 } });
    const answered = performance.now();
    unsubscribe();
    if (r.isError || !r.structuredContent.done || failedAt === undefined) throw new Error(`job_wait: ${textOf(r)}`);
    out.push(answered - failedAt);
  }
  out.sort((a, b) => a - b);
  return { runs, medianMs: Math.round(out[Math.floor(out.length / 2)] * 10) / 10, maxMs: Math.round(out.at(-1) * 10) / 10 };
}
