import * as z from 'zod';
import { invalidInput } from '../errors.js';
import type { Job } from '../kube/types.js';
import { age } from '../render/duration.js';
import { completions, JOB_STATUSES, jobDuration, jobStatus } from '../render/job-status.js';
import { table } from '../render/table.js';
import { checkNamespace } from '../safety/names.js';
import { checkSelector } from './shared.js';
import { defineTool } from './types.js';

// With a status filter the tool reads further pages to fill the answer, but never more than this.
const MAX_SCAN = 2000;

/** Our continue token: which listing source we are in, plus the API server's own token. */
interface Cursor {
  source: number;
  token?: string;
}
const encodeCursor = (c: Cursor, multi: boolean) => (multi ? `${c.source}:${c.token ?? ''}` : (c.token ?? ''));
function decodeCursor(raw: string | undefined, multi: boolean): Cursor {
  if (!raw) return { source: 0 };
  if (!multi) return { source: 0, token: raw };
  const m = /^(\d{1,4}):(.*)$/.exec(raw);
  if (!m) throw invalidInput('This continue token does not belong to this listing; start again without "continue".');
  return { source: Number(m[1]), token: m[2] || undefined };
}

export const jobList = defineTool({
  name: 'job_list',
  title: 'List Jobs',
  description:
    'List Jobs like kubectl get jobs (NAMESPACE, NAME, COMPLETIONS, STATUS, DURATION, AGE). Omit namespace for all namespaces. Pass the returned continue token for the next page.',
  inputSchema: {
    namespace: z.string().max(63).optional(),
    labelSelector: z.string().max(4096).optional().describe('e.g. "app=report,tier!=dev"'),
    status: z.enum(JOB_STATUSES).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    continue: z.string().max(4096).optional(),
  },
  outputSchema: z.looseObject({
    scope: z.string(),
    jobs: z.array(z.looseObject({ namespace: z.string(), name: z.string(), status: z.string(), completions: z.string(), duration: z.string(), age: z.string() })),
    continue: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, { api, policy, now }) {
    checkSelector(args.labelSelector);
    let sources: (string | undefined)[];
    if (args.namespace !== undefined) {
      policy.check(checkNamespace(args.namespace));
      sources = [args.namespace];
    } else {
      sources = policy.allowList() ?? [undefined];
    }
    const multi = sources.length > 1;
    const cursor = decodeCursor(args.continue, multi);
    if (cursor.source >= sources.length) throw invalidInput('This continue token does not belong to this listing; start again without "continue".');

    const matched: Job[] = [];
    let scanned = 0;
    let remaining: number | undefined;
    let next: Cursor | undefined = cursor;
    while (next && matched.length < args.limit && scanned < MAX_SCAN) {
      const page = await api.listJobs(sources[next.source], { labelSelector: args.labelSelector, limit: args.limit, continue: next.token });
      scanned += page.items.length;
      for (const job of page.items) {
        if (!policy.allows(job.metadata.namespace ?? '')) continue;
        if (args.status && jobStatus(job) !== args.status) continue;
        matched.push(job);
      }
      remaining = page.metadata.remainingItemCount;
      if (page.metadata.continue) next = { source: next.source, token: page.metadata.continue };
      else next = next.source + 1 < sources.length ? { source: next.source + 1 } : undefined;
      if (!args.status) break;
    }

    const t = now();
    const jobs = matched.map((j) => ({
      namespace: j.metadata.namespace ?? '',
      name: j.metadata.name,
      status: jobStatus(j),
      completions: completions(j),
      duration: jobDuration(j, t),
      age: age(j.metadata.creationTimestamp, t),
    }));
    const scope = args.namespace ?? 'all';
    const token = next ? encodeCursor(next, multi) : undefined;
    const allNs = args.namespace === undefined;
    const headers = [...(allNs ? ['NAMESPACE'] : []), 'NAME', 'COMPLETIONS', 'STATUS', 'DURATION', 'AGE'];
    const rows = jobs.map((j) => [...(allNs ? [j.namespace] : []), j.name, j.completions, j.status, j.duration, j.age]);
    const filter = [args.labelSelector && `selector ${args.labelSelector}`, args.status && `status ${args.status}`].filter(Boolean).join(', ');
    const lines = [
      jobs.length ? table(headers, rows) : `No Jobs found in ${allNs ? 'any namespace you may list' : `namespace "${scope}"`}${filter ? ` matching ${filter}` : ''}.`,
    ];
    if (token) {
      const more = remaining !== undefined && !multi ? `${remaining} more${args.status ? ' to check' : ''}` : 'more';
      lines.push(`(${more}; next page: continue="${token}")`);
    }
    return {
      structured: { scope, jobs, ...(token ? { continue: token } : {}), ...(remaining !== undefined && token ? { remainingItemCount: remaining } : {}) },
      text: lines.join('\n'),
    };
  },
});
