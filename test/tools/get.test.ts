import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await connect();
});
afterAll(() => h.close());

const seeded = [
  ['demo/hello', 'Complete', 'CompletionsReached', '3/3'],
  ['demo/data-sync', 'Running', undefined, '0/1'],
  ['batch/report-oom', 'Failed', 'BackoffLimitExceeded', '0/1'],
  ['batch/etl-imagepull', 'Running', undefined, '0/1'],
  ['ops/migrate-db', 'Failed', 'BackoffLimitExceeded', '0/1'],
  ['batch/slow-report', 'Failed', 'DeadlineExceeded', '0/1'],
  ['batch/render-frames', 'Failed', 'FailedIndexes', '4/5'],
  ['batch/paused', 'Suspended', 'JobSuspended', '0/1'],
  ['batch/flaky-import', 'Running', undefined, '0/1'],
  ['ops/backup-db', 'Failed', 'BackoffLimitExceeded', '0/1'],
  ['ops/send-invoices', 'Running', undefined, '0/1'],
  ['batch/gpu-train', 'Running', undefined, '0/1'],
  ['ops/cleanup-tmp', 'Running', undefined, '0/1'],
  ['batch/validate-data', 'Failed', 'PodFailurePolicy', '0/1'],
  ['exports/export-customer-017', 'Failed', 'BackoffLimitExceeded', '0/1'],
] as const;

describe('job_get', () => {
  it.each(seeded)('describes %s as %s (%s)', async (job, status, reason, comps) => {
    const r = await h.call('job_get', { job });
    expect(r.isError).toBeFalsy();
    expect(r.structured).toMatchObject({ status, completions: comps });
    expect(r.structured.reason).toBe(reason);
    expect(r.text).toContain(`Name:`);
    expect(r.text).toContain(job);
    expect(r.text).toMatch(new RegExp(`Status:\\s+${status}${reason ? ` \\(${reason}\\)` : '\n'}`));
  });

  it('names the owning CronJob', async () => {
    const r = await h.call('job_get', { job: 'ops/migrate-db' });
    expect(r.structured.controlledBy).toBe('CronJob/nightly-migrate');
    expect(r.text).toMatch(/Controlled By:\s+CronJob ops\/nightly-migrate \(0 2 \* \* \*, suspended\)/);
  });

  it('shows completed and failed indexes of an Indexed Job', async () => {
    const r = await h.call('job_get', { job: 'batch/render-frames' });
    expect(r.structured).toMatchObject({ completionMode: 'Indexed', completedIndexes: '0-2,4', failedIndexes: '3', backoffLimitPerIndex: 0 });
    expect(r.text).toMatch(/Failed Indexes:\s+3/);
    expect(r.text).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 4 Succeeded \/ 1 Failed/);
  });

  it('shows settings, times, images and conditions', async () => {
    const r = await h.call('job_get', { job: 'batch/slow-report' });
    expect(r.structured).toMatchObject({ activeDeadlineSeconds: 15, backoffLimit: 6, suspend: false, duration: '16s' });
    expect(r.structured.containers).toEqual([{ name: 'report', image: 'busybox:1.36' }]);
    expect((r.structured.conditions as { type: string }[]).map((c) => c.type)).toEqual(['FailureTarget', 'Failed']);
    expect(r.text).toMatch(/Conditions:\nTYPE\s+STATUS\s+REASON\s+LAST TRANSITION\s+MESSAGE\nFailureTarget\s+True\s+DeadlineExceeded/);
  });

  it('shows the TTL when the Job has one', async () => {
    const r = await h.call('job_get', { job: 'ops/backup-db' });
    expect(r.structured.ttlSecondsAfterFinished).toBe(86400);
    expect(r.structured.containers).toHaveLength(2);
  });

  it('resolves a bare name in the context namespace', async () => {
    const r = await h.call('job_get', { job: 'hello' });
    expect(r.structured).toMatchObject({ namespace: 'demo', name: 'hello' });
  });

  it('reports a missing Job as not found with a next step', async () => {
    const r = await h.call('job_get', { job: 'batch/does-not-exist' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Error \(not-found\): .*jobs.batch "does-not-exist" not found.*job_list \{"namespace":"batch"\}/);
  });

  it('rejects an invalid name before any API call', async () => {
    const before = h.demo.api.requests.length;
    for (const job of ['batch/Report', 'a/b/c', '../etc/passwd', 'batch/x'.padEnd(400, 'x')]) {
      const r = await h.call('job_get', { job });
      expect(r.isError, job).toBe(true);
    }
    expect(h.demo.api.requests.length).toBe(before);
  });
});
