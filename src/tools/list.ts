import * as z from 'zod';
import { age } from '../render/duration.js';
import { completions, JOB_STATUSES, jobDuration, jobStatus } from '../render/job-status.js';
import { table } from '../render/table.js';
import { listPaged } from '../jobs/paging.js';
import { checkSelector } from '../jobs/reads.js';
import { defineTool } from './types.js';

// With a status filter the tool reads further pages to fill the answer, but never more than this.
const MAX_SCAN = 2000;

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
    jobs: z.array(z.looseObject({ namespace: z.string(), name: z.string(), status: z.string() })),
    continue: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    checkSelector(args.labelSelector);
    const page = await listPaged(deps, {
      namespace: args.namespace,
      limit: args.limit,
      continue: args.continue,
      maxScan: MAX_SCAN,
      fetch: (ns, limit, token) => deps.api.listJobs(ns, { labelSelector: args.labelSelector, limit, continue: token }),
      keep: args.status ? (j) => jobStatus(j) === args.status : undefined,
    });
    const { multi, remaining } = page;
    const matched = page.items;
    const t = deps.now();
    const jobs = matched.map((j) => ({
      namespace: j.metadata.namespace ?? '',
      name: j.metadata.name,
      status: jobStatus(j),
      completions: completions(j),
      duration: jobDuration(j, t),
      age: age(j.metadata.creationTimestamp, t),
    }));
    const scope = args.namespace ?? 'all';
    const token = page.continue;
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
