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

  const call = async (name: string, args: Record<string, unknown>, note: string): Promise<CallToolResult | undefined> => {
    if (!names.has(name)) return undefined;
    out();
    out(bold(`▶ ${note}`));
    out(dim(`  ${name} ${JSON.stringify(args)}`));
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    out(text.replace(/^/gm, '  '));
    out(dim(`  (${r.isError ? 'error, ' : ''}${text.length} bytes ≈ ${Math.round(text.length / 4)} tokens)`));
    return r;
  };

  await call('job_list', { namespace: 'batch' }, 'What Jobs are there in namespace batch?');
  await call('job_list', { status: 'Failed', limit: 5 }, 'Which Jobs failed, anywhere? (first page)');
  await call('job_get', { job: 'batch/report-oom' }, 'Why did batch/report-oom fail? Start with the Job…');
  await call('job_pods', { job: 'batch/report-oom' }, '…its pods…');
  await call('job_logs', { job: 'batch/report-oom', tailLines: 5 }, '…the log of the failed pod…');
  await call('job_events', { job: 'batch/report-oom' }, '…and its events.');
  await call('job_diagnose', { job: 'ops/migrate-db' }, 'Or the whole chain in one call: diagnose ops/migrate-db');
  const first = await call('job_rerun', { job: 'demo/hello' }, 'Rerun demo/hello: the first call asks the human and returns a token');
  const token = (first?.structuredContent as { confirmationToken?: string } | undefined)?.confirmationToken;
  if (token) {
    const second = await call('job_rerun', { job: 'demo/hello', confirmationToken: token }, 'The second call, with the token, performs the rerun');
    await call('job_rerun', { job: 'demo/hello', confirmationToken: token }, 'The same token again is refused (single use)');
    const created = (second?.structuredContent as { newJob?: { name: string } } | undefined)?.newJob?.name;
    if (created) {
      // The demo cluster's Job controller runs each pod for about three seconds.
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const r = (await client.callTool({ name: 'job_get', arguments: { job: `demo/${created}` } })) as CallToolResult;
        if ((r.structuredContent as { status?: string } | undefined)?.status === 'Complete') break;
      }
      await call('job_get', { job: `demo/${created}` }, 'A few seconds later, the rerun has completed');
    }
  }
  await call('job_get', { job: 'batch/does-not-exist' }, 'Mistakes get a clear error, not a crash');

  out();
  out(dim(`Tour done in ${Date.now() - started} ms. Plug the same server into your client: see README.md ("Use it from a client").`));
  await client.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
