// Fetches what a diagnosis needs, in as few bounded calls as possible:
// the Job, its pods, its events and those of its most relevant pods, and the
// last lines of the failing container's log.
import { JobsError } from '../errors.js';
import type { Job } from '../kube/types.js';
import { byRelevance, neverStarted } from '../render/pod-status.js';
import { eventsOf, sortEvents } from '../tools/events.js';
import { pickContainer, readBoundedLog } from '../tools/logs.js';
import { podsOfJob } from '../tools/shared.js';
import type { ToolDeps } from '../tools/types.js';
import { type Gathered, telltaleLines } from './analyze.js';

const PODS_WITH_EVENTS = 3;
const LOG_LINES = 40;

export async function gather(deps: ToolDeps, job: Job): Promise<Gathered & { logText?: string }> {
  const [{ pods }, jobEvents] = await Promise.all([podsOfJob(deps, job), eventsOf(deps, job, 'Job')]);
  pods.sort(byRelevance);
  const relevant = pods.slice(0, PODS_WITH_EVENTS);
  const podEvents = await Promise.all(relevant.map((p) => eventsOf(deps, p, 'Pod').catch(() => [])));
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
        // Logs are best effort: RBAC may allow pods but not pods/log.
        if (!(e instanceof JobsError)) throw e;
      }
    }
  }
  return { job, pods, events, log, logText };
}
