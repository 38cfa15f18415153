import * as z from 'zod';
import { JobsError } from '../errors.js';
import { ownerBrief } from '../jobs/cronjobs.js';
import type { Job } from '../kube/types.js';
import { jobStatus } from '../render/job-status.js';
import { runWrite, type WriteSpec } from '../safety/confirm.js';
import { confirmationToken, jobInput, writeOutput } from './schema.js';
import { defineTool } from './types.js';

type Propagation = 'Background' | 'Foreground' | 'Orphan';

interface DeleteArgs {
  job: string;
  propagation: Propagation;
  confirmationToken?: string;
}

const GOES: Record<Propagation, string> = {
  Background: 'the Job is deleted now and the garbage collector deletes its pods right after',
  Foreground: 'its pods are deleted first, and the Job once they are gone',
  Orphan: 'the Job is deleted and its pods are LEFT RUNNING without an owner (nothing cleans them up)',
};

const deleteJob: WriteSpec<DeleteArgs, Job> = {
  tool: 'job_delete',
  action: 'delete',
  kind: 'Job',
  ref: (a) => a.job,
  params: (a) => ({ propagation: a.propagation }),
  confirmTitle: 'Delete this Job',
  async plan(args, deps, job) {
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const status = jobStatus(job);
    const pods = (job.status?.active ?? 0) + (job.status?.succeeded ?? 0) + (job.status?.failed ?? 0);
    const cron = await ownerBrief(deps, job);
    const warnings = [
      args.propagation === 'Orphan'
        ? 'Orphaned pods keep running and keep their logs until someone deletes them.'
        : `Its pods (up to ${pods} counted) and their logs are deleted: there is no undo. Read what you need first (job_logs, job_events).`,
      ...(status === 'Running' || status === 'Pending' ? [`The Job is still ${status}: its work stops midway${args.propagation === 'Orphan' ? ' only if the pods are deleted later' : ''}.`] : []),
      ...(cron && !cron.missing
        ? [
            cron.suspend
              ? `CronJob ${cron.name} owns it and is suspended: nothing recreates it until the CronJob is resumed.`
              : `CronJob ${cron.name} owns it and keeps its schedule (${cron.schedule}${cron.timeZone ? ` ${cron.timeZone}` : ''}): the next scheduled run creates a new Job; deleting this one does not stop the CronJob (cronjob_suspend does).`,
          ]
        : []),
    ];
    return {
      question: `Delete Job ${ref}?\nCurrent status: ${status}`,
      action: `Delete Job ${ref} with propagationPolicy ${args.propagation}: ${GOES[args.propagation]}.`,
      warnings,
      details: { job: ref, status, propagation: args.propagation, ...(cron ? { cronJob: cron.name } : {}) },
    };
  },
  async perform(args, deps, { target }) {
    const ns = target.metadata.namespace as string;
    const ref = `${ns}/${target.metadata.name}`;
    let warning: string | undefined;
    try {
      ({ warning } = await deps.api.deleteJob(ns, target.metadata.name, {
        propagationPolicy: args.propagation,
        preconditions: { uid: target.metadata.uid, resourceVersion: target.metadata.resourceVersion },
      }));
    } catch (e) {
      if (e instanceof JobsError && e.kind === 'conflict') throw new JobsError('conflict', `Job ${ref} changed right after the confirmation was claimed; it was not deleted. Confirm again.`);
      throw e;
    }
    return {
      outcome: 'deleted',
      structured: { propagation: args.propagation, ...(warning ? { apiWarning: warning.slice(0, 300) } : {}) },
      text: `Deleted: Job ${ref} (propagationPolicy ${args.propagation}: ${GOES[args.propagation]}).`,
    };
  },
};

export const jobDelete = defineTool({
  name: 'job_delete',
  title: 'Delete a Job (needs confirmation)',
  description:
    'Delete a Job (preconditions uid, resourceVersion). propagation Background (default: pods go too), Foreground or Orphan (pods stay). Confirmed: the first call asks the human and returns a token; call again with it.',
  inputSchema: { job: jobInput, propagation: z.enum(['Background', 'Foreground', 'Orphan']).default('Background'), confirmationToken },
  outputSchema: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  handler: (args, deps, host) => runWrite(deleteJob, args, deps, host),
});
