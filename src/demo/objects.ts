// Builders for objects shaped like those the API server, the Job controller and
// the kubelet produce (compare test/fixtures/k8s-1.32/).
import { randomBytes } from 'node:crypto';
import type { Condition, Container, ContainerState, ContainerStatus, CronJob, Job, KubeEvent, Pod } from '../kube/types.js';
import type { Store } from './store.js';

export const NODE = 'demo-node-1';
const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';

/** The random suffix the API server appends to generateName. */
export function suffix(n = 5): string {
  const bytes = randomBytes(n);
  return [...bytes].map((b) => ALNUM[b % ALNUM.length]).join('');
}

export function controllerLabels(job: Job): Record<string, string> {
  const uid = job.metadata.uid as string;
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': uid,
    'job-name': job.metadata.name,
  };
}

/** What the API server adds to a Job on create: selector, template labels, spec defaults. */
/** A managedFields entry like the API server records for each writer. */
export function managed(manager: string, apiVersion: string, time: string | undefined, fields: Record<string, unknown>, subresource?: string): Record<string, unknown> {
  return { manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields, ...(subresource ? { subresource } : {}) };
}

/** The pod-template defaults the API server fills in (containers, DNS, scheduler, grace period). */
export function defaultPodSpec(ps: Job['spec']['template']['spec']): void {
  ps.terminationGracePeriodSeconds ??= 30;
  ps.dnsPolicy ??= 'ClusterFirst';
  ps.securityContext ??= {};
  ps.schedulerName ??= 'default-scheduler';
  for (const c of ps.containers) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??= c.image?.endsWith(':latest') || !c.image?.includes(':') ? 'Always' : 'IfNotPresent';
    c.resources ??= {};
  }
}

/** What the API server adds to a CronJob on create; the jobTemplate's Job spec is defaulted only in its pod template. */
export function defaultCronJob(cj: CronJob, uid: string): CronJob {
  cj.metadata.uid = uid;
  cj.metadata.generation = 1;
  const s = cj.spec;
  // Field order as the API server serializes a CronJobSpec.
  const spec: Record<string, unknown> = {
    schedule: s.schedule,
    ...(s.timeZone !== undefined ? { timeZone: s.timeZone } : {}),
    ...(s.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: s.startingDeadlineSeconds } : {}),
    concurrencyPolicy: s.concurrencyPolicy ?? 'Allow',
    suspend: s.suspend ?? false,
    jobTemplate: s.jobTemplate,
    successfulJobsHistoryLimit: s.successfulJobsHistoryLimit ?? 3,
    failedJobsHistoryLimit: s.failedJobsHistoryLimit ?? 1,
  };
  for (const [k, v] of Object.entries(s)) if (!(k in spec)) spec[k] = v;
  cj.spec = spec as CronJob['spec'];
  const jt = cj.spec.jobTemplate;
  jt.metadata = { creationTimestamp: null, ...(jt.metadata ?? {}) } as typeof jt.metadata;
  jt.spec.template.metadata = { creationTimestamp: null, ...(jt.spec.template.metadata ?? {}) };
  defaultPodSpec(jt.spec.template.spec);
  cj.status ??= {};
  return cj;
}

export function defaultJob(job: Job, uid: string): Job {
  job.metadata.uid = uid;
  job.metadata.managedFields ??= [
    managed('kubectl-create', 'batch/v1', job.metadata.creationTimestamp, { 'f:spec': { 'f:backoffLimit': {}, 'f:completionMode': {}, 'f:parallelism': {}, 'f:suspend': {}, 'f:template': {} } }),
    managed('kube-controller-manager', 'batch/v1', job.metadata.creationTimestamp, { 'f:status': { 'f:conditions': {}, 'f:startTime': {} } }, 'status'),
  ];
  job.metadata.generation = 1;
  const spec = job.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.manualSelector ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  if (!spec.manualSelector) spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  spec.template.metadata ??= {};
  const meta = spec.template.metadata;
  meta.creationTimestamp ??= null;
  meta.labels = { ...(meta.labels ?? {}), ...controllerLabels(job) };
  defaultPodSpec(spec.template.spec);
  // Labels of a Job without any are defaulted from its pod template.
  if (!job.metadata.labels || Object.keys(job.metadata.labels).length === 0) job.metadata.labels = { ...meta.labels };
  job.status ??= {};
  return job;
}

