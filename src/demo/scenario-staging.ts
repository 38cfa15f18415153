// The second demo cluster ("staging"): one namespace, web, with a finished Job,
// a failed one and an hourly CronJob whose last run succeeded.
import { randomUUID } from 'node:crypto';
import { formatInZone } from '../jobs/schedule.js';
import { scheduledJobName } from './cronjob-controller.js';
import { defaultCronJob, managed, recordEvent } from './objects.js';
import { hourlySlots } from './scenario-cronjobs.js';
import { cond, seedKit, terminated } from './seed-kit.js';
import type { Store } from './store.js';

export function seedStaging(store: Store): void {
  const { at, makeJob, pod, jobEvent, started } = seedKit(store);
  for (const ns of ['default', 'kube-system', 'web']) {
    store.put('namespaces', { metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, creationTimestamp: at(-12 * 86400) }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  const done = (t: string) => [cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', t), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', t)];

  // web/build-assets: completed.
  {
    const job = makeJob(
      { ns: 'web', name: 'build-assets', created: -2400, labels: { app: 'web' }, containers: [{ name: 'build', image: 'node:22-alpine', command: ['npm', 'run', 'build'] }] },
      { startTime: at(-2400), completionTime: at(-2305), succeeded: 1, conditions: done(at(-2305)) },
    );
    const p = pod(job, { phase: 'Succeeded', created: at(-2400), states: [{ state: terminated(0, 'Completed', at(-2399), at(-2306)) }] }, {
      build: { current: [[-2399, '> web@4.2.0 build'], [-2330, 'vite v6.0.7 building for production...'], [-2306, '✓ built in 92.81s']] },
    });
    jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(-2400) });
    started(p, 'build', 'node:22-alpine', -2400);
    jobEvent(job, { reason: 'Completed', message: 'Job completed', first: at(-2305) });
  }

  // web/send-newsletter: the SMTP login is refused; 3 attempts, BackoffLimitExceeded.
  {
    const job = makeJob(
      { ns: 'web', name: 'send-newsletter', created: -900, labels: { app: 'newsletter' }, spec: { backoffLimit: 2 }, containers: [{ name: 'send', image: 'ghcr.io/acme/newsletter:1.1.0', env: [{ name: 'SMTP_HOST', value: 'smtp.example.com' }] }] },
      { startTime: at(-900), failed: 3, conditions: [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-820)), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-820))] },
    );
    for (const t of [-900, -880, -840]) {
      const p = pod(job, { phase: 'Failed', created: at(t), states: [{ state: terminated(1, 'Error', at(t + 1), at(t + 4)) }] }, {
        send: { current: [[t + 1, 'newsletter 1.1.0: 4,812 recipients'], [t + 3, 'smtp.example.com:587: 535 5.7.8 Authentication credentials invalid'], [t + 4, 'giving up (exit 1)']] },
      });
      jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(t) });
      started(p, 'send', 'ghcr.io/acme/newsletter:1.1.0', t);
    }
    jobEvent(job, { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', first: at(-820) });
  }

  // web/sitemap: hourly; its last run (about 30 minutes ago) succeeded.
  {
    const uid = randomUUID();
    const now = Math.floor(store.now() / 1000) * 1000;
    const { minute, slot } = hourlySlots(now);
    const t = Math.round((slot(0) - now) / 1000);
    const name = scheduledJobName('sitemap', new Date(slot(0)));
    const template = { metadata: { labels: { app: 'sitemap' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'sitemap', image: 'ghcr.io/acme/sitemap:0.3.0' }] } };
    const job = makeJob(
      {
        ns: 'web',
        name,
        created: t,
        labels: { app: 'sitemap' },
        annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': formatInZone(new Date(slot(0))) },
        cronJob: { name: 'sitemap', uid },
        spec: { backoffLimit: 1 },
        containers: structuredClone(template.spec.containers),
        manager: 'kube-controller-manager',
      },
      { startTime: at(t), completionTime: at(t + 21), succeeded: 1, conditions: done(at(t + 21)) },
    );
    const p = pod(job, { phase: 'Succeeded', created: at(t), states: [{ state: terminated(0, 'Completed', at(t + 1), at(t + 20)) }] }, { sitemap: { current: [[t + 1, 'sitemap 0.3.0: crawling https://staging.example.com'], [t + 20, 'wrote sitemap.xml (1,204 URLs)']] } });
    jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(t) });
    started(p, 'sitemap', 'ghcr.io/acme/sitemap:0.3.0', t);
    jobEvent(job, { reason: 'Completed', message: 'Job completed', first: at(t + 21) });
    const created = at(-12 * 86400);
    const cj = defaultCronJob(
      {
        metadata: { name: 'sitemap', namespace: 'web', creationTimestamp: created, labels: { app: 'sitemap' }, managedFields: [managed('kubectl-create', 'batch/v1', created, { 'f:spec': { 'f:jobTemplate': {}, 'f:schedule': {} } })] },
        spec: { schedule: `${minute} * * * *`, jobTemplate: { metadata: { labels: { app: 'sitemap' } }, spec: { backoffLimit: 1, template } } },
      },
      uid,
    );
    cj.status = { lastScheduleTime: at(t), lastSuccessfulTime: at(t + 21) };
    const stored = store.put('cronjobs', cj);
    recordEvent(store, stored, 'CronJob', { reason: 'SuccessfulCreate', message: `Created job ${name}`, first: at(t) });
    recordEvent(store, stored, 'CronJob', { reason: 'SawCompletedJob', message: `Saw completed job: ${name}, condition: Complete`, first: at(t + 22) });
  }
}
