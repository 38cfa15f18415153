// The one confirmation flow for every write (rerun, trigger, suspend/resume,
// delete): preview → elicitation → token → verify → atomic single-use claim →
// perform. A write tool declares its plan (what the human is shown and what the
// token binds) and its perform step; it never handles tokens or asks by itself.
//
// Single use survives everything a memory list would not (a second replica, a
// restart, the created Job being deleted): the first use CLAIMS the token in the
// cluster by patching the target with the token's resourceVersion as a
// precondition. Any replay then meets a changed resourceVersion; a concurrent
// second use gets the API server's 409.
import * as z from 'zod';
import { JobsError } from '../errors.js';
import type { JobsDeps } from '../jobs/deps.js';
import { CONFIRMATION_ID } from '../kube/annotations.js';
import type { CronJob, Job } from '../kube/types.js';
import { type ObjectRef, parseCronJobRef, parseJobRef } from './names.js';
import { decodeParams, encodeParams, type TokenClaims, type TokenMinter } from './token.js';
import { oneLine } from './untrusted.js';


/** What the host (an MCP client) can do for a tool, without the tool importing the SDK. */
export interface ElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}
export interface Host {
  canElicit(): boolean;
  elicit(message: string, schema: { properties: Record<string, unknown>; required?: string[] }): Promise<ElicitResult>;
  /** Aborts when the client cancels the request (or the session ends). */
  signal?: AbortSignal;
  /** Sends notifications/progress, when the request carried a progressToken. */
  progress?: (p: { progress: number; total?: number; message?: string }) => Promise<void>;
}

export type WriteDeps = JobsDeps & { tokens: TokenMinter; clusters?: { readonly multi: boolean } };

export const AskOutcome = z.enum(['confirmed', 'declined', 'cancelled', 'not-confirmed', 'no-elicitation', 'elicitation-failed']);
type AskOutcome = z.infer<typeof AskOutcome>;

type Kind = 'Job' | 'CronJob';
type Params = Record<string, string | number | boolean | undefined>;

export interface Plan {
  /** The question, e.g. "Suspend Job batch/x?". */
  question: string;
  /** What will happen, in one or two sentences. */
  action: string;
  warnings: string[];
  /** Parameters the cluster decided (a backend): bound into the token with the arguments' own. */
  derived?: Params;
  /** Extra preview fields for structuredContent. */
  details?: Record<string, unknown>;
  /** Overrides the spec's checkbox title for this preview. */
  confirmTitle?: string;
}

export interface Performed {
  /** What happened, as one word: rerun, triggered, suspended, resumed, deleted. */
  outcome: string;
  structured: Record<string, unknown>;
  text: string;
}

export interface WriteSpec<A, T extends Job | CronJob> {
  tool: string;
  action: string | ((args: A) => string);
  kind: Kind;
  /** The "namespace/name" the arguments name. */
  ref(args: A): string;
  /** Parameters taken from the arguments alone (validated here, before any API call): a token is refused if they differ from the confirmed ones. */
  params(args: A): Params;
  /** Checkbox title in the confirmation form. */
  confirmTitle: string;
  /**
   * Fields the claim patch writes with the claim itself, when the write is a patch of the target
   * (spec.suspend): one atomic write, so nothing can come between the claim and the change.
   */
  claimPatch?(args: A): Record<string, unknown>;
  /** Reads nothing: describes what the write would do to the target as it is now. `tokenId` names what it will create. */
  plan(args: A, deps: WriteDeps, target: T, tokenId: string): Promise<Plan>;
  /** The write itself, called once the token is verified and claimed. `target` is the claimed object. */
  perform(args: A, deps: WriteDeps, ctx: { claims: TokenClaims; params: Record<string, string>; target: T }): Promise<Performed>;
}

const OUTCOME_TEXT: Record<Exclude<AskOutcome, 'confirmed'>, string> = {
  declined: 'The human declined. Nothing was changed.',
  cancelled: 'The human dismissed the confirmation. Nothing was changed.',
  'not-confirmed': 'The human did not check "confirm". Nothing was changed.',
  'elicitation-failed': 'Asking the human failed (the client returned an error or did not answer). Nothing was changed.',
  'no-elicitation':
    'This client cannot ask its user for confirmation (it did not declare the MCP elicitation capability), so no confirmation token was issued and nothing was changed. Use a client that supports elicitation, or an operator may start the server with --confirm=token (weaker: the token is then returned with the preview, for bots that run their own approval step).',
};

