// Steps several tools share: resolve a "namespace/name" to a Job, and find its pods.
import { invalidInput } from '../errors.js';
import { parseLabelSelector, SelectorError, selectorToString } from '../kube/selector.js';
import type { Job, Pod } from '../kube/types.js';
import { jobStatus } from '../render/job-status.js';
import { parseJobRef } from '../safety/names.js';
import type { ToolDeps } from './types.js';

export async function loadJob({ api, policy }: ToolDeps, ref: string): Promise<Job> {
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
 * The Jobs of one namespace, or of every namespace the policy lets us see (the allow-list's, else
 * all), read page by page up to `max`. Denied namespaces are dropped.
 */
export async function jobsInScope(deps: ToolDeps, namespace: string | undefined, max: number): Promise<{ jobs: Job[]; truncated: boolean }> {
  const sources = namespace ? [namespace] : (deps.policy.allowList() ?? [undefined]);
  const jobs: Job[] = [];
  for (const ns of sources) {
    let token: string | undefined;
    do {
      const page = await deps.api.listJobs(ns, { limit: 500, continue: token });
      jobs.push(...page.items.filter((j) => deps.policy.allows(j.metadata.namespace ?? '')));
      token = page.metadata.continue;
      if (jobs.length >= max) return { jobs: jobs.slice(0, max), truncated: true };
    } while (token);
  }
  return { jobs, truncated: false };
}

/** The Job's own selector (right on every Kubernetes version), else the legacy controller-uid label. */
export function podSelector(job: Job): string {
  return selectorToString(job.spec.selector) || `controller-uid=${job.metadata.uid}`;
}

/** The pods of a Job, selected server-side by its selector ANDed with an optional extra one. */
export async function podsOfJob(
  { api }: ToolDeps,
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

