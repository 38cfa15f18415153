import * as z from 'zod';
import { JobsError } from '../errors.js';
import { CONFIRMATION_ID } from '../kube/annotations.js';
import { rerunBody, rerunName } from '../kube/rerun.js';
import type { Job } from '../kube/types.js';
import { cronJobOwner, jobStatus, statusReason } from '../render/job-status.js';
import { runWrite, type WriteDeps, type WriteSpec } from '../safety/confirm.js';
import { reasonWord } from '../safety/untrusted.js';
import { confirmationToken, jobInput, writeOutput } from './schema.js';
import { defineTool } from './types.js';

const DELETE_WAIT_MS = 30_000;
const DELETE_POLL_MS = 250;

export const RERUN_ANNOTATIONS = {
  of: 'k8s-jobs-mcp.io/rerun-of',
  ofUid: 'k8s-jobs-mcp.io/rerun-of-uid',
  tokenId: CONFIRMATION_ID,
} as const;

type Backend = 'native' | 'kubesphere';
type Mode = 'new' | 'replace';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function chooseBackend(deps: WriteDeps): Promise<Backend> {
  if (deps.config.rerunBackend !== 'auto') return deps.config.rerunBackend;
  return (await deps.api.hasKubeSphere()) ? 'kubesphere' : 'native';
}

async function waitUntilGone(deps: WriteDeps, job: Job): Promise<void> {
  const deadline = deps.now() + DELETE_WAIT_MS;
  for (;;) {
    try {
      const current = await deps.api.getJob(job.metadata.namespace as string, job.metadata.name);
      if (current.metadata.uid !== job.metadata.uid) return; // someone else already recreated it
    } catch (e) {
      if (e instanceof JobsError && e.kind === 'not-found') return;
      throw e;
    }
    if (deps.now() > deadline) {
      throw new JobsError(
        'timeout',
        `Deleted ${job.metadata.namespace}/${job.metadata.name}, but it was still terminating after ${DELETE_WAIT_MS / 1000} s, so the new Job was not created. Check with job_get, then rerun it again when it is gone.`,
      );
    }
    await sleep(DELETE_POLL_MS);
  }
}

const changedSinceConfirm = (ref: string) => new JobsError('conflict', `Job ${ref} changed since you confirmed: confirm again (call job_rerun without a token).`);

/** The confirmed rerun, on the Job as it is now (read unsanitized: the copy keeps its real env). */
async function execute(deps: WriteDeps, claimed: Job, tokenId: string, backend: Backend, mode: Mode): Promise<{ name: string; uid: string }> {
  const ns = claimed.metadata.namespace as string;
  const name = claimed.metadata.name;
  const ref = `${ns}/${name}`;
  const rv = claimed.metadata.resourceVersion as string;
  const annotations = { [RERUN_ANNOTATIONS.of]: name, [RERUN_ANNOTATIONS.ofUid]: claimed.metadata.uid as string, [RERUN_ANNOTATIONS.tokenId]: tokenId };
  if (backend === 'kubesphere') {
    try {
      await deps.api.kubeSphereRerun(ns, name, rv);
    } catch (e) {
      // KubeSphere answers a missing Job with 500 and a stale version with 409.
      if (e instanceof JobsError && e.status === 500 && /not found/i.test(e.message)) throw new JobsError('not-found', `Job ${ref} no longer exists; nothing was rerun.`);
      if (e instanceof JobsError && e.status === 409) throw changedSinceConfirm(ref);
      throw e;
    }
    const fresh = await deps.api.getJob(ns, name);
    return { name, uid: fresh.metadata.uid as string };
  }
  const raw = await deps.api.rawJob(ns, name);
  // Status writes may move the resourceVersion after the claim; the spec (generation) must not have moved.
  if (raw.metadata.uid !== claimed.metadata.uid || raw.metadata.generation !== claimed.metadata.generation) throw changedSinceConfirm(ref);
  if (mode === 'replace') {
    try {
      await deps.api.deleteJob(ns, name, { propagationPolicy: 'Background', preconditions: { uid: raw.metadata.uid, resourceVersion: raw.metadata.resourceVersion } });
    } catch (e) {
      if (e instanceof JobsError && e.kind === 'conflict') throw changedSinceConfirm(ref);
      throw e;
    }
    await waitUntilGone(deps, claimed);
    try {
      const created = await deps.api.createJob(ns, rerunBody(raw, name, annotations));
      return { name, uid: created.metadata.uid as string };
    } catch (e) {
      throw new JobsError(
        (e as JobsError).kind ?? 'server-error',
        `The old Job ${ref} was deleted, but creating its replacement failed: ${(e as Error).message} The spec is in the server's audit log (token id ${tokenId}); recreate it from there or from your source of truth.`,
      );
    }
  }
  const newName = rerunName(name, tokenId.slice(0, 5));
  try {
    const created = await deps.api.createJob(ns, rerunBody(raw, newName, annotations));
    return { name: newName, uid: created.metadata.uid as string };
  } catch (e) {
    if (e instanceof JobsError && e.kind === 'already-exists') {
      throw new JobsError('not-confirmed', `This confirmation token was already used: Job ${ns}/${newName} exists. A token works once; call job_rerun without a token to confirm another rerun.`);
    }
    throw e;
  }
}