export interface PodSpecState {
  name: string;
  index?: number;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  created: string;
  /** Per container, in template order; missing ones default to running/terminated by phase. */
  states: { state: ContainerState; lastState?: ContainerState; restartCount?: number; ready?: boolean }[];
  reason?: string;
  message?: string;
  scheduled?: boolean;
  unschedulableMessage?: string;
}

function podConditions(p: PodSpecState, names: string[]): Condition[] {
  const t = p.created;
  if (p.scheduled === false) {
    return [
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'Unschedulable', message: p.unschedulableMessage ?? '' },
    ];
  }
  const running = p.phase === 'Running';
  const done = p.phase === 'Succeeded' || p.phase === 'Failed';
  const ready = running && p.states.every((s) => s.ready);
  const notReady = done ? 'PodCompleted' : 'ContainersNotReady';
  const reason = p.phase === 'Failed' ? 'PodFailed' : notReady;
  const unready = p.states.map((st, i) => (st.ready ? undefined : names[i])).filter(Boolean);
  const message = reason === 'ContainersNotReady' ? { message: `containers with unready status: [${unready.join(' ')}]` } : {};
  return [
    { type: 'PodReadyToStartContainers', status: done ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: t },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t, ...(ready ? {} : { reason, ...message }) },
    { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t, ...(ready ? {} : { reason, ...message }) },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
  ];
}

function containerStatus(c: Container, s: PodSpecState['states'][number] | undefined): ContainerStatus {
  const state = s?.state ?? {};
  const started = Boolean(state.running);
  const pulled = !state.waiting || !/Image|ErrImage/.test(state.waiting.reason ?? '');
  const id = `containerd://${randomBytes(32).toString('hex')}`;
  if (state.terminated) (state.terminated as Record<string, unknown>).containerID ??= id;
  return {
    name: c.name,
    state,
    lastState: s?.lastState ?? {},
    ready: s?.ready ?? false,
    restartCount: s?.restartCount ?? 0,
    image: c.image?.includes('/') ? c.image : `docker.io/library/${c.image}`,
    imageID: pulled ? `${c.image?.split(':')[0]}@sha256:${randomBytes(32).toString('hex')}` : '',
    ...(state.waiting ? {} : { containerID: id }),
    started,
  };
}

/** A pod of the Job, as the Job controller creates it and the kubelet reports it. */
export function podFor(job: Job, p: PodSpecState): Pod {
  const labels: Record<string, string> = { ...(job.spec.template.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(job.spec.template.metadata?.annotations ?? {}) };
  if (p.index !== undefined) {
    labels['batch.kubernetes.io/job-completion-index'] = String(p.index);
    annotations['batch.kubernetes.io/job-completion-index'] = String(p.index);
    annotations['batch.kubernetes.io/job-index-failure-count'] = '0';
  }
  const template = structuredClone(job.spec.template.spec);
  const scheduled = p.scheduled !== false;
  const podIP = `10.244.1.${(parseInt(p.name.slice(-2), 36) % 250) + 2}`;
  // Every pod gets the projected service-account token volume the API server injects.
  const volume = `kube-api-access-${suffix()}`;
  const mount = { name: volume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
  for (const c of template.containers) c.volumeMounts = [...((c.volumeMounts as unknown[]) ?? []), mount];
  template.volumes = [
    ...((template.volumes as unknown[]) ?? []),
    {
      name: volume,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
        defaultMode: 420,
      },
    },
  ];
  return {
    metadata: {
      name: p.name,
      generateName: `${job.metadata.name}-${p.index !== undefined ? `${p.index}-` : ''}`,
      namespace: job.metadata.namespace,
      creationTimestamp: p.created,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid as string, controller: true, blockOwnerDeletion: true }],
      finalizers: p.phase === 'Pending' || p.phase === 'Running' ? ['batch.kubernetes.io/job-tracking'] : undefined,
      managedFields: [
        managed('kube-controller-manager', 'v1', p.created, { 'f:metadata': { 'f:generateName': {}, 'f:labels': {}, 'f:ownerReferences': {} }, 'f:spec': { 'f:containers': {} } }),
        managed('kubelet', 'v1', p.created, { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:phase': {} } }, 'status'),
      ],
    },
    spec: {
      ...template,
      ...(scheduled ? { nodeName: NODE } : {}),
      serviceAccountName: 'default',
      serviceAccount: 'default',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: p.phase,
      conditions: podConditions(p, template.containers.map((c) => c.name)),
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.message ? { message: p.message } : {}),
      ...(scheduled
        ? {
            hostIP: '10.0.0.11',
            hostIPs: [{ ip: '10.0.0.11' }],
            podIP,
            podIPs: [{ ip: podIP }],
            startTime: p.created,
            containerStatuses: template.containers.map((c, i) => ({ ...containerStatus(c, p.states[i]), volumeMounts: [{ ...mount, recursiveReadOnly: 'Disabled' }] })),
          }
        : {}),
      qosClass: 'Burstable',
    },
  };
}

