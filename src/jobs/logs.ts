// Reading one container's log, bounded; shared by job_logs, diagnosis and prompts.
import { JobsError } from '../errors.js';
import { MAX_LOG_BYTES } from '../kube/limits.js';
import type { ContainerStatus, LogText, Pod } from '../kube/types.js';
import { failedContainers, neverStarted } from '../render/pod-status.js';
import { reasonWord } from '../safety/untrusted.js';
import type { JobsDeps } from './deps.js';

const REDACT_MARGIN_LINES = 200;

export const LOG_DEFAULTS = { tailLines: 200, limitBytes: 16 * 1024 } as const;

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
  deps: JobsDeps,
  pod: Pod,
  o: { container: string; previous: boolean; tailLines: number; limitBytes: number; sinceSeconds?: number; timestamps?: boolean },
): Promise<LogResult> {
  const ns = pod.metadata.namespace as string;
  const ref = `${ns}/${pod.metadata.name}`;
  const status: ContainerStatus | undefined = pod.status?.containerStatuses?.find((c) => c.name === o.container);
  const terminated = o.previous ? status?.lastState?.terminated : status?.state?.terminated;
  const base = {
    pod: ref,
    container: o.container,
    previous: o.previous,
    restarts: status?.restartCount ?? 0,
    exit: terminated ? `${terminated.exitCode}${reasonWord(terminated.reason) ? ` ${terminated.reason}` : ''}` : undefined,
    redacted: 0,
    truncated: { earlierLines: false, bytes: false, fetchCapped: false },
    log: '',
    lines: 0,
  };
  const waiting = (reason: string, message?: string): LogResult => ({
    ...base,
    started: false,
    waiting: { reason, ...(message ? { message } : {}) },
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

  let read: LogText;
  try {
    read = await deps.api.readLog(ns, pod.metadata.name, {
      container: o.container,
      previous: o.previous,
      // More than the tail is fetched, so a multi-line secret (a PEM key) that starts above the cut is
      // still seen whole by the redaction of the window; the cut below keeps only the tail.
      tailLines: o.tailLines + REDACT_MARGIN_LINES,
      sinceSeconds: o.sinceSeconds,
      limitBytes: MAX_LOG_BYTES,
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
  // The window arrives redacted as a whole: a secret that starts above the cut below is already hidden.
  const fetchCapped = read.capped;
  let lines = read.text.split('\n');
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
  return {
    ...base,
    started: true,
    log: body,
    lines: body ? body.split('\n').length : 0,
    truncated: { earlierLines, bytes, fetchCapped },
    redacted: read.redacted,
  };
}

