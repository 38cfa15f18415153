import { analyze } from '../diagnosis/analyze.js';
import { gather } from '../diagnosis/gather.js';
import { untrusted } from '../safety/untrusted.js';
import { renderDiagnosis } from '../tools/diagnose.js';
import { eventRow, eventsTable } from '../tools/events.js';
import { describeJob } from '../tools/get.js';
import { podRows, podsTable } from '../tools/pods.js';
import { loadJob } from '../jobs/reads.js';
import { type PromptDefinition, UNTRUSTED_NOTE } from './types.js';

const MAX_EVENTS = 20;

export const diagnoseJobPrompt: PromptDefinition = {
  name: 'diagnose-job',
  title: 'Diagnose a Job',
  description: 'Find why a Job failed or is stuck: fetches the Job, its pods, the failing log and the events, and asks for the root cause, the evidence and a fix.',
  args: { job: { description: 'The Job as "namespace/name".', required: true, complete: 'job' } },

  async build(args, deps) {
    const job = await loadJob(deps, args.job ?? '');
    const g = await gather(deps, job);
    const d = analyze(g);
    const now = deps.now();
    const ref = d.job;
    const events = g.events.slice(-MAX_EVENTS).map((e) => eventRow(e, now));
    const sections = [
      `Diagnose the Kubernetes Job ${ref}. The evidence below was fetched from the cluster just now (bounded and redacted). ${UNTRUSTED_NOTE}`,
      `## Job\n${describeJob(job, now, g.cron).text}`,
      `## Pods\n${g.pods.length ? untrusted('PODS', ref, podsTable(podRows(job, g.pods.slice(0, 20), now), job.spec.completionMode === 'Indexed')) : 'No pods exist for this Job.'}`,
      g.log && g.logText
        ? `## Log of ${g.log.pod}/${g.log.container}${g.log.previous ? ' (previous run)' : ''}, last lines\n${untrusted('LOG', `${g.log.pod}/${g.log.container}`, g.logText)}`
        : '## Log\nNo log is available (no pod, or the container never started).',
      `## Events of the Job and its pods (oldest first)\n${events.length ? untrusted('EVENTS', ref, eventsTable(events)) : 'None (events expire after about an hour).'}`,
      `## Heuristic pre-analysis (verify it against the evidence)\n${renderDiagnosis(d)}`,
      [
        '## Your task',
        '1. Name the root cause in one or two sentences.',
        '2. Cite the evidence lines that show it (condition, pod status, event, or log line).',
        '3. Propose a concrete fix: what to change, and where (the Job, its CronJob template, the image, a Secret, quota, the program).',
        '4. Say whether a rerun makes sense before the fix (usually not), and what would confirm the diagnosis if you are unsure.',
        'If you need more, use job_logs (tailLines, previous), job_events (includePods) or job_yaml. Do not rerun the Job unless the user asks.',
      ].join('\n'),
    ];
    return { description: `Diagnose ${ref} (${d.status}, looks like ${d.category})`, messages: [{ role: 'user', text: sections.join('\n\n') }] };
  },
};
