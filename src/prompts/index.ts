import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { asJobsError } from '../errors.js';
import { finalPass } from '../safety/final-pass.js';
import type { Scope } from '../tools/types.js';
import { completeJobs, completeNamespaces } from './complete.js';
import { diagnoseJobPrompt } from './diagnose-job.js';
import { pauseCronJobPrompt } from './pause-cronjob.js';
import { rerunJobSafelyPrompt } from './rerun-job-safely.js';
import { triageFailedJobsPrompt } from './triage-failed-jobs.js';
import type { PromptArg, PromptDefinition } from './types.js';

/**
 * Prompts and resources have no isError result: a failure is a JSON-RPC error carrying the same
 * actionable text; a request about something wrong or missing is InvalidParams.
 */
export function toMcpError(e: unknown, redact = true): McpError {
  const err = asJobsError(e);
  const caller = err.kind === 'invalid-input' || err.kind === 'policy-denied' || err.kind === 'not-found';
  return new McpError(caller ? ErrorCode.InvalidParams : ErrorCode.InternalError, finalPass(`${err.kind}: ${err.message}`, { redact }));
}

export const allPrompts: PromptDefinition[] = [diagnoseJobPrompt, triageFailedJobsPrompt, rerunJobSafelyPrompt, pauseCronJobPrompt];

/** Completion never fails loudly: a broken context completes to nothing. */
const quiet = async (f: () => Promise<string[]>) => f().catch(() => []);

export function registerPrompts(server: McpServer, scope: Scope): void {
  const { config, log } = scope;
  for (const p of allPrompts.filter((x) => !(config.readOnly && x.leadsToWrite))) {
    const args: Record<string, PromptArg> = scope.multi
      ? { ...p.args, context: { description: 'kubeconfig context; default: the server\'s.', required: false, complete: 'context' } }
      : p.args;
    const argsSchema = Object.fromEntries(
      Object.entries(args).map(([name, a]) => {
        const base = a.required ? z.string().describe(a.description) : z.string().optional().describe(a.description);
        const kind = a.complete;
        if (!kind) return [name, base];
        return [
          name,
          completable(base, (value, ctx) =>
            quiet(async () => {
              const v = value ?? '';
              if (kind === 'context') return scope.contextNames(v);
              const deps = await scope.depsFor(ctx?.arguments?.context);
              return kind === 'namespace' ? completeNamespaces(deps, v) : completeJobs(deps, v, kind);
            }),
          ),
        ];
      }),
    );
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema }, async (a: Record<string, string | undefined>) => {
      try {
        const { context, ...rest } = a;
        const r = await p.build(rest, await scope.depsFor(context || undefined));
        const out = { description: r.description, messages: r.messages.map((m) => ({ role: m.role, content: { type: 'text' as const, text: m.text } })) };
        return finalPass(out, { redact: config.redact });
      } catch (e) {
        log.info({ prompt: p.name, err: asJobsError(e).kind }, 'prompt failed');
        throw toMcpError(e, config.redact);
      }
    });
  }
}