interface RerunArgs {
  job: string;
  mode?: Mode;
  confirmationToken?: string;
}

const rerun: WriteSpec<RerunArgs, Job> = {
  tool: 'job_rerun',
  action: 'rerun',
  kind: 'Job',
  ref: (a) => a.job,
  params: (a) => ({ mode: a.mode }),
  confirmTitle: 'Rerun this Job',
  async plan(args, deps, job, tokenId) {
    const backend = await chooseBackend(deps);
    const mode: Mode = backend === 'kubesphere' ? 'replace' : (args.mode ?? 'new');
    const newName = backend === 'native' && mode === 'new' ? rerunName(job.metadata.name, tokenId.slice(0, 5)) : undefined;
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const status = jobStatus(job);
    const reason = reasonWord(statusReason(job));
    const owner = cronJobOwner(job);
    const action =
      backend === 'kubesphere'
        ? `KubeSphere rerun: the Job ${ref} and its pods are deleted and recreated under the same name from the same spec.`
        : mode === 'replace'
          ? `Replace: delete the Job ${ref} and its pods (the old run's pods and logs are lost), wait until it is gone, then create it again under the same name from the same spec.`
          : `Create a new Job ${job.metadata.namespace}/${newName} from the spec of ${ref}. The old Job, its pods and logs stay as they are.`;
    const warnings = [
      'Jobs run at least once: a rerun repeats every side effect of the program (writes, emails, payments, migrations).',
      ...(status === 'Running' || status === 'Pending' ? [`The Job is still ${status}: ${backend === 'native' && mode === 'new' ? 'both runs would work at the same time.' : 'its running pods will be killed.'}`] : []),
      ...(job.spec.suspend ? ['The Job is suspended (spec.suspend: true); the rerun copies its spec, so it starts suspended too until someone resumes it.'] : []),
      ...(owner ? [`It belongs to CronJob ${owner}, which keeps its own schedule; this is an extra run outside it${backend === 'native' && mode === 'new' ? ' (the new Job is not owned by the CronJob)' : ''}.`] : []),
    ];
    return {
      question: `Rerun Kubernetes Job ${ref}?\nCurrent status: ${status}${reason ? ` (${reason})` : ''}`,
      action,
      warnings,
      derived: { backend, mode },
      details: { job: ref, status, ...(owner ? { cronJob: owner } : {}), ...(newName ? { newJob: `${job.metadata.namespace}/${newName}` } : {}) },
    };
  },
  async perform(_args, deps, { claims, params, target }) {
    const backend = params.backend as Backend;
    const mode = params.mode as Mode;
    const ns = target.metadata.namespace as string;
    const created = await execute(deps, target, claims.id, backend, mode);
    const next = `Follow it with job_wait {"job":"${ns}/${created.name}"} or job_get {"job":"${ns}/${created.name}"}.`;
    return {
      outcome: 'rerun',
      structured: { job: `${ns}/${target.metadata.name}`, backend, mode, newJob: created, next },
      text: `Rerun started (${backend} backend${backend === 'native' ? `, mode ${mode}` : ''}): Job ${ns}/${created.name} (uid ${created.uid}). ${next}`,
    };
  },
};

export const jobRerun = defineTool({
  name: 'job_rerun',
  title: 'Rerun a Job (needs confirmation)',
  description:
    'Rerun a Job. Confirmed: the first call asks the human and returns a token; call again with it. mode new (default): <name>-rerun-<id> beside the old Job; replace: same name.',
  inputSchema: {
    job: jobInput,
    confirmationToken,
    mode: z.enum(['new', 'replace']).optional(),
  },
  outputSchema: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  handler: (args, deps, host) => runWrite(rerun, args, deps, host),
});

