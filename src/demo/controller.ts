// A small Job controller and kubelet for Jobs created at run time (reruns): it
// creates pods, moves them Pending → Running → Succeeded and completes the Job,
// recording the events the real components record. Seeded Jobs stay as seeded.
import { randomUUID } from 'node:crypto';
import type { Job, Pod } from '../kube/types.js';
import { formatIndexes, parseIndexes } from '../kube/indexes.js';
import { rerunBody } from '../kube/rerun.js';
import { defaultJob, podFor, recordEvent, suffix } from './objects.js';
import { alreadyExists, conflict, invalid, notFound, type StatusBody } from './status.js';
import type { Store } from './store.js';

export interface ControllerOptions {
  /** How long a created pod runs before it succeeds. */
  podRunMs: number;
  /** >0: a deleted Job lingers with a deletionTimestamp this long before it is gone. */
  deleteDelayMs: number;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONTROLLER_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];

export class JobController {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly opts: ControllerOptions,
  ) {}

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
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
    const stored = this.store.put('jobs', defaultJob(job, randomUUID()));
    this.later(50, () => this.start(namespace, name, stored.metadata.uid as string));
    return { status: 201, job: stored };
  }

  private current(namespace: string, name: string, uid: string): Job | undefined {
    const j = this.store.get<Job>('jobs', namespace, name);
    return j && j.metadata.uid === uid && !j.metadata.deletionTimestamp ? j : undefined;
  }

  private start(namespace: string, name: string, uid: string): void {
    const job = this.current(namespace, name, uid);
    if (!job) return;
    const now = this.store.iso();
    if (job.spec.suspend) {
      job.status = { conditions: [{ type: 'Suspended', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'JobSuspended', message: 'Job suspended' }], terminating: 0, ready: 0, uncountedTerminatedPods: {} };
      this.store.put('jobs', job);
      recordEvent(this.store, job, 'Job', { reason: 'Suspended', message: 'Job suspended', first: now });
      return;
    }
    const completions = job.spec.completions ?? 1;
    const parallel = Math.min(job.spec.parallelism ?? 1, completions);
    const indexed = job.spec.completionMode === 'Indexed';
    // The simulated pods are ready as soon as they run.
    job.status = { startTime: now, active: parallel, terminating: 0, ready: parallel, uncountedTerminatedPods: {} };
    this.store.put('jobs', job);
    for (let i = 0; i < parallel; i++) this.runPod(job, indexed ? i : undefined, indexed ? undefined : i);
  }

  private runPod(job: Job, index: number | undefined, slot: number | undefined): void {
    const name = `${job.metadata.name}-${index !== undefined ? `${index}-` : ''}${suffix()}`;
    const created = this.store.iso();
    const running = job.spec.template.spec.containers.map(() => ({ state: { running: { startedAt: created } }, ready: true }));
    const pod = this.store.put('pods', podFor(job, { name, index, phase: 'Running', created, states: running }));
    recordEvent(this.store, job, 'Job', { reason: 'SuccessfulCreate', message: `Created pod: ${name}`, first: created });
    for (const c of job.spec.template.spec.containers) {
      recordEvent(this.store, pod, 'Pod', { reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, first: created, fieldPath: `spec.containers{${c.name}}` });
      recordEvent(this.store, pod, 'Pod', { reason: 'Started', message: `Started container ${c.name}`, first: created, fieldPath: `spec.containers{${c.name}}` });
      const t0 = this.store.now();
      this.store.logs.set(`${pod.metadata.namespace}/${name}/${c.name}`, {
        current: [
          { time: t0, text: `${c.name}: starting ${job.metadata.name}${index !== undefined ? ` index ${index}` : ''}` },
          { time: t0 + 1, text: `${c.name}: working...` },
        ],
      });
    }
    this.later(this.opts.podRunMs, () => this.finishPod(job.metadata.namespace as string, job.metadata.name, job.metadata.uid as string, name, index, slot));
  }

  private finishPod(namespace: string, jobName: string, uid: string, podName: string, index: number | undefined, slot: number | undefined): void {
    const job = this.current(namespace, jobName, uid);
    const pod = this.store.get<Pod>('pods', namespace, podName);
    if (!job || !pod) return;
    const now = this.store.iso();
    for (const [i, cs] of (pod.status?.containerStatuses ?? []).entries()) {
      cs.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: pod.status?.startTime, finishedAt: now } };
      cs.ready = false;
      cs.started = false;
      const log = this.store.logs.get(`${namespace}/${podName}/${job.spec.template.spec.containers[i]?.name}`);
      log?.current.push({ time: this.store.now(), text: 'done' });
    }
    (pod.status as Record<string, unknown>).phase = 'Succeeded';
    delete (pod.metadata as Record<string, unknown>).finalizers;
    for (const c of pod.status?.conditions ?? []) if (c.type === 'Ready' || c.type === 'ContainersReady') Object.assign(c, { status: 'False', reason: 'PodCompleted', lastTransitionTime: now });
    this.store.put('pods', pod);

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
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      ];
      this.store.put('jobs', job);
      recordEvent(this.store, job, 'Job', { reason: 'Completed', message: 'Job completed', first: now });
      return;
    }
    if (started < completions) {
      this.store.put('jobs', job);
      this.runPod(job, indexed ? started : undefined, slot);
    } else {
      s.active = Math.max(0, (s.active ?? 1) - 1);
      s.ready = s.active;
      this.store.put('jobs', job);
    }
  }

  /**
   * DELETE with preconditions and propagation like the API server. batch/v1
   * orphans pods unless a propagation policy says otherwise.
   */
  delete(namespace: string, name: string, opts: { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string } }): { status: number; body: unknown } {
    const target = { verb: 'delete', group: 'batch', resource: 'jobs', namespace, name };
    const job = this.store.get<Job>('jobs', namespace, name);
    if (!job) return { status: 404, body: notFound(target) };
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== job.metadata.uid) {
      return { status: 409, body: conflict(target, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${job.metadata.uid}`) };
    }
    if (pre.resourceVersion && pre.resourceVersion !== job.metadata.resourceVersion) {
      return {
        status: 409,
        body: conflict(target, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${job.metadata.resourceVersion}`),
      };
    }
    const cascade = opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Foreground';
    const remove = () => {
      this.store.delete('jobs', namespace, name);
      for (const p of this.store.all<Pod>('pods')) {
        if (p.metadata.namespace !== namespace || !p.metadata.ownerReferences?.some((o) => o.uid === job.metadata.uid)) continue;
        if (cascade) this.store.delete('pods', namespace, p.metadata.name);
        else {
          delete p.metadata.ownerReferences;
          this.store.put('pods', p);
        }
      }
    };
    if (this.opts.deleteDelayMs > 0) {
      job.metadata.deletionTimestamp = this.store.iso();
      (job.metadata as Record<string, unknown>).deletionGracePeriodSeconds = 0;
      job.metadata.finalizers = ['orphan'];
      this.store.put('jobs', job);
      this.later(this.opts.deleteDelayMs, remove);
      return { status: 200, body: { kind: 'Job', apiVersion: 'batch/v1', ...job } };
    }
    remove();
    return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'batch', kind: 'jobs', uid: job.metadata.uid } } };
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
