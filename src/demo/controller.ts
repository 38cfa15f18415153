// A small Job controller and kubelet: it runs the pods of Jobs created at run
// time (Pending → Running → Succeeded or Failed, as the pod template's
// scenario annotation says), fails a Job through FailureTarget, and suspends
// and resumes any Job whose spec.suspend flips, recording the events the real
// components record. Seeded Jobs stay as seeded until something changes them.
import { randomUUID } from 'node:crypto';
import { formatIndexes, parseIndexes } from '../kube/indexes.js';
import { rerunBody } from '../kube/rerun.js';
import type { Condition, Job, Pod } from '../kube/types.js';
import { type DeleteOptions, type DeleteResult, GarbageCollector } from './gc.js';
import { defaultJob, podFor, recordEvent, suffix } from './objects.js';
import { alreadyExists, invalid, notFound, type StatusBody } from './status.js';
import type { Change, Store } from './store.js';
import { Timers } from './timers.js';

export interface ControllerOptions {
  /** How long a created pod runs before it exits, unless its scenario annotation says otherwise. */
  podRunMs: number;
  /** >0: a Foreground or Orphan deletion keeps the marked Job this long before it is gone. */
  deleteDelayMs: number;
  /** >0: the pods of a Job deleted with Background propagation go this much later. */
  gcDelayMs?: number;
  /** How long after FailureTarget the Job controller counts the failed pod and sets Failed (default 10). */
  failLagMs?: number;
}

/** The pod-template annotation the recording rig's kubelet obeys (see the fixtures); the demo's kubelet obeys it too. */
export const SCENARIO_ANNOTATION = 'kube-real.sim/scenario';
interface Scenario {
  kind?: 'exit' | 'forever';
  durationMs?: number;
  exitCode?: number;
  log?: [number, string][];
  line?: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONTROLLER_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];
const STATUS_ORDER = ['conditions', 'startTime', 'completionTime', 'active', 'succeeded', 'failed', 'terminating', 'completedIndexes', 'failedIndexes', 'uncountedTerminatedPods', 'ready'];

const OMIT_ZERO = ['active', 'succeeded', 'failed'];

/** JobStatus as the API server serializes it: its field order, and the omitempty counters left out at 0. */
function ordered(s: NonNullable<Job['status']>): NonNullable<Job['status']> {
  const out: Record<string, unknown> = {};
  const keep = (k: string, v: unknown) => v !== undefined && !(OMIT_ZERO.includes(k) && v === 0);
  for (const k of STATUS_ORDER) if (keep(k, s[k])) out[k] = s[k];
  for (const [k, v] of Object.entries(s)) if (!STATUS_ORDER.includes(k) && keep(k, v)) out[k] = v;
  return out as NonNullable<Job['status']>;
}

const condition = (type: string, status: string, reason: string, message: string, at: string): Condition => ({ type, status, lastProbeTime: at, lastTransitionTime: at, reason, message });
export const isFinished = (j: Job) => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const isActivePod = (p: Pod) => p.status?.phase === 'Pending' || p.status?.phase === 'Running';

