// The demo's CronJob controller, driven by a settable clock and explicit ticks, replaying the
// recorded CronJobs: the Jobs it creates, its status writes and its events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call, eventually, fixture } from './http.js';

let clock = Date.parse('2026-12-01T19:47:35Z');
let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 60_000, tickMs: 0, now: () => clock });
  demo.store.put('namespaces', { metadata: { name: 'fixtures', labels: { 'kubernetes.io/metadata.name': 'fixtures' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
});
afterAll(() => demo.close());

const base = '/apis/batch/v1/namespaces/fixtures';
// biome-ignore lint/suspicious/noExplicitAny: request bodies are edited field by field
const body = (f: string): any => structuredClone(fixture(f).request.body);
const at = (iso: string) => {
  clock = Date.parse(iso);
};
const tick = () => demo.cronJobs.tick();
const getCron = async (name: string) => (await call(demo.url, 'GET', `${base}/cronjobs/${name}`)).body;
const getJob = (name: string) => call(demo.url, 'GET', `${base}/jobs/${name}`);
const cronEvents = async (name: string) => {
  const cj = await getCron(name);
  const r = await call(demo.url, 'GET', `/api/v1/namespaces/fixtures/events?fieldSelector=involvedObject.kind=CronJob,involvedObject.name=${name},involvedObject.uid=${cj.metadata.uid}`);
  return (r.body.items as { reason: string; message: string; type: string; count: number }[]).map((e) => ({ reason: e.reason, message: e.message, type: e.type, count: e.count }));
};
const jobsOf = async (cronJob: string) =>
  ((await call(demo.url, 'GET', `${base}/jobs`)).body.items as { metadata: { name: string; ownerReferences?: { name: string }[] } }[]).filter((j) => j.metadata.ownerReferences?.[0]?.name === cronJob).map((j) => j.metadata.name);
const paths = (v: unknown, p = ''): string[] =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).flatMap(([k, x]) => (/(labels|annotations|managedFields)$/.test(p) ? [] : [`${p}${k}`, ...paths(x, `${p}${k}.`)])) : [];

describe('creating a CronJob', () => {
  it('defaults it like the API server did for the recorded every-minute', async () => {
    const r = await call(demo.url, 'POST', `${base}/cronjobs`, { body: body('post-cronjob-201-fixtures__every-minute.json') });
    const rec = fixture('post-cronjob-201-fixtures__every-minute.json').response.body as { spec: unknown; status: unknown };
    expect(r.status).toBe(201);
    expect(r.body.spec).toEqual({ ...(rec.spec as object), jobTemplate: expect.anything() });
    expect(paths(r.body.spec)).toEqual(expect.arrayContaining(paths(rec.spec).filter((p) => !p.endsWith('nodeName'))));
    expect(r.body.status).toEqual(rec.status);
    expect(r.body.metadata).toMatchObject({ creationTimestamp: '2026-12-01T19:47:35Z', generation: 1 });
  });

  it('rejects a schedule or time zone the API server would reject', async () => {
    const bad = body('post-cronjob-201-fixtures__quick-hello.json');
    bad.metadata.name = 'bad-schedule';
    bad.spec.schedule = '0 0 * * * *';
    const r = await call(demo.url, 'POST', `${base}/cronjobs`, { body: bad });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ reason: 'Invalid', details: { kind: 'CronJob', causes: [expect.objectContaining({ field: 'spec.schedule' })] } });
    bad.spec.schedule = '* * * * *';
    bad.spec.timeZone = 'Europe/Atlantis';
    expect((await call(demo.url, 'POST', `${base}/cronjobs`, { body: bad })).body.details.causes[0].field).toBe('spec.timeZone');
  });
});

