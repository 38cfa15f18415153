import * as z from 'zod';
import { analyze, type Diagnosis } from '../diagnosis/analyze.js';
import { gather } from '../diagnosis/gather.js';
import { untrusted } from '../safety/untrusted.js';
import { jobInput } from './get.js';
import { loadJob } from './shared.js';
import { defineTool } from './types.js';

/** The diagnosis as compact text; cluster-sourced evidence is framed as untrusted. */
export function renderDiagnosis(d: Diagnosis): string {
  const lines = [`${d.job}: ${d.status} — ${d.category}`];
  if (d.cronJob) lines.push(`Controlled by CronJob/${d.cronJob}.`);
  if (d.failedIndexes) lines.push(`Failed indexes: ${d.failedIndexes.indexes}${d.failedIndexes.pods.length ? ` (pods: ${d.failedIndexes.pods.join(', ')})` : ''}.`);
  // The summary quotes cluster text (kubelet and admission messages), so it is framed with the evidence.
  lines.push(untrusted('EVIDENCE', d.job, [`Summary: ${d.summary}`, ...d.evidence.map((e) => `[${e.source}] ${e.text}`)].join('\n')));
  lines.push('Next steps:', ...d.nextSteps.map((s) => `- ${s}`));
  return lines.join('\n');
}

export const jobDiagnose = defineTool({
  name: 'job_diagnose',
  title: 'Diagnose a Job',
  description:
    'Why a Job failed or is stuck, in one call (Job, pods, events, failing log): a category (OOMKilled, ImagePull, ConfigError, CrashLoop, AppError, DeadlineExceeded, FailedIndexes, Unschedulable, QuotaOrPolicy…), evidence, next steps.',
  inputSchema: { job: jobInput },
  outputSchema: z.looseObject({
    job: z.string(),
    status: z.string(),
    category: z.string(),
    summary: z.string(),
    evidence: z.array(z.looseObject({ source: z.string(), text: z.string() })),
    nextSteps: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const job = await loadJob(deps, args.job);
    const d = analyze(await gather(deps, job));
    return { structured: { ...d, evidence: d.evidence.map((e) => ({ ...e })) }, text: renderDiagnosis(d) };
  },
});
