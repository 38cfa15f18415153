// What a rerun sends: the old Job's spec without what the API server generated
// for the old run (JOBS-REFERENCE.md, "Rerun semantics"). Posting a Job with the
// old controller-uid selector or labels fails validation ("`selector` not
// auto-generated"), and identity fields belong to the old object.
import { CONFIRMATION_ID } from './annotations.js';
import type { Job } from './types.js';

/** The label the API server puts on a Job's pods (≥ 1.27), and its selector's key. */
export const JOB_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const GENERATED_LABELS = [JOB_CONTROLLER_UID, 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name'];
// The claim of a confirmation token belongs to the old object, not to its copy.
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'revisions', CONFIRMATION_ID];

const withoutKeys = (m: Record<string, string> | undefined, keys: string[]) => {
  const out = Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !keys.includes(k)));
  return Object.keys(out).length ? out : undefined;
};

/**
 * A new Job body from an old Job: same spec and template, a new name, no uid,
 * resourceVersion, status, managedFields or owner, no generated selector or labels.
 */
export function rerunBody(job: Job, name: string, annotations: Record<string, string> = {}, opts: { keepAnnotations?: string[] } = {}): Job {
  const src = structuredClone(job);
  const labels = withoutKeys(src.metadata.labels, GENERATED_LABELS);
  const kept = withoutKeys(src.metadata.annotations, DROPPED_ANNOTATIONS.filter((a) => !opts.keepAnnotations?.includes(a)));
  const merged = { ...(kept ?? {}), ...annotations };
  const spec = src.spec;
  if (!spec.manualSelector) delete spec.selector;
  const tm = spec.template.metadata;
  if (tm) {
    const tl = withoutKeys(tm.labels, GENERATED_LABELS);
    if (tl) tm.labels = tl;
    else delete tm.labels;
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: src.metadata.namespace,
      ...(labels ? { labels } : {}),
      ...(Object.keys(merged).length ? { annotations: merged } : {}),
    },
    spec,
  };
}

/** `<name>-rerun-<suffix>`, cut so the result is a valid name of at most 63 characters. */
export function rerunName(name: string, suffix: string): string {
  const tail = `-rerun-${suffix}`;
  const head = name.slice(0, 63 - tail.length).replace(/[-.]+$/, '');
  return `${head}${tail}`;
}
