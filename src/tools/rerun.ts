import * as z from 'zod';
import { invalidInput, JobsError } from '../errors.js';
import { rerunBody, rerunName } from '../kube/rerun.js';
import type { Job } from '../kube/types.js';
import { cronJobOwner, jobStatus } from '../render/job-status.js';
import { parseJobRef } from '../safety/names.js';
import type { TokenClaims } from '../safety/token.js';
import { statusReason } from './get.js';
import { defineTool, type Host, type ToolDeps } from './types.js';

const ACTION = 'rerun';
const DELETE_WAIT_MS = 30_000;
const DELETE_POLL_MS = 250;

export const RERUN_ANNOTATIONS = {
  of: 'k8s-jobs-mcp.io/rerun-of',
  ofUid: 'k8s-jobs-mcp.io/rerun-of-uid',
  tokenId: 'k8s-jobs-mcp.io/confirmation-id',
} as const;

type Backend = 'native' | 'kubesphere';
type Mode = 'new' | 'replace';

const Outcome = z.enum(['confirmed', 'declined', 'cancelled', 'not-confirmed', 'no-elicitation', 'elicitation-failed', 'rerun']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function chooseBackend(deps: ToolDeps): Promise<Backend> {
  if (deps.config.rerunBackend !== 'auto') return deps.config.rerunBackend;
  return (await deps.api.hasKubeSphere()) ? 'kubesphere' : 'native';
}

/** What the human is asked to confirm. Nothing secret: no env, no args. */
async function preview(deps: ToolDeps, job: Job, backend: Backend, mode: Mode, newName: string | undefined) {
  const cluster = await deps.api.cluster();
  const ref = `${job.metadata.namespace}/${job.metadata.name}`;
  const status = jobStatus(job);
  const reason = statusReason(job);
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
  const lines = [
    `Rerun Kubernetes Job ${ref}?`,
    `Cluster: ${cluster.server} (context ${cluster.context})`,
    `Current status: ${status}${reason ? ` (${reason})` : ''}`,
    `Action: ${action}`,
    ...warnings.map((w) => `Warning: ${w}`),
  ];
  return {
    job: ref,
    cluster: cluster.server,
    context: cluster.context,
    status,
    ...(owner ? { cronJob: owner } : {}),
    backend,
    mode,
    ...(newName ? { newJob: `${job.metadata.namespace}/${newName}` } : {}),
    action,
    warnings,
    text: lines.join('\n'),
  };
}

async function askHuman(host: Host, message: string): Promise<z.infer<typeof Outcome>> {
  if (!host.canElicit()) return 'no-elicitation';
  try {
    const r = await host.elicit(message, {
      properties: { confirm: { type: 'boolean', title: 'Rerun this Job', description: 'Check to confirm the rerun described above.', default: false } },
      required: ['confirm'],
    });
    if (r.action === 'decline') return 'declined';
    if (r.action === 'cancel') return 'cancelled';
    return r.content?.confirm === true ? 'confirmed' : 'not-confirmed';
  } catch {
    return 'elicitation-failed';
  }
}

const OUTCOME_TEXT: Record<string, string> = {
  declined: 'The human declined the rerun. Nothing was changed.',
  cancelled: 'The human dismissed the confirmation. Nothing was changed.',
  'not-confirmed': 'The human did not check "confirm". Nothing was changed.',
  'elicitation-failed': 'Asking the human failed (the client returned an error or did not answer). Nothing was changed.',
  'no-elicitation':
    'This client cannot ask its user for confirmation (it did not declare the MCP elicitation capability), so no confirmation token was issued and nothing was changed. Use a client that supports elicitation, or an operator may start the server with --confirm=token (weaker: the token is then returned with the preview, for bots that run their own approval step).',
};

async function waitUntilGone(deps: ToolDeps, job: Job): Promise<void> {
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

/** Performs the confirmed rerun. The Job was re-read and matches the token. */
async function execute(deps: ToolDeps, job: Job, claims: TokenClaims): Promise<{ name: string; uid: string }> {
  const ns = job.metadata.namespace as string;
  const name = job.metadata.name;
  const annotations = { [RERUN_ANNOTATIONS.of]: name, [RERUN_ANNOTATIONS.ofUid]: job.metadata.uid as string, [RERUN_ANNOTATIONS.tokenId]: claims.id };
  if (claims.backend === 'kubesphere') {
    try {
      await deps.api.kubeSphereRerun(ns, name, claims.resourceVersion);
    } catch (e) {
      // KubeSphere answers a missing Job with 500 and a stale version with 409.
      if (e instanceof JobsError && e.status === 500 && /not found/i.test(e.message)) throw new JobsError('not-found', `Job ${ns}/${name} no longer exists; nothing was rerun.`);
      if (e instanceof JobsError && e.status === 409) throw new JobsError('conflict', `Job ${ns}/${name} changed since you confirmed: confirm again (call job_rerun without a token).`);
      throw e;
    }
    const fresh = await deps.api.getJob(ns, name);
    return { name, uid: fresh.metadata.uid as string };
  }
  if (claims.mode === 'replace') {
    try {
      await deps.api.deleteJob(ns, name, { propagationPolicy: 'Background', preconditions: { uid: claims.uid, resourceVersion: claims.resourceVersion } });
    } catch (e) {
      if (e instanceof JobsError && e.kind === 'conflict') throw new JobsError('conflict', `Job ${ns}/${name} changed since you confirmed: confirm again (call job_rerun without a token).`);
      throw e;
    }
    await waitUntilGone(deps, job);
    try {
      const created = await deps.api.createJob(ns, rerunBody(job, name, annotations));
      return { name, uid: created.metadata.uid as string };
    } catch (e) {
      throw new JobsError(
        (e as JobsError).kind ?? 'server-error',
        `The old Job ${ns}/${name} was deleted, but creating its replacement failed: ${(e as Error).message} The spec is in the server's audit log (token id ${claims.id}); recreate it from there or from your source of truth.`,
      );
    }
  }
  const newName = rerunName(name, claims.id.slice(0, 5));
  try {
    const created = await deps.api.createJob(ns, rerunBody(job, newName, annotations));
    return { name: newName, uid: created.metadata.uid as string };
  } catch (e) {
    if (e instanceof JobsError && e.kind === 'already-exists') {
      throw new JobsError('not-confirmed', `This confirmation token was already used: Job ${ns}/${newName} exists. A token works once; call job_rerun without a token to confirm another rerun.`);
    }
    throw e;
  }
}

export const jobRerun = defineTool({
  name: 'job_rerun',
  title: 'Rerun a Job (needs confirmation)',
  description:
    'Rerun a Job in two calls: without confirmationToken the human is asked to confirm a preview and a token is returned; with the token the rerun happens. mode new: <name>-rerun-<id> beside the old Job; replace: same name.',
  inputSchema: {
    job: z.string().min(1).max(300).describe('"namespace/name"'),
    confirmationToken: z.string().max(4096).optional(),
    mode: z.enum(['new', 'replace']).default('new'),
  },
  outputSchema: z.looseObject({
    job: z.string(),
    outcome: Outcome,
    confirmationToken: z.string().optional(),
    newJob: z.looseObject({ name: z.string(), uid: z.string() }).optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },

  async handler(args, deps, host) {
    const { namespace, name } = parseJobRef(args.job, (await deps.api.cluster()).defaultNamespace);
    deps.policy.check(namespace);
    const ref = `${namespace}/${name}`;
    const audit = (fields: Record<string, unknown>) => deps.log.info({ audit: true, tool: 'job_rerun', job: ref, ...fields }, 'audit');

    if (args.confirmationToken) {
      let claims: TokenClaims;
      try {
        claims = deps.tokens.verify(args.confirmationToken, { action: ACTION, namespace, name });
      } catch (e) {
        audit({ phase: 'execute', outcome: 'token-refused', reason: (e as Error).message });
        throw e;
      }
      if (args.mode !== claims.mode && args.mode !== 'new') throw invalidInput(`This token was confirmed for mode "${claims.mode}", not "${args.mode}".`);
      let job: Job;
      try {
        job = await deps.api.getJob(namespace, name);
      } catch (e) {
        audit({ phase: 'execute', outcome: 'job-unreadable', tokenId: claims.id });
        throw e;
      }
      if (job.metadata.uid !== claims.uid || job.metadata.resourceVersion !== claims.resourceVersion) {
        audit({ phase: 'execute', outcome: 'changed-since-confirmation', tokenId: claims.id });
        throw new JobsError(
          'conflict',
          `Job ${ref} changed since you confirmed${job.metadata.uid !== claims.uid ? ' (it was replaced: this token was probably used already)' : ''}: confirm again (call job_rerun without a token). Nothing was changed.`,
        );
      }
      let created: { name: string; uid: string };
      try {
        created = await execute(deps, job, claims);
      } catch (e) {
        audit({ phase: 'execute', outcome: 'failed', tokenId: claims.id, backend: claims.backend, mode: claims.mode, error: (e as Error).message });
        throw e;
      }
      audit({ phase: 'execute', outcome: 'rerun', tokenId: claims.id, backend: claims.backend, mode: claims.mode, newJob: `${namespace}/${created.name}`, newUid: created.uid });
      const next = `Follow it with job_get {"job":"${namespace}/${created.name}"} and job_pods {"job":"${namespace}/${created.name}"}.`;
      return {
        structured: { job: ref, outcome: 'rerun' as const, backend: claims.backend as Backend, mode: claims.mode as Mode, newJob: created, next },
        text: `Rerun started (${claims.backend} backend${claims.backend === 'native' ? `, mode ${claims.mode}` : ''}): Job ${namespace}/${created.name} (uid ${created.uid}). ${next}`,
      };
    }

    const job = await deps.api.getJob(namespace, name);
    const backend = await chooseBackend(deps);
    const mode: Mode = backend === 'kubesphere' ? 'replace' : args.mode;
    // The token id is drawn first so the preview can show the exact name a native rerun will create;
    // the token itself is minted once the human has answered, so its lifetime starts then.
    const claims = { action: ACTION, namespace, name, uid: job.metadata.uid as string, resourceVersion: job.metadata.resourceVersion as string, backend, mode };
    const tokenId = deps.tokens.newId();
    const newName = backend === 'native' && mode === 'new' ? rerunName(name, tokenId.slice(0, 5)) : undefined;
    const p = await preview(deps, job, backend, mode, newName);

    const outcome = deps.config.confirm === 'token' ? 'confirmed' : await askHuman(host, p.text);
    audit({ phase: 'confirm', outcome, backend, mode, ...(outcome === 'confirmed' ? { tokenId } : {}), confirmVia: deps.config.confirm });
    if (outcome !== 'confirmed') {
      return { structured: { job: ref, outcome, backend, mode, preview: p.text }, text: `${OUTCOME_TEXT[outcome]}\n\nPreview:\n${p.text}` };
    }
    const draft = deps.tokens.mint(claims, tokenId);
    const expiresAt = new Date(draft.claims.exp).toISOString();
    const how = deps.config.confirm === 'token' ? 'Issued without asking the human (server runs with --confirm=token): get approval before using it.' : 'The human confirmed.';
    return {
      structured: { job: ref, outcome, backend, mode, preview: p.text, confirmationToken: draft.token, expiresAt },
      text: `${how} To perform the rerun, call job_rerun again with {"job":"${ref}","confirmationToken":"${draft.token}"${mode === 'replace' && backend === 'native' ? ',"mode":"replace"' : ''}} before ${expiresAt}. The token works once.\n\nPreview:\n${p.text}`,
    };
  },
});
