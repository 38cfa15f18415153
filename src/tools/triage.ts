import * as z from 'zod';
import { briefText } from '../jobs/cronjobs.js';
import { type Triage, triage } from '../diagnosis/triage.js';
import { oneLine, untrusted } from '../safety/untrusted.js';
import { defineTool } from './types.js';

/** One line per Job: the cause quotes cluster text, so the caller frames the list. */
export function triageLines(t: Triage): string[] {
  return t.lines.map((l) => {
    const ns = l.job.split('/')[0] as string;
    const cron = l.cronJob ? ` [${briefText(ns, l.cronJob)}]` : '';
    return `- ${l.job} — ${l.state === 'failed' ? l.status : `stuck (${l.status})`}, ${l.category}: ${oneLine(l.cause, 220)}${cron}`;
  });
}

export function renderTriage(t: Triage): string {
  const head = `Triage of ${t.scope}: ${t.scanned} Jobs scanned; ${t.failed} failed, ${t.stuck} stuck, ${t.suspendedCount} suspended.`;
  const out = [head];
  if (t.lines.length) out.push(untrusted('TRIAGE', t.scope, triageLines(t).join('\n')));
  else out.push('No failed or stuck Jobs.');
  if (t.suspendedCount) out.push(`Suspended, not failed (spec.suspend: true): ${t.suspended.join(', ')}${t.suspendedCount > t.suspended.length ? ` and ${t.suspendedCount - t.suspended.length} more` : ''}.`);
  if (t.notShown) out.push(`${t.notShown} more failed or possibly stuck Job(s) not shown: raise limit (max 50) or narrow with namespace.`);
  if (t.scanCapped) out.push(`The scan stopped after ${t.scanned} Jobs: narrow the scope with namespace to see the rest.`);
  if (t.lines.length) out.push('Next: job_diagnose {"job":"namespace/name"} for the evidence of one; cronjob_get for a CronJob\'s schedule and history.');
  return out.join('\n');
}

export const jobTriage = defineTool({
  name: 'job_triage',
  title: 'Triage failed and stuck Jobs',
  description:
    'Start here: every failed or stuck Job in a namespace (or all) in one call, one line each with category, root cause and owning CronJob. Suspended Jobs listed apart.',
  inputSchema: {
    namespace: z.string().max(63).optional(),
    limit: z.number().int().min(1).max(50).default(20),
  },
  outputSchema: z.looseObject({
    scope: z.string(),
    scanned: z.number(),
    lines: z.array(z.looseObject({ job: z.string(), category: z.string(), cause: z.string() })),
    suspended: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const t = await triage(deps, { namespace: args.namespace, limit: args.limit });
    return { structured: { ...t, lines: t.lines.map((l) => ({ ...l, cause: oneLine(l.cause, 600) })) }, text: renderTriage(t) };
  },
});
