// DELETE of a Job: preconditions, and what each propagation policy does to the Job and its pods,
// compared with what a Kubernetes 1.32 API server and garbage collector did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_ANNOTATION } from '../../src/demo/controller.js';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call, eventually, fixture } from './http.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 60_000, tickMs: 0 });
});
afterAll(() => demo.close());

const jobs = '/apis/batch/v1/namespaces/demo/jobs';
/** A running Job whose pod runs until deleted, as the recordings' del-* Jobs. */
async function runningJob(base: string, name: string) {
  const created = await call(base, 'POST', jobs, {
    body: {
      metadata: { name, labels: { app: name } },
      spec: { backoffLimit: 0, template: { metadata: { labels: { app: name }, annotations: { [SCENARIO_ANNOTATION]: '{"kind":"forever","every":5000,"line":"working"}' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
    },
  });
  expect(created.status).toBe(201);
  return eventually(async () => {
    const j = (await call(base, 'GET', `${jobs}/${name}`)).body;
    return j.status?.ready === 1 ? j : undefined;
  }, `${name} running`);
}
const podsOf = async (base: string, name: string) => (await call(base, 'GET', `/api/v1/namespaces/demo/pods?labelSelector=batch.kubernetes.io/job-name=${name}`)).body.items as { metadata: Record<string, unknown>; status: { phase: string } }[];
const paths = (v: unknown, p = ''): string[] =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).flatMap(([k, x]) => (/(labels|annotations|matchLabels|managedFields)$/.test(p) ? [] : [`${p}${k}`, ...paths(x, `${p}${k}.`)])) : [];

describe('DELETE of a Job', () => {
  it('without a propagation policy orphans the pods, with the recorded warning and the Job marked orphan', async () => {
    const job = await runningJob(demo.url, 'del-orphan');
    const r = await call(demo.url, 'DELETE', `${jobs}/del-orphan`);
    const rec = fixture('delete-job-default-orphan-fixtures__del-orphan.json').response;
    expect(r.status).toBe(200);
    expect(r.headers.get('warning')).toBe(rec.headers.warning);
    expect(r.body.metadata).toMatchObject({ deletionGracePeriodSeconds: 0, finalizers: ['orphan'], generation: job.metadata.generation + 1, deletionTimestamp: expect.any(String) });
    const missing = paths(rec.body).filter((p) => !paths(r.body).includes(p) && !p.startsWith('spec.template.spec.'));
    expect(missing).toEqual([]);
    expect((await call(demo.url, 'GET', `${jobs}/del-orphan`)).status).toBe(404);
    const [pod] = await podsOf(demo.url, 'del-orphan');
    const orphaned = (fixture('pods-fixtures__del-orphan-orphaned.json').response.body as { items: { metadata: Record<string, unknown>; status: { phase: string } }[] }).items[0];
    expect(pod?.status.phase).toBe(orphaned?.status.phase);
    expect(pod?.metadata.ownerReferences).toBeUndefined();
    expect(pod?.metadata.finalizers).toBeUndefined();
    expect(Object.keys(pod?.metadata.labels as object)).toEqual(expect.arrayContaining(['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name']));
  });

  it('with Background and matching preconditions answers the recorded Status; the pods go too', async () => {
    const job = await runningJob(demo.url, 'del-bg');
    const r = await call(demo.url, 'DELETE', `${jobs}/del-bg`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion } } });
    const rec = fixture('delete-job-background-200-fixtures__del-bg.json').response.body as { details: { uid: string } };
    expect(r.status).toBe(200);
    expect(r.headers.get('warning')).toBeNull();
    expect(r.body).toEqual({ ...rec, details: { ...rec.details, uid: job.metadata.uid } });
    const gone = await call(demo.url, 'GET', `${jobs}/del-bg`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(fixture('error-404-deleted-job.json').response.body);
    expect(await podsOf(demo.url, 'del-bg')).toEqual([]);
  });

  it('refuses a stale resourceVersion or uid precondition with the recorded 409 and keeps the Job', async () => {
    const job = await runningJob(demo.url, 'del-bg');
    const rec = fixture('error-409-delete-precondition-stale-rv.json').response.body as { message: string };
    const stale = await call(demo.url, 'DELETE', `${jobs}/del-bg`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid, resourceVersion: '12631' } } });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ ...rec, message: rec.message.replace('(12632)', `(${job.metadata.resourceVersion})`) });
    const wrongUid = await call(demo.url, 'DELETE', `${jobs}/del-bg`, { body: { propagationPolicy: 'Background', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } } });
    expect(wrongUid.body.message).toBe(
      `Operation cannot be fulfilled on Job.batch "del-bg": the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in record (${job.metadata.uid}). The object might have been deleted and then recreated`,
    );
    expect((await call(demo.url, 'GET', `${jobs}/del-bg`)).status).toBe(200);
    expect(await podsOf(demo.url, 'del-bg')).toHaveLength(1);
  });

  it('with Foreground answers the Job marked foregroundDeletion, and the pods go before it', async () => {
    await runningJob(demo.url, 'del-fg');
    const r = await call(demo.url, 'DELETE', `${jobs}/del-fg`, { body: { propagationPolicy: 'Foreground' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'Job', metadata: { finalizers: ['foregroundDeletion'] } });
    expect(r.headers.get('warning')).toBeNull();
    expect((await call(demo.url, 'GET', `${jobs}/del-fg`)).status).toBe(404);
    expect(await podsOf(demo.url, 'del-fg')).toEqual([]);
  });

  it('with an explicit Orphan policy gives no warning; an unknown policy is a 400', async () => {
    await runningJob(demo.url, 'del-explicit');
    const r = await call(demo.url, 'DELETE', `${jobs}/del-explicit?propagationPolicy=Orphan`);
    expect(r.status).toBe(200);
    expect(r.headers.get('warning')).toBeNull();
    expect(await podsOf(demo.url, 'del-explicit')).toHaveLength(1);
    const bad = await call(demo.url, 'DELETE', `${jobs}/hello`, { body: { propagationPolicy: 'Sometimes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^propagationPolicy: Unsupported value: "Sometimes"/);
  });
});

describe('DELETE with a garbage collector that takes its time', () => {
  let slow: DemoCluster;
  beforeAll(async () => {
    slow = await startDemoCluster({ noiseEvents: 0, podRunMs: 60_000, tickMs: 0, deleteDelayMs: 300, gcDelayMs: 300 });
  });
  afterAll(() => slow.close());

  it('Background: the Job is gone at once, its pods only later', async () => {
    await runningJob(slow.url, 'bg-slow');
    await call(slow.url, 'DELETE', `${jobs}/bg-slow`, { body: { propagationPolicy: 'Background' } });
    expect((await call(slow.url, 'GET', `${jobs}/bg-slow`)).status).toBe(404);
    expect(await podsOf(slow.url, 'bg-slow')).toHaveLength(1);
    await eventually(async () => (await podsOf(slow.url, 'bg-slow')).length === 0, 'the pods to be garbage-collected');
  });

  it('Orphan: the marked Job is still readable until the garbage collector removes it', async () => {
    await runningJob(slow.url, 'orphan-slow');
    await call(slow.url, 'DELETE', `${jobs}/orphan-slow`);
    const marked = await call(slow.url, 'GET', `${jobs}/orphan-slow`);
    expect(marked.body.metadata).toMatchObject({ finalizers: ['orphan'], deletionTimestamp: expect.any(String) });
    await eventually(async () => (await call(slow.url, 'GET', `${jobs}/orphan-slow`)).status === 404, 'the Job to go');
    const [pod] = await podsOf(slow.url, 'orphan-slow');
    expect(pod?.metadata.ownerReferences).toBeUndefined();
  });
});
