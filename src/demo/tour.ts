// `npm run demo`: a short guided tour. It spawns the real server (dist/bin/k8s-jobs-mcp.js
// --demo) over stdio, connects a real MCP client to it, and shows what an agent
// sees when it investigates the demo cluster's Jobs. This file is a client, so
// it may print to stdout; the server it drives never does.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const CLI = new URL('../bin/k8s-jobs-mcp.js', import.meta.url).pathname;
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const out = (s = '') => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--demo', '--log-level', 'warn'], stderr: 'inherit' });
  const client = new Client({ name: 'k8s-jobs-mcp-tour', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });

  // The tour stands in for the human: it shows the confirmation the server asks for, then accepts it.
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    out(bold('  ┌ the server asks the human (MCP elicitation):'));
    for (const line of String(req.params.message).split('\n')) out(`  │ ${line}`);
    out(bold('  └ the human answers: confirm = true'));
    return { action: 'accept', content: { confirm: true } };
  });

  await client.connect(transport);
  const started = Date.now();
  const { tools } = await client.listTools();
  const names = new Set(tools.map((t) => t.name));
  out(bold(`k8s-jobs-mcp ${client.getServerVersion()?.version} — ${tools.length} tools over stdio: ${[...names].join(', ')}`));
  out(dim(`tools/list is ${JSON.stringify(tools).length} bytes (~${Math.round(JSON.stringify(tools).length / 4)} tokens). A built-in demo cluster stands in for Kubernetes.`));

  const call = async (name: string, args: Record<string, unknown>, note: string, onprogress?: (p: { progress: number; total?: number; message?: string }) => void): Promise<CallToolResult | undefined> => {
    if (!names.has(name)) return undefined;
    out();
    out(bold(`▶ ${note}`));
    out(dim(`  ${name} ${JSON.stringify(args)}`));
    const r = (await client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress, timeout: 120_000 } : undefined)) as CallToolResult;
    const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    out(text.replace(/^/gm, '  '));
    out(dim(`  (${r.isError ? 'error, ' : ''}${text.length} bytes ≈ ${Math.round(text.length / 4)} tokens)`));
    return r;
  };
  const structured = <T>(r: CallToolResult | undefined) => (r?.structuredContent ?? {}) as T;
  /** The two calls of a confirmed write: the first asks the human, the second (with the token) writes. */
  const confirmed = async (name: string, args: Record<string, unknown>, note: string) => {
    const token = structured<{ confirmationToken?: string }>(await call(name, args, `${note}: the first call asks the human and returns a token`)).confirmationToken;
    return token ? call(name, { ...args, confirmationToken: token }, 'The second call, with the token, does it') : undefined;
  };

  await call('job_triage', {}, 'On call: which Jobs failed or are stuck, and why? One call.');
  await call('job_diagnose', { job: 'ops/migrate-db' }, 'The evidence for one of them: diagnose ops/migrate-db');
  await call('cronjob_get', { cronjob: 'ops/nightly-migrate' }, 'Is it run on a schedule? Its CronJob: schedule, next runs, warnings');
  await call('cronjob_get', { cronjob: 'batch/sales-rollup' }, 'A CronJob in a time zone: next runs in UTC and Europe/Berlin');
  await call('job_logs', { job: 'batch/report-oom', tailLines: 5 }, 'The last lines of a failed pod (picked for you, redacted, framed)');

  const trigger = await confirmed('cronjob_trigger', { cronjob: 'batch/sales-rollup' }, 'Run the CronJob batch/sales-rollup now');
  const manual = structured<{ newJob?: { name: string } }>(trigger).newJob?.name;
  if (manual) {
    await call('job_wait', { job: `batch/${manual}`, timeoutSeconds: 60 }, 'Wait for the run, with progress notifications', (p) =>
      out(dim(`  … progress ${p.progress}${p.total ? `/${p.total}` : ''}: ${p.message ?? ''}`)),
    );
  }
  await confirmed('job_suspend', { job: 'demo/data-sync', suspend: true }, 'Suspend the running Job demo/data-sync');
  await call('job_wait', { job: 'demo/data-sync', timeoutSeconds: 30 }, 'Wait until the Job controller has suspended it');
  await confirmed('job_suspend', { job: 'demo/data-sync', suspend: false }, 'Resume it');
  const first = await call('job_rerun', { job: 'demo/hello' }, 'Rerun demo/hello: the first call asks the human and returns a token');
  const token = structured<{ confirmationToken?: string }>(first).confirmationToken;
  if (token) {
    await call('job_rerun', { job: 'demo/hello', confirmationToken: token }, 'The second call, with the token, performs the rerun');
    await call('job_rerun', { job: 'demo/hello', confirmationToken: token }, 'The same token again is refused (single use, claimed in the cluster)');
  }
  await call('context_list', {}, 'A second cluster: the contexts this server may use');
  await call('job_triage', { context: 'demo-staging' }, 'Triage in the staging cluster');
  await call('job_get', { job: 'batch/does-not-exist' }, 'Mistakes get a clear error, not a crash');

  out();
  out(dim(`Tour done in ${Date.now() - started} ms. Plug the same server into your client: see README.md ("Use it from a client").`));
  await client.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
