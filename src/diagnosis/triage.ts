// Every failed or stuck Job in scope, each diagnosed, in one bounded pass:
// the listing is read page by page keeping only the newest candidates (memory
// stays flat over 10,000 Jobs), pods are listed once per namespace for several
// Jobs at a time, and CronJobs are read once each.
import type { CronJobBrief } from '../jobs/cronjobs.js';
import type { JobsDeps } from '../jobs/deps.js';
import { podsOfJob } from '../jobs/reads.js';
import { JOB_CONTROLLER_UID } from '../kube/rerun.js';
import { JobsError } from '../errors.js';
import type { CronJob, Job, Pod } from '../kube/types.js';
import { jobStatus } from '../render/job-status.js';
import { checkNamespace } from '../safety/names.js';
import { analyze, type Category } from './analyze.js';
import { gather } from './gather.js';

// Over this many Jobs the scan stops and says so: narrow the scope instead.
export const TRIAGE_MAX_SCAN = 50_000;
// A running Job not ready after this long, or running this long at all, is worth a probe.
const STUCK_AFTER_MS = 2 * 60_000;
const LONG_RUN_MS = 30 * 60_000;
const PARALLEL = 4;
const SHARED_PODS_MIN = 2;
const UIDS_PER_LIST = 20;

export interface TriageLine {
  job: string;
  state: 'failed' | 'stuck';
  status: string;
  category: Category;
  cause: string;
  cronJob?: CronJobBrief;
}

export interface Triage {
  scope: string;
  scanned: number;
  /** The scan stopped at TRIAGE_MAX_SCAN. */
  scanCapped: boolean;
  failed: number;
  /** Stuck Jobs found (among those shown). */
  stuck: number;
  lines: TriageLine[];
  /** Failed or suspect Jobs not diagnosed because of the limit. */
  notShown: number;
  suspended: string[];
  suspendedCount: number;
}

