// Fetches what a diagnosis needs, in as few bounded calls as possible:
// the Job, its pods, its events and those of its most relevant pods, and the
// last lines of the failing container's log.
import { JobsError } from '../errors.js';
import { ownerBrief } from '../jobs/cronjobs.js';
import { parseSchedule } from '../jobs/schedule.js';
import type { CronJob, Job, Pod } from '../kube/types.js';
import { byRelevance, neverStarted } from '../render/pod-status.js';
import type { JobsDeps } from '../jobs/deps.js';
import { pickContainer, readBoundedLog } from '../jobs/logs.js';
import { eventsOf, podsOfJob, sortEvents } from '../jobs/reads.js';
import { type Gathered, telltaleLines } from './analyze.js';

const PODS_WITH_EVENTS = 3;
const LOG_LINES = 40;

/** Why a piece of evidence could not be read, in our words (the error's kind and status, no cluster text). */
const why = (e: unknown) => (e instanceof JobsError ? `${e.kind}${e.status ? ` (${e.status})` : ''}` : 'internal error');

export interface GatherOptions {
  /** The Job's pods, when the caller already listed them (triage lists a namespace's at once). */
  pods?: Pod[];
  /** CronJob reads shared across the Jobs of one call. */
  cronJobs?: Map<string, Promise<CronJob>>;
}

export async function gather(deps: JobsDeps, job: Job, opts: GatherOptions = {}): Promise<Gathered & { logText?: string }> {
  const unavailable: string[] = [];
  const [{ pods }, jobEvents] = await Promise.all([
    opts.pods ? { pods: opts.pods } : podsOfJob(deps, job),
    eventsOf(deps, job, 'Job').catch((e) => {
      if (!(e instanceof JobsError)) throw e;
      unavailable.push(`events of the Job: ${why(e)}`);
      return [];
    }),
  ]);
  pods.sort(byRelevance);
  const relevant = pods.slice(0, PODS_WITH_EVENTS);
  const podEvents = await Promise.all(
    relevant.map((p) =>
      eventsOf(deps, p, 'Pod').catch((e) => {
        if (!(e instanceof JobsError)) throw e;
        unavailable.push(`events of pod ${p.metadata.name}: ${why(e)}`);
        return [];
      }),
    ),
  );
  const events = sortEvents([...jobEvents, ...podEvents.flat()]);

  let log: Gathered['log'];
  let logText: string | undefined;
  const first = pods[0];
  if (first) {
    const container = pickContainer(first);
    const status = first.status?.containerStatuses?.find((c) => c.name === container);
    // A crash-looping container's useful log is the previous run's.
    const previous = Boolean(status?.state?.waiting && status.lastState?.terminated);
    if (status && (!neverStarted(status) || previous)) {
      try {
        const r = await readBoundedLog(deps, first, { container, previous, tailLines: LOG_LINES, limitBytes: 8 * 1024 });
        if (r.started && r.log) {
          logText = r.log;
          log = { pod: first.metadata.name, container, previous, lines: telltaleLines(r.log) };
        }
      } catch (e) {
        // Logs are best effort (RBAC may allow pods but not pods/log), but a diagnosis says what it could not see.
        if (!(e instanceof JobsError)) throw e;
        unavailable.push(`log of ${first.metadata.name}/${container}${previous ? ' (previous run)' : ''}: ${why(e)}`);
      }
    }
  }
  let cron: Gathered['cron'];
  const brief = await ownerBrief(deps, job, opts.cronJobs);
  if (brief) {
    if (brief.unreadable) unavailable.push(`CronJob ${brief.name}: ${brief.unreadable}`);
    cron = brief;
    if (brief.concurrencyPolicy === 'Forbid' && brief.schedule) {
      cron = { ...brief, intervalMs: await parseSchedule(brief.schedule, brief.timeZone).then((sch) => sch.intervalMs(new Date(deps.now())), () => undefined) };
    }
  }
  return { job, pods, events, log, logText, unavailable, cron, now: deps.now() };
}
