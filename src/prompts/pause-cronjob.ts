import { cronJobHealth, cronJobEvents, jobsOfCronJob, loadCronJob } from '../jobs/cronjobs.js';
import { type PromptDefinition, UNTRUSTED_NOTE } from './types.js';

export const pauseCronJobPrompt: PromptDefinition = {
  name: 'pause-broken-cronjob',
  title: 'Pause a CronJob while it is broken',
  description: 'Checks whether a CronJob is already suspended and why its runs fail, then pauses it with the human’s confirmation, and says how to resume.',
  args: { cronjob: { description: 'The CronJob as "namespace/name".', required: true, complete: 'cronjob' } },
  leadsToWrite: true,

  async build(args, deps) {
    const cj = await loadCronJob(deps, args.cronjob ?? '');
    const ref = `${cj.metadata.namespace}/${cj.metadata.name}`;
    const [{ jobs }, events] = await Promise.all([jobsOfCronJob(deps, cj), cronJobEvents(deps, cj)]);
    const health = await cronJobHealth(cj, jobs, events, deps.now());
    const suspended = cj.spec.suspend ?? false;
    const text = [
      `The user wants to pause the CronJob ${ref} while it is broken. ${UNTRUSTED_NOTE}`,
      `## The CronJob now\nSchedule: ${cj.spec.schedule}${cj.spec.timeZone ? ` (${cj.spec.timeZone})` : ' (no timeZone)'}; suspended: ${suspended}; active Jobs: ${(cj.status?.active ?? []).map((a) => a.name).join(', ') || 'none'}; next runs: ${health.nextRuns.map((r) => r.utc).join(', ') || 'unknown'}.${health.warnings.length ? `\n${health.warnings.map((w) => `Warning: ${w}`).join('\n')}` : ''}`,
      [
        '## Steps',
        suspended
          ? `1. It is ALREADY suspended: tell the user so. No scheduled run will start; only running Jobs (if any) still run. Do not call cronjob_suspend.`
          : `1. It is active: scheduled runs will go on until it is paused.`,
        `2. Find why its runs fail: job_triage {"namespace":"${cj.metadata.namespace}"} or job_diagnose on its newest failed Job (cronjob_get {"cronjob":"${ref}"} lists them).`,
        suspended
          ? '3. Skip the pause.'
          : `3. Call cronjob_suspend {"cronjob":"${ref}","suspend":true}: the server asks the human. Only with the token from that answer, call it again with the token, once. If they decline, stop.`,
        '4. Running Jobs are not stopped by suspending the CronJob: offer job_suspend or job_delete for them only if the user wants that.',
        `5. Once the jobTemplate is fixed, resume with cronjob_suspend {"cronjob":"${ref}","suspend":false} (confirmed the same way); warn that a missed run may start at once.`,
      ].join('\n'),
    ].join('\n\n');
    return { description: `Pause ${ref} (${suspended ? 'already suspended' : 'active'})`, messages: [{ role: 'user', text }] };
  },
};
