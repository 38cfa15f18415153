import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { JobsError } from '../errors.js';
import type { ToolDeps } from '../tools/types.js';
import { completeJobs, completeNamespaces } from './complete.js';
import { diagnoseJobPrompt } from './diagnose-job.js';
import { rerunJobSafelyPrompt } from './rerun-job-safely.js';
import { triageFailedJobsPrompt } from './triage-failed-jobs.js';
import type { PromptDefinition } from './types.js';

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
        // A prompt has no isError result: a failure is a JSON-RPC error with the same actionable text.
        const err = e instanceof JobsError ? e : new JobsError('server-error', `Internal error: ${(e as Error)?.message ?? String(e)}`);
        deps.log.info({ prompt: p.name, err: err.kind }, 'prompt failed');
        throw new McpError(err.kind === 'invalid-input' || err.kind === 'policy-denied' ? ErrorCode.InvalidParams : ErrorCode.InternalError, `${err.kind}: ${err.message}`);
      }
    });
  }
}