/** Keeps the `max` newest items by a timestamp, without holding the rest. */
class Newest<T> {
  readonly items: { t: number; v: T }[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(t: number, v: T) {
    this.count++;
    if (this.items.length < this.max) this.items.push({ t, v });
    else {
      let min = 0;
      for (let i = 1; i < this.items.length; i++) if ((this.items[i] as { t: number }).t < (this.items[min] as { t: number }).t) min = i;
      if ((this.items[min] as { t: number }).t >= t) return;
      this.items[min] = { t, v };
    }
  }
  sorted(): T[] {
    return [...this.items].sort((a, b) => b.t - a.t).map((x) => x.v);
  }
}

const when = (ts?: string) => Date.parse(ts ?? '') || 0;
const failedAt = (j: Job) => when(j.status?.conditions?.find((c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True')?.lastTransitionTime);

/** A running Job that may be stuck: nothing ready after a while, or running for a long time. */
function suspect(j: Job, now: number): boolean {
  const st = jobStatus(j);
  if (st !== 'Running' && st !== 'Pending') return false;
  const age = now - when(j.status?.startTime ?? j.metadata.creationTimestamp);
  return (age > STUCK_AFTER_MS && (j.status?.ready ?? 0) === 0) || age > LONG_RUN_MS;
}

async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/** Pods of several Jobs of one namespace in one request per 20 Jobs, by their controller-uid label. */
async function sharedPods(deps: JobsDeps, jobs: Job[]): Promise<Map<string, Pod[]>> {
  const byUid = new Map<string, Pod[]>();
  const standard = jobs.filter((j) => j.spec.selector?.matchLabels?.[JOB_CONTROLLER_UID] === j.metadata.uid && !j.spec.selector?.matchExpressions?.length);
  const byNs = new Map<string, Job[]>();
  for (const j of standard) byNs.set(j.metadata.namespace as string, [...(byNs.get(j.metadata.namespace as string) ?? []), j]);
  for (const [ns, list] of byNs) {
    if (list.length < SHARED_PODS_MIN) continue;
    for (let i = 0; i < list.length; i += UIDS_PER_LIST) {
      const uids = list.slice(i, i + UIDS_PER_LIST).map((j) => j.metadata.uid as string);
      // One page, like podsOfJob's bound: a Job with more pods than that is diagnosed from its newest ones.
      try {
        const page = await deps.api.listPods(ns, { labelSelector: `${JOB_CONTROLLER_UID} in (${uids.join(',')})`, limit: 500 });
        for (const u of uids) byUid.set(u, []);
        for (const p of page.items) byUid.get(p.metadata.labels?.[JOB_CONTROLLER_UID] ?? '')?.push(p);
      } catch (e) {
        // Each of these Jobs then reads its own pods, and says so if it cannot.
        if (!(e instanceof JobsError)) throw e;
      }
    }
  }
  return byUid;
}

export async function triage(deps: JobsDeps, o: { namespace?: string; limit: number }): Promise<Triage> {
  const namespace = o.namespace !== undefined ? checkNamespace(o.namespace) : undefined;
  if (namespace) deps.policy.check(namespace);
  const sources = namespace ? [namespace] : (deps.policy.allowList() ?? [undefined]);
  const now = deps.now();
  const failed = new Newest<Job>(o.limit);
  const suspects = new Newest<Job>(o.limit * 2);
  const suspended = new Newest<string>(20);
  let scanned = 0;
  let scanCapped = false;
  outer: for (const ns of sources) {
    let token: string | undefined;
    do {
      const page = await deps.api.listJobs(ns, { limit: 500, continue: token });
      for (const j of page.items) {
        if (!deps.policy.allows(j.metadata.namespace ?? '')) continue;
        scanned++;
        const st = jobStatus(j);
        const ref = `${j.metadata.namespace}/${j.metadata.name}`;
        if (st === 'Failed' || st === 'FailureTarget') failed.add(failedAt(j), j);
        else if (st === 'Suspended') suspended.add(when(j.metadata.creationTimestamp), ref);
        else if (suspect(j, now)) suspects.add(when(j.status?.startTime ?? j.metadata.creationTimestamp), j);
      }
      token = page.metadata.continue;
      if (token && scanned >= TRIAGE_MAX_SCAN) {
        scanCapped = true;
        break outer;
      }
    } while (token);
  }

  const candidates = [...failed.sorted(), ...suspects.sorted()];
  const pods = await sharedPods(deps, candidates);
  const cronJobs = new Map<string, Promise<CronJob>>();
  const diagnosed = await pool(candidates, PARALLEL, async (job) => {
    try {
      const d = analyze(await gather(deps, job, { pods: pods.get(job.metadata.uid as string) ?? (await podsOfJob(deps, job)).pods, cronJobs }));
      return { d };
    } catch (e) {
      // One unreadable Job (RBAC on its pods, a broken answer) never sinks the whole triage.
      if (!(e instanceof JobsError)) throw e;
      return { d: analyze({ job, pods: [], events: [], unavailable: [`its pods: ${e.kind}${e.status ? ` (${e.status})` : ''}`], now: deps.now() }) };
    }
  });
  const lines: TriageLine[] = [];
  for (const { d } of diagnosed) {
    const isFailed = d.status === 'Failed' || d.status === 'FailureTarget';
    // A suspect that looks healthy on a closer look is not reported.
    if (!isFailed && (d.category === 'Running' || d.category === 'Pending' || d.category === 'Complete')) continue;
    lines.push({
      job: d.job,
      state: isFailed ? 'failed' : 'stuck',
      status: d.status,
      category: d.category,
      cause: d.summary,
      ...(d.cronJobState ? { cronJob: d.cronJobState } : d.cronJob ? { cronJob: { name: d.cronJob, schedule: '', suspend: false, unreadable: 'unknown' } } : {}),
    });
  }
  const shownFailed = lines.filter((l) => l.state === 'failed').length;
  const stuck = lines.length - shownFailed;
  const shown = lines.slice(0, o.limit);
  return {
    scope: namespace ? `namespace ${namespace}` : 'all namespaces you may see',
    scanned,
    scanCapped,
    failed: failed.count,
    stuck,
    lines: shown,
    notShown: failed.count - Math.min(failed.count, shownFailed) + (lines.length - shown.length) + Math.max(0, suspects.count - suspects.items.length),
    suspended: suspended.sorted(),
    suspendedCount: suspended.count,
  };
}
