// Output size (bytes, and bytes/4 as tokens) of tools/list and of each read
// tool on each seeded Job of the demo cluster. Used by `npm run bench`; also
// runnable alone: node bench/sizes.mjs [--json]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const SEEDED = ['demo/hello', 'demo/data-sync', 'batch/report-oom', 'batch/etl-imagepull', 'ops/migrate-db', 'batch/slow-report', 'batch/render-frames', 'batch/paused', 'batch/flaky-import', 'ops/backup-db', 'ops/send-invoices', 'batch/gpu-train', 'ops/cleanup-tmp', 'batch/validate-data'];

export const SEEDED_CRONJOBS = ['ops/nightly-migrate', 'batch/sales-rollup', 'ops/sync-billing', 'ops/rotate-certs', 'demo/digest-email', 'demo/cache-warmup'];

const textOf = (r) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

async function spawnDemo(extra) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [new URL('../dist/bin/k8s-jobs-mcp.js', import.meta.url).pathname, '--demo', '--log-level', 'error', ...extra], stderr: 'ignore' });
  const client = new Client({ name: 'sizes', version: '1' });
  await client.connect(transport);
  return client;
}

export async function measureSizes() {
  // --demo allows two contexts (every tool then takes `context`); one context is what most users run.
  const multi = await spawnDemo([]);
  const multiBytes = JSON.stringify((await multi.listTools()).tools).length;
  await multi.close();
  const client = await spawnDemo(['--contexts', 'demo']);
  const { tools } = await client.listTools();
  const names = new Set(tools.map((t) => t.name));
  const perTool = Object.fromEntries(tools.map((t) => [t.name, JSON.stringify(t).length]));
  const rows = [];
  const calls = [
    ['job_list', () => [{ label: 'all (default limit 50)', args: {} }, { label: 'namespace batch', args: { namespace: 'batch' } }]],
    ...['job_get', 'job_yaml', 'job_pods', 'job_events', 'job_logs', 'job_diagnose'].map((tool) => [tool, () => SEEDED.map((job) => ({ label: job, args: { job } }))]),
    ['job_triage', () => [{ label: 'all namespaces', args: {} }, { label: 'namespace batch', args: { namespace: 'batch' } }]],
    ['cronjob_list', () => [{ label: 'all', args: {} }]],
    ['cronjob_get', () => SEEDED_CRONJOBS.map((cronjob) => ({ label: cronjob, args: { cronjob } }))],
  ];
  for (const [tool, cases] of calls) {
    if (!names.has(tool)) continue;
    for (const { label, args } of cases()) {
      const r = await client.callTool({ name: tool, arguments: args });
      const text = textOf(r);
      const structured = r.structuredContent ? JSON.stringify(r.structuredContent).length : 0;
      rows.push({ tool, case: label, textBytes: text.length, structuredBytes: structured, isError: Boolean(r.isError) });
    }
  }
  await client.close();
  const listBytes = JSON.stringify(tools).length;
  return { toolsList: { bytes: listBytes, tokens: Math.round(listBytes / 4), perTool }, toolsListTwoContexts: { bytes: multiBytes, tokens: Math.round(multiBytes / 4) }, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureSizes();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`tools/list: ${result.toolsList.bytes} bytes ≈ ${result.toolsList.tokens} tokens\n`);
    for (const [t, b] of Object.entries(result.toolsList.perTool)) process.stdout.write(`  ${t}: ${b} bytes\n`);
    const byTool = {};
    for (const r of result.rows) {
      byTool[r.tool] ??= [];
      byTool[r.tool].push(r);
    }
    for (const [tool, rows] of Object.entries(byTool)) {
      const max = Math.max(...rows.map((r) => r.textBytes));
      const avg = Math.round(rows.reduce((a, r) => a + r.textBytes, 0) / rows.length);
      process.stdout.write(`${tool}: text avg ${avg} B (≈${Math.round(avg / 4)} tok), max ${max} B (≈${Math.round(max / 4)} tok)\n`);
      for (const r of rows) process.stdout.write(`  ${r.case.padEnd(24)} text ${String(r.textBytes).padStart(5)} B ≈ ${String(Math.round(r.textBytes / 4)).padStart(4)} tok   structured ${String(r.structuredBytes).padStart(5)} B${r.isError ? '  (error result)' : ''}\n`);
    }
  }
}
