import * as z from 'zod';
import { cronJobEvents, cronJobHealth, isManual, jobsOfCronJob, loadCronJob } from '../jobs/cronjobs.js';
import { sortEvents } from '../jobs/reads.js';
import { age } from '../render/duration.js';
import { completions, jobStatus } from '../render/job-status.js';
import { fields, table } from '../render/table.js';
import { untrusted } from '../safety/untrusted.js';
import { eventRow, eventsTable } from './events.js';
import { cronJobInput } from './schema.js';
import { defineTool } from './types.js';

const JOBS_SHOWN = 10;

export const cronJobGet = defineTool({
  name: 'cronjob_get',
  title: 'Describe a CronJob',
  description:
    'Describe a CronJob: schedule, time zone, suspend, concurrency, deadline, history limits, last and next runs, active and retained Jobs, warnings (suspended, lost failures, skipped or missed runs).',
  inputSchema: { cronjob: cronJobInput },
  outputSchema: z.looseObject({
    cronjob: z.string(),
    schedule: z.string(),
    suspend: z.boolean(),
    nextRuns: z.array(z.looseObject({ utc: z.string() })),
    jobs: z.array(z.looseObject({})),
    warnings: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const cj = await loadCronJob(deps, args.cronjob);
    const ref = `${cj.metadata.namespace}/${cj.metadata.name}`;
    const [{ jobs, truncated }, events] = await Promise.all([jobsOfCronJob(deps, cj), cronJobEvents(deps, cj)]);
    sortEvents(events);
    const now = deps.now();
    const health = await cronJobHealth(cj, jobs, events, now);
    const active = new Set((cj.status?.active ?? []).map((a) => a.name));
    const rows = jobs.map((j) => ({
      name: j.metadata.name,
      status: jobStatus(j),
      completions: completions(j),
      age: age(j.metadata.creationTimestamp, now),
      ...(active.has(j.metadata.name) ? { active: true } : {}),
      ...(isManual(j) ? { manual: true } : {}),
    }));
    // Active first, then newest.
    rows.sort((a, b) => Number(Boolean(b.active)) - Number(Boolean(a.active)));
    const s = cj.spec;
    const since = (ts?: string) => (ts ? `${ts} (${age(ts, now)} ago)` : '<none>');
    const structured = {
      cronjob: ref,
      schedule: s.schedule,
      ...(s.timeZone ? { timeZone: s.timeZone } : {}),
      suspend: s.suspend ?? false,
      concurrencyPolicy: s.concurrencyPolicy ?? 'Allow',
      ...(s.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: s.startingDeadlineSeconds } : {}),
      successfulJobsHistoryLimit: s.successfulJobsHistoryLimit ?? 3,
      failedJobsHistoryLimit: s.failedJobsHistoryLimit ?? 1,
      ...(cj.status?.lastScheduleTime ? { lastScheduleTime: cj.status.lastScheduleTime } : {}),
      ...(cj.status?.lastSuccessfulTime ? { lastSuccessfulTime: cj.status.lastSuccessfulTime } : {}),
      nextRuns: health.nextRuns,
      active: [...active],
      jobs: rows,
      ...(truncated ? { jobsTruncated: true } : {}),
      warnings: health.warnings,
      ...(health.quoted.length ? { events: health.quoted.map((e) => eventRow(e, now)) } : {}),
    };
    const shown = rows.slice(0, JOBS_SHOWN);
    const text = [
      fields([
        ['Name', ref],
        ['Schedule', `${s.schedule}${s.timeZone ? ` (${s.timeZone})` : ' (no timeZone)'}`],
        ['Suspend', s.suspend ? 'True' : 'False'],
        ['Concurrency Policy', structured.concurrencyPolicy],
        ['Starting Deadline Seconds', s.startingDeadlineSeconds],
        ['History Limits', `${structured.successfulJobsHistoryLimit} successful, ${structured.failedJobsHistoryLimit} failed`],
        ['Last Schedule', since(cj.status?.lastScheduleTime)],
        ['Last Successful', since(cj.status?.lastSuccessfulTime)],
        ['Next Runs', health.nextRuns.map((r) => `${r.utc}${s.timeZone ? ` (${r.local})` : ''}`).join(', ') || '<unknown>'],
      ]),
      ...health.warnings.map((w) => `Warning: ${w}`),
      shown.length
        ? `Jobs (active first, newest first${rows.length > shown.length ? `; ${rows.length - shown.length} more` : ''}):\n${table(
            ['NAME', 'STATUS', 'COMPLETIONS', 'AGE', ''],
            shown.map((r) => [r.name, r.status, r.completions, r.age, [r.active ? 'active' : '', r.manual ? 'manual' : ''].filter(Boolean).join(', ')]),
          )}`
        : 'Jobs: <none retained>',
      ...(health.quoted.length ? [`Controller events behind the warnings:\n${untrusted('EVENTS', ref, eventsTable(structured.events ?? []))}`] : []),
    ].join('\n');
    return { structured, text };
  },
});
