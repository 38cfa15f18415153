import * as z from 'zod';
import type { CronJob } from '../kube/types.js';
import { runWrite, type WriteSpec } from '../safety/confirm.js';
import { confirmationToken, cronJobInput, writeOutput } from './schema.js';
import { defineTool } from './types.js';

interface SuspendArgs {
  cronjob: string;
  suspend: boolean;
  confirmationToken?: string;
}

const suspendCronJob: WriteSpec<SuspendArgs, CronJob> = {
  tool: 'cronjob_suspend',
  action: (a) => (a.suspend ? 'suspend' : 'resume'),
  kind: 'CronJob',
  ref: (a) => a.cronjob,
  params: (a) => ({ suspend: a.suspend }),
  // The change rides on the claim: one atomic patch.
  claimPatch: (a) => ({ spec: { suspend: a.suspend } }),
  confirmTitle: 'Change this CronJob',
  async plan(args, _deps, cj) {
    const ref = `${cj.metadata.namespace}/${cj.metadata.name}`;
    const active = cj.status?.active ?? [];
    const warnings: string[] = [];
    if ((cj.spec.suspend ?? false) === args.suspend) warnings.push(`spec.suspend is already ${args.suspend}: this changes nothing.`);
    let action: string;
    if (args.suspend) {
      action = `Set spec.suspend=true on CronJob ${ref}: no new Jobs start at the scheduled times (${cj.spec.schedule}${cj.spec.timeZone ? ` ${cj.spec.timeZone}` : ''}) until it is resumed.`;
      if (active.length) warnings.push(`Jobs already running keep running (${active.map((a) => a.name).join(', ')}): suspend or delete them with job_suspend / job_delete.`);
    } else {
      action = `Set spec.suspend=false on CronJob ${ref}: scheduled runs start again (${cj.spec.schedule}${cj.spec.timeZone ? ` ${cj.spec.timeZone}` : ''}).`;
      warnings.push(
        cj.spec.startingDeadlineSeconds === undefined
          ? 'Runs missed while it was suspended: with no startingDeadlineSeconds, the controller may start the most recent missed run right away.'
          : `Runs missed while it was suspended start only if they are less than startingDeadlineSeconds (${cj.spec.startingDeadlineSeconds} s) late.`,
      );
      warnings.push('Jobs run at least once: every new run repeats the program’s side effects.');
    }
    return {
      question: `${args.suspend ? 'Suspend' : 'Resume'} CronJob ${ref}?`,
      action,
      warnings,
      confirmTitle: args.suspend ? 'Suspend this CronJob' : 'Resume this CronJob',
      details: { cronjob: ref, schedule: cj.spec.schedule, activeJobs: active.map((a) => a.name) },
    };
  },
  async perform(args, _deps, { target }) {
    // The claim patched spec.suspend already (claimPatch).
    const after = target;
    const ref = `${target.metadata.namespace}/${target.metadata.name}`;
    return {
      outcome: args.suspend ? 'suspended' : 'resumed',
      structured: { suspend: after.spec.suspend ?? false, resourceVersion: after.metadata.resourceVersion },
      text: `${args.suspend ? 'Suspended' : 'Resumed'}: CronJob ${ref} now has spec.suspend=${after.spec.suspend ?? false}. cronjob_get {"cronjob":"${ref}"} shows its next runs.`,
    };
  },
};

export const cronJobSuspend = defineTool({
  name: 'cronjob_suspend',
  title: 'Suspend or resume a CronJob (needs confirmation)',
  description: 'Pause (true) or resume (false) a CronJob’s schedule; running Jobs go on. Confirmed: the first call asks the human and returns a token; call again with it.',
  inputSchema: { cronjob: cronJobInput, suspend: z.boolean(), confirmationToken },
  outputSchema: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  handler: (args, deps, host) => runWrite(suspendCronJob, args, deps, host),
});
