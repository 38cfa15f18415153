import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { asJobsError, invalidInput, JobsError } from '../errors.js';
import { contextList } from './context-list.js';
import { flushCodeCacheOnce } from '../code-cache.js';
import { trimHeap } from '../heap.js';
import { finalPass } from '../safety/final-pass.js';
import { jobDiagnose } from './diagnose.js';
import { jobEvents } from './events.js';
import { jobGet } from './get.js';
import { jobList } from './list.js';
import { jobLogs } from './logs.js';
import { jobPods } from './pods.js';
import { jobRerun } from './rerun.js';
import { jobYamlTool } from './yaml.js';
import { cronJobGet } from './cronjob-get.js';
import { cronJobList } from './cronjob-list.js';
import { jobTriage } from './triage.js';
import { cronJobSuspend } from './cronjob-suspend.js';
import { cronJobTrigger } from './cronjob-trigger.js';
import { jobDelete } from './job-delete.js';
import { jobSuspend } from './job-suspend.js';
import { jobWait } from './job-wait.js';
import type { Host, Scope, ToolDefinition } from './types.js';

// The agent reads descriptions, not the README: it must know when a token no longer means a human said yes.
const TOKEN_MODE_NOTE =
  'This server runs with --confirm=token: the first call returns a token WITHOUT asking the human, so get their explicit approval of the preview before you use it.';

export type HostExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

// biome-ignore lint/suspicious/noExplicitAny: the list holds tools of different schemas
export const allTools: ToolDefinition<any, any>[] = [jobTriage, jobList, jobGet, jobYamlTool, jobPods, jobEvents, jobLogs, jobDiagnose, jobWait, cronJobList, cronJobGet, jobRerun, cronJobTrigger, jobSuspend, cronJobSuspend, jobDelete, contextList];

/** Read-only mode keeps exactly the tools whose annotations say they only read. */
export function enabledTools(readOnly: boolean): ToolDefinition[] {
  return allTools.filter((t) => !readOnly || t.annotations.readOnlyHint);
}

function errorResult(err: unknown): CallToolResult {
  const e = asJobsError(err);
  return { isError: true, content: [{ type: 'text', text: `Error (${e.kind}): ${e.message}` }] };
}

const contextArg = z.string().min(1).max(253).optional().describe('see context_list');

export function registerTools(server: McpServer, scope: Scope, makeHost: (extra: HostExtra) => Host): void {
  const { config, log } = scope;
  const tools = enabledTools(config.readOnly).filter((t) => scope.multi || t.name !== contextList.name);
  for (const tool of tools) {
    // With one context, `context` is not advertised, but an object that lets unknown keys through
    // means a `context` naming another cluster is refused, never silently ignored.
    const inputSchema = scope.multi && tool.name !== contextList.name ? z.object({ ...tool.inputSchema, context: contextArg }) : z.looseObject(tool.inputSchema);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.annotations.readOnlyHint || config.confirm !== 'token' ? tool.description : `${tool.description} ${TOKEN_MODE_NOTE}`,
        inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      async (raw: Record<string, unknown>, extra: HostExtra): Promise<CallToolResult> => {
        const started = Date.now();
        const { context, ...args } = raw;
        try {
          if (context !== undefined && typeof context !== 'string') throw invalidInput('context must be a string naming a kubeconfig context.');
          const deps = await scope.depsFor(context);
          const { structured, text, own } = await tool.handler(args, deps, makeHost(extra));
          log.debug({ tool: tool.name, ms: Date.now() - started, bytes: text.length }, 'tool ok');
          trimHeap();
          flushCodeCacheOnce();
          // Defence in depth behind the kube boundary: nothing a tool built leaves uncleaned.
          return finalPass({ content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> }, { redact: config.redact, own });
        } catch (err) {
          // The one place errors become results: the server never crashes on a tool failure.
          const level = err instanceof JobsError ? 'info' : 'error';
          log[level]({ tool: tool.name, ms: Date.now() - started, err: err instanceof JobsError ? err.kind : err }, 'tool failed');
          return finalPass(errorResult(err), { redact: config.redact });
        }
      },
    );
  }
  compactToolList(server);
}

/** Keys the SDK adds to every tool that say nothing a client needs: the spec's defaults. */
function compact(tool: Record<string, unknown>): Record<string, unknown> {
  const { execution, ...rest } = tool as { execution?: { taskSupport?: string } };
  for (const k of ['inputSchema', 'outputSchema']) {
    const s = rest[k as keyof typeof rest] as Record<string, unknown> | undefined;
    if (s) delete s.$schema; // MCP's default dialect; the schemas use nothing dialect-specific
  }
  return execution && execution.taskSupport !== 'forbidden' ? { ...rest, execution } : rest;
}

/**
 * Every client pays for tools/list in tokens on every session: the SDK's answer is trimmed of
 * defaults (the $schema of each schema, execution.taskSupport "forbidden"), ~15% of its size.
 */
export function compactToolList(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, (req: unknown, extra: unknown) => Promise<{ tools: Record<string, unknown>[] }>> })._requestHandlers;
  const list = handlers.get('tools/list');
  if (!list) return;
  handlers.set('tools/list', async (req, extra) => {
    const r = await list(req, extra);
    return { ...r, tools: r.tools.map(compact) };
  });
}
