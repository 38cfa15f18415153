// PATCH and PUT on Jobs and CronJobs answer like a Kubernetes 1.32 API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call, fixture } from './http.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 60_000, tickMs: 0 });
});
afterAll(() => demo.close());

const MERGE = 'application/merge-patch+json';
const job = (ns: string, name: string) => `/apis/batch/v1/namespaces/${ns}/jobs/${name}`;
const cronJob = (ns: string, name: string) => `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`;
const patch = (path: string, body: unknown, contentType = MERGE) => call(demo.url, 'PATCH', path, { body, contentType });

describe('PATCH of a Job', () => {
  it('merge-patches spec.suspend: a new resourceVersion and generation, status as before the controller reacts', async () => {
    const before = (await call(demo.url, 'GET', job('demo', 'data-sync'))).body;
    const r = await patch(job('demo', 'data-sync'), { spec: { suspend: true } });
    expect(r.status).toBe(200);
    expect(r.body.spec.suspend).toBe(true);
    expect(r.body.metadata.generation).toBe(before.metadata.generation + 1);
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    // As recorded: the response still shows the running pod, no Suspended condition yet.
    const rec = fixture('patch-job-suspend-200-fixtures__sus-job.json').response.body as { status: Record<string, unknown> };
    expect(Object.keys(r.body.status).sort()).toEqual(Object.keys(rec.status).sort());
    expect(r.body.status).toEqual(before.status);
  });

  it('changes metadata without moving generation on', async () => {
    const before = (await call(demo.url, 'GET', job('batch', 'gpu-train'))).body;
    const r = await patch(job('batch', 'gpu-train'), { metadata: { labels: { owner: 'ml' }, annotations: { note: 'waiting for a GPU node' } } });
    expect(r.body.metadata.labels).toMatchObject({ app: 'train', owner: 'ml' });
    expect(r.body.metadata.generation).toBe(before.metadata.generation);
    expect(r.body.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
  });

  it('treats metadata.resourceVersion in the body as a precondition: stale is the recorded 409 Conflict', async () => {
    const r = await patch(job('batch', 'paused'), { metadata: { resourceVersion: '687', labels: { touched: 'yes' } } });
    expect(r.status).toBe(409);
    expect(r.body).toEqual(fixture('error-409-conflict-stale-rv.json').response.body);
    expect((await call(demo.url, 'GET', job('batch', 'paused'))).body.metadata.labels?.touched).toBeUndefined();
  });

  it('applies a patch whose resourceVersion is current', async () => {
    const current = (await call(demo.url, 'GET', job('batch', 'paused'))).body;
    const r = await patch(job('batch', 'paused'), { metadata: { resourceVersion: current.metadata.resourceVersion, labels: { touched: 'yes' } } });
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels.touched).toBe('yes');
  });

  it('takes a strategic merge patch and a JSON patch (with a test op as precondition)', async () => {
    const smp = await patch(job('batch', 'paused'), { metadata: { annotations: { a: '1' } } }, 'application/strategic-merge-patch+json');
    expect(smp.body.metadata.annotations.a).toBe('1');
    const rv = smp.body.metadata.resourceVersion;
    const stale = await patch(job('batch', 'paused'), [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }, { op: 'replace', path: '/metadata/annotations/a', value: '2' }], 'application/json-patch+json');
    expect(stale.status).toBe(422);
    const ok = await patch(job('batch', 'paused'), [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, { op: 'replace', path: '/metadata/annotations/a', value: '2' }], 'application/json-patch+json');
    expect(ok.status).toBe(200);
    expect(ok.body.metadata.annotations.a).toBe('2');
  });

  it('ignores status in a patch of the main resource, and refuses to change the selector', async () => {
    const before = (await call(demo.url, 'GET', job('batch', 'report-oom'))).body;
    const r = await patch(job('batch', 'report-oom'), { status: { succeeded: 5 } });
    expect(r.status).toBe(200);
    expect(r.body.status).toEqual(before.status);
    const sel = await patch(job('batch', 'report-oom'), { spec: { selector: { matchLabels: { app: 'x' } } } });
    expect(sel.status).toBe(422);
    expect(sel.body).toMatchObject({ reason: 'Invalid', details: { kind: 'Job', causes: [expect.objectContaining({ field: 'spec.selector' })] } });
  });

  it('answers an unknown patch type with 415 and a missing Job with 404', async () => {
    const r = await patch(job('batch', 'paused'), { spec: {} }, 'text/plain');
    expect(r.status).toBe(415);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    expect((await patch(job('batch', 'nope'), { spec: { suspend: true } })).body).toMatchObject({ reason: 'NotFound', message: 'jobs.batch "nope" not found' });
  });

  it('refuses a viewer', async () => {
    const r = await call(demo.url, 'PATCH', job('batch', 'paused'), { body: { spec: { suspend: false } }, contentType: MERGE, token: DEMO_TOKENS.viewer });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/cannot patch resource "jobs" in API group "batch" in the namespace "batch"/);
  });
});

describe('PATCH and PUT of a CronJob', () => {
  it('merge-patches spec.suspend like the recorded response: status kept, generation moved on', async () => {
    const before = (await call(demo.url, 'GET', cronJob('ops', 'sync-billing'))).body;
    const r = await patch(cronJob('ops', 'sync-billing'), { spec: { suspend: true } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'CronJob', apiVersion: 'batch/v1', spec: { suspend: true } });
    expect(r.body.status).toEqual(before.status);
    expect(r.body.metadata.generation).toBe(before.metadata.generation + 1);
    const rec = fixture('patch-cronjob-suspend-200-fixtures__every-minute.json').response.body as { status: { active: unknown[] } };
    expect(Object.keys(r.body.status.active[0])).toEqual(Object.keys(rec.status.active[0] as object));
  });

  it('merges a strategic patch of the jobTemplate containers by name', async () => {
    const r = await patch(
      cronJob('batch', 'sales-rollup'),
      { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'rollup', env: [{ name: 'LOCK_TIMEOUT', value: '30s' }] }] } } } } } },
      'application/strategic-merge-patch+json',
    );
    expect(r.status).toBe(200);
    expect(r.body.spec.jobTemplate.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'rollup', image: 'ghcr.io/acme/sales-rollup:3.2.0', env: [{ name: 'LOCK_TIMEOUT', value: '30s' }] })]);
  });

  it('updates with PUT and a stale resourceVersion is a Conflict on cronjobs.batch', async () => {
    const current = (await call(demo.url, 'GET', cronJob('demo', 'digest-email'))).body;
    const stale = await call(demo.url, 'PUT', cronJob('demo', 'digest-email'), { body: { ...current, metadata: { ...current.metadata, resourceVersion: '1' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe('Operation cannot be fulfilled on cronjobs.batch "digest-email": the object has been modified; please apply your changes to the latest version and try again');
    const ok = await call(demo.url, 'PUT', cronJob('demo', 'digest-email'), { body: { ...current, spec: { ...current.spec, startingDeadlineSeconds: 300 } } });
    expect(ok.status).toBe(200);
    expect(ok.body.spec.startingDeadlineSeconds).toBe(300);
    expect(ok.body.metadata.generation).toBe(current.metadata.generation + 1);
  });

  it('rejects an unknown time zone', async () => {
    const r = await patch(cronJob('demo', 'cache-warmup'), { spec: { timeZone: 'Mars/Olympus' } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0]).toMatchObject({ field: 'spec.timeZone' });
  });
});
