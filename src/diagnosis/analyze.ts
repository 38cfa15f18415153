// Why a Job is where it is, from the evidence Kubernetes leaves: conditions,
// pod and container statuses, events and the failing container's last log lines.
// Pure: gather.ts fetches, this decides. See JOBS-REFERENCE.md "Why a Job failed".
import { parseIndexes } from '../kube/indexes.js';
import type { Job, KubeEvent, Pod } from '../kube/types.js';
import type { CronJobBrief } from '../jobs/cronjobs.js';
import { cronJobOwner, type JobStatus, jobStatus } from '../render/job-status.js';
import { completionIndex, failedContainers } from '../render/pod-status.js';

export const CATEGORIES = [
  'Complete',
  'Running',
  'Pending',
  'Suspended',
  'FailureTarget',
  'OOMKilled',
  'ImagePull',
  'ConfigError',
  'CrashLoop',
  'AppError',
  'DeadlineExceeded',
  'BackoffLimitExceeded',
  'PodFailurePolicy',
  'FailedIndexes',
  'Unschedulable',
  'QuotaOrPolicy',
  'Evicted',
  'SidecarRunning',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Evidence {
  source: 'condition' | 'pod' | 'event' | 'log' | 'spec';
  text: string;
}

export interface Diagnosis {
  job: string;
  status: JobStatus;
  category: Category;
  summary: string;
  cronJob?: string;
  /** The owning CronJob's schedule and state, when it could be read. */
  cronJobState?: CronJobBrief;
  failedIndexes?: { indexes: string; pods: string[] };
  evidence: Evidence[];
  nextSteps: string[];
  /** What the diagnosis could not see: it may be incomplete. */
  unavailable?: string[];
}

export interface Gathered {
  job: Job;
  pods: Pod[];
  /** Events of the Job and of its most relevant pods, oldest first. */
  events: KubeEvent[];
  /** The failing container's last log lines, already redacted. */
  log?: { pod: string; container: string; previous: boolean; lines: string[] };
  /** Evidence that could not be read, and why (e.g. "log of pod-x/main: forbidden (403)"). */
  unavailable?: string[];
  /** The owning CronJob, and its schedule's interval in ms when it could be computed. */
  cron?: CronJobBrief & { intervalMs?: number };
  now?: number;
}

const MAX_LINE = 300;
const MAX_EVIDENCE = 14;
const clip = (s: string) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_LINE ? `${one.slice(0, MAX_LINE - 1)}…` : one;
};

const EXIT_MEANING: Record<number, string> = {
  1: 'a program error',
  2: 'a program error (often misuse of a shell builtin or bad arguments)',
  126: 'the command is not executable',
  127: 'the command was not found in the image',
  128: 'an invalid exit argument',
  130: 'SIGINT',
  137: 'SIGKILL — out of memory when OOMKilled, else killed by the kubelet or a deadline',
  139: 'SIGSEGV, a crash',
  143: 'SIGTERM — deadline, suspend, eviction or deletion',
};
const exitMeaning = (code: number) => EXIT_MEANING[code] ?? (code > 128 ? `signal ${code - 128}` : 'an application-defined failure');

const IMAGE_REASONS = /^(ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull|RegistryUnavailable)$/;
const CONFIG_REASONS = /^(CreateContainerConfigError|CreateContainerError|RunContainerError)$/;

function containerResources(job: Job, container: string): string | undefined {
  const c = job.spec.template.spec.containers.find((x) => x.name === container) as { resources?: { limits?: Record<string, string> } } | undefined;
  const mem = c?.resources?.limits?.memory;
  return mem ? `memory limit ${mem}` : undefined;
}

function conditionEvidence(job: Job): Evidence[] {
  return (job.status?.conditions ?? [])
    .filter((c) => c.status === 'True' && c.type !== 'SuccessCriteriaMet' && !(c.type === 'FailureTarget' && job.status?.conditions?.some((f) => f.type === 'Failed' && f.status === 'True')))
    .map((c) => ({ source: 'condition' as const, text: clip(`${c.type}=True ${c.reason ?? ''}: ${c.message ?? ''}`) }));
}

