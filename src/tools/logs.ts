import * as z from 'zod';
import { invalidInput, JobsError } from '../errors.js';
import { LOG_DEFAULTS, pickContainer, readBoundedLog } from '../jobs/logs.js';
import { loadJob, podsOfJob, whyNoPods } from '../jobs/reads.js';
import type { Pod } from '../kube/types.js';
import { byRelevance, failedContainers } from '../render/pod-status.js';
import { parsePodRef } from '../safety/names.js';
import { oneLine, reasonWord, untrusted } from '../safety/untrusted.js';
import { jobInput } from './schema.js';
import { defineTool } from './types.js';

const OTHERS_SHOWN = 10;

export const jobLogs = defineTool({
  name: 'job_logs',
  title: 'Logs of a Job',
  description:
    "Logs of a Job's most relevant pod (failed, then newest) or of a pod. Bounded: last 200 lines, 16 KiB, keeping the end. Redacted; untrusted text.",
  inputSchema: {
    job: jobInput.optional(),
    pod: z.string().min(1).max(320).optional().describe('"namespace/name", instead of job'),
    container: z.string().min(1).max(63).optional(),
    previous: z.boolean().default(false).describe('the run before the last restart'),
    tailLines: z.number().int().min(1).max(10_000).default(LOG_DEFAULTS.tailLines),
    sinceSeconds: z.number().int().min(1).max(30 * 86400).optional(),
    limitBytes: z.number().int().min(256).max(256 * 1024).default(LOG_DEFAULTS.limitBytes),
    timestamps: z.boolean().default(false),
  },
  outputSchema: z.looseObject({ pod: z.string(), container: z.string(), started: z.boolean(), log: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    if (Boolean(args.job) === Boolean(args.pod)) throw invalidInput('Give exactly one of job ("namespace/name" of a Job) or pod ("namespace/name" of a pod).');
    let pod: Pod;
    let picked: string | undefined;
    let others: string[] | undefined;
    if (args.pod) {
      const ref = parsePodRef(args.pod, (await deps.api.cluster()).defaultNamespace);
      deps.policy.check(ref.namespace);
      pod = await deps.api.getPod(ref.namespace, ref.name);
    } else {
      const job = await loadJob(deps, args.job as string);
      const pods = (await podsOfJob(deps, job)).pods.sort(byRelevance);
      const first = pods[0];
      if (!first) {
        throw new JobsError('not-found', `Job ${job.metadata.namespace}/${job.metadata.name} has no pods, so there are no logs. Possible reasons: ${whyNoPods(job)}.`);
      }
      pod = first;
      const failed = pod.status?.phase === 'Failed' || failedContainers(pod).length > 0;
      picked = `${failed ? 'newest failed' : 'newest'} of ${pods.length} pod${pods.length === 1 ? '' : 's'}`;
      others = pods.slice(1).map((p) => p.metadata.name);
    }
    const names = pod.spec.containers.map((c) => c.name);
    if (args.container && !names.includes(args.container)) {
      throw invalidInput(`Pod ${pod.metadata.namespace}/${pod.metadata.name} has no container "${args.container}"; it has: ${names.join(', ')}.`);
    }
    const container = args.container ?? pickContainer(pod);
    const r = await readBoundedLog(deps, pod, { container, previous: args.previous, tailLines: args.tailLines, limitBytes: args.limitBytes, sinceSeconds: args.sinceSeconds, timestamps: args.timestamps });

    const otherText = others?.length ? `; others: ${others.slice(0, OTHERS_SHOWN).join(', ')}${others.length > OTHERS_SHOWN ? ` and ${others.length - OTHERS_SHOWN} more` : ''}` : '';
    const head = [
      `Pod ${r.pod}, container ${r.container}${names.length > 1 ? ` (of ${names.join(', ')})` : ''}${r.previous ? ', previous run' : ''}${picked ? ` — picked: ${picked}${otherText}` : ''}.`,
    ];
    if (r.exit) head.push(`That run ended with exit ${r.exit}.`);
    if (!r.previous && r.restarts > 0) head.push(`Restarted ${r.restarts} time(s): previous: true shows the run before.`);
    let text: string;
    if (!r.started) {
      const w = r.waiting as { reason: string; message?: string };
      head.push(`The container has not started${reasonWord(w.reason) ? ` (${w.reason})` : ''}, so it has no log yet. job_events with includePods: true shows why.`);
      text = [head.join(' '), ...(w.message ? [untrusted('WAITING MESSAGE', r.pod, oneLine(w.message, 1000))] : [])].join('\n');
    } else {
      const t = r.truncated;
      if (t.earlierLines || t.bytes) head.push(`Showing the last ${r.lines} line(s)${t.bytes ? ` within ${args.limitBytes} bytes` : ''}; earlier output omitted (raise tailLines/limitBytes or use sinceSeconds).`);
      if (t.fetchCapped) head.push('The selected lines exceeded 1 MiB, so the most recent ones may be cut: lower tailLines.');
      if (r.redacted) head.push(`${r.redacted} secret-looking value(s) redacted.`);
      text = `${head.join(' ')}\n${r.log ? untrusted('LOG', `${r.pod}/${r.container}`, r.log) : '(the log is empty)'}`;
    }
    return { structured: { ...r, ...(picked ? { picked, otherPods: others } : {}) }, text };
  },
});
