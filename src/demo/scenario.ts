// The demo cluster's seeded state: one Job for each way Jobs commonly end or get
// stuck, with the pods, container statuses, logs and events the Job controller,
// scheduler and kubelet leave behind, and CronJobs (scenario-cronjobs.ts).
// Times are relative to start-up.
import { randomUUID } from 'node:crypto';
import type { Pod } from '../kube/types.js';
import { defaultCronJob, managed, recordEvent } from './objects.js';
import { seedCronJobs } from './scenario-cronjobs.js';
import { cond, seedKit, sfx, terminated } from './seed-kit.js';
import type { Store } from './store.js';

const DEMO_NAMESPACES = ['default', 'kube-system', 'demo', 'batch', 'ops', 'exports'];

export function seedDemo(store: Store, opts: { noiseEvents?: number } = {}): void {
  const kit = seedKit(store);
  const { at, makeJob, pod, jobEvent, podEvent, started } = kit;

  for (const ns of DEMO_NAMESPACES) {
    store.put('namespaces', {
      metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, creationTimestamp: at(-40 * 86400) },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  // demo/hello: completed (3 completions, 2 in parallel).
  {
    const job = makeJob(
      { ns: 'demo', name: 'hello', created: -7200, labels: { app: 'hello' }, spec: { parallelism: 2, completions: 3 }, containers: [{ name: 'hello', image: 'busybox:1.36', command: ['sh', '-c', 'echo Hello from $HOSTNAME!; sleep 30; echo Bye.'] }] },
      { startTime: at(-7200), completionTime: at(-7109), succeeded: 3, conditions: [cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', at(-7109)), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at(-7109))] },
    );
    for (const [i, t] of [-7200, -7200, -7165].entries()) {
      const name = ['hello-pkvwt', 'hello-q4mxn', 'hello-9xfhs'][i] as string;
      const p = pod(job, { name, phase: 'Succeeded', created: at(t), states: [{ state: terminated(0, 'Completed', at(t + 1), at(t + 56)) }] }, {
        hello: { current: [[t + 1, `Hello from ${name}!`], [t + 30, 'Computing greeting... done'], [t + 56, 'Bye.']] },
      });
      jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${name}`, first: at(t) });
      started(p, 'hello', 'busybox:1.36', t);
    }
    jobEvent(job, { reason: 'Completed', message: 'Job completed', first: at(-7109) });
  }

  // demo/data-sync: running, one ready pod.
  {
    const job = makeJob(
      { ns: 'demo', name: 'data-sync', created: -190, labels: { app: 'data-sync' }, containers: [{ name: 'sync', image: 'ghcr.io/acme/data-sync:2.4.0', args: ['--source=crm', '--target=warehouse'] }] },
      { startTime: at(-190), active: 1, ready: 1 },
    );
    const p = pod(job, { name: 'data-sync-7kq2d', phase: 'Running', created: at(-190), states: [{ state: { running: { startedAt: at(-188) } }, ready: true }] }, {
      sync: { current: [[-188, 'sync 2.4.0: crm -> warehouse'], [-150, 'synced 120000/480000 records'], [-90, 'synced 240000/480000 records'], [-30, 'synced 360000/480000 records']] },
    });
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: data-sync-7kq2d', first: at(-190) });
    started(p, 'sync', 'ghcr.io/acme/data-sync:2.4.0', -190);
  }

  // batch/report-oom: every attempt OOMKilled (exit 137), BackoffLimitExceeded.
  {
    const job = makeJob(
      {
        ns: 'batch',
        name: 'report-oom',
        created: -1800,
        labels: { app: 'report' },
        spec: { parallelism: 1, completions: 1, backoffLimit: 2 },
        containers: [
          {
            name: 'report',
            image: 'python:3.12-slim',
            command: ['python', '/app/report.py', '--quarter', '2024Q4'],
            env: [
              { name: 'AWS_REGION', value: 'eu-west-1' },
              { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAZ3MDEMO7EXAMPLE1' },
              { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY123' },
            ],
            resources: { limits: { memory: '2Gi' }, requests: { cpu: '500m', memory: '1Gi' } },
          },
        ],
      },
      { startTime: at(-1800), failed: 3, conditions: [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-1703)), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-1703))] },
    );
    for (const [i, t] of [-1800, -1765, -1709].entries()) {
      const name = ['report-oom-r5p4r', 'report-oom-frgsh', 'report-oom-4p2lq'][i] as string;
      const p = pod(job, { name, phase: 'Failed', created: at(t), states: [{ state: terminated(137, 'OOMKilled', at(t + 1), at(t + 4)) }] }, {
        report: {
          current: [
            [t + 1, 'INFO  report-generator 2.3.1 starting (quarter=2024Q4, format=xlsx)'],
            [t + 1, 'INFO  using credentials AKIAZ3MDEMO7EXAMPLE1 from the environment'],
            [t + 1, 'INFO  reading s3://acme-warehouse/sales/2024Q4/*.parquet (212 files, 1.8 GiB on disk)'],
            [t + 2, 'INFO  loaded 48,213,377 rows in 6.2s'],
            [t + 2, 'INFO  building pivot table region x sku x day'],
            [t + 3, 'WARN  memory usage 1.71 GiB of 2.00 GiB limit'],
            [t + 3, `INFO  allocating 3.2 GiB buffer for pivot matrix (48213377 x 9 float64) in pod ${name}`],
          ],
        },
      });
      jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${name}`, first: at(t) });
      started(p, 'report', 'python:3.12-slim', t);
    }
    jobEvent(job, { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', first: at(-1703) });
  }

  // batch/etl-imagepull: the image tag does not exist; the pod waits in ImagePullBackOff.
  {
    const image = 'registry.example.com/etl:v9.9';
    const job = makeJob(
      { ns: 'batch', name: 'etl-imagepull', created: -600, labels: { app: 'etl' }, spec: { backoffLimit: 4 }, containers: [{ name: 'etl', image }] },
      { startTime: at(-600), active: 1 },
    );
    const pull = `failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
    const p = pod(job, {
      name: 'etl-imagepull-bncrl',
      phase: 'Pending',
      created: at(-600),
      states: [{ state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: rpc error: code = NotFound desc = ${pull}` } } }],
    });
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: etl-imagepull-bncrl', first: at(-600) });
    const fieldPath = 'spec.containers{etl}';
    podEvent(p, { reason: 'Scheduled', message: 'Successfully assigned batch/etl-imagepull-bncrl to demo-node-1', first: at(-600) });
    podEvent(p, { reason: 'Pulling', message: `Pulling image "${image}"`, first: at(-600), last: at(-95), count: 7, fieldPath });
    podEvent(p, { reason: 'Failed', message: `Failed to pull image "${image}": rpc error: code = NotFound desc = ${pull}`, type: 'Warning', first: at(-600), last: at(-95), count: 7, fieldPath });
    podEvent(p, { reason: 'Failed', message: 'Error: ErrImagePull', type: 'Warning', first: at(-600), last: at(-95), count: 7, fieldPath });
    podEvent(p, { reason: 'BackOff', message: `Back-off pulling image "${image}"`, first: at(-599), last: at(-12), count: 26, fieldPath });
    podEvent(p, { reason: 'Failed', message: 'Error: ImagePullBackOff', type: 'Warning', first: at(-599), last: at(-12), count: 26, fieldPath });
  }

  // ops/migrate-db: run by the CronJob nightly-migrate; the migration exits 1 twice.
  {
    const cronUid = randomUUID();
    const template = {
      metadata: { labels: { app: 'migrate-db' } },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'migrate',
            image: 'ghcr.io/acme/migrate:1.8.2',
            args: ['--dir=/migrations'],
            env: [
              { name: 'PGHOST', value: 'db.ops.svc.cluster.local' },
              { name: 'PGUSER', value: 'app' },
              { name: 'PGDATABASE', value: 'app' },
              { name: 'PGPASSWORD', value: 'hunter2-Migr4te!' },
              { name: 'SLACK_WEBHOOK_TOKEN', valueFrom: { secretKeyRef: { name: 'slack', key: 'token' } } },
            ],
          },
        ],
      },
    };
    // Suspended and never scheduled: status stays {} (the recorded cronjob-ops__nightly-migrate.json).
    store.put(
      'cronjobs',
      defaultCronJob(
        {
          metadata: {
            name: 'nightly-migrate',
            namespace: 'ops',
            creationTimestamp: at(-30 * 86400),
            labels: { app: 'migrate-db' },
            managedFields: [managed('kubectl-create', 'batch/v1', at(-30 * 86400), { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:concurrencyPolicy': {}, 'f:jobTemplate': {}, 'f:schedule': {}, 'f:suspend': {} } })],
          },
          spec: {
            schedule: '0 2 * * *',
            concurrencyPolicy: 'Forbid',
            suspend: true,
            jobTemplate: { metadata: { labels: { app: 'migrate-db' } }, spec: { backoffLimit: 1, template: structuredClone(template) } },
          },
        },
        cronUid,
      ),
    );
    const job = makeJob(
      // Started by hand from the CronJob (kubectl create job --from=cronjob/nightly-migrate migrate-db).
      { ns: 'ops', name: 'migrate-db', created: -3000, labels: { app: 'migrate-db' }, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, cronJob: { name: 'nightly-migrate', uid: cronUid, manual: true }, spec: { backoffLimit: 1 }, containers: template.spec.containers },
      { startTime: at(-3000), failed: 2, conditions: [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-2958)), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-2957))] },
    );
    const log = (t: number): [number, string][] => [
      [t, 'Running migrations against postgres://app:hunter2-Migr4te!@db.ops.svc.cluster.local:5432/app'],
      [t, 'Applying 20240101000000_init.sql ... ok'],
      [t + 1, 'Applying 20240215093000_add_orders.sql ... ok'],
      [t + 1, 'Applying 20240301120000_create_users.sql ...'],
      [t + 2, 'psql:/migrations/20240301120000_create_users.sql:3: statement failed, rolling back'],
      [t + 2, 'ERROR: relation "users" already exists'],
      [t + 2, 'notify: POST https://hooks.example.com/migrations Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtaWdyYXRlIn0.ZGVtby1zaWduYXR1cmU'],
    ];
    for (const [i, t] of [-3000, -2963].entries()) {
      const name = ['migrate-db-nxwgl', 'migrate-db-xnx8k'][i] as string;
      const p = pod(job, { name, phase: 'Failed', created: at(t), states: [{ state: terminated(1, 'Error', at(t), at(t + 3)) }] }, { migrate: { current: log(t) } });
      jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${name}`, first: at(t) });
      started(p, 'migrate', 'ghcr.io/acme/migrate:1.8.2', t);
    }
    jobEvent(job, { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', first: at(-2957) });
  }

  // batch/slow-report: activeDeadlineSeconds reached; the controller deleted its pod.
  {
    const job = makeJob(
      { ns: 'batch', name: 'slow-report', created: -900, labels: { app: 'slow-report' }, spec: { activeDeadlineSeconds: 15, backoffLimit: 6 }, containers: [{ name: 'report', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 600'] }] },
      { startTime: at(-900), failed: 1, conditions: [cond('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline', at(-885)), cond('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline', at(-884))] },
    );
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: slow-report-mw5k7', first: at(-900) });
    jobEvent(job, { reason: 'SuccessfulDelete', message: 'Deleted pod: slow-report-mw5k7', first: at(-885) });
    jobEvent(job, { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', type: 'Warning', first: at(-884) });
  }

  // batch/render-frames: Indexed, index 3 failed (exit 2) with backoffLimitPerIndex 0.
  {
    const job = makeJob(
      {
        ns: 'batch',
        name: 'render-frames',
        created: -1500,
        labels: { app: 'render' },
        spec: { parallelism: 2, completions: 5, completionMode: 'Indexed', backoffLimitPerIndex: 0 },
        containers: [{ name: 'render', image: 'linuxserver/blender:4.1.1', command: ['render.sh'] }],
      },
      {
        startTime: at(-1500),
        succeeded: 4,
        failed: 1,
        completedIndexes: '0-2,4',
        failedIndexes: '3',
        conditions: [cond('FailureTarget', 'FailedIndexes', 'Job has failed indexes', at(-1405)), cond('Failed', 'FailedIndexes', 'Job has failed indexes', at(-1405))],
      },
    );
    const times = [-1500, -1500, -1464, -1464, -1409];
    for (const [index, t] of times.entries()) {
      const failed = index === 3;
      const p = pod(job, { index, phase: failed ? 'Failed' : 'Succeeded', created: at(t), states: [{ state: terminated(failed ? 2 : 0, failed ? 'Error' : 'Completed', at(t), at(t + 2)) }] }, {
        render: {
          current: failed
            ? [
                [t, `render: index 3: frames 300-399`],
                [t + 1, 'render: frame 342: Error: Not freed memory blocks: 12, total unfreed memory 0.004 MB'],
                [t + 2, 'render: frame 342: segmentation fault in Cycles kernel; giving up'],
              ]
            : [
                [t, `render: index ${index}: frames ${index * 100}-${index * 100 + 99}`],
                [t + 2, `render: wrote 100 frames to s3://acme-renders/shot42/${index}/`],
              ],
        },
      });
      jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(t) });
      started(p, 'render', 'linuxserver/blender:4.1.1', t);
    }
    jobEvent(job, { reason: 'FailedIndexes', message: 'Job has failed indexes', type: 'Warning', first: at(-1405) });
  }

  // batch/paused: created suspended (e.g. by a queue); never started.
  {
    const job = makeJob(
      { ns: 'batch', name: 'paused', created: -1200, spec: { suspend: true }, containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo queued work'] }] },
      { conditions: [cond('Suspended', 'JobSuspended', 'Job suspended', at(-1200))] },
    );
    jobEvent(job, { reason: 'Suspended', message: 'Job suspended', first: at(-1200) });
  }

  // batch/flaky-import: restartPolicy OnFailure, the container keeps crashing (CrashLoopBackOff).
  {
    const job = makeJob(
      { ns: 'batch', name: 'flaky-import', created: -420, labels: { app: 'import' }, restartPolicy: 'OnFailure', spec: { backoffLimit: 6 }, containers: [{ name: 'import', image: 'ghcr.io/acme/importer:0.9.1', args: ['--feed=https://feeds.example.com/daily.csv'] }] },
      { startTime: at(-420), active: 1 },
    );
    const p = pod(
      job,
      {
        name: 'flaky-import-z6xw4',
        phase: 'Running',
        created: at(-420),
        states: [{ state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=import pod=flaky-import-z6xw4_batch' } }, lastState: terminated(1, 'Error', at(-75), at(-72)), restartCount: 4 }],
      },
      {
        import: {
          current: [[-75, 'importer 0.9.1: fetching https://feeds.example.com/daily.csv'], [-74, 'parsed 1822 rows'], [-72, 'FATAL: row 1823: column "amount" is not a number: "12,50"']],
          previous: [[-240, 'importer 0.9.1: fetching https://feeds.example.com/daily.csv'], [-239, 'parsed 1822 rows'], [-237, 'FATAL: row 1823: column "amount" is not a number: "12,50"']],
        },
      },
    );
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: flaky-import-z6xw4', first: at(-420) });
    started(p, 'import', 'ghcr.io/acme/importer:0.9.1', -420);
    podEvent(p, { reason: 'BackOff', message: 'Back-off restarting failed container import in pod flaky-import-z6xw4_batch(' + p.metadata.uid + ')', type: 'Warning', first: at(-380), last: at(-20), count: 9, fieldPath: 'spec.containers{import}' });
  }

  // ops/backup-db: two containers; the backup container fails (exit 1), the sidecar finishes cleanly.
  {
    const job = makeJob(
      {
        ns: 'ops',
        name: 'backup-db',
        created: -5400,
        labels: { app: 'backup' },
        spec: { backoffLimit: 0, ttlSecondsAfterFinished: 86400 },
        containers: [
          { name: 'backup', image: 'ghcr.io/acme/pg-backup:3.1', env: [{ name: 'S3_BUCKET', value: 'acme-backups' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] },
          { name: 'log-shipper', image: 'fluent/fluent-bit:3.0' },
        ],
      },
      { startTime: at(-5400), failed: 1, conditions: [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-5340)), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(-5340))] },
    );
    const p = pod(
      job,
      {
        name: 'backup-db-h8m2c',
        phase: 'Failed',
        created: at(-5400),
        states: [{ state: terminated(1, 'Error', at(-5399), at(-5342)) }, { state: terminated(0, 'Completed', at(-5399), at(-5341)) }],
      },
      {
        backup: { current: [[-5399, 'pg_dump: dumping database "app" (12.4 GiB)'], [-5350, 'upload: s3://acme-backups/app/2026-11-22.dump'], [-5342, 'upload failed: AccessDenied: User arn:aws:iam::123456789012:user/backup is not authorized to perform: s3:PutObject']] },
        'log-shipper': { current: [[-5399, '[fluent-bit] starting 3.0'], [-5341, '[fluent-bit] flushed 214 records, exiting']] },
      },
    );
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: backup-db-h8m2c', first: at(-5400) });
    started(p, 'backup', 'ghcr.io/acme/pg-backup:3.1', -5400);
    jobEvent(job, { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', first: at(-5340) });
  }

  // ops/send-invoices: the pod cannot start: a Secret it needs does not exist.
  {
    const job = makeJob(
      {
        ns: 'ops',
        name: 'send-invoices',
        created: -300,
        labels: { app: 'invoices' },
        containers: [{ name: 'send', image: 'ghcr.io/acme/invoices:5.2.0', env: [{ name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp-credentials', key: 'password' } } }] }],
      },
      { startTime: at(-300), active: 1 },
    );
    const p = pod(job, { name: 'send-invoices-t5dq9', phase: 'Pending', created: at(-300), states: [{ state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "smtp-credentials" not found' } } }] });
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: send-invoices-t5dq9', first: at(-300) });
    podEvent(p, { reason: 'Scheduled', message: 'Successfully assigned ops/send-invoices-t5dq9 to demo-node-1', first: at(-300) });
    podEvent(p, { reason: 'Failed', message: 'Error: secret "smtp-credentials" not found', type: 'Warning', first: at(-299), last: at(-8), count: 25, fieldPath: 'spec.containers{send}' });
  }

  // batch/gpu-train: no node has a GPU; the pod stays Pending (Unschedulable).
  {
    const job = makeJob(
      { ns: 'batch', name: 'gpu-train', created: -1000, labels: { app: 'train' }, containers: [{ name: 'train', image: 'pytorch/pytorch:2.5.0-cuda12.4-cudnn9-runtime', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      { startTime: at(-1000), active: 1 },
    );
    const message = '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    const p = pod(job, { name: 'gpu-train-l9v4n', phase: 'Pending', created: at(-1000), states: [], scheduled: false, unschedulableMessage: message });
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: gpu-train-l9v4n', first: at(-1000) });
    podEvent(p, { reason: 'FailedScheduling', message, type: 'Warning', first: at(-1000), last: at(-60), count: 14 });
  }

  // ops/cleanup-tmp: pod creation is refused by a ResourceQuota; no pod exists.
  {
    const job = makeJob(
      { ns: 'ops', name: 'cleanup-tmp', created: -700, labels: { app: 'cleanup' }, containers: [{ name: 'cleanup', image: 'busybox:1.36', resources: { limits: { memory: '4Gi' } } }] },
      { startTime: at(-700) },
    );
    jobEvent(job, {
      reason: 'FailedCreate',
      message: 'Error creating: pods "cleanup-tmp-' + sfx('cleanup') + '" is forbidden: exceeded quota: ops-quota, requested: limits.memory=4Gi, used: limits.memory=14Gi, limited: limits.memory=16Gi',
      type: 'Warning',
      first: at(-700),
      last: at(-40),
      count: 12,
    });
  }

  // batch/validate-data: a podFailurePolicy FailJob rule matched exit code 42.
  {
    const job = makeJob(
      {
        ns: 'batch',
        name: 'validate-data',
        created: -2400,
        labels: { app: 'validate' },
        spec: { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'validate', operator: 'In', values: [42] } }] } },
        containers: [{ name: 'validate', image: 'ghcr.io/acme/validate:1.0.3' }],
      },
      {
        startTime: at(-2400),
        failed: 1,
        conditions: [
          cond('FailureTarget', 'PodFailurePolicy', 'Container validate for pod batch/validate-data-c7r5k failed with exit code 42 matching FailJob rule at index 0', at(-2390)),
          cond('Failed', 'PodFailurePolicy', 'Container validate for pod batch/validate-data-c7r5k failed with exit code 42 matching FailJob rule at index 0', at(-2389)),
        ],
      },
    );
    const p = pod(job, { name: 'validate-data-c7r5k', phase: 'Failed', created: at(-2400), states: [{ state: terminated(42, 'Error', at(-2399), at(-2391)) }] }, {
      validate: { current: [[-2399, 'validating s3://acme-lake/orders/2026-11-21/'], [-2392, 'schema violation: orders.total has 311 negative values'], [-2391, 'exit 42 (data invalid: do not retry)']] },
    });
    jobEvent(job, { reason: 'SuccessfulCreate', message: 'Created pod: validate-data-c7r5k', first: at(-2400) });
    started(p, 'validate', 'ghcr.io/acme/validate:1.0.3', -2400);
    jobEvent(job, { reason: 'PodFailurePolicy', message: 'Container validate for pod batch/validate-data-c7r5k failed with exit code 42 matching FailJob rule at index 0', type: 'Warning', first: at(-2389) });
  }

  // exports/*: 120 per-customer export Jobs, enough for several pages; every 17th failed.
  for (let i = 1; i <= 120; i++) {
    const id = String(i).padStart(3, '0');
    const t = -86400 + i * 600;
    const failed = i % 17 === 0;
    const job = makeJob(
      {
        ns: 'exports',
        name: `export-customer-${id}`,
        created: t,
        labels: { app: 'export', customer: `c${id}`, tier: i % 3 === 0 ? 'gold' : 'silver' },
        spec: { backoffLimit: 0 },
        containers: [{ name: 'export', image: 'ghcr.io/acme/exporter:4.0.0', args: [`--customer=c${id}`] }],
      },
      failed
        ? { startTime: at(t), failed: 1, conditions: [cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(t + 40)), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(t + 40))] }
        : { startTime: at(t), completionTime: at(t + 35 + (i % 50)), succeeded: 1, conditions: [cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', at(t + 35 + (i % 50))), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at(t + 35 + (i % 50)))] },
    );
    const end = failed ? t + 39 : t + 34 + (i % 50);
    const p = pod(job, { phase: failed ? 'Failed' : 'Succeeded', created: at(t), states: [{ state: terminated(failed ? 3 : 0, failed ? 'Error' : 'Completed', at(t + 1), at(end)) }] }, {
      export: { current: failed ? [[t + 1, `export c${id}: start`], [end, `export c${id}: upstream API returned 503 three times; giving up (exit 3)`]] : [[t + 1, `export c${id}: start`], [end, `export c${id}: wrote ${1000 + i * 7} rows`]] },
    });
    jobEvent(job, { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: at(t) });
    jobEvent(job, failed ? { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', first: at(t + 40) } : { reason: 'Completed', message: 'Job completed', first: at(end + 1) });
  }

  seedCronJobs(store, kit);

  // Unrelated events in batch: a noisy namespace must not hide or slow down a Job's own events.
  const noise = opts.noiseEvents ?? 1200;
  for (let i = 0; i < noise; i++) {
    const worker = { metadata: { name: `ingest-worker-${sfx(`w${i % 40}`)}`, namespace: 'batch', uid: randomUUID(), resourceVersion: '1' } } as Pod;
    recordEvent(store, worker, 'Pod', { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', type: 'Warning', first: at(-3600 + i), fieldPath: 'spec.containers{worker}' });
  }
}