function podEvidence(pod: Pod): Evidence[] {
  const out: Evidence[] = [];
  const name = pod.metadata.name;
  if (pod.status?.reason === 'Evicted') out.push({ source: 'pod', text: clip(`${name}: Evicted: ${pod.status.message ?? ''}`) });
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) out.push({ source: 'pod', text: clip(`${name}: not scheduled (${unscheduled.reason ?? 'Unschedulable'}): ${unscheduled.message ?? ''}`) });
  for (const cs of pod.status?.containerStatuses ?? []) {
    const w = cs.state?.waiting;
    const t = cs.state?.terminated;
    const lt = cs.lastState?.terminated;
    if (w?.reason && w.reason !== 'ContainerCreating') out.push({ source: 'pod', text: clip(`${name}: container ${cs.name} waiting: ${w.reason}${w.message ? `: ${w.message}` : ''}`) });
    if (t && t.exitCode !== 0) out.push({ source: 'pod', text: clip(`${name}: container ${cs.name} terminated ${t.reason ?? ''} (exit ${t.exitCode}: ${exitMeaning(t.exitCode)})`) });
    if (!t && lt && lt.exitCode !== 0) out.push({ source: 'pod', text: clip(`${name}: container ${cs.name} last run terminated ${lt.reason ?? ''} (exit ${lt.exitCode}: ${exitMeaning(lt.exitCode)}), restarted ${cs.restartCount} time(s)`) });
  }
  return out;
}

// A main container that finished while another regular container keeps the pod (and the Job) running.
const SIDECAR_AFTER_MS = 5 * 60_000;
function sidecarHang(pods: Pod[], now: number): { pod: Pod; done: string; running: string[] } | undefined {
  for (const p of pods) {
    if (p.status?.phase !== 'Running') continue;
    const cs = p.status.containerStatuses ?? [];
    const done = cs.find((c) => c.state?.terminated?.exitCode === 0 && now - Date.parse(c.state.terminated.finishedAt ?? '') > SIDECAR_AFTER_MS);
    const running = cs.filter((c) => c.state?.running).map((c) => c.name);
    if (done && running.length) return { pod: p, done: done.name, running };
  }
  return undefined;
}

/** Failed pods and pods with problems first, newest first; pods without problems are not evidence. */
function problemPods(pods: Pod[]): Pod[] {
  return pods
    .filter((p) => podEvidence(p).length > 0)
    .sort((a, b) => Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? ''));
}

