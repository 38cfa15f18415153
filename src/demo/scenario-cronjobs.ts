// Seeded CronJobs, one per way they commonly go wrong, with the Jobs, pods and
// events the 1.32 CronJob controller leaves behind. Their hourly minute is
// chosen 30 minutes away from start-up, so the last run was about 30 minutes
// ago and the next is about 30 minutes ahead: a test run never sees the
// controller start a seeded schedule. Events older than an hour are gone, as
// with the API server's default --event-ttl, unless they kept repeating.
import { randomUUID } from 'node:crypto';
import { formatInZone } from '../jobs/schedule.js';
import type { Container, CronJob, Job } from '../kube/types.js';
import { scheduledJobName } from './cronjob-controller.js';
import { defaultCronJob, type EventSpec, managed, recordEvent } from './objects.js';
import { cond, type seedKit, terminated } from './seed-kit.js';
import type { Store } from './store.js';

type Kit = ReturnType<typeof seedKit>;
const HOUR = 3_600_000;
const complete = (at: string) => [cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', at), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at)];
const backoff = (at: string) => [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at)];

/** Hourly slots at a minute 30 minutes from now: slot(0) is the last run (~30 min ago), slot(k) k hours before. */
export function hourlySlots(nowMs: number): { minute: number; slot: (k: number) => number } {
  const now = Math.floor(nowMs / 1000) * 1000;
  const minute = (new Date(now).getUTCMinutes() + 30) % 60;
  const d = new Date(now);
  d.setUTCMinutes(minute, 0, 0);
  if (d.getTime() > now) d.setTime(d.getTime() - HOUR);
  const last = d.getTime();
  return { minute, slot: (k) => last - k * HOUR };
}

interface CronSeed {
  ns: string;
  name: string;
  createdDaysAgo: number;
  labels: Record<string, string>;
  spec: CronJob['spec'];
  manager: string;
}

