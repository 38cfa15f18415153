import { describeJob } from '../tools/get.js';
import { loadJob } from '../jobs/reads.js';
import { type PromptDefinition, UNTRUSTED_NOTE } from './types.js';

export const rerunJobSafelyPrompt: PromptDefinition = {
  name: 'rerun-job-safely',
  title: 'Rerun a Job safely',
  description: 'Fix and rerun: diagnose first, fix the spec or template, check idempotency and CronJob ownership, then the confirmed job_rerun (or cronjob_trigger) and job_wait.',
  args: { job: { description: 'The Job as "namespace/name".', required: true, complete: 'job' } },
  leadsToWrite: true,

  async build(args, deps) {
    const job = await loadJob(deps, args.job ?? '');
    const d = describeJob(job, deps.now());
    const ref = `${d.structured.namespace}/${d.structured.name}`;
    const owner = d.structured.controlledBy;
    const text = [
      `The user wants to rerun the Kubernetes Job ${ref}. Do it safely, step by step. ${UNTRUSTED_NOTE}`,
      `## The Job now\n${d.text}`,
      [
        '## Steps',
        `1. Diagnose first: call job_diagnose {"job":"${ref}"}. If the cause is in the Job's spec or input (bad image, missing Secret, memory limit, a podFailurePolicy FailJob rule, an application error that will repeat), tell the user a rerun will fail the same way, and what to fix first. Stop there unless they still want it.`,
        '2. Idempotency: Jobs run at least once, and a rerun repeats every side effect (writes, messages, payments, migrations). Ask the user whether that is safe if the Job does not look obviously idempotent.',
        owner
          ? `3. Ownership: this Job is ${owner.replace('/', ' ')}'s. Its schedule goes on regardless; a rerun is an extra run. If the fix belongs in the CronJob's jobTemplate, say so.`
          : '3. Ownership: no CronJob owns this Job; a rerun is a one-off.',
        `4. Fix first when the cause is in the spec: change the Job's source (or ${owner ? 'the CronJob\'s jobTemplate' : 'its manifest'}) — this server does not edit specs. ${owner ? `Then a fresh run is cronjob_trigger {"cronjob":"${d.structured.namespace}/${owner.replace('CronJob/', '')}"}, which uses the fixed template, rather than a rerun of the old spec.` : ''}`,
        `5. Call job_rerun {"job":"${ref}"} (mode "new" keeps the old Job for comparison; "replace" reuses the name and deletes the old run's pods and logs). The server asks the human to confirm. If they decline or cancel, or the client cannot ask, stop and report that: never retry to get a different answer.`,
        `6. Only with the confirmationToken from that answer, call job_rerun {"job":"${ref}","confirmationToken":"…"} once, before it expires.`,
        '7. Follow the new Job with job_wait (it returns when the run completes or fails), then report the outcome.',
      ].join('\n'),
    ].join('\n\n');
    return { description: `Rerun ${ref} safely (${d.structured.status})`, messages: [{ role: 'user', text }] };
  },
};
