// Domain reads and judgements about CronJobs shared by cronjob_get, job_get, diagnosis and triage.
import { JobsError } from '../errors.js';
import { INVALID_OWNER_NAME } from '../kube/sanitize.js';
import type { CronJob, Job, KubeEvent } from '../kube/types.js';
import { selectorToString } from '../kube/selector.js';
import { parseCronJobRef } from '../safety/names.js';
import { oneLine } from '../safety/untrusted.js';
import type { JobsDeps } from './deps.js';
import { eventsOf } from './reads.js';
import { formatInZone, parseSchedule } from './schedule.js';

/** What the CronJob controller writes when it has given up and when a start came too late. */
export const TOO_MANY_MISSED = /too many missed start times/i;
export const MISSED_SCHEDULE = /^(MissSchedule|MissedSchedule)$/;

// The CronJob controller re-syncs about every 10 s: a shorter deadline can miss starts.
const MIN_DEADLINE_S = 10;
const MAX_OWNED_SCAN = 1000;

export async function loadCronJob({ api, policy }: JobsDeps, ref: string): Promise<CronJob> {
  const { namespace, name } = parseCronJobRef(ref, (await api.cluster()).defaultNamespace);
  policy.check(namespace);
  return api.getCronJob(namespace, name);
}

/** The CronJob that controls a Job, from its ownerReference. */
export const ownerCronJob = (job: Job) => job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob' && o.controller);

/**
 * The Jobs a CronJob owns (by ownerReference uid), newest first. The jobTemplate's labels narrow the
 * listing server-side; without labels the namespace is paged through, bounded.
 */
export async function jobsOfCronJob(deps: JobsDeps, cj: CronJob): Promise<{ jobs: Job[]; truncated: boolean }> {
  const ns = cj.metadata.namespace as string;
  const labelSelector = selectorToString({ matchLabels: cj.spec.jobTemplate.metadata?.labels }) || undefined;
  const jobs: Job[] = [];
  let token: string | undefined;
  let scanned = 0;
  do {
    const page = await deps.api.listJobs(ns, { labelSelector, limit: 500, continue: token });
    scanned += page.items.length;
    jobs.push(...page.items.filter((j) => j.metadata.ownerReferences?.some((o) => o.uid === cj.metadata.uid)));
    token = page.metadata.continue;
  } while (token && scanned < MAX_OWNED_SCAN);
  jobs.sort((a, b) => Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? ''));
  return { jobs, truncated: Boolean(token) };
}

export type NextRun = {
  utc: string;
  local: string;
};

export interface CronJobHealth {
  nextRuns: NextRun[];
  intervalMs?: number;
  warnings: string[];
  /** The controller's events the warnings quote (cluster text: frame it). */
  quoted: KubeEvent[];
}

