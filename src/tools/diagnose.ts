import * as z from 'zod';
import { analyze, type Diagnosis } from '../diagnosis/analyze.js';
import { gather } from '../diagnosis/gather.js';
import { untrusted } from '../safety/untrusted.js';
import { jobInput } from './schema.js';
import { JobsError } from '../errors.js';
import { briefText } from '../jobs/cronjobs.js';
import { loadJob } from '../jobs/reads.js';
import { parseJobRef } from '../safety/names.js';
import { defineTool, type ToolDeps } from './types.js';

/**
 * A Job that is not found may have been removed on purpose: by ttlSecondsAfterFinished or by its
 * CronJob's history limits. Say so when the name looks like a CronJob's Job ("<cronjob>-<minutes>").
 */
async function explainGone(deps: ToolDeps, ref: string, e: unknown): Promise<never> {
  if (!(e instanceof JobsError) || e.kind !== 'not-found') throw e;
  const { namespace, name } = parseJobRef(ref, (await deps.api.cluster()).defaultNamespace);
  const m = /^(.+)-\d{8,}$/.exec(name);
  const cj = m ? await deps.api.getCronJob(namespace, m[1] as string).catch(() => undefined) : undefined;
  if (!cj) throw e;
  const ttl = cj.spec.jobTemplate.spec.ttlSecondsAfterFinished;
  const why = [
    ttl !== undefined ? `ttlSecondsAfterFinished=${ttl} in its jobTemplate deletes each finished Job with its pods and logs` : '',
    `its history limits keep ${cj.spec.successfulJobsHistoryLimit ?? 3} successful and ${cj.spec.failedJobsHistoryLimit ?? 1} failed Job(s) and delete older ones`,
  ].filter(Boolean);
  throw new JobsError(
    'not-found',
    `Job ${namespace}/${name} no longer exists. It looks like a run of CronJob ${namespace}/${cj.metadata.name}, where ${why.join('; and ')}: its logs are gone with it. See cronjob_get {"cronjob":"${namespace}/${cj.metadata.name}"} for the retained runs, and raise those limits to keep evidence longer.`,
  );
}

/** The diagnosis as compact text; cluster-sourced evidence is framed as untrusted. */
export function renderDiagnosis(d: Diagnosis): string {
  const lines = [`${d.job}: ${d.status} — ${d.category}`];
  if (d.cronJob) lines.push(`Controlled by ${d.cronJobState ? briefText(d.job.split('/')[0] as string, d.cronJobState) : `CronJob/${d.cronJob}`}.`);
  if (d.failedIndexes) lines.push(`Failed indexes: ${d.failedIndexes.indexes}${d.failedIndexes.pods.length ? ` (pods: ${d.failedIndexes.pods.join(', ')})` : ''}.`);
  // The summary quotes cluster text (kubelet and admission messages), so it is framed with the evidence.
  lines.push(untrusted('EVIDENCE', d.job, [`Summary: ${d.summary}`, ...d.evidence.map((e) => `[${e.source}] ${e.text}`)].join('\n')));
  if (d.unavailable?.length) lines.push(`Could not read (the diagnosis may be incomplete): ${d.unavailable.join('; ')}.`);
  lines.push('Next steps:', ...d.nextSteps.map((s) => `- ${s}`));
  return lines.join('\n');
}

export const jobDiagnose = defineTool({
  name: 'job_diagnose',
  title: 'Diagnose a Job',
  description:
    'Why a Job failed or is stuck, in one call (Job, pods, events, failing log): a category (OOMKilled, ImagePull, ConfigError, CrashLoop, AppError, DeadlineExceeded, Unschedulable…), evidence, next steps.',
  inputSchema: { job: jobInput },
  outputSchema: z.looseObject({
    job: z.string(),
    status: z.string(),
    category: z.string(),
    summary: z.string(),
    evidence: z.array(z.looseObject({ text: z.string() })),
    nextSteps: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const job = await loadJob(deps, args.job).catch((e) => explainGone(deps, args.job, e));
    const d = analyze(await gather(deps, job));
    return { structured: { ...d, evidence: d.evidence.map((e) => ({ ...e })) }, text: renderDiagnosis(d) };
  },
});