export function seedCronJobs(store: Store, kit: Kit): void {
  const { at, makeJob, pod, jobEvent, podEvent, started } = kit;
  const now = Math.floor(store.now() / 1000) * 1000;
  const { minute, slot } = hourlySlots(now);
  const rel = (ms: number) => Math.round((ms - now) / 1000);

  /** Stores a CronJob as the API server defaults it, then its status as the controller wrote it. */
  const cronJob = (c: CronSeed, uid: string, status: CronJob['status']): CronJob => {
    const created = at(-c.createdDaysAgo * 86400);
    const cj = defaultCronJob(
      {
        metadata: { name: c.name, namespace: c.ns, creationTimestamp: created, labels: c.labels, managedFields: [managed(c.manager, 'batch/v1', created, { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:jobTemplate': {}, 'f:schedule': {} } })] },
        spec: structuredClone(c.spec) as CronJob['spec'],
      },
      uid,
    );
    cj.status = Object.fromEntries(Object.entries(status ?? {}).filter(([, v]) => v !== undefined));
    if (Object.keys(cj.status).length) (cj.metadata.managedFields as unknown[]).push(managed('kube-controller-manager', 'batch/v1', at(0), { 'f:status': Object.fromEntries(Object.keys(cj.status).map((k) => [`f:${k}`, {}])) }, 'status'));
    return store.put('cronjobs', cj);
  };
  const cronEvent = (cj: CronJob, e: EventSpec) => recordEvent(store, cj, 'CronJob', e);
  /** A Job as the controller makes it for the scheduled time t (ms). */
  const scheduledJob = (c: CronSeed, uid: string, t: number, status: Job['status']): Job => {
    const jt = c.spec.jobTemplate;
    return makeJob(
      {
        ns: c.ns,
        name: scheduledJobName(c.name, new Date(t)),
        created: rel(t),
        labels: jt.metadata?.labels,
        annotations: Object.fromEntries(
          Object.entries({ ...(jt.metadata?.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': formatInZone(new Date(t), c.spec.timeZone) }).sort(([a], [b]) => (a < b ? -1 : 1)),
        ),
        cronJob: { name: c.name, uid },
        spec: { backoffLimit: jt.spec.backoffLimit, ...(jt.spec.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: jt.spec.ttlSecondsAfterFinished } : {}) },
        templateLabels: jt.spec.template.metadata?.labels,
        templateAnnotations: jt.spec.template.metadata?.annotations,
        containers: structuredClone(jt.spec.template.spec.containers),
        restartPolicy: jt.spec.template.spec.restartPolicy as 'Never' | 'OnFailure',
        manager: 'kube-controller-manager',
      },
      status,
    );
  };
  const ref = (j: Job) => ({ kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion });
  /** A run that succeeded: one pod, done after `took` seconds. */
  const succeededRun = (c: CronSeed, uid: string, t: number, took: number, log: (name: string) => [number, string][]): Job => {
    const s = rel(t);
    const job = scheduledJob(c, uid, t, { startTime: at(s), completionTime: at(s + took + 1), succeeded: 1, conditions: complete(at(s + took + 1)) });
    const container = c.spec.jobTemplate.spec.template.spec.containers[0] as Container;
    const p = pod(job, { phase: 'Succeeded', created: at(s), states: [{ state: terminated(0, 'Completed', at(s + 1), at(s + took)) }] }, { [container.name]: { current: log(job.metadata.name).map(([o, text]) => [s + o, text]) } });
    jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(s) });
    started(p, container.name, container.image as string, s);
    jobEvent(job, { reason: 'Completed', message: 'Job completed', first: at(s + took + 1) });
    return job;
  };

  // batch/sales-rollup: hourly in Europe/Berlin; its last run failed twice on a lock timeout
  // (backoffLimit 1). History: 3 successful and 1 failed Job; the failed run before it was pruned.
  {
    const uid = randomUUID();
    const c: CronSeed = {
      ns: 'batch',
      name: 'sales-rollup',
      createdDaysAgo: 21,
      labels: { app: 'sales-rollup' },
      manager: 'helm',
      spec: {
        schedule: `${minute} * * * *`,
        timeZone: 'Europe/Berlin',
        concurrencyPolicy: 'Allow',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: { labels: { app: 'sales-rollup', team: 'finance' }, annotations: { 'example.com/owner': 'finance-data' } },
          spec: {
            backoffLimit: 1,
            template: {
              metadata: { labels: { app: 'sales-rollup' } },
              spec: { restartPolicy: 'Never', containers: [{ name: 'rollup', image: 'ghcr.io/acme/sales-rollup:3.2.0', args: ['--window=1h', '--target=warehouse'] }] },
            },
          },
        },
      },
    };
    const ok = [3, 2, 1].map((k) =>
      succeededRun(c, uid, slot(k), 38 + k, () => [
        [1, 'sales-rollup 3.2.0: rolling up the last hour (Europe/Berlin)'],
        [20, 'read 184,220 order lines'],
        [38, 'upserted 1,312 rows into warehouse.sales_hourly'],
      ]),
    );
    const t = rel(slot(0));
    const failedJob = scheduledJob(c, uid, slot(0), { startTime: at(t), failed: 2, conditions: backoff(at(t + 27)) });
    const failLog = (s: number): [number, string][] => [
      [s + 1, 'sales-rollup 3.2.0: rolling up the last hour (Europe/Berlin)'],
      [s + 2, 'read 191,004 order lines'],
      [s + 11, 'ERROR: canceling statement due to lock timeout'],
      [s + 11, 'DETAIL: could not obtain lock on relation "warehouse.sales_hourly" (held by pid 48213: VACUUM FULL)'],
      [s + 12, 'rollup failed: exit 1'],
    ];
    for (const s of [t, t + 14]) {
      const p = pod(failedJob, { phase: 'Failed', created: at(s), states: [{ state: terminated(1, 'Error', at(s + 1), at(s + 12)) }] }, { rollup: { current: failLog(s) } });
      jobEvent(failedJob, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(s) });
      started(p, 'rollup', 'ghcr.io/acme/sales-rollup:3.2.0', s);
    }
    jobEvent(failedJob, { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', first: at(t + 27) });
    const last = ok[ok.length - 1] as Job;
    const cj = cronJob(c, uid, { lastScheduleTime: at(t), lastSuccessfulTime: last.status?.completionTime });
    cronEvent(cj, { reason: 'SuccessfulCreate', message: `Created job ${failedJob.metadata.name}`, first: at(t) });
    cronEvent(cj, { reason: 'SuccessfulDelete', message: `Deleted job ${scheduledJobName(c.name, new Date(slot(5)))}`, first: at(t + 27) });
    cronEvent(cj, { reason: 'SawCompletedJob', message: `Saw completed job: ${failedJob.metadata.name}, condition: Failed`, first: at(t + 27) });
  }

  // ops/sync-billing: Forbid; its Job has run for 3.5 h because the injected istio-proxy sidecar
  // never exits after the main container did (exit 0). Every run since is skipped: JobAlreadyActive.
  {
    const uid = randomUUID();
    const c: CronSeed = {
      ns: 'ops',
      name: 'sync-billing',
      createdDaysAgo: 9,
      labels: { app: 'sync-billing' },
      manager: 'argocd-controller',
      spec: {
        schedule: `${minute} * * * *`,
        timeZone: 'America/New_York',
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          metadata: { labels: { app: 'sync-billing' } },
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: { app: 'sync-billing' }, annotations: { 'sidecar.istio.io/inject': 'true' } },
              spec: { restartPolicy: 'Never', containers: [{ name: 'sync', image: 'ghcr.io/acme/billing-sync:1.4.2', args: ['--since=1h'] }] },
            },
          },
        },
      },
    };
    const history = [5, 4].map((k) =>
      succeededRun(c, uid, slot(k), 250 + k, () => [
        [1, 'billing-sync 1.4.2: exporting invoices changed in the last hour'],
        [200, 'exported 1,204 invoices to ledger'],
        [250, 'done; exiting 0'],
      ]),
    );
    const t = rel(slot(3));
    const job = scheduledJob(c, uid, slot(3), { startTime: at(t), active: 1, ready: 0 });
    const proxy: Container = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2', args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local'] };
    const init: Container = { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.24.2', args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337'] };
    // The pod has what the istio webhook injected; the Job's template has only the main container.
    const injected = structuredClone(job);
    injected.spec.template.spec.containers.push(proxy);
    const p = pod(
      injected,
      {
        phase: 'Running',
        created: at(t),
        states: [{ state: terminated(0, 'Completed', at(t + 3), at(t + 255)) }, { state: { running: { startedAt: at(t + 3) } }, ready: true }],
      },
      {
        sync: {
          current: [
            [t + 3, 'billing-sync 1.4.2: exporting invoices changed in the last hour'],
            [t + 200, 'exported 1,187 invoices to ledger'],
            [t + 255, 'done; exiting 0'],
          ],
        },
        'istio-proxy': {
          current: [
            [t + 3, 'info	Envoy proxy is ready'],
            [t + 120, '[access] "POST /v1/ledger/invoices HTTP/1.1" 200 - via_upstream - "-" 48211 187 ledger.ops.svc.cluster.local:8443'],
            [t + 254, '[access] "POST /v1/ledger/invoices HTTP/1.1" 200 - via_upstream - "-" 51877 201 ledger.ops.svc.cluster.local:8443'],
            [-60, 'info	xdsproxy	connected to delta upstream XDS server: istiod.istio-system.svc:15012'],
          ],
        },
      },
    );
    p.metadata.annotations = { ...(p.metadata.annotations ?? {}), 'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"]}' };
    p.metadata.labels = { ...(p.metadata.labels ?? {}), 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': 'sync-billing' };
    p.spec.initContainers = [{ ...init, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }];
    (p.status as Record<string, unknown>).initContainerStatuses = [
      { name: 'istio-init', state: terminated(0, 'Completed', at(t + 1), at(t + 2)), lastState: {}, ready: true, restartCount: 0, image: 'docker.io/istio/proxyv2:1.24.2', imageID: 'docker.io/istio/proxyv2@sha256:2f2d3fd0b3a4d1e6ef6d2ab7f87e1cb6e8b4b2a2b5e0f8c6c54a7d2f3d5c2b1a', started: false },
    ];
    store.put('pods', p);
    jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(t) });
    podEvent(p, { reason: 'Scheduled', message: `Successfully assigned ops/${p.metadata.name} to demo-node-1`, first: at(t) });
    for (const [fieldPath, container, image, first] of [
      ['spec.initContainers{istio-init}', 'istio-init', 'docker.io/istio/proxyv2:1.24.2', t + 1],
      ['spec.containers{sync}', 'sync', 'ghcr.io/acme/billing-sync:1.4.2', t + 2],
      ['spec.containers{istio-proxy}', 'istio-proxy', 'docker.io/istio/proxyv2:1.24.2', t + 2],
    ] as const) {
      podEvent(p, { reason: 'Pulled', message: `Container image "${image}" already present on machine`, first: at(first), fieldPath });
      podEvent(p, { reason: 'Created', message: `Created container: ${container}`, first: at(first), fieldPath });
      podEvent(p, { reason: 'Started', message: `Started container ${container}`, first: at(first + 1), fieldPath });
    }
    const cj = cronJob(c, uid, { active: [ref(job)], lastScheduleTime: at(t), lastSuccessfulTime: history[history.length - 1]?.status?.completionTime });
    cronEvent(cj, { reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid', first: at(rel(slot(2))), last: at(rel(slot(0))), count: 3 });
  }

  // ops/rotate-certs: Forbid, and its Job has hung for 5 days waiting on a lock (no activeDeadlineSeconds).
  // Past 100 missed runs the controller warns TooManyMissedTimes at every run and still starts none.
  {
    const uid = randomUUID();
    const c: CronSeed = {
      ns: 'ops',
      name: 'rotate-certs',
      createdDaysAgo: 60,
      labels: { app: 'rotate-certs' },
      manager: 'kubectl-client-side-apply',
      spec: {
        schedule: `${minute} * * * *`,
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          metadata: { labels: { app: 'rotate-certs' } },
          spec: {
            backoffLimit: 0,
            template: {
              metadata: { labels: { app: 'rotate-certs' } },
              spec: { restartPolicy: 'Never', containers: [{ name: 'rotate', image: 'ghcr.io/acme/cert-rotator:0.7.1', args: ['--vault-addr=https://vault.ops.svc:8200', '--renew-before=720h'] }] },
            },
          },
        },
      },
    };
    const t = rel(slot(121));
    const job = scheduledJob(c, uid, slot(121), { startTime: at(t), active: 1, ready: 1 });
    const p = pod(job, { phase: 'Running', created: at(t), states: [{ state: { running: { startedAt: at(t + 2) } }, ready: true }] }, {
      rotate: {
        current: [
          [t + 2, 'cert-rotator 0.7.1: 14 certificates expire within 720h'],
          [t + 3, 'renewed ingress-wildcard (expires in 89d)'],
          [t + 4, 'acquiring vault lease lock pki/rotate (held by rotate-certs-manual-8xk2p)...'],
        ],
      },
    });
    jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(t) });
    started(p, 'rotate', 'ghcr.io/acme/cert-rotator:0.7.1', t);
    const cj = cronJob(c, uid, { active: [ref(job)], lastScheduleTime: at(t) });
    cronEvent(cj, { reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid', first: at(rel(slot(120))), last: at(rel(slot(0))), count: 120 });
    cronEvent(cj, { reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', type: 'Warning', first: at(rel(slot(20))), last: at(rel(slot(0))), count: 21 });
  }

  // demo/digest-email: startingDeadlineSeconds 10 is shorter than the controller's lag during a
  // controller-manager restart, so the last run never started. Kubernetes 1.32 records no event for
  // it (MissSchedule cannot fire, kubernetes#101148): lastScheduleTime is simply one run behind.
  {
    const uid = randomUUID();
    const c: CronSeed = {
      ns: 'demo',
      name: 'digest-email',
      createdDaysAgo: 14,
      labels: { app: 'digest-email' },
      manager: 'kubectl-create',
      spec: {
        schedule: `${minute} * * * *`,
        startingDeadlineSeconds: 10,
        concurrencyPolicy: 'Allow',
        jobTemplate: {
          metadata: { labels: { app: 'digest-email' } },
          spec: {
            backoffLimit: 2,
            template: { metadata: { labels: { app: 'digest-email' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'digest', image: 'ghcr.io/acme/digest:2.0.3' }] } },
          },
        },
      },
    };
    const runs = [2, 1].map((k) =>
      succeededRun(c, uid, slot(k), 14, () => [
        [1, 'digest 2.0.3: collecting notifications of the last hour'],
        [14, 'sent 312 digest emails'],
      ]),
    );
    cronJob(c, uid, { lastScheduleTime: at(rel(slot(1))), lastSuccessfulTime: runs[runs.length - 1]?.status?.completionTime });
  }

  // demo/cache-warmup: its jobTemplate sets ttlSecondsAfterFinished 600, so its finished Jobs and
  // their pods (and logs) are gone; only the CronJob's status and events tell about the last run.
  {
    const uid = randomUUID();
    const c: CronSeed = {
      ns: 'demo',
      name: 'cache-warmup',
      createdDaysAgo: 3,
      labels: { app: 'cache-warmup' },
      manager: 'kubectl-create',
      spec: {
        schedule: `${minute} * * * *`,
        jobTemplate: {
          metadata: { labels: { app: 'cache-warmup' } },
          spec: {
            backoffLimit: 3,
            ttlSecondsAfterFinished: 600,
            template: { metadata: { labels: { app: 'cache-warmup' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'warmup', image: 'curlimages/curl:8.11.1', args: ['-fsS', 'http://web.demo.svc.cluster.local/internal/warmup'] }] } },
          },
        },
      },
    };
    const t = rel(slot(0));
    const name = scheduledJobName(c.name, new Date(slot(0)));
    const cj = cronJob(c, uid, { lastScheduleTime: at(t), lastSuccessfulTime: at(t + 9) });
    cronEvent(cj, { reason: 'SuccessfulCreate', message: `Created job ${name}`, first: at(t) });
    cronEvent(cj, { reason: 'SawCompletedJob', message: `Saw completed job: ${name}, condition: Complete`, first: at(t + 9) });
  }
}

