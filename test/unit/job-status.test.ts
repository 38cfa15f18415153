import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Condition, Job, List } from '../../src/kube/types.js';
import { completions, cronJobOwner, jobDuration, jobStatus } from '../../src/render/job-status.js';

const fixture = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/${f}`, import.meta.url), 'utf8')).response.body;

const c = (type: string, status = 'True'): Condition => ({ type, status, lastTransitionTime: '2026-11-22T11:00:00Z' });
const job = (conditions: Condition[], extra: Partial<Job['status']> = {}, meta: Partial<Job['metadata']> = {}, spec: Partial<Job['spec']> = {}): Job => ({
  metadata: { name: 'j', namespace: 'ns', ...meta },
  spec: { completions: 1, parallelism: 1, template: { spec: { containers: [] } }, ...spec },
  status: { startTime: '2026-11-22T10:00:00Z', conditions, ...extra },
});

describe('jobStatus checks conditions in kubectl order', () => {
  it.each([
    [[c('Complete')], 'Complete'],
    [[c('SuccessCriteriaMet'), c('Complete')], 'Complete'],
    [[c('Failed')], 'Failed'],
    [[c('FailureTarget'), c('Failed')], 'Failed'],
    [[c('Complete'), c('Failed')], 'Complete'],
    [[c('Suspended')], 'Suspended'],
    [[c('Suspended'), c('Failed')], 'Failed'],
    [[c('FailureTarget')], 'FailureTarget'],
    [[c('Suspended'), c('FailureTarget')], 'Suspended'],
    [[c('Complete', 'False'), c('Failed', 'False')], 'Running'],
    [[c('Suspended', 'False')], 'Running'],
    [[c('SuccessCriteriaMet')], 'Running'],
    [[], 'Running'],
  ] as [Condition[], string][])('%j → %s', (conds, want) => {
    expect(jobStatus(job(conds))).toBe(want);
  });

  it('says Terminating when deletion started, below Complete and Failed but above Suspended', () => {
    expect(jobStatus(job([c('Suspended')], {}, { deletionTimestamp: '2026-11-22T11:00:00Z' }))).toBe('Terminating');
    expect(jobStatus(job([c('Failed')], {}, { deletionTimestamp: '2026-11-22T11:00:00Z' }))).toBe('Failed');
  });

  it('says Pending for a Job with no start time and no pods yet', () => {
    expect(jobStatus(job([], { startTime: undefined }))).toBe('Pending');
    expect(jobStatus(job([], { startTime: undefined, active: 1 }))).toBe('Running');
  });

  it('agrees with the API server printer on every Job of the recorded batch namespace', () => {
    const list = fixture('jobs-list-ns-batch.json') as List<Job>;
    const printed = fixture('table-jobs-ns-batch.json') as { rows: { cells: string[] }[] };
    expect(printed.rows.length).toBe(list.items.length);
    for (const row of printed.rows) {
      const j = list.items.find((x) => x.metadata.name === row.cells[0]) as Job;
      expect([j.metadata.name, jobStatus(j), completions(j)]).toEqual(row.cells.slice(0, 3));
    }
  });
});

describe('completions', () => {
  it('is succeeded/completions when completions is set', () => {
    expect(completions(job([], { succeeded: 4 }, {}, { completions: 5, parallelism: 2 }))).toBe('4/5');
  });
  it('is succeeded/1 of parallelism for a work queue with parallelism > 1', () => {
    expect(completions(job([], { succeeded: 2 }, {}, { completions: undefined, parallelism: 3 }))).toBe('2/1 of 3');
  });
  it('is succeeded/1 for a work queue with parallelism 1 or unset', () => {
    expect(completions(job([], {}, {}, { completions: undefined, parallelism: 1 }))).toBe('0/1');
    expect(completions(job([], {}, {}, { completions: undefined, parallelism: undefined }))).toBe('0/1');
  });
});

describe('jobDuration', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('is empty without a start time', () => {
    expect(jobDuration(job([], { startTime: undefined }), now)).toBe('');
  });
  it('runs until completionTime for a completed Job', () => {
    expect(jobDuration(job([c('Complete')], { completionTime: '2026-11-22T10:01:31Z' }), now)).toBe('91s');
  });
  it('ends at the Failed condition for a failed Job, which has no completionTime', () => {
    expect(jobDuration(job([{ ...c('Failed'), lastTransitionTime: '2026-11-22T10:05:00Z' }]), now)).toBe('5m');
  });
  it('counts up to now for a running Job', () => {
    expect(jobDuration(job([]), now)).toBe('120m');
  });
});

describe('cronJobOwner', () => {
  it('names the controlling CronJob from the recorded migrate-db Job', () => {
    expect(cronJobOwner(fixture('job-ops__migrate-db.json') as Job)).toBe('nightly-migrate');
    expect(cronJobOwner(fixture('job-demo__hello.json') as Job)).toBeUndefined();
  });
});
