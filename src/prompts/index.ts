import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { asJobsError } from '../errors.js';
import type { ToolDeps } from '../tools/types.js';
import { completeJobs, completeNamespaces } from './complete.js';
import { diagnoseJobPrompt } from './diagnose-job.js';
import { rerunJobSafelyPrompt } from './rerun-job-safely.js';
import { triageFailedJobsPrompt } from './triage-failed-jobs.js';
import type { PromptDefinition } from './types.js';

/**
 * Prompts and resources have no isError result: a failure is a JSON-RPC error carrying the same
 * actionable text; a request about something wrong or missing is InvalidParams.
 */
export function toMcpError(e: unknown): McpError {
  const err = asJobsError(e);
  const caller = err.kind === 'invalid-input' || err.kind === 'policy-denied' || err.kind === 'not-found';
  return new McpError(caller ? ErrorCode.InvalidParams : ErrorCode.InternalError, `${err.kind}: ${err.message}`);
}

export const allPrompts: PromptDefinition[] = [diagnoseJobPrompt, triageFailedJobsPrompt, rerunJobSafelyPrompt];

export function registerPrompts(server: McpServer, deps: ToolDeps): void {
  for (const p of allPrompts) {
    const argsSchema = Object.fromEntries(
      Object.entries(p.args).map(([name, a]) => {
        const base = a.required ? z.string().describe(a.description) : z.string().optional().describe(a.description);
        const complete = a.complete === 'job' ? completeJobs : a.complete === 'namespace' ? completeNamespaces : undefined;
        return [name, complete ? completable(base, (value) => complete(deps, value ?? '')) : base];
      }),
    );
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema }, async (args: Record<string, string | undefined>) => {
      try {
        const r = await p.build(args, deps);
        return { description: r.description, messages: r.messages.map((m) => ({ role: m.role, content: { type: 'text' as const, text: m.text } })) };
      } catch (e) {
        deps.log.info({ prompt: p.name, err: asJobsError(e).kind }, 'prompt failed');
        throw toMcpError(e);
      }
    });
  }
}
