// Seeds a demo cluster's store with many Jobs in one namespace ("bulk" unless given), shaped like the API server's.
import { randomUUID } from 'node:crypto';
import { defaultJob } from '../dist/demo/objects.js';

export function seedBulk(store, n, ns = 'bulk') {
  store.put('namespaces', { metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, status: { phase: 'Active' } });
  for (let i = 0; i < n; i++) {
    const t = store.iso(-86400 + i);
    const failed = i % 50 === 0;
    const job = defaultJob(
      {
        metadata: { name: `bulk-${String(i).padStart(5, '0')}`, namespace: ns, creationTimestamp: t, labels: { app: 'bulk', shard: String(i % 16) } },
        spec: { backoffLimit: 0, template: { metadata: { labels: { app: 'bulk' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36', args: ['sh', '-c', `echo ${i}`] }] } } },
      },
      randomUUID(),
    );
    const cond = (type, reason, message) => ({ type, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason, message });
    job.status = failed
      ? { startTime: t, failed: 1, terminating: 0, ready: 0, uncountedTerminatedPods: {}, conditions: [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] }
      : { startTime: t, completionTime: t, succeeded: 1, terminating: 0, ready: 0, uncountedTerminatedPods: {}, conditions: [cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods')] };
    store.put('jobs', job);
  }
}
