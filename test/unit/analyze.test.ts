// The diagnosis heuristics on responses recorded from a real Kubernetes 1.32 cluster.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, telltaleLines } from '../../src/diagnosis/analyze.js';
import type { Job, KubeEvent, List, Pod } from '../../src/kube/types.js';

const body = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/${f}`, import.meta.url), 'utf8')).response.body;
const recorded = (key: string) => ({
  job: body(`job-${key}.json`) as Job,
  pods: (body(`pods-${key}.json`) as List<Pod>).items,
  events: (body(`events-${key}.json`) as List<KubeEvent>).items,
});

describe('analyze on recorded clusters', () => {
  it('OOMKilled: names the container, exit 137 and the memory limit', () => {
    const d = analyze(recorded('batch__report-oom'));
    expect(d.category).toBe('OOMKilled');
    expect(d.summary).toMatch(/Container report .*OOMKilled, exit 137, memory limit 2Gi.*backoffLimit 2/);
    expect(d.evidence).toContainEqual({ source: 'condition', text: 'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit' });
    expect(d.evidence.some((e) => e.source === 'pod' && /report-oom-\w+ \(\+2 more pods alike\): container report terminated OOMKilled \(exit 137/.test(e.text))).toBe(true);
    expect(d.nextSteps[0]).toMatch(/limits\.memory/);
  });

  it('ImagePull: quotes the waiting message', () => {
    const d = analyze(recorded('batch__etl-imagepull'));
    expect(d.category).toBe('ImagePull');
    expect(d.summary).toContain('registry.example.com/etl:v9.9');
  });

  it('AppError with exit code for a CronJob-owned Job, and names the CronJob', () => {
    const d = analyze(recorded('ops__migrate-db'));
    expect(d.category).toBe('AppError');
    expect(d.summary).toMatch(/exited with code 1/);
    expect(d.cronJob).toBe('nightly-migrate');
    expect(d.nextSteps.join(' ')).toMatch(/CronJob nightly-migrate.*jobTemplate/);
  });

  it('DeadlineExceeded, with no pods left', () => {
    const d = analyze(recorded('batch__slow-report'));
    expect(d.category).toBe('DeadlineExceeded');
    expect(d.summary).toMatch(/activeDeadlineSeconds \(15 s\)/);
    expect(d.evidence).toContainEqual({ source: 'pod', text: 'no pods exist for the Job (failed 1, succeeded 0)' });
  });

  it('FailedIndexes: names the failed index and its pod', () => {
    const d = analyze(recorded('batch__render-frames'));
    expect(d.category).toBe('FailedIndexes');
    expect(d.failedIndexes).toEqual({ indexes: '3', pods: ['render-frames-3-lrfqz'] });
    expect(d.summary).toMatch(/exited with code 2/);
  });

  it('Suspended and Complete', () => {
    expect(analyze(recorded('batch__paused')).category).toBe('Suspended');
    expect(analyze(recorded('demo__hello')).category).toBe('Complete');
  });

  it('uses the failing log lines as evidence', () => {
    const text = JSON.parse(readFileSync(new URL('../fixtures/k8s-1.32/log-ops__migrate-db.json', import.meta.url), 'utf8')).response.bodyText as string;
    const d = analyze({ ...recorded('ops__migrate-db'), log: { pod: 'migrate-db-xnx8k', container: 'migrate', previous: false, lines: telltaleLines(text) } });
    expect(d.evidence.filter((e) => e.source === 'log').map((e) => e.text)).toContain('migrate-db-xnx8k/migrate: ERROR: relation "users" already exists');
  });
});

describe('telltaleLines', () => {
  it('prefers error-looking lines and keeps the last line', () => {
    expect(telltaleLines('start\nloading\nERROR: boom\nretrying\nstill going\ndone with code 3', 2)).toEqual(['ERROR: boom', 'done with code 3']);
  });
  it('falls back to the tail', () => {
    expect(telltaleLines('a\nb\nc\nd', 2)).toEqual(['c', 'd']);
  });
});