export function analyze(g: Gathered): Diagnosis {
  const { job, pods, events } = g;
  const ref = `${job.metadata.namespace}/${job.metadata.name}`;
  const status = jobStatus(job);
  const failedCond = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  const owner = cronJobOwner(job);
  const bad = problemPods(pods);
  const allContainers = pods.flatMap((p) => (p.status?.containerStatuses ?? []).map((cs) => ({ pod: p, cs })));
  const waiting = (re: RegExp) => allContainers.find(({ cs }) => re.test(cs.state?.waiting?.reason ?? ''));
  const oom = pods.find((p) => failedContainers(p).some((f) => f.reason === 'OOMKilled'));
  const exitFailure = pods.map((p) => ({ p, f: failedContainers(p)[0] })).find((x) => x.f);
  const warningEvents = events.filter((e) => e.type === 'Warning');
  const failedCreate = warningEvents.find((e) => e.reason === 'FailedCreate');
  const unscheduled = pods.find((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
  const evicted = pods.find((p) => p.status?.reason === 'Evicted');
  const crash = waiting(/^CrashLoopBackOff$/);
  const now = g.now ?? Date.now();
  const sidecar = status === 'Running' ? sidecarHang(pods, now) : undefined;

  let category: Category;
  let summary: string;
  const next: string[] = [];
  let failedIndexes: Diagnosis['failedIndexes'];

  const exitText = (x: { p: Pod; f: { container: string; exitCode: number; reason?: string } }) =>
    `container ${x.f.container} of ${x.p.metadata.name} exited with code ${x.f.exitCode}${x.f.reason ? ` (${x.f.reason})` : ''}: ${exitMeaning(x.f.exitCode)}`;

  if (status === 'Complete') {
    category = 'Complete';
    summary = `The Job completed: ${job.status?.succeeded ?? 0} pod(s) succeeded.`;
    next.push('Nothing to fix. Read the output with job_logs if needed.');
  } else if (status === 'Suspended') {
    category = 'Suspended';
    summary = 'The Job is suspended (spec.suspend: true), so it runs no pods. A queue such as Kueue may hold it until capacity is free.';
    next.push('If it should run: resume it by setting spec.suspend to false (kubectl patch job … -p \'{"spec":{"suspend":false}}\'), or check the queue that manages it.');
  } else if (failedCond?.reason === 'PodFailurePolicy') {
    category = 'PodFailurePolicy';
    summary = `A podFailurePolicy FailJob rule matched: ${failedCond.message ?? ''}. The Job was failed on purpose; retrying will not help.`;
    next.push('Fix the program or its input that makes it exit with that code; a rerun fails the same way until then.');
  } else if (failedCond?.reason === 'DeadlineExceeded') {
    category = 'DeadlineExceeded';
    summary = `The Job ran longer than activeDeadlineSeconds (${job.spec.activeDeadlineSeconds ?? '?'} s) and was stopped; its running pods were terminated.`;
    next.push('Find out what is slow (job_logs of a recent pod, if it still exists), or raise spec.activeDeadlineSeconds.');
  } else if (failedCond && /FailedIndexes|MaxFailedIndexesExceeded/.test(failedCond.reason ?? '')) {
    category = 'FailedIndexes';
    const idx = new Set(parseIndexes(job.status?.failedIndexes, 10_000).map(String));
    const idxPods = pods.filter((p) => idx.has(completionIndex(p) ?? '') && (p.status?.phase === 'Failed' || failedContainers(p).length)).map((p) => p.metadata.name);
    failedIndexes = { indexes: job.status?.failedIndexes ?? '', pods: idxPods };
    const first = pods.find((p) => idxPods.includes(p.metadata.name));
    const f = first ? failedContainers(first)[0] : undefined;
    summary = `Index(es) ${job.status?.failedIndexes ?? '?'} of this Indexed Job failed (backoffLimitPerIndex ${job.spec.backoffLimitPerIndex ?? '?'})${f && first ? `; ${exitText({ p: first, f })}` : ''}. Completed: ${job.status?.completedIndexes || 'none'}.`;
    next.push(`Read the failed index's log: job_logs {"pod":"${job.metadata.namespace}/${idxPods[0] ?? '<pod>'}"}.`, 'Fix the cause for that index; a rerun repeats every index, so consider the side effects of the ones that completed.');
  } else if (oom && (failedCond || status === 'Running')) {
    category = 'OOMKilled';
    const f = failedContainers(oom).find((x) => x.reason === 'OOMKilled');
    const limit = f ? containerResources(job, f.container) : undefined;
    summary = `Container ${f?.container} was killed for using more memory than its limit (OOMKilled, exit 137${limit ? `, ${limit}` : ''})${failedCond ? `; after ${job.status?.failed ?? '?'} failed attempt(s) the Job hit backoffLimit ${job.spec.backoffLimit ?? 6}` : ''}.`;
    next.push('Raise resources.limits.memory of that container (and its request), or make the program use less memory (stream, batch, smaller buffers).');
  } else if (waiting(IMAGE_REASONS)) {
    const w = waiting(IMAGE_REASONS);
    category = 'ImagePull';
    summary = `The image cannot be pulled (${w?.cs.state?.waiting?.reason}): ${clip(w?.cs.state?.waiting?.message ?? '')}`;
    next.push('Check the image name and tag exist in the registry; for a private registry, add imagePullSecrets. The pod retries on its own once the image is available.');
  } else if (waiting(CONFIG_REASONS)) {
    const w = waiting(CONFIG_REASONS);
    category = 'ConfigError';
    summary = `The container cannot be created (${w?.cs.state?.waiting?.reason}): ${clip(w?.cs.state?.waiting?.message ?? '')}`;
    next.push('Create the missing Secret/ConfigMap (or key) it refers to, or mark the reference optional. The kubelet retries by itself.');
  } else if (unscheduled && !failedCond) {
    category = 'Unschedulable';
    const c = unscheduled.status?.conditions?.find((x) => x.type === 'PodScheduled');
    summary = `No node can run the pod: ${clip(c?.message ?? 'Unschedulable')}`;
    next.push('Lower its resource requests, add capacity (or the requested resource, e.g. GPUs), or fix node selectors, affinity and tolerations.');
  } else if (failedCreate && !failedCond && !pods.length) {
    category = 'QuotaOrPolicy';
    summary = `The Job controller cannot create pods: ${clip(failedCreate.message ?? '')}`;
    next.push('Adjust the ResourceQuota / LimitRange, or the pod spec to fit the quota or admission policy (PodSecurity, webhooks) named in the message.');
  } else if (crash) {
    category = 'CrashLoop';
    const lt = crash.cs.lastState?.terminated;
    summary = `Container ${crash.cs.name} keeps crashing (CrashLoopBackOff, ${crash.cs.restartCount} restarts${lt ? `, last exit ${lt.exitCode}: ${exitMeaning(lt.exitCode)}` : ''}).`;
    next.push(`Read the crashed run: job_logs {"job":"${ref}","previous":true}; fix the program or its input.`);
  } else if (sidecar) {
    category = 'SidecarRunning';
    summary = `Container ${sidecar.done} of ${sidecar.pod.metadata.name} finished (exit 0), but ${sidecar.running.join(', ')} still run${sidecar.running.length > 1 ? '' : 's'}, so the pod never completes and the Job stays Running.`;
    next.push(
      `Make ${sidecar.running.join(', ')} a native sidecar (Kubernetes ≥ 1.29: move it to initContainers with restartPolicy: Always), so the pod completes when ${sidecar.done} does; or have it exit when ${sidecar.done} is done.`,
    );
  } else if (evicted) {
    category = 'Evicted';
    summary = `A pod was evicted: ${clip(evicted.status?.message ?? '')}`;
    next.push('Set resource requests that match real usage, or find what pressures the node (memory, disk).');
  } else if (failedCond?.reason === 'BackoffLimitExceeded' && exitFailure?.f) {
    category = 'AppError';
    summary = `The program failed: ${exitText(exitFailure as never)}. After ${job.status?.failed ?? '?'} failed attempt(s) the Job hit backoffLimit ${job.spec.backoffLimit ?? 6}.`;
    next.push(`Read the failed run's log (job_logs {"job":"${ref}"}) and fix the program, its input or its configuration; a rerun fails the same way until then.`);
  } else if (failedCond) {
    category = 'BackoffLimitExceeded';
    summary = `The Job failed (${failedCond.reason}): ${failedCond.message ?? ''}. Its failed pods are gone, so the cause is not visible any more.`;
    next.push('Look at job_events (includePods: true) while events last; set ttlSecondsAfterFinished high enough to keep failed pods for inspection.');
  } else if (status === 'FailureTarget') {
    category = 'FailureTarget';
    summary = 'The Job has been decided as failed; its pods are still terminating.';
    next.push('Wait a moment and look again with job_get.');
  } else if (status === 'Pending') {
    category = 'Pending';
    summary = 'The Job has not started any pod yet.';
    next.push('Look again shortly; if it stays Pending, check job_events for FailedCreate.');
  } else {
    category = 'Running';
    summary = `The Job is running: ${job.status?.active ?? 0} active pod(s), ${job.status?.ready ?? 0} ready, ${job.status?.succeeded ?? 0} succeeded, ${job.status?.failed ?? 0} failed. Nothing wrong is visible.`;
    next.push('Follow progress with job_logs and job_get.');
  }
  const cron = g.cron;
  if (owner && category !== 'Complete') {
    next.push(
      cron?.suspend
        ? `It was created by CronJob ${owner}, which is suspended now: no new runs start until it is resumed. Fix its jobTemplate before resuming.`
        : `It was created by CronJob ${owner}${cron?.schedule ? ` (${cron.schedule}${cron.timeZone ? ` ${cron.timeZone}` : ''})` : ''}: fix the CronJob's jobTemplate, not only this Job, or the next scheduled run fails the same way.`,
    );
  }
  const started = Date.parse(job.status?.startTime ?? '');
  if (cron?.concurrencyPolicy === 'Forbid' && cron.intervalMs && (status === 'Running' || status === 'Pending') && now - started > cron.intervalMs) {
    next.push(`CronJob ${owner} has concurrencyPolicy Forbid and this Job has run longer than the schedule's interval: its scheduled runs are being skipped until this Job ends.`);
  }
  const ttl = job.spec.ttlSecondsAfterFinished;
  const finished = status === 'Complete' || status === 'Failed';
  if (ttl !== undefined && finished && !pods.length) {
    const where = owner && cron?.templateTtl === ttl ? `CronJob ${owner}'s jobTemplate` : 'the Job spec';
    next.push(`Its pods and their logs are gone: ttlSecondsAfterFinished=${ttl} (set in ${where}) deletes a finished Job with its pods. Raise it to keep evidence longer.`);
  }

  const evidence: Evidence[] = [...conditionEvidence(job)];
  if (job.spec.suspend) evidence.push({ source: 'spec', text: 'spec.suspend: true' });
  // Pods that failed the same way are one line: "<newest> (+N more pods alike)".
  const alike = new Map<string, { line: Evidence; more: number }>();
  for (const p of bad) {
    for (const e of podEvidence(p)) {
      const key = e.text.replace(p.metadata.name, '');
      const seen = alike.get(key);
      if (seen) seen.more++;
      else alike.set(key, { line: e, more: 0 });
    }
  }
  for (const { line, more } of [...alike.values()].slice(0, 4)) evidence.push(more ? { ...line, text: line.text.replace(/^(\S+):/, `$1 (+${more} more pod${more > 1 ? 's' : ''} alike):`) } : line);
  if (!pods.length && status !== 'Suspended') evidence.push({ source: 'pod', text: `no pods exist for the Job (failed ${job.status?.failed ?? 0}, succeeded ${job.status?.succeeded ?? 0})` });
  for (const e of warningEvents.slice(-4)) {
    const count = e.series?.count ?? e.count ?? 1;
    evidence.push({ source: 'event', text: clip(`${e.reason} (${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name}${count > 1 ? `, x${count}` : ''}): ${e.message ?? ''}`) });
  }
  if (g.log?.lines.length) {
    for (const line of g.log.lines) evidence.push({ source: 'log', text: clip(`${g.log.pod}/${g.log.container}${g.log.previous ? ' (previous)' : ''}: ${line}`) });
  }
  return {
    job: ref,
    status,
    category,
    summary: summary.length > 600 ? `${summary.slice(0, 599)}…` : summary,
    ...(owner ? { cronJob: owner } : {}),
    ...(cron && !cron.missing && !cron.unreadable ? { cronJobState: stripInterval(cron) } : {}),
    ...(failedIndexes ? { failedIndexes } : {}),
    evidence: evidence.slice(0, MAX_EVIDENCE),
    nextSteps: next,
    ...(g.unavailable?.length ? { unavailable: g.unavailable } : {}),
  };
}

const stripInterval = ({ intervalMs: _, ...b }: CronJobBrief & { intervalMs?: number }): CronJobBrief => b;

/** The lines of a log most likely to explain a failure: error-looking lines, else the tail. */
export function telltaleLines(log: string, max = 5): string[] {
  const lines = log.split('\n').filter((l) => l.trim());
  const errorish = lines.filter((l) => /error|fatal|exception|panic|traceback|killed|denied|refused|timed? ?out|fail|cannot|unable|not found|no such|invalid|violat|exit/i.test(l));
  const pick = errorish.length ? errorish.slice(-max) : lines.slice(-max);
  // The very last line often says how it ended; keep it.
  const last = lines.at(-1);
  if (last && !pick.includes(last)) pick.splice(0, pick.length >= max ? 1 : 0, last);
  return pick.sort((a, b) => lines.lastIndexOf(a) - lines.lastIndexOf(b));
}
