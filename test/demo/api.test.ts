// The demo cluster's write paths and the resources no tool reads yet behave like the API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import type { Job, List, Pod } from '../../src/kube/types.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 100, deleteDelayMs: 0 });
});
afterAll(() => demo.close());

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(demo.url + path, {
    method,
    headers: { Authorization: `Bearer ${DEMO_TOKENS.admin}`, 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('demo cluster API', () => {
  it('lists and gets CronJobs and Namespaces', async () => {
    const list = await call('GET', '/apis/batch/v1/namespaces/ops/cronjobs');
    expect(list.body.kind).toBe('CronJobList');
    expect((list.body.items as { metadata: { name: string } }[]).map((c) => c.metadata.name)).toEqual(['nightly-migrate', 'rotate-certs', 'sync-billing']);
    const one = await call('GET', '/apis/batch/v1/namespaces/ops/cronjobs/nightly-migrate');
    expect(one.body).toMatchObject({ kind: 'CronJob', apiVersion: 'batch/v1', spec: { schedule: '0 2 * * *' } });
    const all = await call('GET', '/apis/batch/v1/cronjobs');
    expect((all.body.items as { metadata: { namespace: string; name: string } }[]).map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual([
      'batch/sales-rollup',
      'demo/cache-warmup',
      'demo/digest-email',
      'ops/nightly-migrate',
      'ops/rotate-certs',
      'ops/sync-billing',
    ]);
    const ns = await call('GET', '/api/v1/namespaces');
    expect((ns.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['batch', 'demo', 'ops']));
    expect((await call('GET', '/api/v1/namespaces/ops')).body).toMatchObject({ kind: 'Namespace', status: { phase: 'Active' } });
  });

  it('patches a Job (merge patch) and moves its resourceVersion on', async () => {
    const before = (await call('GET', '/apis/batch/v1/namespaces/batch/jobs/paused')).body as unknown as Job;
    const patched = await call('PATCH', '/apis/batch/v1/namespaces/batch/jobs/paused', { metadata: { labels: { team: 'a' } }, spec: { suspend: true } }, 'application/merge-patch+json');
    const job = patched.body as unknown as Job;
    expect(patched.status).toBe(200);
    expect(job.metadata.labels?.team).toBe('a');
    expect(job.metadata.uid).toBe(before.metadata.uid);
    expect(Number(job.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
  });

  it('creates a Job with the API server’s defaults and runs it to completion', async () => {
    const created = await call('POST', '/apis/batch/v1/namespaces/demo/jobs', {
      metadata: { generateName: 'adhoc-' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    });
    expect(created.status).toBe(201);
    const job = created.body as unknown as Job;
    expect(job.metadata.name).toMatch(/^adhoc-\w{5}$/);
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } } });
    expect(job.spec.template.metadata?.labels).toMatchObject({ 'job-name': job.metadata.name, 'controller-uid': job.metadata.uid });
    for (let i = 0; i < 100; i++) {
      const now = (await call('GET', `/apis/batch/v1/namespaces/demo/jobs/${job.metadata.name}`)).body as unknown as Job;
      if (now.status?.completionTime) {
        expect(now.status).toMatchObject({ succeeded: 1 });
        expect(now.status?.active).toBeUndefined();
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the demo Job controller did not complete the Job');
  });

  it('refuses a Job that still carries the old controller selector, as the API server does', async () => {
    const r = await call('POST', '/apis/batch/v1/namespaces/demo/jobs', {
      metadata: { name: 'copied' },
      spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'x' } }, template: { metadata: { labels: { 'controller-uid': 'x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    expect(r.status).toBe(422);
    expect((r.body.details as { causes: { field: string }[] }).causes.map((c) => c.field)).toEqual(['spec.selector', 'spec.template.metadata.labels']);
  });

  it('deletes with preconditions: a stale uid or resourceVersion is a 409 Conflict', async () => {
    const job = (await call('GET', '/apis/batch/v1/namespaces/batch/jobs/gpu-train')).body as unknown as Job;
    const stale = await call('DELETE', '/apis/batch/v1/namespaces/batch/jobs/gpu-train', { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'Conflict', message: expect.stringMatching(/^Operation cannot be fulfilled on Job\.batch "gpu-train": the ResourceVersion in the precondition \(1\) does not match/) });
    const wrongUid = await call('DELETE', '/apis/batch/v1/namespaces/batch/jobs/gpu-train', { preconditions: { uid: 'nope' } });
    expect(wrongUid.status).toBe(409);
    expect((await call('GET', '/apis/batch/v1/namespaces/batch/jobs/gpu-train')).status).toBe(200);
    const ok = await call('DELETE', '/apis/batch/v1/namespaces/batch/jobs/gpu-train', { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion } });
    expect(ok.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'gpu-train', kind: 'jobs' } });
    const pods = (await call('GET', `/api/v1/namespaces/batch/pods?labelSelector=batch.kubernetes.io/controller-uid=${job.metadata.uid}`)).body as unknown as List<Pod>;
    expect(pods.items).toEqual([]);
  });

  it('orphans the pods of a Job deleted without a propagation policy (batch/v1 default)', async () => {
    const job = (await call('GET', '/apis/batch/v1/namespaces/ops/jobs/send-invoices')).body as unknown as Job;
    await call('DELETE', '/apis/batch/v1/namespaces/ops/jobs/send-invoices');
    const pods = (await call('GET', `/api/v1/namespaces/ops/pods?labelSelector=batch.kubernetes.io/controller-uid=${job.metadata.uid}`)).body as unknown as List<Pod>;
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0]?.metadata.ownerReferences).toBeUndefined();
  });

  it('records each write with its body and the status it was answered with', async () => {
    const before = demo.api.writes.length;
    await call('PATCH', '/apis/batch/v1/namespaces/batch/jobs/paused', { metadata: { resourceVersion: '1' } }, 'application/merge-patch+json');
    await call('PATCH', '/apis/batch/v1/namespaces/batch/jobs/paused', { metadata: { annotations: { seen: 'yes' } } }, 'application/merge-patch+json');
    expect(demo.api.writes.slice(before).map((w) => [w.method, w.status, w.body])).toEqual([
      ['PATCH', 409, '{"metadata":{"resourceVersion":"1"}}'],
      ['PATCH', 200, '{"metadata":{"annotations":{"seen":"yes"}}}'],
    ]);
  });

  it('answers writes from a read-only identity with 403', async () => {
    const res = await fetch(`${demo.url}/apis/batch/v1/namespaces/batch/jobs/paused`, { method: 'DELETE', headers: { Authorization: `Bearer ${DEMO_TOKENS.viewer}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/cannot delete resource "jobs" in API group "batch" in the namespace "batch"/);
  });
});
