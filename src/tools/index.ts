import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { asJobsError, JobsError } from '../errors.js';
import { jobDiagnose } from './diagnose.js';
import { jobEvents } from './events.js';
import { jobGet } from './get.js';
import { jobList } from './list.js';
import { jobLogs } from './logs.js';
import { jobPods } from './pods.js';
import { jobRerun } from './rerun.js';
import { jobYamlTool } from './yaml.js';
import type { Host, ToolDefinition, ToolDeps } from './types.js';

export type HostExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

// biome-ignore lint/suspicious/noExplicitAny: the list holds tools of different schemas
export const allTools: ToolDefinition<any, any>[] = [jobList, jobGet, jobYamlTool, jobPods, jobEvents, jobLogs, jobDiagnose, jobRerun];

/** Read-only mode keeps exactly the tools whose annotations say they only read. */
export function enabledTools(readOnly: boolean): ToolDefinition[] {
  return allTools.filter((t) => !readOnly || t.annotations.readOnlyHint);
}

function errorResult(err: unknown): CallToolResult {
  const e = asJobsError(err);
  return { isError: true, content: [{ type: 'text', text: `Error (${e.kind}): ${e.message}` }] };
}

export function registerTools(server: McpServer, deps: ToolDeps, makeHost: (extra: HostExtra) => Host): void {
  for (const tool of enabledTools(deps.config.readOnly)) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: Record<string, unknown>, extra: HostExtra): Promise<CallToolResult> => {
        const started = Date.now();
        try {
          const { structured, text } = await tool.handler(args, deps, makeHost(extra));
          deps.log.debug({ tool: tool.name, ms: Date.now() - started, bytes: text.length }, 'tool ok');
          return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
        } catch (err) {
          // The one place errors become results: the server never crashes on a tool failure.
          const level = err instanceof JobsError ? 'info' : 'error';
          deps.log[level]({ tool: tool.name, ms: Date.now() - started, err: err instanceof JobsError ? err.kind : err }, 'tool failed');
          return errorResult(err);
        }
      },
    );
  }
}
