import * as z from 'zod';
import { JobsError } from '../errors.js';
import { loadJob } from '../jobs/reads.js';
import type { Job, WatchEvent } from '../kube/types.js';
import { completions, jobStatus, statusReason } from '../render/job-status.js';
import { reasonWord } from '../safety/untrusted.js';
import { jobInput } from './schema.js';
import { defineTool } from './types.js';

// Outcomes a waiter wants: FailureTarget comes before Failed (pods still terminating), so it counts.
const DONE = new Set(['Complete', 'Failed', 'Suspended', 'FailureTarget']);
const MAX_WATCH_S = 300;
const RETRY_MS = 1000;
const MAX_ERRORS = 3;
// A watch that ends at once with nothing in it (a proxy that closes it, an API server that keeps
// answering 410) is retried with a growing pause, and given up after this many in a row.
const MAX_FRUITLESS = 10;
const MAX_PAUSE_MS = 5000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        r();
      },
      { once: true },
    );
  });

// A resumed Job keeps its Suspended=True condition until the controller reacts: it is done only
// while spec.suspend says so.
const isDone = (j: Job) => {
  const st = jobStatus(j);
  return DONE.has(st) && (st !== 'Suspended' || j.spec.suspend === true);
};
// Clients time out a request at 60 s by default: the default wait ends before, and a heartbeat
// keeps progress-aware clients waiting longer.
const DEFAULT_TIMEOUT_S = 50;
const HEARTBEAT_MS = 15_000;

const counts = (j: Job) => ({ active: j.status?.active ?? 0, succeeded: j.status?.succeeded ?? 0, failed: j.status?.failed ?? 0 });

export const jobWait = defineTool({
  name: 'job_wait',
  title: 'Wait for a Job to finish',
  description:
    'Wait (watching, with progress) until a Job is Complete, Failed, FailureTarget (failure decided) or Suspended. At timeoutSeconds returns the current state: call again to keep waiting.',
  inputSchema: { job: jobInput, timeoutSeconds: z.number().int().min(1).max(600).default(DEFAULT_TIMEOUT_S) },
  outputSchema: z.looseObject({ job: z.string(), status: z.string(), done: z.boolean(), waitedMs: z.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps, host) {
    const started = deps.now();
    let job = await loadJob(deps, args.job);
    const ns = job.metadata.namespace as string;
    const name = job.metadata.name;
    const ref = `${ns}/${name}`;
    const total = job.spec.completions ?? undefined;
    let sent = -1;
    let beats = 0;
    const report = async (j: Job, heartbeat = false) => {
      const c = counts(j);
      // Progress must grow with each notification: a heartbeat adds a thousandth.
      const done = c.succeeded + c.failed + (heartbeat ? ++beats / 1000 : beats / 1000);
      if (!host.progress || done <= sent) return;
      sent = done;
      await host.progress({ progress: done, ...(total ? { total } : {}), message: `${jobStatus(j)}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.active} active` }).catch(() => {});
    };
    await report(job);
    const heartbeat = setInterval(() => void report(job, true), HEARTBEAT_MS);
    let deleted = false;
    // Watch from a list's resourceVersion (JOBS-REFERENCE: a Job's own may be older than the watch
    // window): the list narrowed to this Job by name.
    const relist = async (): Promise<string | undefined> => {
      const l = await deps.api.listJobs(ns, { fieldSelector: `metadata.name=${name}` });
      const found = l.items.find((j) => j.metadata.uid === job.metadata.uid);
      if (found) job = found;
      else deleted = true;
      return l.metadata.resourceVersion;
    };
    let rv: string | undefined;
    let errors = 0;
    let fruitless = 0;
    const deadline = started + args.timeoutSeconds * 1000;
    const finished = () => deleted || isDone(job) || host.signal?.aborted;
    // No pause runs past the caller's timeout.
    const left = () => Math.max(0, deadline - deps.now());
    try {
    if (!finished()) rv = await relist();
    while (!finished() && deps.now() < deadline) {
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      host.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - deps.now()));
      let expired = false;
      let events = 0;
      const watchStarted = Date.now();
      try {
        await deps.api.watchJobs(
          ns,
          { fieldSelector: `metadata.name=${name}`, resourceVersion: rv, timeoutSeconds: Math.min(MAX_WATCH_S, Math.ceil((deadline - deps.now()) / 1000)), signal: stop.signal },
          (e: WatchEvent) => {
            const o = e.object as Job & { code?: number };
            if (e.type === 'ERROR') {
              expired = o.code === 410;
              if (!expired) throw new JobsError('bad-response', `The watch of Job ${ref} failed (${o.code ?? '?'}).`);
              stop.abort();
              return;
            }
            events++;
            if (o.metadata?.resourceVersion) rv = o.metadata.resourceVersion;
            if (e.type === 'BOOKMARK') return;
            if (o.metadata?.uid !== job.metadata.uid) return;
            if (e.type === 'DELETED') deleted = true;
            else job = o;
            void report(job);
            if (finished()) stop.abort();
          },
        );
        errors = 0;
      } catch (e) {
        if (!(e instanceof JobsError) || ++errors > MAX_ERRORS) throw e;
        await sleep(Math.min(RETRY_MS, left()), host.signal);
        expired = true;
      } finally {
        clearTimeout(timer);
        host.signal?.removeEventListener('abort', onAbort);
      }
      if (!finished() && (expired || events === 0) && Date.now() - watchStarted < RETRY_MS) {
        if (++fruitless > MAX_FRUITLESS) {
          throw new JobsError('bad-response', `The watch of Job ${ref} keeps ending at once without events (${MAX_FRUITLESS} times in a row); a proxy may be closing watch requests. Check with job_get instead.`);
        }
        // The first retry is at once (one 410 is normal); then 1 s, 2 s, 4 s, 5 s…
        if (fruitless > 1) await sleep(Math.min(MAX_PAUSE_MS, RETRY_MS * 2 ** (fruitless - 2), left()), host.signal);
      } else fruitless = 0;
      // The resourceVersion is too old (410) or the watch broke: list again and watch from there.
      if (expired && !finished()) rv = await relist();
    }
    } finally {
      clearInterval(heartbeat);
    }
    const status = deleted ? 'Deleted' : jobStatus(job);
    const done = deleted || isDone(job);
    const waitedMs = deps.now() - started;
    const reason = reasonWord(statusReason(job));
    const c = counts(job);
    const state = `${status}${reason && !deleted ? ` (${reason})` : ''}, completions ${completions(job)}, ${c.active} active, ${c.failed} failed`;
    let text: string;
    if (deleted) text = `Job ${ref} was deleted while waiting.`;
    else if (host.signal?.aborted) text = `Cancelled after ${Math.round(waitedMs / 1000)} s. Job ${ref}: ${state}.`;
    else if (done) {
      const next = status === 'Complete' ? 'job_logs shows its output.' : status === 'Suspended' ? 'job_suspend with suspend: false resumes it.' : `job_diagnose {"job":"${ref}"} tells why.`;
      text = `Job ${ref} is ${state} after ${Math.round(waitedMs / 1000)} s.${status === 'FailureTarget' ? ' The failure is decided; its pods are still terminating.' : ''} ${next}`;
    } else text = `Still ${state} after ${Math.round(waitedMs / 1000)} s. Call job_wait again to keep waiting.`;
    return { structured: { job: ref, status, ...(reason ? { reason } : {}), done, waitedMs, ...c, completions: completions(job) }, text };
  },
});