describe('at a due time', () => {
  it('creates <name>-<minutes> from the jobTemplate, like the recorded every-minute-29935908', async () => {
    at('2026-12-01T19:48:00.200Z');
    await tick();
    const job = await getJob('every-minute-29935908');
    expect(job.status).toBe(200);
    const rec = fixture('job-fixtures__every-minute-29935908.json').response.body as { metadata: { labels: object; annotations: object; ownerReferences: { uid: string }[] } };
    const cj = await getCron('every-minute');
    expect(job.body.metadata.labels).toEqual(rec.metadata.labels);
    expect(job.body.metadata.annotations).toEqual(rec.metadata.annotations);
    expect(job.body.metadata.ownerReferences).toEqual([{ ...rec.metadata.ownerReferences[0], uid: cj.metadata.uid }]);
    const recCron = fixture('cronjob-fixtures__every-minute.json').response.body as { status: { active: object[]; lastScheduleTime: string } };
    expect(cj.status.lastScheduleTime).toBe(recCron.status.lastScheduleTime);
    expect(cj.status.active).toEqual([{ kind: 'Job', namespace: 'fixtures', name: 'every-minute-29935908', uid: job.body.metadata.uid, apiVersion: 'batch/v1', resourceVersion: expect.any(String) }]);
    expect(Object.keys(cj.status.active[0])).toEqual(Object.keys(recCron.status.active[0] as object));
    // Its pod comes up before the next minute, as in the recording (a Job update would sync the CronJob again).
    await eventually(async () => (await getJob('every-minute-29935908')).body.status.ready === 1, 'the pod to be ready');
  });

  it('with Forbid and a running Job skips the next run: JobAlreadyActive, lastScheduleTime kept', async () => {
    at('2026-12-01T19:49:00.200Z');
    await tick();
    expect(await jobsOf('every-minute')).toEqual(['every-minute-29935908']);
    expect((await getCron('every-minute')).status.lastScheduleTime).toBe('2026-12-01T19:48:00Z');
    const rec = (fixture('events-cronjob-fixtures__every-minute.json').response.body as { items: { reason: string; message: string; type: string; count: number }[] }).items.map((e) => ({ reason: e.reason, message: e.message, type: e.type, count: e.count }));
    expect(await cronEvents('every-minute')).toEqual(rec);
  });

  it('notices a completed Job (SawCompletedJob, lastSuccessfulTime) and runs the next one with Allow', async () => {
    const quick = body('post-cronjob-201-fixtures__quick-hello.json');
    quick.spec.jobTemplate.spec.template.metadata.annotations['kube-real.sim/scenario'] = '{"kind":"exit","durationMs":40,"exitCode":0}';
    at('2026-12-01T19:47:40Z');
    expect((await call(demo.url, 'POST', `${base}/cronjobs`, { body: quick })).status).toBe(201);
    await tick();
    at('2026-12-01T19:48:00.300Z');
    await tick();
    at('2026-12-01T19:48:02Z');
    const cj = await eventually(async () => {
      const c = await getCron('quick-hello');
      return c.status.lastSuccessfulTime && !c.status.active ? c : undefined;
    }, 'SawCompletedJob');
    const rec = fixture('cronjob-fixtures__quick-hello.json').response.body as { status: object };
    expect(Object.keys(cj.status)).toEqual(Object.keys(rec.status));
    at('2026-12-01T19:49:00.300Z');
    await tick();
    await eventually(async () => !(await getCron('quick-hello')).status.active, 'the second run to finish');
    expect(await jobsOf('quick-hello')).toEqual(['quick-hello-29935908', 'quick-hello-29935909']);
    const recEvents = (fixture('events-cronjob-fixtures__quick-hello.json').response.body as { items: { reason: string; message: string }[] }).items.filter((e) => e.reason !== 'UnexpectedJob');
    expect((await cronEvents('quick-hello')).map((e) => [e.reason, e.message])).toEqual(recEvents.map((e) => [e.reason, e.message]));
  });

  it('warns UnexpectedJob for an owned Job it did not create (kubectl create job --from) and never lists it as active', async () => {
    const cj = await getCron('quick-hello');
    const manual = body('post-job-from-cronjob-201-fixtures__manual-hello.json');
    manual.metadata.ownerReferences[0].uid = cj.metadata.uid;
    manual.spec.template.metadata.annotations['kube-real.sim/scenario'] = '{"kind":"forever"}';
    expect((await call(demo.url, 'POST', `${base}/jobs`, { body: manual })).status).toBe(201);
    const warned = await eventually(async () => (await cronEvents('quick-hello')).find((e) => e.reason === 'UnexpectedJob'), 'UnexpectedJob');
    expect(warned).toMatchObject({ type: 'Warning', message: 'Saw a job that the controller did not create or forgot: manual-hello' });
    expect((await getCron('quick-hello')).status.active).toBeUndefined();
  });

  it('prunes finished Jobs beyond successfulJobsHistoryLimit, oldest first (a manual Job counts)', async () => {
    await call(demo.url, 'DELETE', `${base}/jobs/manual-hello`, { body: { propagationPolicy: 'Background' } });
    await call(demo.url, 'PATCH', `${base}/cronjobs/quick-hello`, { body: { spec: { successfulJobsHistoryLimit: 1 } }, contentType: 'application/merge-patch+json' });
    await eventually(async () => (await jobsOf('quick-hello')).length === 1, 'history pruning');
    expect(await jobsOf('quick-hello')).toEqual(['quick-hello-29935909']);
    expect((await cronEvents('quick-hello')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual(['Deleted job quick-hello-29935908']);
    expect((await getJob('quick-hello-29935908')).status).toBe(404);
  });
});

describe('concurrency, suspend, missed starts', () => {
  const cron = (name: string, spec: Record<string, unknown>, scenario = '{"kind":"forever"}') => {
    const b = body('post-cronjob-201-fixtures__quick-hello.json');
    b.metadata.name = name;
    Object.assign(b.spec, spec);
    b.spec.jobTemplate.spec.template.metadata.annotations['kube-real.sim/scenario'] = scenario;
    return call(demo.url, 'POST', `${base}/cronjobs`, { body: b });
  };

  it('with Replace deletes the running Job and starts the new one', async () => {
    at('2026-12-01T20:00:10Z');
    await cron('replacer', { schedule: '*/5 * * * *', concurrencyPolicy: 'Replace' });
    await tick();
    at('2026-12-01T20:05:00.200Z');
    await tick();
    at('2026-12-01T20:10:00.200Z');
    await tick();
    expect(await jobsOf('replacer')).toEqual(['replacer-29935930']);
    expect((await cronEvents('replacer')).map((e) => `${e.reason}: ${e.message}`)).toEqual(['SuccessfulCreate: Created job replacer-29935925', 'SuccessfulDelete: Deleted job replacer-29935925', 'SuccessfulCreate: Created job replacer-29935930']);
  });

  it('starts nothing while suspended', async () => {
    at('2026-12-01T20:10:30Z');
    await cron('sleeper', { schedule: '*/1 * * * *', suspend: true });
    await tick();
    at('2026-12-01T20:15:00.200Z');
    await tick();
    expect(await jobsOf('sleeper')).toEqual([]);
    expect((await getCron('sleeper')).status).toEqual({});
  });

  it('after more than 100 missed runs warns TooManyMissedTimes and (as 1.32 does) still starts the most recent one', async () => {
    at('2026-12-01T20:15:30Z');
    await cron('lagging', { schedule: '*/1 * * * *', suspend: true });
    await tick();
    at('2026-12-01T23:00:30Z');
    await call(demo.url, 'PATCH', `${base}/cronjobs/lagging`, { body: { spec: { suspend: false } }, contentType: 'application/merge-patch+json' });
    await tick();
    await eventually(async () => (await jobsOf('lagging')).length === 1, 'the late run');
    expect(await jobsOf('lagging')).toEqual([`lagging-${Date.parse('2026-12-01T23:00:00Z') / 60_000}`]);
    expect((await cronEvents('lagging')).map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'],
      ['Normal', 'SuccessfulCreate', `Created job lagging-${Date.parse('2026-12-01T23:00:00Z') / 60_000}`],
    ]);
  });

  it('with a startingDeadlineSeconds shorter than the lag skips the run, with no event (MissSchedule cannot fire in 1.32)', async () => {
    at('2026-12-01T23:01:10Z');
    await cron('strict', { schedule: '*/5 * * * *', startingDeadlineSeconds: 10 });
    await tick();
    at('2026-12-01T23:05:20Z');
    await tick();
    expect(await jobsOf('strict')).toEqual([]);
    expect(await cronEvents('strict')).toEqual([]);
    expect((await getCron('strict')).status).toEqual({});
    at('2026-12-01T23:10:05Z');
    await tick();
    expect(await jobsOf('strict')).toEqual([`strict-${Date.parse('2026-12-01T23:10:00Z') / 60_000}`]);
  });
});

describe('the seeded CronJobs', () => {
  it('are left alone at start-up: nothing new until one of them is due', async () => {
    const fresh = await startDemoCluster({ noiseEvents: 0, tickMs: 0 });
    try {
      const before = fresh.store.resourceVersion;
      await fresh.cronJobs.tick();
      await fresh.cronJobs.tick();
      expect(fresh.store.resourceVersion).toBe(before);
    } finally {
      await fresh.close();
    }
  });

  it('run again at their next hourly slot', async () => {
    let now = Date.now();
    const fresh = await startDemoCluster({ noiseEvents: 0, tickMs: 0, now: () => now });
    try {
      await fresh.cronJobs.tick();
      const next = Math.ceil((now + 1) / 3_600_000) * 3_600_000; // the slots are 30 min from start: at most an hour on
      now = next + 30 * 60_000;
      await fresh.cronJobs.tick();
      const rollups = fresh.store.all<{ metadata: { name: string } }>('jobs').filter((j) => j.metadata.name.startsWith('sales-rollup-'));
      expect(rollups.length).toBe(5);
      const blocked = fresh.store.all<{ metadata: { name: string }; reason?: string; involvedObject: { name?: string }; count?: number }>('events').find((e) => e.involvedObject.name === 'sync-billing' && e.reason === 'JobAlreadyActive');
      expect(blocked?.count).toBe(4);
    } finally {
      await fresh.close();
    }
  });
});
