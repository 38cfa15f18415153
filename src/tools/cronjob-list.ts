import * as z from 'zod';
import { listPaged } from '../jobs/paging.js';
import type { CronJob } from '../kube/types.js';
import { age } from '../render/duration.js';
import { table } from '../render/table.js';
import { defineTool } from './types.js';

/** The columns of kubectl get cronjobs (server-side printing, 1.32). */
export function cronJobRow(cj: CronJob, now: number) {
  return {
    namespace: cj.metadata.namespace ?? '',
    name: cj.metadata.name,
    schedule: cj.spec.schedule,
    timeZone: cj.spec.timeZone ?? '<none>',
    suspend: cj.spec.suspend ? 'True' : 'False',
    active: cj.status?.active?.length ?? 0,
    lastSchedule: cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>',
    age: age(cj.metadata.creationTimestamp, now),
  };
}

export const cronJobList = defineTool({
  name: 'cronjob_list',
  title: 'List CronJobs',
  description: 'List CronJobs like kubectl get cronjobs (SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE, AGE). Omit namespace for all. Paged: pass continue.',
  inputSchema: {
    namespace: z.string().max(63).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    continue: z.string().max(4096).optional(),
  },
  outputSchema: z.looseObject({
    scope: z.string(),
    cronJobs: z.array(z.looseObject({ namespace: z.string(), name: z.string() })),
    continue: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const page = await listPaged(deps, {
      namespace: args.namespace,
      limit: args.limit,
      continue: args.continue,
      maxScan: args.limit,
      fetch: (ns, limit, token) => deps.api.listCronJobs(ns, { limit, continue: token }),
    });
    const t = deps.now();
    const rows = page.items.map((cj) => cronJobRow(cj, t));
    const allNs = args.namespace === undefined;
    const headers = [...(allNs ? ['NAMESPACE'] : []), 'NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'];
    const lines = [
      rows.length
        ? table(
            headers,
            rows.map((r) => [...(allNs ? [r.namespace] : []), r.name, r.schedule, r.timeZone, r.suspend, String(r.active), r.lastSchedule, r.age]),
          )
        : `No CronJobs found in ${allNs ? 'any namespace you may list' : `namespace "${args.namespace}"`}.`,
    ];
    if (page.continue) lines.push(`(${page.remaining !== undefined && !page.multi ? `${page.remaining} more` : 'more'}; next page: continue="${page.continue}")`);
    return {
      structured: { scope: args.namespace ?? 'all', cronJobs: rows, ...(page.continue ? { continue: page.continue } : {}) },
      text: lines.join('\n'),
    };
  },
});
