// The Job `kubectl create job <name> --from=cronjob/<cronjob>` posts (kubectl 1.32, recorded in
// shared/fixtures post-job-from-cronjob-201-*): the jobTemplate's spec, labels and annotations, the
// annotation cronjob.kubernetes.io/instantiate: manual, and a controller ownerReference without
// blockOwnerDeletion.
import type { CronJob, Job } from './types.js';

export const MANUAL_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

export function jobFromCronJob(cj: CronJob, name: string, extraAnnotations: Record<string, string> = {}): Job {
  const t = structuredClone(cj.spec.jobTemplate);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
      annotations: { [MANUAL_ANNOTATION]: 'manual', ...(t.metadata?.annotations ?? {}), ...extraAnnotations },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid as string, controller: true }],
    },
    spec: t.spec,
  };
}

/** `<cronjob>-manual-<suffix>`, cut to a valid Job name of at most 63 characters. */
export function manualName(cronJob: string, suffix: string): string {
  const tail = `-manual-${suffix}`;
  return `${cronJob.slice(0, 63 - tail.length).replace(/[-.]+$/, '')}${tail}`;
}
