// The CronJob controller (after kube-controller-manager's cronjob_controllerv2.go
// and utils.go in Kubernetes 1.32): it prunes finished Jobs beyond the history
// limits, notices completed, unexpected and missing Jobs, and at each due time
// creates `<cronjob>-<scheduled time in minutes>` from the jobTemplate, honouring
// suspend, timeZone, startingDeadlineSeconds and concurrencyPolicy, with the
// events the real controller records. Time is the store's clock, so tests can
// drive it; the seeded CronJobs count as already synced up to start-up.
import { randomUUID } from 'node:crypto';
import { formatInZone, missedStarts, parseSchedule, type Schedule } from '../jobs/schedule.js';
import type { CronJob, Job } from '../kube/types.js';
import type { JobController } from './controller.js';
import { defaultCronJob, managed, recordOrBump } from './objects.js';
import { alreadyExists, invalid, notFound, type StatusBody } from './status.js';
import type { Change, Store } from './store.js';
import { Timers } from './timers.js';

export interface CronJobControllerOptions {
  /** How often due schedules are checked, in ms; 0 = only when tick() is called (default 1000). */
  tickMs?: number;
}

type ActiveRef = NonNullable<NonNullable<CronJob['status']>['active']>[number];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const NTP_PADDING_MS = 100;

