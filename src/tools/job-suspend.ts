import * as z from 'zod';
import { ownerCronJob } from '../jobs/cronjobs.js';
import type { Job } from '../kube/types.js';
import { jobStatus } from '../render/job-status.js';
import { runWrite, type WriteSpec } from '../safety/confirm.js';
import { confirmationToken, jobInput, writeOutput } from './schema.js';
import { defineTool } from './types.js';

interface SuspendArgs {
  job: string;
  suspend: boolean;
  confirmationToken?: string;
}

const suspendJob: WriteSpec<SuspendArgs, Job> = {
  tool: 'job_suspend',
  action: (a) => (a.suspend ? 'suspend' : 'resume'),
  kind: 'Job',
  ref: (a) => a.job,
  params: (a) => ({ suspend: a.suspend }),
  // The change rides on the claim: one atomic patch.
  claimPatch: (a) => ({ spec: { suspend: a.suspend } }),
  confirmTitle: 'Change this Job',
  async plan(args, _deps, job) {
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const status = jobStatus(job);
    const active = job.status?.active ?? 0;
    const owner = ownerCronJob(job);
    const finished = status === 'Complete' || status === 'Failed';
    const warnings: string[] = [];
    if (finished) warnings.push(`The Job has already finished (${status}): changing spec.suspend does nothing.`);
    if ((job.spec.suspend ?? false) === args.suspend) warnings.push(`spec.suspend is already ${args.suspend}: this changes nothing.`);
    let action: string;
    if (args.suspend) {
      action = `Set spec.suspend=true on Job ${ref}: the Job controller deletes its ${active} active pod(s) (each gets SIGTERM; unsaved work is lost unless the program checkpoints) and starts no new ones until it is resumed.`;
      if (owner) warnings.push(`It belongs to CronJob ${owner.name}: with concurrencyPolicy Forbid a suspended Job still counts as active and blocks the next runs; suspend the CronJob with cronjob_suspend to pause the schedule.`);
    } else {
      action = `Set spec.suspend=false on Job ${ref}: the Job controller starts its pods again (their side effects start), and status.startTime is reset, so activeDeadlineSeconds counts from now.`;
      warnings.push('Jobs run at least once: resumed pods repeat work an earlier run may have done.');
    }
    return {
      question: `${args.suspend ? 'Suspend' : 'Resume'} Job ${ref}?`,
      action,
      warnings,
      confirmTitle: args.suspend ? 'Suspend this Job' : 'Resume this Job',
      details: { job: ref, status, activePods: active },
    };
  },
  async perform(args, _deps, { target }) {
    // The claim patched spec.suspend already (claimPatch): the target is the Job after the change.
    const after = target;
    const ref = `${target.metadata.namespace}/${target.metadata.name}`;
    const next = `job_wait {"job":"${ref}"} returns when the controller has ${args.suspend ? 'suspended it (Suspended condition)' : 'started it'}; job_pods shows its pods.`;
    return {
      outcome: args.suspend ? 'suspended' : 'resumed',
      structured: { suspend: after.spec.suspend ?? false, resourceVersion: after.metadata.resourceVersion, next },
      text: `${args.suspend ? 'Suspended' : 'Resumed'}: Job ${ref} now has spec.suspend=${after.spec.suspend ?? false}. ${next}`,
    };
  },
};

export const jobSuspend = defineTool({
  name: 'job_suspend',
  title: 'Suspend or resume a Job (needs confirmation)',
  description: 'Suspend (true: its running pods are deleted) or resume (false) a Job. Confirmed: the first call asks the human and returns a token; call again with it.',
  inputSchema: { job: jobInput, suspend: z.boolean(), confirmationToken },
  outputSchema: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  handler: (args, deps, host) => runWrite(suspendJob, args, deps, host),
});