export class JobController {
  private readonly timers = new Timers();
  readonly gc: GarbageCollector;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly opts: ControllerOptions,
  ) {
    this.gc = new GarbageCollector(store, this.timers, { lingerMs: opts.deleteDelayMs, podsMs: opts.gcDelayMs ?? 0 });
    // Like the real controller, react to spec.suspend flipping on any Job, whoever wrote it.
    this.unsubscribe = store.subscribe((c) => this.observe(c));
  }

  private observe(c: Change): void {
    if (c.resource !== 'jobs' || c.type !== 'MODIFIED' || !c.prev) return;
    const before = Boolean((c.prev as Job).spec?.suspend);
    const job = c.object as Job;
    if (before !== Boolean(job.spec?.suspend)) this.timers.later(10, () => this.syncSuspend(job.metadata.namespace as string, job.metadata.name, job.metadata.uid as string));
  }

  stop(): void {
    this.unsubscribe();
    this.timers.stop();
  }

  private put(job: Job): Job {
    job.status = ordered(job.status ?? {});
    return this.store.put('jobs', job);
  }

  /** Validates and stores a new Job like the API server, then starts it. */
  create(namespace: string, body: Job): { status: 201; job: Job } | { status: number; error: StatusBody } {
    const job = structuredClone(body);
    job.metadata ??= { name: '' };
    if (!job.metadata.name && job.metadata.generateName) job.metadata.name = `${job.metadata.generateName}${suffix()}`;
    const name = job.metadata.name ?? '';
    job.metadata.namespace = namespace;
    const target = { verb: 'create', group: 'batch', resource: 'jobs', namespace, name };
    const causes: { field: string; message: string }[] = [];
    if (!name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required' });
    else if (name.length > 63 || !DNS1123_SUBDOMAIN.test(name)) {
      causes.push({
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      });
    }
    if (!job.spec?.template?.spec?.containers?.length) causes.push({ field: 'spec.template.spec.containers', message: 'Required value' });
    if (job.spec && !job.spec.manualSelector && job.spec.selector) {
      causes.push({ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(job.spec.selector)}: \`selector\` not auto-generated` });
    }
    const tl = job.spec?.template?.metadata?.labels ?? {};
    if (CONTROLLER_LABELS.some((l) => l in tl) && !job.spec?.manualSelector) {
      causes.push({ field: 'spec.template.metadata.labels', message: 'Invalid value: `selector` does not match template `labels`' });
    }
    const restart = job.spec?.template?.spec?.restartPolicy;
    if (job.spec?.template?.spec && restart !== 'Never' && restart !== 'OnFailure') {
      causes.push({ field: 'spec.template.spec.restartPolicy', message: `Unsupported value: "${restart ?? 'Always'}": supported values: "OnFailure", "Never"` });
    }
    if (causes.length) return { status: 422, error: invalid('Job', 'batch', name, causes) };
    if (this.store.get('jobs', namespace, name)) return { status: 409, error: alreadyExists(target) };
    if (!this.store.get('namespaces', undefined, namespace)) {
      return { status: 404, error: notFound({ verb: 'create', group: '', resource: 'namespaces', name: namespace }) };
    }
    delete (job as { status?: unknown }).status;
    job.metadata.creationTimestamp = undefined;
    for (const k of ['uid', 'resourceVersion', 'deletionTimestamp', 'generation']) delete job.metadata[k];
    const stored = this.put(defaultJob(job, randomUUID()));
    this.timers.later(50, () => this.start(namespace, name, stored.metadata.uid as string));
    return { status: 201, job: stored };
  }

  private current(namespace: string, name: string, uid: string): Job | undefined {
    const j = this.store.get<Job>('jobs', namespace, name);
    return j && j.metadata.uid === uid && !j.metadata.deletionTimestamp ? j : undefined;
  }

  private start(namespace: string, name: string, uid: string): void {
    const job = this.current(namespace, name, uid);
    if (!job || job.status?.startTime || isFinished(job)) return;
    const now = this.store.iso();
    if (job.spec.suspend) {
      if ((job.status?.conditions ?? []).some((c) => c.type === 'Suspended')) return;
      job.status = { conditions: [condition('Suspended', 'True', 'JobSuspended', 'Job suspended', now)], terminating: 0, uncountedTerminatedPods: {}, ready: 0 };
      this.put(job);
      recordEvent(this.store, job, 'Job', { reason: 'Suspended', message: 'Job suspended', first: now });
      return;
    }
    job.status = { ...(job.status ?? {}), startTime: now, terminating: 0, uncountedTerminatedPods: {}, ready: 0 };
    this.launch(job);
  }

  /** Starts the pods still to run: as many as parallelism allows and completions still need. */
  private launch(job: Job): void {
    const s = job.status ?? {};
    const completions = job.spec.completions ?? 1;
    const indexed = job.spec.completionMode === 'Indexed';
    const done = indexed ? parseIndexes(s.completedIndexes) : [];
    const todo = indexed ? Array.from({ length: completions }, (_, i) => i).filter((i) => !done.includes(i)) : [];
    const remaining = indexed ? todo.length : completions - (s.succeeded ?? 0);
    const parallel = Math.max(0, Math.min(job.spec.parallelism ?? 1, remaining));
    s.active = parallel;
    s.ready = 0;
    job.status = s;
    this.put(job);
    const names: string[] = [];
    for (let i = 0; i < parallel; i++) names.push(this.runPod(job, indexed ? todo[i] : undefined, indexed ? undefined : i));
    // The simulated kubelet reports the pods ready in a separate status write, as a real one does
    // (seconds later there; at once here, so that a write right after start rarely meets a 409).
    const { namespace, name, uid } = job.metadata as { namespace: string; name: string; uid: string };
    this.timers.later(1, () => {
      const j = this.current(namespace, name, uid);
      if (!j?.status || isFinished(j) || j.spec.suspend) return;
      const ready = names.filter((n) => this.store.get<Pod>('pods', namespace, n)?.status?.phase === 'Running').length;
      if (ready === 0 || (j.status.ready ?? 0) >= ready) return;
      j.status.ready = ready;
      this.put(j);
    });
  }

  private scenario(job: Job): Scenario {
    const raw = job.spec.template.metadata?.annotations?.[SCENARIO_ANNOTATION];
    if (!raw) return {};
    try {
      return JSON.parse(raw) as Scenario;
    } catch {
      return {};
    }
  }

  private runPod(job: Job, index: number | undefined, slot: number | undefined): string {
    const name = `${job.metadata.name}-${index !== undefined ? `${index}-` : ''}${suffix()}`;
    const created = this.store.iso();
    const running = job.spec.template.spec.containers.map(() => ({ state: { running: { startedAt: created } }, ready: true }));
    const pod = this.store.put('pods', podFor(job, { name, index, phase: 'Running', created, states: running }));
    recordEvent(this.store, job, 'Job', { reason: 'SuccessfulCreate', message: `Created pod: ${name}`, first: created });
    const sc = this.scenario(job);
    for (const c of job.spec.template.spec.containers) {
      recordEvent(this.store, pod, 'Pod', { reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, first: created, fieldPath: `spec.containers{${c.name}}` });
      recordEvent(this.store, pod, 'Pod', { reason: 'Started', message: `Started container ${c.name}`, first: created, fieldPath: `spec.containers{${c.name}}` });
      const t0 = this.store.now();
      const lines = sc.log?.length
        ? sc.log.map(([ms, text]) => ({ time: t0 + ms, text }))
        : [
            { time: t0, text: `${c.name}: starting ${job.metadata.name}${index !== undefined ? ` index ${index}` : ''}` },
            { time: t0 + 1, text: sc.line ?? `${c.name}: working...` },
          ];
      this.store.logs.set(`${pod.metadata.namespace}/${name}/${c.name}`, { current: lines });
    }
    if (sc.kind !== 'forever') {
      const exitCode = sc.exitCode ?? 0;
      this.timers.later(sc.durationMs ?? this.opts.podRunMs, () => this.finishPod(job.metadata.namespace as string, job.metadata.name, job.metadata.uid as string, name, index, slot, exitCode));
    }
    return name;
  }

  private finishPod(namespace: string, jobName: string, uid: string, podName: string, index: number | undefined, slot: number | undefined, exitCode: number): void {
    const job = this.current(namespace, jobName, uid);
    const pod = this.store.get<Pod>('pods', namespace, podName);
    if (!job || !pod || !isActivePod(pod)) return;
    const now = this.store.iso();
    const failed = exitCode !== 0;
    for (const [i, cs] of (pod.status?.containerStatuses ?? []).entries()) {
      cs.state = { terminated: { exitCode, reason: failed ? 'Error' : 'Completed', startedAt: pod.status?.startTime, finishedAt: now } };
      cs.ready = false;
      cs.started = false;
      const log = this.store.logs.get(`${namespace}/${podName}/${job.spec.template.spec.containers[i]?.name}`);
      if (!this.scenario(job).log) log?.current.push({ time: this.store.now(), text: failed ? `exit ${exitCode}` : 'done' });
    }
    (pod.status as Record<string, unknown>).phase = failed ? 'Failed' : 'Succeeded';
    delete (pod.metadata as Record<string, unknown>).finalizers;
    for (const c of pod.status?.conditions ?? []) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') Object.assign(c, { status: 'False', reason: failed ? 'PodFailed' : 'PodCompleted', lastTransitionTime: now });
      if (c.type === 'PodReadyToStartContainers') Object.assign(c, { status: 'False', lastTransitionTime: now });
    }
    this.store.put('pods', pod);
    if (failed) this.podFailed(job, pod, now);
    else this.podSucceeded(job, index, slot, now);
  }

  private podSucceeded(job: Job, index: number | undefined, slot: number | undefined, now: string): void {
    job.status ??= {};
    const s = job.status;
    s.succeeded = (s.succeeded ?? 0) + 1;
    const completions = job.spec.completions ?? 1;
    const indexed = index !== undefined;
    if (indexed) s.completedIndexes = formatIndexes([...parseIndexes(s.completedIndexes), index]);
    const started = (s.succeeded ?? 0) + (s.active ?? 0) - 1;
    if (s.succeeded >= completions) {
      s.active = 0;
      s.ready = 0;
      s.completionTime = now;
      s.conditions = [
        ...(s.conditions ?? []).filter((c) => c.type === 'Suspended'),
        condition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now),
        condition('Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now),
      ];
      this.put(job);
      recordEvent(this.store, job, 'Job', { reason: 'Completed', message: 'Job completed', first: now });
      return;
    }
    if (started < completions) {
      this.put(job);
      this.runPod(job, indexed ? started : undefined, slot);
    } else {
      s.active = Math.max(0, (s.active ?? 1) - 1);
      s.ready = s.active;
      this.put(job);
    }
  }

  /** A failed pod: retry while backoffLimit allows, else FailureTarget with the pod uncounted, then Failed once counted. */
  private podFailed(job: Job, pod: Pod, now: string): void {
    job.status ??= {};
    const s = job.status;
    const failed = (s.failed ?? 0) + 1;
    if (failed <= (job.spec.backoffLimit ?? 6)) {
      s.failed = failed;
      s.active = Math.max(0, (s.active ?? 1) - 1);
      s.ready = Math.min(s.ready ?? 0, s.active);
      this.put(job);
      this.runPod(job, undefined, undefined);
      return;
    }
    const namespace = job.metadata.namespace as string;
    for (const p of this.activePods(job)) {
      this.gc.deletePod(namespace, p.metadata.name);
      recordEvent(this.store, job, 'Job', { reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}`, first: now });
    }
    const reason = 'BackoffLimitExceeded';
    const message = 'Job has reached the specified backoff limit';
    s.conditions = [...(s.conditions ?? []), condition('FailureTarget', 'True', reason, message, now)];
    delete s.active;
    s.ready = 0;
    s.terminating = 0;
    s.uncountedTerminatedPods = { failed: [pod.metadata.uid as string] };
    this.put(job);
    const { name, uid } = job.metadata as { name: string; uid: string };
    this.timers.later(this.opts.failLagMs ?? 10, () => {
      const j = this.current(namespace, name, uid);
      if (!j?.status) return;
      j.status.conditions = [...(j.status.conditions ?? []), condition('Failed', 'True', reason, message, now)];
      j.status.failed = failed;
      j.status.uncountedTerminatedPods = {};
      this.put(j);
      recordEvent(this.store, j, 'Job', { reason, message, type: 'Warning', first: now });
    });
  }

  private activePods(job: Job): Pod[] {
    return this.store.all<Pod>('pods').filter((p) => p.metadata.namespace === job.metadata.namespace && isActivePod(p) && p.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid));
  }

  /** spec.suspend flipped: delete the active pods and say Suspended, or start pods again and say Resumed. */
  private syncSuspend(namespace: string, name: string, uid: string): void {
    const job = this.current(namespace, name, uid);
    if (!job || isFinished(job)) return;
    job.status ??= {};
    const s = job.status;
    s.conditions ??= [];
    const conds = s.conditions;
    const suspended = conds.find((c) => c.type === 'Suspended');
    const now = this.store.iso();
    if (job.spec.suspend) {
      if (suspended?.status === 'True') return;
      const pods = this.activePods(job);
      for (const p of pods) {
        this.gc.deletePod(namespace, p.metadata.name);
        recordEvent(this.store, job, 'Job', { reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}`, first: now });
      }
      const c = condition('Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      if (suspended) Object.assign(suspended, c);
      else conds.push(c);
      delete s.active;
      s.ready = 0;
      // status.terminating lags behind the pods, as recorded.
      s.terminating = pods.length;
      s.uncountedTerminatedPods ??= {};
      this.put(job);
      recordEvent(this.store, job, 'Job', { reason: 'Suspended', message: 'Job suspended', first: now });
      if (pods.length) {
        this.timers.later(1000, () => {
          const j = this.current(namespace, name, uid);
          if (!j?.status || !j.spec.suspend || !j.status.terminating) return;
          j.status.terminating = 0;
          this.put(j);
        });
      }
      return;
    }
    if (suspended?.status !== 'True') return;
    Object.assign(suspended, condition('Suspended', 'False', 'JobResumed', 'Job resumed', now));
    s.startTime = now;
    s.terminating = 0;
    s.uncountedTerminatedPods ??= {};
    this.launch(job);
    recordEvent(this.store, job, 'Job', { reason: 'Resumed', message: 'Job resumed', first: now });
  }

  /** DELETE with preconditions and propagation like the API server (batch/v1 orphans pods by default). */
  delete(namespace: string, name: string, opts: DeleteOptions): DeleteResult {
    return this.gc.deleteJob(namespace, name, opts);
  }

  /** KubeSphere's rerun: compare resourceVersion, copy without identity and controller labels, delete, create under the same name. */
  kubeSphereRerun(namespace: string, name: string, action: string | null, resourceVersion: string | null): { status: number; body: unknown } {
    if (action !== 'rerun') return { status: 400, body: { message: `invalid operation ${action ?? ''}` } };
    const job = this.store.get<Job>('jobs', namespace, name);
    if (!job) return { status: 500, body: { message: `jobs.batch "${name}" not found` } };
    if (resourceVersion !== job.metadata.resourceVersion) {
      return { status: 409, body: { message: `Operation cannot be fulfilled on job "${name}": please apply your changes to the latest version and try again` } };
    }
    // KubeSphere keeps the Job's owner and annotations; it only drops identity, status and generated labels.
    const copy = rerunBody(job, name, {}, { keepAnnotations: ['revisions'] });
    if (job.metadata.ownerReferences) copy.metadata.ownerReferences = job.metadata.ownerReferences;
    const revisions = JSON.parse(job.metadata.annotations?.revisions ?? '{}') as Record<string, unknown>;
    const n = Object.keys(revisions).length + 1;
    revisions[String(n)] = { status: job.status?.conditions?.find((c) => c.status === 'True')?.type ?? 'Running', uid: job.metadata.uid, start: job.status?.startTime };
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), revisions: JSON.stringify(revisions) };
    this.delete(namespace, name, { propagationPolicy: 'Background' });
    const created = this.create(namespace, copy);
    return 'job' in created ? { status: 200, body: { message: 'success' } } : { status: 500, body: { message: created.error.message } };
  }
}
