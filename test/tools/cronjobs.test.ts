import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { defaultCronJob } from '../../src/demo/objects.js';
import type { CronJob, Job } from '../../src/kube/types.js';
import { connect, type Harness } from '../helpers.js';

let demo: DemoCluster;
let h: Harness;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 150 });
  h = await connect({ cluster: demo });
});
afterAll(async () => {
  await h.close();
  await demo.close();
});

const jobs = () => demo.store.all<Job>('jobs');
const ownedBy = (cronJob: string) => jobs().filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === cronJob));
const warnings = async (ref: string) => (await h.call('cronjob_get', { cronjob: ref })).structured.warnings as string[];

function plantCronJob(ns: string, name: string, schedule: string, timeZone?: string): void {
  const cj = defaultCronJob(
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: ns, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        schedule,
        ...(timeZone ? { timeZone } : {}),
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } } as Job['spec'] },
      },
      status: {},
    } as CronJob,
    randomUUID(),
  );
  demo.store.put('cronjobs', cj);
}

describe('cronjob_list', () => {
  it('lists like kubectl get cronjobs, across namespaces and in one', async () => {
    const all = await h.call('cronjob_list');
    expect(all.text.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/);
    const rows = all.structured.cronJobs as { namespace: string; name: string; schedule: string; timeZone: string; suspend: string; lastSchedule: string }[];
    expect(rows.find((r) => r.name === 'nightly-migrate')).toMatchObject({ namespace: 'ops', schedule: '0 2 * * *', timeZone: '<none>', suspend: 'True', lastSchedule: '<none>' });
    expect(rows.find((r) => r.name === 'sales-rollup')).toMatchObject({ timeZone: 'Europe/Berlin', suspend: 'False' });
    const ops = await h.call('cronjob_list', { namespace: 'ops' });
    expect(ops.text.split('\n')[0]).toMatch(/^NAME\s+SCHEDULE/);
    expect((ops.structured.cronJobs as { namespace: string }[]).every((r) => r.namespace === 'ops')).toBe(true);
  });

  it('pages on the server with limit and continue', async () => {
    const first = await h.call('cronjob_list', { limit: 2 });
    expect(first.structured.cronJobs).toHaveLength(2);
    expect(first.text).toMatch(/next page: continue="/);
    const second = await h.call('cronjob_list', { limit: 50, continue: first.structured.continue });
    const names = [...(first.structured.cronJobs as { name: string }[]), ...(second.structured.cronJobs as { name: string }[])].map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(demo.store.all('cronjobs').length);
  });
});

describe('cronjob_get', () => {
  it('shows the schedule, policy, limits, last and next runs in UTC and its zone, and the Jobs it keeps', async () => {
    const r = await h.call('cronjob_get', { cronjob: 'batch/sales-rollup' });
    expect(r.structured).toMatchObject({ timeZone: 'Europe/Berlin', suspend: false, concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const next = r.structured.nextRuns as { utc: string; local: string }[];
    expect(next).toHaveLength(3);
    for (const n of next) {
      expect(n.utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
      expect(n.local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[12]:00$/);
      expect(Date.parse(n.utc)).toBe(Date.parse(n.local));
    }
    expect(Date.parse(next[0]?.utc as string)).toBeGreaterThan(Date.now());
    const kept = r.structured.jobs as { name: string; status: string }[];
    expect(kept.map((j) => j.status).sort()).toEqual(['Complete', 'Complete', 'Complete', 'Failed']);
    expect(r.text).toMatch(/^Schedule:\s+\d+ \* \* \* \* \(Europe\/Berlin\)$/m);
    expect(r.text).toMatch(/^Next Runs:\s+\S+Z \(\S+\+0[12]:00\)/m);
    expect(r.text).toMatch(/^Last Schedule:\s+\S+Z \(\d+m ago\)$/m);
  });

  it('warns when suspended and when no timeZone is set', async () => {
    const w = await warnings('ops/nightly-migrate');
    expect(w).toEqual(expect.arrayContaining([expect.stringMatching(/^Suspended \(spec\.suspend: true\): no new runs start/), expect.stringMatching(/^No timeZone: the schedule is read in the kube-controller-manager's time zone/)]));
    const r = await h.call('cronjob_get', { cronjob: 'ops/nightly-migrate' });
    expect(r.text).toMatch(/^Warning: Suspended/m);
  });

  it('warns that failedJobsHistoryLimit ≤ 1 loses failures, and says when it is the default', async () => {
    expect(await warnings('batch/sales-rollup')).toEqual(expect.arrayContaining([expect.stringMatching(/^failedJobsHistoryLimit is 1 \(the default the API server sets\): a failed Job is deleted with its pods and logs/)]));
    // Stored as the API server defaults it (history 3/1): the same warning.
    plantCronJob('ops', 'defaults-only', '0 3 * * *', 'UTC');
    expect(await warnings('ops/defaults-only')).toEqual(expect.arrayContaining([expect.stringMatching(/^failedJobsHistoryLimit is 1 /)]));
  });

  it('warns when Forbid and an active Job older than the interval skip runs', async () => {
    const w = await warnings('ops/sync-billing');
    expect(w).toEqual(expect.arrayContaining([expect.stringMatching(/^concurrencyPolicy is Forbid and Job sync-billing-\d+ has been active longer than the schedule's interval \(60 min\): scheduled runs are being skipped/)]));
  });

  it('warns when the controller reports too many missed start times, and quotes its event in a frame', async () => {
    const r = await h.call('cronjob_get', { cronjob: 'ops/rotate-certs' });
    expect(r.structured.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/too many missed start times \(more than 100\)/)]));
    expect(r.text).toMatch(/Controller events behind the warnings:\n----- BEGIN UNTRUSTED EVENTS [0-9a-f]{16} [^\n]*\n[^\n]*\n[^\n]*TooManyMissedTimes[^\n]*too many missed start times/);
  });

  it('warns when a start was missed and startingDeadlineSeconds is too short (1.32 records no event: the status shows it)', async () => {
    const w = await warnings('demo/digest-email');
    expect(w).toEqual(expect.arrayContaining([expect.stringMatching(/^The run due at \S+Z did not start \(last schedule \S+\): startingDeadlineSeconds 10 is probably too short/)]));
  });

  it('gives next runs across a spring-forward change the way the controller does: a skipped wall-clock time does not run', async () => {
    plantCronJob('ops', 'berlin-nightly', '30 2 * * *', 'Europe/Berlin');
    const at = await connect({ cluster: demo, now: () => Date.parse('2026-03-28T12:00:00Z') });
    const r = await at.call('cronjob_get', { cronjob: 'ops/berlin-nightly' });
    expect(r.structured.nextRuns).toEqual([
      { utc: '2026-03-30T00:30:00Z', local: '2026-03-30T02:30:00+02:00' },
      { utc: '2026-03-31T00:30:00Z', local: '2026-03-31T02:30:00+02:00' },
      { utc: '2026-04-01T00:30:00Z', local: '2026-04-01T02:30:00+02:00' },
    ]);
    await at.close();
  });

  it('and across a fall-back change: a repeated wall-clock time runs twice, once per offset', async () => {
    plantCronJob('ops', 'ny-nightly', '30 1 * * *', 'America/New_York');
    const at = await connect({ cluster: demo, now: () => Date.parse('2026-10-31T12:00:00Z') });
    const r = await at.call('cronjob_get', { cronjob: 'ops/ny-nightly' });
    expect(r.structured.nextRuns).toEqual([
      { utc: '2026-11-01T05:30:00Z', local: '2026-11-01T01:30:00-04:00' },
      { utc: '2026-11-01T06:30:00Z', local: '2026-11-01T01:30:00-05:00' },
      { utc: '2026-11-02T06:30:00Z', local: '2026-11-02T01:30:00-05:00' },
    ]);
    await at.close();
  });

  it('refuses a bad name before any API call, and names a missing CronJob', async () => {
    const before = demo.api.requests.length;
    expect((await h.call('cronjob_get', { cronjob: 'ops/Bad_Name' })).text).toMatch(/^Error \(invalid-input\): "Bad_Name" is not a valid cronjob name/);
    expect(demo.api.requests.length).toBe(before);
    expect((await h.call('cronjob_get', { cronjob: 'ops/nope' })).text).toMatch(/^Error \(not-found\): Not found: cronjobs "nope" in namespace "ops"/);
  });
});

describe('CronJob details in job_get and job_diagnose', () => {
  it('job_get of a CronJob-owned Job shows the CronJob, its schedule and suspend state', async () => {
    const j = ownedBy('sales-rollup').find((x) => x.status?.conditions?.some((c) => c.type === 'Failed')) as Job;
    const r = await h.call('job_get', { job: `batch/${j.metadata.name}` });
    expect(r.text).toMatch(/^Controlled By:\s+CronJob batch\/sales-rollup \(\d+ \* \* \* \* Europe\/Berlin\)$/m);
    expect(r.structured.cronJob).toMatchObject({ name: 'sales-rollup', timeZone: 'Europe/Berlin', suspend: false });
  });

  it('job_diagnose names a sidecar that keeps a finished pod running, and points to native sidecars', async () => {
    const active = (demo.store.get<CronJob>('cronjobs', 'ops', 'sync-billing')?.status?.active ?? [])[0]?.name as string;
    const r = await h.call('job_diagnose', { job: `ops/${active}` });
    expect(r.structured.category).toBe('SidecarRunning');
    expect(r.structured.summary).toMatch(/^Container sync of \S+ finished \(exit 0\), but istio-proxy still runs, so the pod never completes/);
    expect((r.structured.nextSteps as string[]).join('\n')).toMatch(/native sidecar \(Kubernetes ≥ 1\.29: move it to initContainers with restartPolicy: Always\)/);
    expect((r.structured.nextSteps as string[]).join('\n')).toMatch(/concurrencyPolicy Forbid and this Job has run longer than the schedule's interval/);
  });

  it('job_diagnose of a Job removed by ttlSecondsAfterFinished says its logs are gone and where the TTL is set', async () => {
    const gone = 'cache-warmup-29000000';
    const r = await h.call('job_diagnose', { job: `demo/${gone}` });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Error \(not-found\): Job demo\/cache-warmup-29000000 no longer exists\. It looks like a run of CronJob demo\/cache-warmup, where ttlSecondsAfterFinished=600 in its jobTemplate deletes each finished Job with its pods and logs/);
  });

  it('serves a CronJob as a k8s-cronjob:// resource and completes cronjob arguments', async () => {
    const res = await h.client.readResource({ uri: 'k8s-cronjob://ops/nightly-migrate' });
    const text = (res.contents[0] as { text: string }).text;
    expect(text).toMatch(/^# ----- BEGIN UNTRUSTED YAML [0-9a-f]{16} /);
    expect(text).toMatch(/\nkind: CronJob\n/);
    expect(text).not.toContain('hunter2');
    const c = await h.client.complete({ ref: { type: 'ref/prompt', name: 'pause-broken-cronjob' }, argument: { name: 'cronjob', value: 'ops/' } });
    expect(c.completion.values).toEqual(expect.arrayContaining(['ops/nightly-migrate', 'ops/sync-billing', 'ops/rotate-certs']));
  });
});

describe('job_triage', () => {
  it('finds every seeded failed and stuck Job in one call, within 2,500 tokens for 20, with CronJobs and suspended apart', async () => {
    const before = demo.api.requests.length;
    const r = await h.call('job_triage', { limit: 20 });
    expect(r.isError, r.text).toBeFalsy();
    const lines = r.structured.lines as { job: string; state: string; category: string; cronJob?: { name: string } }[];
    const by = Object.fromEntries(lines.map((l) => [l.job, l.category]));
    expect(by).toMatchObject({
      'batch/report-oom': 'OOMKilled',
      'batch/render-frames': 'FailedIndexes',
      'batch/slow-report': 'DeadlineExceeded',
      'batch/validate-data': 'PodFailurePolicy',
      'ops/migrate-db': 'AppError',
      'batch/etl-imagepull': 'ImagePull',
      'batch/flaky-import': 'CrashLoop',
      'batch/gpu-train': 'Unschedulable',
    });
    expect(Object.entries(by).find(([j]) => j.startsWith('ops/sync-billing-'))?.[1]).toBe('SidecarRunning');
    expect(lines.find((l) => l.job.startsWith('batch/sales-rollup-'))?.cronJob?.name).toBe('sales-rollup');
    expect(r.structured.suspended).toEqual(expect.arrayContaining(['batch/paused']));
    expect(lines.some((l) => l.job === 'batch/paused')).toBe(false);
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(Buffer.byteLength(r.text) / 4).toBeLessThanOrEqual(2500);
    expect(r.text).toMatch(/^Triage of all namespaces you may see: \d+ Jobs scanned; \d+ failed, \d+ stuck, \d+ suspended\.\n----- BEGIN UNTRUSTED TRIAGE/);
    // Shared reads: fewer requests than a diagnosis per Job would take (Job + pods + events + pod events + log).
    expect(demo.api.requests.length - before).toBeLessThan(lines.length * 4);
  });

  it('says how many more there are and how to narrow, when the limit cuts', async () => {
    const r = await h.call('job_triage', { limit: 3 });
    expect(r.structured.lines).toHaveLength(3);
    const { failed, stuck, notShown } = r.structured as { failed: number; stuck: number; notShown: number };
    // At least every failed Job beyond the three shown, and every stuck one found but not shown.
    expect(notShown).toBeGreaterThanOrEqual(failed - 3 + stuck);
    expect(r.text).toContain(`${notShown} more failed or possibly stuck Job(s) not shown: raise limit (max 50) or narrow with namespace`);
  });
});
