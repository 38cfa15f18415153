import type { Job } from '../kube/types.js';
import { age } from '../render/duration.js';
import { jobStatus } from '../render/job-status.js';
import { byRelevance } from '../render/pod-status.js';
import { checkNamespace } from '../safety/names.js';
import { Redactor } from '../safety/redact.js';
import { untrusted } from '../safety/untrusted.js';
import { jobsInScope, podsOfJob } from '../tools/shared.js';
import type { ToolDeps } from '../tools/types.js';
import { type PromptDefinition, UNTRUSTED_NOTE } from './types.js';

const MAX_SCAN = 2000;
const MAX_SHOWN = 40;
const MAX_STUCK_PROBES = 15;
// A running Job whose pods are not ready after this long is worth a look.
const STUCK_AFTER_MS = 2 * 60_000;

/** One line on why a running Job is stuck, from its most relevant pod; undefined when it looks healthy. */
async function stuckReason(deps: ToolDeps, job: Job): Promise<string | undefined> {
  const { pods } = await podsOfJob(deps, job, { limit: 50 });
  const pod = pods.sort(byRelevance)[0];
  if (!pod) return job.status?.startTime ? 'no pods exist (pod creation failing? see job_events)' : undefined;
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return `pod ${pod.metadata.name} unschedulable: ${unscheduled.message ?? ''}`;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const w = cs.state?.waiting;
    if (w?.reason && w.reason !== 'ContainerCreating') return `pod ${pod.metadata.name}: ${w.reason}${w.message ? `: ${w.message}` : ''}`;
  }
  return undefined;
}

export const triageFailedJobsPrompt: PromptDefinition = {
  name: 'triage-failed-jobs',
  title: 'Triage failed and stuck Jobs',
  description: "The failed and stuck Jobs of a namespace (or of all you may see), each with a one-line reason, and how to dig into one.",
  args: { namespace: { description: 'Namespace to triage; empty for all.', required: false, complete: 'namespace' } },

  async build(args, deps) {
    const namespace = args.namespace ? checkNamespace(args.namespace) : undefined;
    if (namespace) deps.policy.check(namespace);
    const { jobs, truncated } = await jobsInScope(deps, namespace, MAX_SCAN);
    const now = deps.now();
    const redactor = new Redactor(deps.config.redact);
    const lines: string[] = [];
    const failed = jobs.filter((j) => jobStatus(j) === 'Failed');
    for (const j of failed) {
      const c = j.status?.conditions?.find((x) => x.type === 'Failed' && x.status === 'True');
      lines.push(`${j.metadata.namespace}/${j.metadata.name} — Failed ${age(c?.lastTransitionTime, now)} ago: ${c?.reason ?? '?'}: ${c?.message ?? ''} (${j.status?.failed ?? 0} failed pods)`);
    }
    const candidates = jobs.filter((j) => {
      const st = jobStatus(j);
      const started = Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '');
      return (st === 'Running' || st === 'Pending') && (j.status?.ready ?? 0) === 0 && now - started > STUCK_AFTER_MS;
    });
    const probes = await Promise.all(candidates.slice(0, MAX_STUCK_PROBES).map(async (j) => [j, await stuckReason(deps, j).catch(() => undefined)] as const));
    for (const [j, why] of probes) if (why) lines.push(`${j.metadata.namespace}/${j.metadata.name} — stuck ${age(j.status?.startTime, now)}: ${why}`);
    const scope = namespace ? `namespace ${namespace}` : 'all namespaces you may see';
    const shown = lines.slice(0, MAX_SHOWN).map((l) => `- ${redactor.text(l.replace(/\s+/g, ' ')).slice(0, 300)}`);
    const notes = [
      truncated ? `Only the first ${MAX_SCAN} Jobs were scanned.` : '',
      lines.length > MAX_SHOWN ? `${lines.length - MAX_SHOWN} more not shown.` : '',
      candidates.length > MAX_STUCK_PROBES ? `${candidates.length - MAX_STUCK_PROBES} more running Jobs without ready pods were not inspected.` : '',
    ].filter(Boolean);
    const text = [
      `Triage the failed and stuck Kubernetes Jobs in ${scope}. ${jobs.length} Jobs scanned: ${failed.length} failed, ${probes.filter(([, w]) => w).length} stuck. ${UNTRUSTED_NOTE}`,
      lines.length ? untrusted('JOB LIST', scope, shown.join('\n')) : 'No failed or stuck Jobs found.',
      ...notes,
      [
        '## Your task',
        '1. Group the Jobs by likely cause (same image, same error, same CronJob, same namespace) and order the groups by impact.',
        '2. For the most important ones, call job_diagnose {"job":"namespace/name"} (or use the diagnose-job prompt) before concluding.',
        '3. Propose fixes; suggest reruns (job_rerun, which asks the human) only for Jobs whose cause is fixed or was transient.',
      ].join('\n'),
    ].join('\n\n');
    return { description: `Triage ${scope}: ${failed.length} failed, ${probes.filter(([, w]) => w).length} stuck`, messages: [{ role: 'user', text }] };
  },
};