export interface EventSpec {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  first: string;
  last?: string;
  count?: number;
  fieldPath?: string;
}

export type EventKind = 'Job' | 'Pod' | 'CronJob';

let eventSeq = 0;
/** client-go names an event after its object and the time in hex nanoseconds, so names sort by time. */
function eventName(obj: { metadata: { name: string } }, first: string): string {
  const ns = BigInt(Date.parse(first) || 0) * 1_000_000n + BigInt(eventSeq++ % 1_000_000);
  return `${obj.metadata.name}.${ns.toString(16).padStart(16, '0')}`;
}
const CONTROLLERS: Partial<Record<EventKind, string>> = { Job: 'job-controller', CronJob: 'cronjob-controller' };

/**
 * Records an event like client-go's correlator: the same reason, message and
 * type on the same object bumps count and lastTimestamp instead of adding one.
 */
export function recordOrBump(store: Store, obj: Job | Pod | CronJob, kind: EventKind, e: EventSpec): KubeEvent {
  const same = store
    .all<KubeEvent>('events')
    .find((x) => x.involvedObject.uid === obj.metadata.uid && x.involvedObject.kind === kind && x.reason === e.reason && x.message === e.message && x.type === (e.type ?? 'Normal'));
  if (!same) return recordEvent(store, obj, kind, e);
  same.count = (same.count ?? 1) + (e.count ?? 1);
  same.lastTimestamp = e.last ?? e.first;
  return store.put('events', same);
}

/** A core/v1 Event as the job-controller or cronjob-controller (for their objects) or the kubelet (for pods) records it. */
export function recordEvent(store: Store, obj: Job | Pod | CronJob, kind: EventKind, e: EventSpec): KubeEvent {
  const kubelet = kind === 'Pod' && !['FailedScheduling', 'Scheduled', 'Preempted'].includes(e.reason);
  const component = CONTROLLERS[kind] ?? (kubelet ? 'kubelet' : 'default-scheduler');
  const scheduler = component === 'default-scheduler';
  const event: KubeEvent & { metadata: { name: string } } = {
    metadata: {
      name: eventName(obj, e.first),
      namespace: obj.metadata.namespace,
      creationTimestamp: e.first,
      managedFields: [managed(CONTROLLERS[kind] ? 'kube-controller-manager' : component, 'v1', e.last ?? e.first, { 'f:count': {}, 'f:firstTimestamp': {}, 'f:involvedObject': {}, 'f:lastTimestamp': {}, 'f:message': {}, 'f:reason': {}, 'f:source': {}, 'f:type': {} })],
    },
    involvedObject: {
      kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: kind === 'Pod' ? 'v1' : 'batch/v1',
      resourceVersion: obj.metadata.resourceVersion,
      ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
    },
    reason: e.reason,
    message: e.message,
    // Scheduler events come from the events.k8s.io API: eventTime set, legacy timestamps null.
    source: scheduler ? {} : { component, ...(kubelet ? { host: NODE } : {}) },
    firstTimestamp: scheduler ? null : e.first,
    lastTimestamp: scheduler ? null : (e.last ?? e.first),
    count: scheduler ? undefined : (e.count ?? 1),
    type: e.type ?? 'Normal',
    // events.k8s.io: eventTime is the first occurrence, series.lastObservedTime the latest.
    eventTime: scheduler ? e.first.replace('Z', '.000000Z') : null,
    ...(scheduler ? { action: 'Scheduling', series: e.count && e.count > 1 ? { count: e.count, lastObservedTime: `${(e.last ?? e.first).replace('Z', '.000000Z')}` } : undefined } : {}),
    reportingComponent: component,
    reportingInstance: kubelet ? NODE : scheduler ? 'default-scheduler-demo-control-plane' : '',
  } as KubeEvent & { metadata: { name: string } };
  store.put('events', event);
  return event;
}
