import * as z from 'zod';
import { JobsError } from '../errors.js';
import { jobFromCronJob, manualName } from '../kube/trigger.js';
import type { CronJob, Job } from '../kube/types.js';
import { runWrite, type WriteSpec } from '../safety/confirm.js';
import { checkJobName } from '../safety/names.js';
import { confirmationToken, cronJobInput, writeOutput } from './schema.js';
import { defineTool } from './types.js';

interface TriggerArgs {
  cronjob: string;
  name?: string;
  confirmationToken?: string;
}

const trigger: WriteSpec<TriggerArgs, CronJob> = {
  tool: 'cronjob_trigger',
  action: 'trigger',
  kind: 'CronJob',
  ref: (a) => a.cronjob,
  params: (a) => ({ name: a.name === undefined ? undefined : checkJobName(a.name) }),
  confirmTitle: 'Run this CronJob now',
  async plan(args, _deps, cj, tokenId) {
    const ns = cj.metadata.namespace as string;
    const name = args.name ?? manualName(cj.metadata.name, tokenId.slice(0, 5));
    const ref = `${ns}/${cj.metadata.name}`;
    const active = cj.status?.active ?? [];
    const warnings = [
      'Jobs run at least once: this run repeats every side effect of the program (writes, emails, payments, migrations).',
      ...(active.length
        ? [`${active.length} scheduled Job(s) of it are running now (${active.map((a) => a.name).join(', ')}); a manual run is not held back by concurrencyPolicy ${cj.spec.concurrencyPolicy ?? 'Allow'} and runs beside them.`]
        : []),
      ...(cj.spec.suspend ? ['The CronJob is suspended; the manual run starts anyway (suspend only stops scheduled runs).'] : []),
      `The new Job counts toward the CronJob's history limits (${cj.spec.successfulJobsHistoryLimit ?? 3} successful, ${cj.spec.failedJobsHistoryLimit ?? 1} failed): an older retained Job may be deleted.`,
    ];
    return {
      question: `Run CronJob ${ref} now?`,
      action: `Create Job ${ns}/${name} from the CronJob's jobTemplate, as kubectl create job ${name} --from=cronjob/${cj.metadata.name} does (owned by the CronJob, annotated cronjob.kubernetes.io/instantiate: manual).`,
      warnings,
      derived: { job: name },
      details: { cronjob: ref, newJob: `${ns}/${name}`, schedule: cj.spec.schedule, suspend: cj.spec.suspend ?? false },
    };
  },
  async perform(_args, deps, { params, target }) {
    const ns = target.metadata.namespace as string;
    // The template is copied as the cluster has it (the sanitized view would carry [REDACTED] values).
    const raw = await deps.api.rawCronJob(ns, target.metadata.name);
    // Status writes may move the resourceVersion after the claim; the template (generation) must not have moved.
    if (raw.metadata.uid !== target.metadata.uid || raw.metadata.generation !== target.metadata.generation) {
      throw new JobsError('conflict', `CronJob ${ns}/${target.metadata.name} changed right after the confirmation was claimed; nothing was created. Confirm again.`);
    }
    const name = params.job as string;
    let created: Job;
    try {
      created = await deps.api.createJob(ns, jobFromCronJob(raw, name));
    } catch (e) {
      if (e instanceof JobsError && e.kind === 'already-exists') throw new JobsError('already-exists', `Job ${ns}/${name} already exists; nothing was created. Give another name, or confirm again for a new generated one.`);
      throw e;
    }
    const next = `Follow it with job_wait {"job":"${ns}/${name}"}.`;
    return {
      outcome: 'triggered',
      structured: { newJob: { name, uid: created.metadata.uid as string }, next },
      text: `Triggered: Job ${ns}/${name} (uid ${created.metadata.uid}) created from CronJob ${ns}/${target.metadata.name}. ${next}`,
    };
  },
};

export const cronJobTrigger = defineTool({
  name: 'cronjob_trigger',
  title: 'Run a CronJob now (needs confirmation)',
  description:
    'Run a CronJob now, like kubectl create job --from=cronjob. Confirmed: the first call asks the human and returns a token; call again with it.',
  inputSchema: { cronjob: cronJobInput, name: z.string().min(1).max(63).optional().describe('default <cronjob>-manual-<id>'), confirmationToken },
  outputSchema: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: (args, deps, host) => runWrite(trigger, args, deps, host),
});