const controllerOf = (j: Job) => j.metadata.ownerReferences?.find((o) => o.controller);
const finishedType = (j: Job) => (j.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const sorted = (m: Record<string, string> | undefined) => Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Go's time.RFC1123Z in UTC, as in "Missed scheduled time to start a job: …". */
export function rfc1123z(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The name the controller gives the Job of a scheduled time (deterministic, so a run is never created twice). */
export const scheduledJobName = (cronJob: string, scheduled: Date) => `${cronJob}-${Math.floor(scheduled.getTime() / 60_000)}`;

/** Byjobstarttime: oldest start first, Jobs without a start last, names break ties. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa === sb) return a.metadata.name < b.metadata.name ? -1 : 1;
  return Date.parse(sa as string) - Date.parse(sb as string);
}

export class CronJobController {
  private readonly timers = new Timers();
  private readonly next = new Map<string, { uid: string; at: number }>();
  private readonly dirty = new Set<string>();
  private readonly seeded: Set<string>;
  private readonly schedules = new Map<string, Promise<Schedule>>();
  private readonly unsubscribe: () => void;
  private running?: Promise<void>;
  private writing = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly jobs: JobController,
    opts: CronJobControllerOptions = {},
  ) {
    this.seeded = new Set(store.all<CronJob>('cronjobs').map((c) => `${c.metadata.namespace}/${c.metadata.name}`));
    this.unsubscribe = store.subscribe((c) => this.observe(c));
    const tickMs = opts.tickMs ?? 1000;
    if (tickMs > 0) this.timers.every(tickMs, () => void this.tick());
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.timers.stop();
  }

  /** Like the informers: a CronJob's own change, or one of a Job it controls, queues it for a sync. */
  private observe(c: Change): void {
    if (this.writing) return;
    let key: string | undefined;
    if (c.resource === 'cronjobs') key = `${c.object.metadata.namespace}/${c.object.metadata.name}`;
    else if (c.resource === 'jobs') {
      const owner = controllerOf(c.object as Job) ?? (c.prev ? controllerOf(c.prev as Job) : undefined);
      if (owner?.kind === 'CronJob') key = `${c.object.metadata.namespace}/${owner.name}`;
    }
    if (!key) return;
    if (c.resource === 'cronjobs' && c.type === 'DELETED') {
      this.next.delete(key);
      return;
    }
    const wasEmpty = this.dirty.size === 0;
    this.dirty.add(key);
    if (wasEmpty) this.timers.later(10, () => void this.tick());
  }

  /** One pass: sync every CronJob that changed or is due by the store's clock. Passes never overlap. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.pass()
        .catch(() => {})
        .finally(() => {
          this.running = undefined;
          if (this.dirty.size && !this.stopped) this.timers.later(10, () => void this.tick());
        });
    }
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const cj of this.store.all<CronJob>('cronjobs')) {
      if (this.stopped) return;
      const key = `${cj.metadata.namespace}/${cj.metadata.name}`;
      const known = this.next.get(key);
      const state = known?.uid === cj.metadata.uid ? known : undefined;
      const queued = this.dirty.delete(key);
      if (!state && this.seeded.has(key) && !queued) {
        // Seeded as if this controller had synced it at start-up: wait for the next run.
        await this.planNext(cj);
        continue;
      }
      if (queued || !state || state.at <= this.store.now()) await this.sync(key);
    }
  }

  private schedule(cj: CronJob): Promise<Schedule> {
    const key = `${cj.spec.timeZone ?? ''} ${cj.spec.schedule}`;
    let s = this.schedules.get(key);
    if (!s) {
      s = parseSchedule(cj.spec.schedule, cj.spec.timeZone);
      s.catch(() => {});
      this.schedules.set(key, s);
    }
    return s;
  }

  private async planNext(cj: CronJob): Promise<void> {
    const key = `${cj.metadata.namespace}/${cj.metadata.name}`;
    let at = Number.POSITIVE_INFINITY;
    try {
      const [n] = (await this.schedule(cj)).next(new Date(this.store.now()), 1);
      if (n) at = n.getTime() + NTP_PADDING_MS;
    } catch {
      // An invalid schedule is only synced again when the CronJob changes.
    }
    this.next.set(key, { uid: cj.metadata.uid as string, at });
  }

  private event(cj: CronJob, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    recordOrBump(this.store, cj, 'CronJob', { reason, message, type, first: this.store.iso() });
  }

  /** syncCronJob, after the history cleanup, then one status write if anything changed. */
  private async sync(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const first = this.store.get<CronJob>('cronjobs', namespace, name);
    if (!first) return;
    let schedule: Schedule | undefined;
    let scheduleError: string | undefined;
    try {
      schedule = await this.schedule(first);
    } catch (e) {
      scheduleError = (e as Error).message.replace(/^spec\.\w+: Invalid value: ".*?": /, '');
    }
    if (this.stopped) return;
    // Everything below runs without yielding, on the CronJob as it is now.
    const cj = this.store.get<CronJob>('cronjobs', namespace, name);
    if (!cj || cj.metadata.uid !== first.metadata.uid) return;
    const now = this.store.now();
    const status = structuredClone(cj.status ?? {});
    const active: ActiveRef[] = status.active ?? [];
    let changed = false;
    const inActive = (uid: string | undefined) => active.some((a) => a.uid === uid);
    const dropActive = (uid: string | undefined) => {
      const i = active.findIndex((a) => a.uid === uid);
      if (i >= 0) active.splice(i, 1);
    };
    const children = this.store.all<Job>('jobs').filter((j) => j.metadata.namespace === namespace && controllerOf(j)?.name === name);

    // cleanupFinishedJobs: the oldest finished Jobs beyond the history limits go (a manual Job counts too).
    const deleteJob = (j: Job) => {
      const r = this.jobs.delete(namespace, j.metadata.name, { propagationPolicy: 'Background' });
      if (r.status >= 300) {
        this.event(cj, 'FailedDelete', `Deleted job: ${(r.body as StatusBody).message}`, 'Warning');
        return false;
      }
      dropActive(j.metadata.uid);
      this.event(cj, 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
      changed = true;
      return true;
    };
    for (const [type, limit] of [
      ['Complete', cj.spec.successfulJobsHistoryLimit],
      ['Failed', cj.spec.failedJobsHistoryLimit],
    ] as const) {
      if (limit === undefined) continue;
      const finished = children.filter((j) => finishedType(j) === type).sort(byStartTime);
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) deleteJob(j);
    }

    for (const j of children) {
      const found = inActive(j.metadata.uid);
      const done = finishedType(j);
      if (!found && !done) this.event(cj, 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`, 'Warning');
      else if (done) {
        if (found) {
          dropActive(j.metadata.uid);
          this.event(cj, 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${done}`);
          changed = true;
        }
        const completed = j.status?.completionTime;
        if (done === 'Complete' && completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) {
          status.lastSuccessfulTime = completed;
          changed = true;
        }
      }
    }
    for (const ref of [...active]) {
      if (children.some((j) => j.metadata.uid === ref.uid)) continue;
      if (!this.store.get('jobs', ref.namespace ?? namespace, ref.name)) {
        this.event(cj, 'MissingJob', `Active job went missing: ${ref.name}`);
        dropActive(ref.uid);
        changed = true;
      }
    }

    const finish = () => {
      if (changed) this.writeStatus(cj, { ...status, active });
    };
    const plan = () => {
      const [n] = schedule?.next(new Date(now), 1) ?? [];
      this.next.set(key, { uid: cj.metadata.uid as string, at: n ? n.getTime() + NTP_PADDING_MS : Number.POSITIVE_INFINITY });
    };
    this.next.set(key, { uid: cj.metadata.uid as string, at: Number.POSITIVE_INFINITY });
    if (cj.metadata.deletionTimestamp) return finish();
    const tz = cj.spec.timeZone;
    if (tz !== undefined && scheduleError?.includes('unknown time zone')) {
      this.event(cj, 'UnknownTimeZone', `invalid timeZone: "${tz}": unknown time zone ${tz}`, 'Warning');
      return finish();
    }
    if (cj.spec.suspend) {
      plan();
      return finish();
    }
    if (!schedule) {
      this.event(cj, 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${scheduleError ?? 'unknown error'}`, 'Warning');
      return finish();
    }
    plan();
    let earliest = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? iso(now));
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
    const missed = missedStarts(schedule, new Date(earliest), new Date(now));
    if (missed.error) {
      this.event(cj, 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${missed.error}`, 'Warning');
      return finish();
    }
    const scheduled = missed.mostRecent;
    if (!scheduled || scheduled.getTime() > now) return finish();
    if (missed.missed === 'many') this.event(cj, 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', 'Warning');
    // Kept from the real controller, where it cannot fire: earliest already bounds scheduled by the deadline (kubernetes#101148).
    if (deadline !== undefined && scheduled.getTime() + deadline * 1000 < now) {
      this.event(cj, 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`, 'Warning');
      return finish();
    }
    const jobName = scheduledJobName(name, scheduled);
    if (active.some((a) => a.name === jobName) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled.getTime())) return finish();
    if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      this.event(cj, 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return finish();
    }
    if (cj.spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...active]) {
        const j = this.store.get<Job>('jobs', ref.namespace ?? namespace, ref.name);
        if (!j) {
          this.event(cj, 'FailedGet', `Get job: jobs.batch "${ref.name}" not found`, 'Warning');
          return finish();
        }
        if (!deleteJob(j)) return finish();
      }
    }

    const created = this.jobs.create(namespace, this.jobFor(cj, jobName, scheduled));
    let job: Job;
    if ('job' in created) {
      job = created.job;
      this.event(cj, 'SuccessfulCreate', `Created job ${jobName}`);
    } else if (created.status === 409) {
      // Made by an earlier sync that could not record it, or by someone else (then leave it alone).
      const existing = this.store.get<Job>('jobs', namespace, jobName);
      if (!existing || controllerOf(existing)?.uid !== cj.metadata.uid || inActive(existing.metadata.uid)) return finish();
      job = existing;
    } else {
      this.event(cj, 'FailedCreate', `Error creating job: ${created.error.message}`, 'Warning');
      return finish();
    }
    active.push({ kind: 'Job', namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion });
    status.lastScheduleTime = iso(scheduled.getTime());
    changed = true;
    finish();
  }

  /** getJobFromTemplate2: the jobTemplate's labels, annotations and spec, the scheduled time, and a controller reference. */
  private jobFor(cj: CronJob, name: string, scheduled: Date): Job {
    const jt = cj.spec.jobTemplate;
    const annotations = sorted({ ...(jt.metadata?.annotations ?? {}), [SCHEDULED_ANNOTATION]: formatInZone(scheduled, cj.spec.timeZone) });
    const now = this.store.iso();
    return {
      metadata: {
        name,
        labels: sorted(jt.metadata?.labels),
        annotations,
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid as string, controller: true, blockOwnerDeletion: true }],
        managedFields: [
          managed('kube-controller-manager', 'batch/v1', now, { 'f:metadata': { 'f:annotations': {}, 'f:labels': {}, 'f:ownerReferences': {} }, 'f:spec': { 'f:backoffLimit': {}, 'f:template': {} } }),
          managed('kube-controller-manager', 'batch/v1', now, { 'f:status': { 'f:active': {}, 'f:ready': {}, 'f:startTime': {}, 'f:terminating': {}, 'f:uncountedTerminatedPods': {} } }, 'status'),
        ],
      },
      spec: structuredClone(jt.spec),
    };
  }

  private writeStatus(cj: CronJob, s: NonNullable<CronJob['status']>): void {
    const status: NonNullable<CronJob['status']> = {};
    if (s.active?.length) status.active = s.active;
    if (s.lastScheduleTime) status.lastScheduleTime = s.lastScheduleTime;
    if (s.lastSuccessfulTime) status.lastSuccessfulTime = s.lastSuccessfulTime;
    cj.status = status;
    const fields = Object.fromEntries(Object.keys(status).map((k) => [`f:${k}`, {}]));
    const mf = ((cj.metadata.managedFields as Record<string, unknown>[] | undefined) ?? []).filter((m) => !(m.manager === 'kube-controller-manager' && m.subresource === 'status'));
    mf.push(managed('kube-controller-manager', 'batch/v1', this.store.iso(), { 'f:status': fields }, 'status'));
    cj.metadata.managedFields = mf;
    this.writing = true;
    try {
      this.store.put('cronjobs', cj);
    } finally {
      this.writing = false;
    }
  }

  /** POST of a CronJob: validated (name, schedule, time zone, pod template) and defaulted like the API server. */
  async create(namespace: string, body: CronJob): Promise<{ status: 201; cronJob: CronJob } | { status: number; error: StatusBody }> {
    const cj = structuredClone(body);
    cj.metadata ??= { name: '' };
    const name = cj.metadata.name ?? '';
    cj.metadata.namespace = namespace;
    const causes: { field: string; message: string }[] = [];
    if (!name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required' });
    else if (!DNS1123_SUBDOMAIN.test(name)) causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` });
    else if (name.length > 52) causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": must be no more than 52 characters` });
    try {
      await parseSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone);
    } catch (e) {
      for (const p of (e as Error).message.split('; ')) {
        const i = p.indexOf(': ');
        causes.push({ field: i > 0 ? p.slice(0, i) : 'spec.schedule', message: i > 0 ? p.slice(i + 2) : p });
      }
    }
    const ps = cj.spec?.jobTemplate?.spec?.template?.spec;
    if (!ps?.containers?.length) causes.push({ field: 'spec.jobTemplate.spec.template.spec.containers', message: 'Required value' });
    if (ps && ps.restartPolicy !== 'Never' && ps.restartPolicy !== 'OnFailure') {
      causes.push({ field: 'spec.jobTemplate.spec.template.spec.restartPolicy', message: `Unsupported value: "${ps.restartPolicy ?? 'Always'}": supported values: "OnFailure", "Never"` });
    }
    if (causes.length) return { status: 422, error: invalid('CronJob', 'batch', name, causes) };
    if (this.store.get('cronjobs', namespace, name)) return { status: 409, error: alreadyExists({ verb: 'create', group: 'batch', resource: 'cronjobs', namespace, name }) };
    if (!this.store.get('namespaces', undefined, namespace)) return { status: 404, error: notFound({ verb: 'create', group: '', resource: 'namespaces', name: namespace }) };
    delete (cj as { status?: unknown }).status;
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation']) delete cj.metadata[k];
    cj.metadata.managedFields ??= [managed('kubectl-create', 'batch/v1', this.store.iso(), { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:jobTemplate': {}, 'f:schedule': {} } })];
    return { status: 201, cronJob: this.store.put('cronjobs', defaultCronJob(cj, randomUUID())) };
  }
}

