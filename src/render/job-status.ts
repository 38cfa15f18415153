// STATUS, COMPLETIONS and DURATION of a Job as kubectl (>= 1.30, server-side
// printing) computes them; see JOBS-REFERENCE.md.
import type { Job } from '../kube/types.js';
import { humanDuration } from './duration.js';

export const JOB_STATUSES = ['Complete', 'Failed', 'Terminating', 'Suspended', 'FailureTarget', 'Running', 'Pending'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const hasCondition = (job: Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

export function jobStatus(job: Job): JobStatus {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  const s = job.status ?? {};
  // kubectl says Running here; a Job the controller has not started yet is more honestly Pending.
  if (!s.startTime && !s.active && !s.succeeded && !s.failed) return 'Pending';
  return 'Running';
}

export function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/**
 * When the Job stopped running: completionTime, else (a Failed Job has none)
 * the transition time of its Failed condition. kubectl keeps counting for a
 * failed Job; the time it actually ran is the more useful figure.
 */
export function finishedAt(job: Job): string | undefined {
  if (job.status?.completionTime) return job.status.completionTime;
  return job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True')?.lastTransitionTime;
}

/** DURATION: end (or now) minus startTime; empty without startTime. */
export function jobDuration(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = finishedAt(job);
  return humanDuration((end ? Date.parse(end) : now) - Date.parse(start));
}

/** The CronJob that controls this Job, if any. */
export function cronJobOwner(job: Job): string | undefined {
  return job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob' && o.controller)?.name;
}

/** The reason of the condition that decided the status, e.g. BackoffLimitExceeded. */
export function statusReason(job: Job): string | undefined {
  const type = { Complete: 'Complete', Failed: 'Failed', Suspended: 'Suspended', FailureTarget: 'FailureTarget' }[jobStatus(job) as string];
  return type ? job.status?.conditions?.find((c) => c.type === type && c.status === 'True')?.reason : undefined;
}
