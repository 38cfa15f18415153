import { triage } from '../diagnosis/triage.js';
import { renderTriage } from '../tools/triage.js';
import { type PromptDefinition, UNTRUSTED_NOTE } from './types.js';

export const triageFailedJobsPrompt: PromptDefinition = {
  name: 'triage-failed-jobs',
  title: 'Triage failed and stuck Jobs',
  description: 'The failed and stuck Jobs of a namespace (or of all you may see), each with its diagnosed cause, and how to act on them.',
  args: { namespace: { description: 'Namespace to triage; empty for all.', required: false, complete: 'namespace' } },

  async build(args, deps) {
    const t = await triage(deps, { namespace: args.namespace || undefined, limit: 20 });
    const text = [
      `Triage the failed and stuck Kubernetes Jobs in ${t.scope}. This is job_triage's answer, fetched just now. ${UNTRUSTED_NOTE}`,
      renderTriage(t),
      [
        '## Your task',
        '1. Group the Jobs by cause (same category, image, CronJob or namespace) and order the groups by impact.',
        '2. For the most important ones, call job_diagnose {"job":"namespace/name"} to see the evidence before concluding.',
        // A read-only server offers no write tool: the prompt must not send the agent to one.
        deps.config.readOnly
          ? '3. For a CronJob-owned Job, say whether the CronJob keeps running (cronjob_get) and that the fix belongs in its jobTemplate. This server is read-only: propose pausing or rerunning to the user, do not attempt it.'
          : '3. For a CronJob-owned Job, say whether the CronJob keeps running (cronjob_get); suggest fixing its jobTemplate, and pausing it (cronjob_suspend, which asks the human) while it is broken.',
        deps.config.readOnly
          ? '4. Propose fixes.'
          : '4. Propose fixes; suggest reruns (job_rerun, which asks the human) only for Jobs whose cause is fixed or was transient.',
      ].join('\n'),
    ].join('\n\n');
    return { description: `Triage ${t.scope}: ${t.failed} failed, ${t.stuck} stuck`, messages: [{ role: 'user', text }] };
  },
};