/** Next runs and warnings, from the CronJob, its Jobs and its events. */
export async function cronJobHealth(cj: CronJob, jobs: Job[], events: KubeEvent[], now: number, count = 3): Promise<CronJobHealth> {
  const warnings: string[] = [];
  const quoted: KubeEvent[] = [];
  const s = cj.spec;
  let nextRuns: NextRun[] = [];
  let intervalMs: number | undefined;
  let lastDue: Date | undefined;
  try {
    const schedule = await parseSchedule(s.schedule, s.timeZone);
    nextRuns = schedule.next(new Date(now), count).map((d) => ({ utc: d.toISOString().replace('.000Z', 'Z'), local: formatInZone(d, s.timeZone) }));
    intervalMs = schedule.intervalMs(new Date(now));
    lastDue = schedule.previous(new Date(now), new Date(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now));
  } catch (e) {
    if (!(e instanceof JobsError)) throw e;
    // The message quotes the schedule as the cluster holds it: one bounded line.
    warnings.push(`The schedule cannot be read: ${oneLine(e.message, 300)}`);
  }
  if (s.suspend) warnings.push('Suspended (spec.suspend: true): no new runs start until it is resumed; the next run times below are when it would run.');
  const failedLimit = s.failedJobsHistoryLimit ?? 1;
  if (failedLimit <= 1) {
    warnings.push(`failedJobsHistoryLimit is ${failedLimit}${failedLimit === 1 ? ' (the default the API server sets)' : ''}: a failed Job is deleted with its pods and logs as soon as ${failedLimit === 0 ? 'it fails' : 'another one fails'}, often before anyone looks. Raise it (e.g. 3).`);
  }
  const activeNames = new Set((cj.status?.active ?? []).map((a) => a.name));
  if ((s.concurrencyPolicy ?? 'Allow') === 'Forbid' && intervalMs) {
    const stale = jobs.filter((j) => activeNames.has(j.metadata.name) && now - Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') > intervalMs);
    for (const j of stale.slice(0, 3)) {
      warnings.push(
        `concurrencyPolicy is Forbid and Job ${j.metadata.name} has been active longer than the schedule's interval (${Math.round(intervalMs / 60_000) || '<1'} min): scheduled runs are being skipped while it runs.`,
      );
    }
  }
  const gaveUp = events.filter((e) => TOO_MANY_MISSED.test(e.message ?? '') || e.reason === 'TooManyMissedTimes');
  if (gaveUp.length) {
    warnings.push('The controller reports too many missed start times (more than 100): it no longer starts this CronJob on time. Set or lower spec.startingDeadlineSeconds, or check the controller-manager clock.');
    quoted.push(gaveUp.at(-1) as KubeEvent);
  }
  const missed = events.filter((e) => MISSED_SCHEDULE.test(e.reason ?? ''));
  // 1.32 records no event for a start missed by startingDeadlineSeconds: the status shows it, as a
  // lastScheduleTime behind the last due run while nothing active held it back.
  const last = Date.parse(cj.status?.lastScheduleTime ?? '');
  const held = (cj.status?.active ?? []).length > 0 && (s.concurrencyPolicy ?? 'Allow') !== 'Allow';
  if (!s.suspend && !held && lastDue && Number.isFinite(last) && last < lastDue.getTime() && now - lastDue.getTime() > MIN_DEADLINE_S * 1000 + (s.startingDeadlineSeconds ?? 0) * 1000) {
    warnings.push(
      `The run due at ${lastDue.toISOString().replace('.000Z', 'Z')} did not start (last schedule ${cj.status?.lastScheduleTime})${s.startingDeadlineSeconds !== undefined ? `: startingDeadlineSeconds ${s.startingDeadlineSeconds} is probably too short for the controller to start it in time` : ''}.`,
    );
  }
  if (s.startingDeadlineSeconds !== undefined && s.startingDeadlineSeconds < MIN_DEADLINE_S) {
    warnings.push(`startingDeadlineSeconds is ${s.startingDeadlineSeconds}: the controller checks about every 10 s, so starts can be missed. Raise it to at least ${MIN_DEADLINE_S * 6}.`);
  }
  if (missed.length) {
    warnings.push(`Scheduled runs were missed (startingDeadlineSeconds ${s.startingDeadlineSeconds ?? 'unset'}): the controller could not start them in time.`);
    quoted.push(missed.at(-1) as KubeEvent);
  }
  if (!s.timeZone) warnings.push("No timeZone: the schedule is read in the kube-controller-manager's time zone (next runs below assume UTC). Set spec.timeZone to an IANA name.");
  return { nextRuns, intervalMs, warnings, quoted };
}

export interface CronJobBrief {
  name: string;
  schedule: string;
  timeZone?: string;
  suspend: boolean;
  lastScheduleTime?: string;
  concurrencyPolicy?: string;
  failedJobsHistoryLimit?: number;
  /** ttlSecondsAfterFinished of its jobTemplate. */
  templateTtl?: number;
  /** The CronJob no longer exists (deleted after it made the Job). */
  missing?: boolean;
  /** It could not be read (e.g. forbidden): the error's kind. */
  unreadable?: string;
}

/** Schedule and suspend state of the CronJob that owns a Job, or undefined for a Job no CronJob owns. */
export async function ownerBrief(deps: JobsDeps, job: Job, cache?: Map<string, Promise<CronJob>>): Promise<CronJobBrief | undefined> {
  const owner = ownerCronJob(job);
  if (!owner) return undefined;
  // A name no API server accepts (the boundary replaced it) cannot be read, and nothing says it is gone.
  if (owner.name === INVALID_OWNER_NAME) return { name: owner.name, schedule: '', suspend: false, unreadable: 'invalid-name' };
  const ns = job.metadata.namespace as string;
  const key = `${ns}/${owner.name}`;
  let p = cache?.get(key);
  if (!p) {
    p = deps.api.getCronJob(ns, owner.name);
    cache?.set(key, p);
  }
  let cj: CronJob;
  try {
    cj = (await p) as CronJob;
  } catch (e) {
    if (!(e instanceof JobsError)) throw e;
    if (e.kind === 'not-found') return { name: owner.name, schedule: '', suspend: false, missing: true };
    return { name: owner.name, schedule: '', suspend: false, unreadable: e.kind };
  }
  if (cj.metadata.uid !== owner.uid) return { name: owner.name, schedule: '', suspend: false, missing: true };
  return {
    name: owner.name,
    schedule: cj.spec.schedule,
    ...(cj.spec.timeZone ? { timeZone: cj.spec.timeZone } : {}),
    suspend: cj.spec.suspend ?? false,
    ...(cj.status?.lastScheduleTime ? { lastScheduleTime: cj.status.lastScheduleTime } : {}),
    concurrencyPolicy: cj.spec.concurrencyPolicy ?? 'Allow',
    failedJobsHistoryLimit: cj.spec.failedJobsHistoryLimit ?? 1,
    ...(cj.spec.jobTemplate.spec.ttlSecondsAfterFinished !== undefined ? { templateTtl: cj.spec.jobTemplate.spec.ttlSecondsAfterFinished } : {}),
  };
}

/** "CronJob ops/nightly (0 2 * * * Europe/Berlin, suspended)". */
export function briefText(ns: string, b: CronJobBrief): string {
  if (b.missing) return `CronJob ${ns}/${b.name} (deleted)`;
  if (b.unreadable) return `CronJob ${ns}/${b.name} (could not be read: ${b.unreadable})`;
  return `CronJob ${ns}/${b.name} (${b.schedule}${b.timeZone ? ` ${b.timeZone}` : ''}${b.suspend ? ', suspended' : ''})`;
}

export const isManual = (job: Job) => job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'] === 'manual';

export const cronJobEvents = (deps: JobsDeps, cj: CronJob) => eventsOf(deps, cj, 'CronJob');

