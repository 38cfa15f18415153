import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_LABELS, rerunBody, rerunName } from '../../src/kube/rerun.js';
import type { Job } from '../../src/kube/types.js';

const fixture = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/${f}`, import.meta.url), 'utf8')).response.body as Job;

describe('rerunBody', () => {
  it.each(['job-batch__report-oom.json', 'job-batch__render-frames.json', 'job-ops__migrate-db.json', 'job-batch__paused.json'])('strips what the API server generated from %s', (f) => {
    const job = fixture(f);
    const body = rerunBody(job, 'new-name', { 'k8s-jobs-mcp.io/rerun-of': job.metadata.name });
    expect(body.metadata).not.toHaveProperty('uid');
    expect(body.metadata).not.toHaveProperty('resourceVersion');
    expect(body.metadata).not.toHaveProperty('creationTimestamp');
    expect(body.metadata).not.toHaveProperty('generation');
    expect(body.metadata).not.toHaveProperty('managedFields');
    expect(body.metadata).not.toHaveProperty('ownerReferences');
    expect(body).not.toHaveProperty('status');
    expect(body.spec).not.toHaveProperty('selector');
    for (const l of GENERATED_LABELS) {
      expect(body.spec.template.metadata?.labels ?? {}).not.toHaveProperty(l);
      expect(body.metadata.labels ?? {}).not.toHaveProperty(l);
    }
    expect(body.metadata.name).toBe('new-name');
    expect(body.metadata.annotations?.['k8s-jobs-mcp.io/rerun-of']).toBe(job.metadata.name);
    expect(body.spec.template.spec.containers).toEqual(job.spec.template.spec.containers);
    expect(job.metadata.uid).toBeDefined(); // the source is not modified
  });

  it('keeps a manual selector', () => {
    const job = fixture('job-batch__paused.json');
    job.spec.manualSelector = true;
    job.spec.selector = { matchLabels: { app: 'x' } };
    expect(rerunBody(job, 'n').spec.selector).toEqual({ matchLabels: { app: 'x' } });
  });
});

describe('rerunName', () => {
  it('appends -rerun-<suffix>', () => {
    expect(rerunName('report-oom', 'ab3de')).toBe('report-oom-rerun-ab3de');
  });
  it('stays a valid name of at most 63 characters', () => {
    const n = rerunName(`${'a'.repeat(50)}-${'b'.repeat(12)}`, 'x1y2z');
    expect(n.length).toBeLessThanOrEqual(63);
    expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(rerunName(`${'a'.repeat(50)}-bbbbb`, 'x1y2z')).not.toMatch(/--rerun/);
  });
});
