import * as z from 'zod';
import type { Job } from '../kube/types.js';
import { age, humanDuration } from '../render/duration.js';
import { completions, cronJobOwner, finishedAt, jobDuration, jobStatus, statusReason } from '../render/job-status.js';
import { fields, table } from '../render/table.js';
import { reasonWord, untrusted } from '../safety/untrusted.js';
import { briefText, type CronJobBrief, ownerBrief } from '../jobs/cronjobs.js';
import { loadJob } from '../jobs/reads.js';
import { jobInput } from './schema.js';
import { defineTool } from './types.js';



/** The job_get answer for a Job already read: structured fields and the kubectl-describe-like text. */
export function describeJob(job: Job, t: number, cron?: CronJobBrief) {
  const s = job.status ?? {};
  const owner = cronJobOwner(job);
  const indexed = job.spec.completionMode === 'Indexed';
  const out = {
    namespace: job.metadata.namespace ?? '',
    name: job.metadata.name,
    uid: job.metadata.uid ?? '',
    status: jobStatus(job),
    reason: statusReason(job),
    controlledBy: owner ? `CronJob/${owner}` : undefined,
    cronJob: cron,
    completions: completions(job),
    parallelism: job.spec.parallelism,
    completionMode: job.spec.completionMode ?? 'NonIndexed',
    backoffLimit: job.spec.backoffLimit,
    backoffLimitPerIndex: job.spec.backoffLimitPerIndex,
    activeDeadlineSeconds: job.spec.activeDeadlineSeconds,
    ttlSecondsAfterFinished: job.spec.ttlSecondsAfterFinished,
    suspend: job.spec.suspend ?? false,
    startTime: s.startTime,
    completionTime: finishedAt(job),
    duration: jobDuration(job, t),
    age: age(job.metadata.creationTimestamp, t),
    pods: { active: s.active ?? 0, ready: s.ready ?? 0, succeeded: s.succeeded ?? 0, failed: s.failed ?? 0, terminating: s.terminating ?? 0 },
    completedIndexes: indexed ? s.completedIndexes || undefined : undefined,
    failedIndexes: indexed ? s.failedIndexes || undefined : undefined,
    containers: job.spec.template.spec.containers.map((c) => ({ name: c.name, image: c.image ?? '' })),
    conditions: (s.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
  };
  const since = (ts?: string) => (ts ? `${ts} (${humanDuration(t - Date.parse(ts))} ago)` : undefined);
  const ref = `${out.namespace}/${out.name}`;
  const word = reasonWord(out.reason);
  const text = [
    fields([
      ['Name', ref],
      ['Status', word ? `${out.status} (${word})` : out.status],
      ['Controlled By', cron ? briefText(out.namespace, cron) : out.controlledBy],
      ['Completions', out.completions],
      ['Parallelism', out.parallelism],
      ['Completion Mode', out.completionMode],
      ['Backoff Limit', out.backoffLimit],
      ['Backoff Limit Per Index', out.backoffLimitPerIndex],
      ['Active Deadline Seconds', out.activeDeadlineSeconds],
      ['TTL Seconds After Finished', out.ttlSecondsAfterFinished],
      ['Suspend', out.suspend],
      ['Start Time', since(out.startTime)],
      [job.status?.completionTime ? 'Completed At' : 'Failed At', since(out.completionTime)],
      ['Duration', out.duration],
      ['Age', out.age],
      ['Pods Statuses', `${out.pods.active} Active (${out.pods.ready} Ready) / ${out.pods.succeeded} Succeeded / ${out.pods.failed} Failed${out.pods.terminating ? ` / ${out.pods.terminating} Terminating` : ''}`],
      ['Completed Indexes', out.completedIndexes],
      ['Failed Indexes', out.failedIndexes],
    ]),
    // Images and conditions are written by whoever created the Job and by controllers: framed as data.
    untrusted(
      'JOB DETAILS',
      ref,
      [
        `Images: ${out.containers.map((c) => `${c.name}=${c.image}`).join(', ')}`,
        out.conditions.length
          ? `Conditions:\n${table(
              ['TYPE', 'STATUS', 'REASON', 'LAST TRANSITION', 'MESSAGE'],
              out.conditions.map((c) => [c.type, c.status, c.reason ?? '', age(c.lastTransitionTime, t), c.message ?? '']),
            )}`
          : 'Conditions: <none>',
      ].join('\n'),
    ),
  ].join('\n');
  return { structured: out, text };
}

export const jobGet = defineTool({
  name: 'job_get',
  title: 'Describe a Job',
  description:
    'Describe a Job like kubectl describe job: status and reason, completions, limits, times, pod counts, indexes, images, conditions, owning CronJob.',
  inputSchema: { job: jobInput },
  outputSchema: z.looseObject({
    namespace: z.string(),
    name: z.string(),
    status: z.string(),
    reason: z.string().optional(),
    conditions: z.array(z.looseObject({})),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const job = await loadJob(deps, args.job);
    return describeJob(job, deps.now(), await ownerBrief(deps, job));
  },
});
