import * as z from 'zod';
import { invalidInput, JobsError } from '../errors.js';
import type { ContainerStatus, Pod } from '../kube/types.js';
import { byRelevance, failedContainers, neverStarted } from '../render/pod-status.js';
import { parsePodRef } from '../safety/names.js';
import { Redactor } from '../safety/redact.js';
import { untrusted } from '../safety/untrusted.js';
import { loadJob, podsOfJob, whyNoPods } from './shared.js';
import { defineTool, type ToolDeps } from './types.js';

export const LOG_DEFAULTS = { tailLines: 200, limitBytes: 16 * 1024 } as const;
// What one request may pull from the kubelet, whatever the caller asks: memory stays bounded.
const FETCH_CAP = 1024 * 1024;
const OTHERS_SHOWN = 10;

/** The container whose log explains a failure: the one that failed, else one stuck waiting on an error, else the first. */
export function pickContainer(pod: Pod): string {
  const failed = failedContainers(pod)[0];
  if (failed) return failed.container;
  const stuck = pod.status?.containerStatuses?.find((c) => c.state?.waiting && c.state.waiting.reason !== 'ContainerCreating');
  return stuck?.name ?? pod.spec.containers[0]?.name ?? '';
}

export interface LogResult {
  pod: string;
  container: string;
  previous: boolean;
  started: boolean;
  waiting?: { reason: string; message?: string };
  log: string;
  lines: number;
  truncated: { earlierLines: boolean; bytes: boolean; fetchCapped: boolean };
  redacted: number;
  exit?: string;
  restarts: number;
}

/** Reads one container's log, bounded: the last tailLines lines, then the last limitBytes bytes. */
export async function readBoundedLog(
  deps: ToolDeps,
  pod: Pod,
  o: { container: string; previous: boolean; tailLines: number; limitBytes: number; sinceSeconds?: number; timestamps?: boolean },
): Promise<LogResult> {
  const ns = pod.metadata.namespace as string;
  const ref = `${ns}/${pod.metadata.name}`;
  const status: ContainerStatus | undefined = pod.status?.containerStatuses?.find((c) => c.name === o.container);
  const redactor = new Redactor(deps.config.redact);
  const terminated = o.previous ? status?.lastState?.terminated : status?.state?.terminated;
  const base = {
    pod: ref,
    container: o.container,
    previous: o.previous,
    restarts: status?.restartCount ?? 0,
    exit: terminated ? `${terminated.exitCode}${terminated.reason ? ` ${terminated.reason}` : ''}` : undefined,
    redacted: 0,
    truncated: { earlierLines: false, bytes: false, fetchCapped: false },
    log: '',
    lines: 0,
  };
  const waiting = (reason: string, message?: string): LogResult => ({
    ...base,
    started: false,
    waiting: { reason, ...(message ? { message: redactor.text(message) } : {}) },
    redacted: redactor.count,
  });

  if (!o.previous && (!status || neverStarted(status))) {
    const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unscheduled) return waiting(unscheduled.reason ?? 'Unschedulable', unscheduled.message);
    return waiting(status?.state?.waiting?.reason ?? pod.status?.phase ?? 'Pending', status?.state?.waiting?.message);
  }
  if (o.previous && !status?.lastState?.terminated) {
    throw new JobsError(
      'not-found',
      `Container "${o.container}" of pod ${ref} has no previous run: it has not restarted (restartCount ${status?.restartCount ?? 0}). Omit previous to read its current log.`,
    );
  }

  let text: string;
  try {
    text = await deps.api.readLog(ns, pod.metadata.name, {
      container: o.container,
      previous: o.previous,
      tailLines: o.tailLines + 1,
      sinceSeconds: o.sinceSeconds,
      limitBytes: FETCH_CAP,
      timestamps: o.timestamps,
    });
  } catch (e) {
    // The pod may have changed since we read it.
    if (e instanceof JobsError && e.kind === 'bad-request' && /is waiting to start/.test(e.message)) return waiting(status?.state?.waiting?.reason ?? 'Waiting');
    if (e instanceof JobsError && e.kind === 'bad-request' && /previous terminated container/.test(e.message)) {
      throw new JobsError('not-found', `Container "${o.container}" of pod ${ref} has no previous run to read. Omit previous to read its current log.`);
    }
    throw e;
  }
  const fetchCapped = Buffer.byteLength(text) >= FETCH_CAP;
  let lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const earlierLines = lines.length > o.tailLines;
  if (earlierLines) lines = lines.slice(-o.tailLines);
  let body = lines.join('\n');
  let bytes = false;
  if (Buffer.byteLength(body) > o.limitBytes) {
    // Keep the end: that is where a failing program says why.
    const buf = Buffer.from(body);
    let cut = buf.subarray(buf.length - o.limitBytes).toString('utf8');
    const nl = cut.indexOf('\n');
    if (nl >= 0 && nl < cut.length - 1) cut = cut.slice(nl + 1);
    body = cut;
    bytes = true;
  }
  const log = redactor.text(body);
  return {
    ...base,
    started: true,
    log,
    lines: log ? log.split('\n').length : 0,
    truncated: { earlierLines, bytes, fetchCapped },
    redacted: redactor.count,
  };
}

export const jobLogs = defineTool({
  name: 'job_logs',
  title: 'Logs of a Job',
  description:
    "Logs of a Job's most relevant pod (failed, then newest) or of a pod. Bounded: last 200 lines, 16 KiB, keeping the end. Redacted; untrusted text.",
  inputSchema: {
    job: z.string().min(1).max(300).optional().describe('"namespace/name"'),
    pod: z.string().min(1).max(320).optional().describe('"namespace/name", instead of job'),
    container: z.string().max(63).optional(),
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
      head.push(`The container has not started (${w.reason}${w.message ? `: ${w.message}` : ''}), so it has no log yet. job_events with includePods: true shows why.`);
      text = head.join(' ');
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
