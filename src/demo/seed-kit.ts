// Builders for seeded objects: Jobs, their pods with logs, and the events the
// Job controller, scheduler and kubelet leave behind. Names are deterministic
// (a hash of the Job and a counter), times are seconds relative to start-up.
import { createHash, randomUUID } from 'node:crypto';
import type { Condition, Container, ContainerState, Job, Pod } from '../kube/types.js';
import { defaultJob, type EventSpec, managed, podFor, recordEvent, type PodSpecState } from './objects.js';
import type { Store } from './store.js';

export interface JobSeed {
  ns: string;
  name: string;
  created: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The owning CronJob; manual: made by `kubectl create job --from` (no blockOwnerDeletion). */
  cronJob?: { name: string; uid: string; manual?: boolean };
  spec?: Partial<Job['spec']>;
  containers: Container[];
  restartPolicy?: 'Never' | 'OnFailure';
  /** The pod template's labels when they differ from the Job's (a CronJob's jobTemplate). */
  templateLabels?: Record<string, string>;
  templateAnnotations?: Record<string, string>;
  /** Who created the Job (managedFields); default kubectl-create. */
  manager?: string;
}

export type SeedLogs = Record<string, { current: [number, string][]; previous?: [number, string][] }>;

/** A deterministic pod-name suffix, so the demo's names are stable across runs. */
export function sfx(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const h = createHash('sha256').update(seed).digest();
  return [...h.subarray(0, 5)].map((b) => alphabet[b % alphabet.length]).join('');
}

export const cond = (type: string, reason: string, message: string, at: string): Condition => ({
  type,
  status: 'True',
  lastProbeTime: at,
  lastTransitionTime: at,
  reason,
  message,
});

export const terminated = (exitCode: number, reason: string, startedAt: string, finishedAt: string): ContainerState => ({
  terminated: { exitCode, reason, startedAt, finishedAt },
});

export function seedKit(store: Store) {
  const at = (s: number) => store.iso(s);
  const podCount = new Map<string, number>();
  const makeJob = (s: JobSeed, status: Job['status']): Job => {
    const job: Job = {
      metadata: {
        name: s.name,
        namespace: s.ns,
        creationTimestamp: at(s.created),
        ...(s.labels ? { labels: s.labels } : {}),
        ...(s.annotations ? { annotations: s.annotations } : {}),
        ...(s.cronJob
          ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: s.cronJob.name, uid: s.cronJob.uid, controller: true, ...(s.cronJob.manual ? {} : { blockOwnerDeletion: true }) }] }
          : {}),
      },
      spec: {
        ...(s.spec ?? {}),
        template: {
          metadata: { labels: { ...(s.templateLabels ?? s.labels ?? {}) }, ...(s.templateAnnotations ? { annotations: s.templateAnnotations } : {}) },
          spec: { containers: s.containers, restartPolicy: s.restartPolicy ?? 'Never' },
        },
      },
    };
    if (s.manager) {
      job.metadata.managedFields = [
        managed(s.manager, 'batch/v1', job.metadata.creationTimestamp, { 'f:metadata': { 'f:annotations': {}, 'f:labels': {}, 'f:ownerReferences': {} }, 'f:spec': { 'f:backoffLimit': {}, 'f:template': {} } }),
        managed('kube-controller-manager', 'batch/v1', job.metadata.creationTimestamp, { 'f:status': { 'f:conditions': {}, 'f:startTime': {} } }, 'status'),
      ];
    }
    defaultJob(job, randomUUID());
    job.status = { ...status, terminating: 0, uncountedTerminatedPods: {}, ready: status?.ready ?? 0 };
    return store.put('jobs', job);
  };
  const pod = (job: Job, p: Omit<PodSpecState, 'name'> & { name?: string }, logs?: SeedLogs): Pod => {
    // Names derive from the Job and a per-Job counter, so they are the same on every start.
    const n = (podCount.get(job.metadata.name) ?? 0) + 1;
    podCount.set(job.metadata.name, n);
    const name = p.name ?? `${job.metadata.name}-${p.index !== undefined ? `${p.index}-` : ''}${sfx(`${job.metadata.namespace}/${job.metadata.name}/${p.index ?? ''}/${n}`)}`;
    const stored = store.put('pods', podFor(job, { ...p, name }));
    for (const [container, l] of Object.entries(logs ?? {})) {
      const toLines = (lines: [number, string][]) => lines.map(([s, text]) => ({ time: Date.parse(at(s)) + 137, text }));
      store.logs.set(`${job.metadata.namespace}/${name}/${container}`, { current: toLines(l.current), ...(l.previous ? { previous: toLines(l.previous) } : {}) });
    }
    return stored;
  };
  const jobEvent = (job: Job, e: EventSpec) => recordEvent(store, job, 'Job', e);
  const podEvent = (p: Pod, e: EventSpec) => recordEvent(store, p, 'Pod', e);
  const started = (p: Pod, container: string, image: string, t: number) => {
    const fieldPath = `spec.containers{${container}}`;
    podEvent(p, { reason: 'Scheduled', message: `Successfully assigned ${p.metadata.namespace}/${p.metadata.name} to demo-node-1`, first: at(t) });
    podEvent(p, { reason: 'Pulled', message: `Container image "${image}" already present on machine`, first: at(t + 1), fieldPath });
    podEvent(p, { reason: 'Created', message: `Created container: ${container}`, first: at(t + 1), fieldPath });
    podEvent(p, { reason: 'Started', message: `Started container ${container}`, first: at(t + 1), fieldPath });
  };
  return { at, makeJob, pod, jobEvent, podEvent, started };
}