async function askHuman(host: Host, message: string, title: string): Promise<AskOutcome> {
  if (!host.canElicit()) return 'no-elicitation';
  try {
    const r = await host.elicit(message, {
      properties: { confirm: { type: 'boolean', title, description: 'Check to confirm what is described above.', default: false } },
      required: ['confirm'],
    });
    if (r.action === 'decline') return 'declined';
    if (r.action === 'cancel') return 'cancelled';
    return r.content?.confirm === true ? 'confirmed' : 'not-confirmed';
  } catch {
    return 'elicitation-failed';
  }
}

const read = (deps: WriteDeps, kind: Kind, o: ObjectRef) => (kind === 'Job' ? deps.api.getJob(o.namespace, o.name) : deps.api.getCronJob(o.namespace, o.name));

/** Runs a write tool's call: the first call (no token) previews and asks; the second verifies, claims and performs. */
export async function runWrite<A extends { confirmationToken?: string }, T extends Job | CronJob>(
  spec: WriteSpec<A, T>,
  args: A,
  deps: WriteDeps,
  host: Host,
): Promise<{ structured: { target: string; outcome: string; [k: string]: unknown }; text: string; own?: string[] }> {
  const cluster = await deps.api.cluster();
  const o = (spec.kind === 'Job' ? parseJobRef : parseCronJobRef)(spec.ref(args), cluster.defaultNamespace);
  deps.policy.check(o.namespace);
  const ref = `${o.namespace}/${o.name}`;
  const action = typeof spec.action === 'string' ? spec.action : spec.action(args);
  // Parameters are checked before anything is read or asked.
  const argParams = spec.params(args);
  const audit = (fields: Record<string, unknown>) =>
    deps.log.info({ audit: true, tool: spec.tool, action, kind: spec.kind, target: ref, context: cluster.context, ...fields }, 'audit');
  const changed = (why = '') =>
    new JobsError('conflict', `${spec.kind} ${ref} changed since you confirmed${why}: confirm again (call ${spec.tool} without a token). Nothing was changed.`);

  if (args.confirmationToken) {
    let claims: TokenClaims;
    try {
      claims = deps.tokens.verify(args.confirmationToken, { tool: spec.tool, action, kind: spec.kind, context: cluster.context, namespace: o.namespace, name: o.name });
    } catch (e) {
      audit({ phase: 'execute', outcome: 'token-refused', reason: (e as Error).message });
      throw e;
    }
    const confirmed = decodeParams(claims.params);
    for (const [k, v] of Object.entries(argParams)) {
      if (v !== undefined && confirmed[k] !== String(v)) {
        audit({ phase: 'execute', outcome: 'params-differ', tokenId: claims.id, param: k });
        throw new JobsError('not-confirmed', `This token was confirmed for ${k} "${confirmed[k] ?? '(unset)'}", not "${v}". Nothing was changed. Call ${spec.tool} without a token to confirm that.`);
      }
    }
    let current: T;
    try {
      current = (await read(deps, spec.kind, o)) as T;
    } catch (e) {
      audit({ phase: 'execute', outcome: 'target-unreadable', tokenId: claims.id });
      throw e;
    }
    if (current.metadata.uid !== claims.uid) {
      audit({ phase: 'execute', outcome: 'changed-since-confirmation', tokenId: claims.id });
      throw changed(' (it was replaced: this token was probably used already)');
    }
    if (current.metadata.resourceVersion !== claims.resourceVersion) {
      audit({ phase: 'execute', outcome: 'changed-since-confirmation', tokenId: claims.id });
      throw changed(current.metadata.annotations?.[CONFIRMATION_ID] === claims.id ? ' (this token was already used: a token works once)' : '');
    }
    // The claim: one write that succeeds for exactly one use of this token.
    const patch = { ...spec.claimPatch?.(args), metadata: { resourceVersion: claims.resourceVersion, annotations: { [CONFIRMATION_ID]: claims.id } } };
    let claimed: T;
    try {
      claimed = (await (spec.kind === 'Job' ? deps.api.patchJob(o.namespace, o.name, patch) : deps.api.patchCronJob(o.namespace, o.name, patch))) as T;
    } catch (e) {
      if (e instanceof JobsError && e.kind === 'not-found') {
        audit({ phase: 'claim', outcome: 'gone', tokenId: claims.id });
        throw new JobsError('not-found', `${spec.kind} ${ref} is gone: it was deleted after the human confirmed. Nothing was changed.`);
      }
      if (e instanceof JobsError && e.kind === 'conflict') {
        audit({ phase: 'claim', outcome: 'lost', tokenId: claims.id });
        throw changed(' or the token is being used by another call at the same moment');
      }
      audit({ phase: 'claim', outcome: 'failed', tokenId: claims.id, error: (e as Error).message });
      throw e;
    }
    audit({ phase: 'claim', outcome: 'claimed', tokenId: claims.id });
    let done: Performed;
    try {
      done = await spec.perform(args, deps, { claims, params: confirmed, target: claimed });
    } catch (e) {
      audit({ phase: 'execute', outcome: 'failed', tokenId: claims.id, params: claims.params, error: (e as Error).message });
      // The claim succeeded, so the token is spent: say so, or the agent retries with it.
      const err = e instanceof JobsError ? e : new JobsError('server-error', `Internal error: ${(e as Error)?.message ?? String(e)}`);
      throw new JobsError(err.kind, `${err.message} The confirmation was used by this attempt: call ${spec.tool} without a token to confirm again.`, err.status);
    }
    audit({ phase: 'execute', outcome: done.outcome, tokenId: claims.id, params: claims.params, ...done.structured });
    return { structured: { target: ref, kind: spec.kind, outcome: done.outcome, ...done.structured }, text: done.text };
  }

  const target = (await read(deps, spec.kind, o)) as T;
  // The id is drawn first so the preview can name what the write will create; the token itself is
  // minted once the human has answered, so its lifetime starts then.
  const tokenId = deps.tokens.newId();
  const plan = await spec.plan(args, deps, target, tokenId);
  const params = encodeParams({ ...argParams, ...plan.derived });
  // Each line of the preview is one line, whatever cluster text a plan put into it: the human and
  // the agent must not be shown a line the server did not write.
  const preview = [
    ...plan.question.split('\n').map((l) => oneLine(l, 500)),
    `Cluster: ${oneLine(cluster.server, 200)} (context ${oneLine(cluster.context, 100)})`,
    `Action: ${oneLine(plan.action, 1000)}`,
    ...plan.warnings.map((w) => `Warning: ${oneLine(w, 1000)}`),
  ].join('\n');
  const base = { target: ref, kind: spec.kind, ...plan.derived, ...plan.details, cluster: cluster.server, context: cluster.context, action: plan.action, warnings: plan.warnings, preview };
  const outcome: AskOutcome = deps.config.confirm === 'token' ? 'confirmed' : await askHuman(host, preview, plan.confirmTitle ?? spec.confirmTitle);
  audit({ phase: 'confirm', outcome, params, ...(outcome === 'confirmed' ? { tokenId } : {}), confirmVia: deps.config.confirm });
  if (outcome !== 'confirmed') return { structured: { ...base, outcome }, text: `${OUTCOME_TEXT[outcome]}\n\nPreview:\n${preview}` };

  const { token, claims } = deps.tokens.mint(
    {
      action,
      kind: spec.kind,
      context: cluster.context,
      namespace: o.namespace,
      name: o.name,
      uid: target.metadata.uid as string,
      resourceVersion: target.metadata.resourceVersion as string,
      params,
    },
    tokenId,
  );
  const expiresAt = new Date(claims.exp).toISOString();
  const how =
    deps.config.confirm === 'token' ? 'Issued without asking the human (server runs with --confirm=token): get approval before using it.' : 'The human confirmed.';
  // With several contexts the call must name this one again, or it would act on the default.
  const again = JSON.stringify({ ...args, ...(deps.clusters?.multi ? { context: cluster.context } : {}), confirmationToken: token });
  return {
    structured: { ...base, outcome, confirmationToken: token, expiresAt },
    text: `${how} To go ahead, call ${spec.tool} again with ${again} before ${expiresAt}. The token works once.\n\nPreview:\n${preview}`,
    own: [token],
  };
}
