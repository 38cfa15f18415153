// Domain reads shared by tools, prompts, resources and diagnosis: a Job by reference, the Jobs in
// scope, a Job's pods and events.
import { invalidInput } from '../errors.js';
import { parseLabelSelector, SelectorError, selectorToString } from '../kube/selector.js';
import type { Job, KubeEvent, List, ObjectMeta, Pod } from '../kube/types.js';
import { jobStatus } from '../render/job-status.js';
import { parseJobRef } from '../safety/names.js';
import type { JobsDeps } from './deps.js';

export async function loadJob({ api, policy }: JobsDeps, ref: string): Promise<Job> {
  const { namespace, name } = parseJobRef(ref, (await api.cluster()).defaultNamespace);
  policy.check(namespace);
  return api.getJob(namespace, name);
}

export function checkSelector(selector: string | undefined, what = 'labelSelector'): void {
  if (!selector) return;
  try {
    parseLabelSelector(selector);
  } catch (e) {
    if (e instanceof SelectorError) throw invalidInput(`Invalid ${what}: ${e.message}.`);
    throw e;
  }
}

/**
 * Objects (Jobs, CronJobs) of one namespace, or of every namespace the policy lets us see (the
 * allow-list's, else all), read page by page up to `max`. Denied namespaces are dropped.
 */
export async function inScope<T extends { metadata: ObjectMeta }>(
  deps: JobsDeps,
  namespace: string | undefined,
  max: number,
  list: (namespace: string | undefined, o: { limit: number; continue?: string }) => Promise<List<T>>,
): Promise<{ items: T[]; truncated: boolean }> {
  const sources = namespace ? [namespace] : (deps.policy.allowList() ?? [undefined]);
  const items: T[] = [];
  for (const [i, ns] of sources.entries()) {
    let token: string | undefined;
    do {
      const page = await list(ns, { limit: 500, continue: token });
      items.push(...page.items.filter((j) => deps.policy.allows(j.metadata.namespace ?? '')));
      token = page.metadata.continue;
      // Cut only when something is really left out: more items, another page, or another namespace.
      if (items.length >= max) return { items: items.slice(0, max), truncated: items.length > max || Boolean(token) || i < sources.length - 1 };
    } while (token);
  }
  return { items, truncated: false };
}

export const jobsInScope = (deps: JobsDeps, namespace: string | undefined, max: number) => inScope(deps, namespace, max, (ns, o) => deps.api.listJobs(ns, o));
export const cronJobsInScope = (deps: JobsDeps, namespace: string | undefined, max: number) => inScope(deps, namespace, max, (ns, o) => deps.api.listCronJobs(ns, o));

/** The Job's own selector (right on every Kubernetes version), else the legacy controller-uid label. */
export function podSelector(job: Job): string {
  return selectorToString(job.spec.selector) || `controller-uid=${job.metadata.uid}`;
}

/** The pods of a Job, selected server-side by its selector ANDed with an optional extra one. */
export async function podsOfJob(
  { api }: JobsDeps,
  job: Job,
  opts: { extraSelector?: string; limit?: number; continue?: string } = {},
): Promise<{ pods: Pod[]; selector: string; continue?: string }> {
  const selector = [podSelector(job), opts.extraSelector].filter(Boolean).join(',');
  const page = await api.listPods(job.metadata.namespace as string, { labelSelector: selector, limit: opts.limit ?? 500, continue: opts.continue });
  return { pods: page.items, selector, continue: page.metadata.continue };
}

/** Why a Job may have no pods, from what the Job itself says. */
export function whyNoPods(job: Job, extra?: string): string {
  const reasons: string[] = [];
  const status = jobStatus(job);
  const failedReason = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True')?.reason;
  if (extra) reasons.push(`the extra selector "${extra}" matches none of its pods`);
  if (status === 'Suspended') reasons.push('the Job is suspended, so it runs no pods (resume it to start them)');
  if (status === 'Pending') reasons.push('the Job has not created pods yet');
  if (failedReason === 'DeadlineExceeded') reasons.push('the Job controller deletes running pods when activeDeadlineSeconds passes');
  if (job.spec.ttlSecondsAfterFinished !== undefined && (status === 'Complete' || status === 'Failed')) {
    reasons.push(`finished Jobs are cleaned up after ttlSecondsAfterFinished=${job.spec.ttlSecondsAfterFinished}`);
  }
  if (status === 'Running' && !job.status?.active) reasons.push('pod creation may be failing (quota, admission policy): see job_events');
  if (!reasons.length) reasons.push('its pods were deleted (by hand, by a cleanup controller, or with the node)');
  return reasons.join('; ');
}


// A Job has few events of its own; these bounds only guard against a pathological cluster.
const EVENT_PAGE = 500;
const EVENT_PAGES = 4;

/** The time kubectl sorts events by: series.lastObservedTime, lastTimestamp, then eventTime. */
export function eventTime(e: KubeEvent): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? undefined;
}

/** Events whose involvedObject is exactly this object, by a server-side field selector. */
export async function eventsOf({ api }: JobsDeps, obj: { metadata: ObjectMeta }, kind: 'Job' | 'Pod' | 'CronJob'): Promise<KubeEvent[]> {
  const ns = obj.metadata.namespace as string;
  const fieldSelector = [
    `involvedObject.kind=${kind}`,
    `involvedObject.name=${obj.metadata.name}`,
    `involvedObject.namespace=${ns}`,
    ...(obj.metadata.uid ? [`involvedObject.uid=${obj.metadata.uid}`] : []),
  ].join(',');
  const out: KubeEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < EVENT_PAGES; page++) {
    const list = await api.listEvents(ns, { fieldSelector, limit: EVENT_PAGE, continue: token });
    out.push(...list.items);
    token = list.metadata.continue;
    if (!token) break;
  }
  return out;
}

/** Oldest first; events of the same second keep the order the API server recorded them in. */
export const sortEvents = (events: KubeEvent[]) =>
  events.sort((a, b) => Date.parse(eventTime(a) ?? '') - Date.parse(eventTime(b) ?? '') || Number(a.metadata.resourceVersion ?? 0) - Number(b.metadata.resourceVersion ?? 0));
