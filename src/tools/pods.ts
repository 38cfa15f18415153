import * as z from 'zod';
import type { Job, Pod } from '../kube/types.js';
import { age } from '../render/duration.js';
import { completionIndex, failedContainers, podReady, podRestarts, podStatus } from '../render/pod-status.js';
import { table } from '../render/table.js';
import { jobInput } from './schema.js';
import { checkSelector, loadJob, podsOfJob, whyNoPods } from '../jobs/reads.js';
import { untrusted } from '../safety/untrusted.js';
import { defineTool } from './types.js';

const PodRow = z.object({
  name: z.string(),
  ready: z.string(),
  status: z.string(),
  restarts: z.string(),
  age: z.string(),
  node: z.string(),
  exit: z.string().optional().describe('Failed containers: "container: exitCode reason"'),
  index: z.string().optional().describe('Completion index (Indexed Jobs)'),
});

export type PodRowData = z.infer<typeof PodRow>;

/** The kubectl-style columns of each pod, plus exit codes and completion indexes. */
export function podRows(job: Job, pods: Pod[], now: number): PodRowData[] {
  const indexed = job.spec.completionMode === 'Indexed';
  return pods.map((p) => {
    const failed = failedContainers(p);
    return {
      name: p.metadata.name,
      ready: podReady(p),
      status: podStatus(p),
      restarts: podRestarts(p, now),
      age: age(p.metadata.creationTimestamp, now),
      node: p.spec.nodeName ?? '<none>',
      exit: failed.length ? failed.map((f) => `${f.container}: ${f.exitCode}${f.reason ? ` ${f.reason}` : ''}${f.previous ? ' (last run)' : ''}`).join(', ') : undefined,
      index: indexed ? completionIndex(p) : undefined,
    };
  });
}

export function podsTable(rows: PodRowData[], indexed: boolean): string {
  const headers = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE', ...(indexed ? ['INDEX'] : []), 'EXIT'];
  return table(
    headers,
    rows.map((r) => [r.name, r.ready, r.status, r.restarts, r.age, r.node, ...(indexed ? [r.index ?? ''] : []), r.exit ?? '']),
  );
}

export const jobPods = defineTool({
  name: 'job_pods',
  title: 'List the pods of a Job',
  description:
    "A Job's pods like kubectl get pods, by the Job's own selector (ANDed with labelSelector), with exit codes of failed containers and completion indexes.",
  inputSchema: {
    job: jobInput,
    labelSelector: z.string().max(4096).optional(),
  },
  outputSchema: z.looseObject({ job: z.string(), selector: z.string(), pods: z.array(z.looseObject({ name: z.string(), status: z.string() })) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    checkSelector(args.labelSelector);
    const job = await loadJob(deps, args.job);
    const { pods, selector, continue: token } = await podsOfJob(deps, job, { extraSelector: args.labelSelector, limit: 200 });
    const rows = podRows(job, pods, deps.now());
    const indexed = job.spec.completionMode === 'Indexed';
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const note = rows.length ? undefined : `No pods of Job ${ref} (selector ${selector}). Possible reasons: ${whyNoPods(job, args.labelSelector)}.`;
    // STATUS and EXIT carry kubelet reasons; the table is framed as cluster data.
    const text = rows.length
      ? [
          untrusted('PODS', ref, podsTable(rows, indexed)),
          ...(token ? [`(more than ${rows.length} pods; only the first ${rows.length} are shown — narrow with labelSelector)`] : []),
        ].join('\n')
      : (note as string);
    return { structured: { job: ref, selector, pods: rows, ...(note ? { note } : {}), ...(token ? { truncated: true } : {}) }, text };
  },
});
