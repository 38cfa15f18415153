// The demo's Job controller: suspend and resume, failure through FailureTarget, and the
// TTL-after-finished controller, compared with what the real controllers recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_ANNOTATION } from '../../src/demo/controller.js';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call, eventually, fixture, type WatchEventLine, watch } from './http.js';

// A settable clock: the store and every controller read time from it.
let clock = Date.parse('2026-12-01T19:47:35Z');
let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 60_000, tickMs: 0, now: () => clock });
});
afterAll(() => demo.close());

const jobs = '/apis/batch/v1/namespaces/demo/jobs';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const post = (name: string, scenario: object, spec: Record<string, unknown> = {}) =>
  call(demo.url, 'POST', jobs, {
    body: {
      metadata: { name, labels: { app: name } },
      spec: { backoffLimit: 0, ...spec, template: { metadata: { labels: { app: name }, annotations: { [SCENARIO_ANNOTATION]: JSON.stringify(scenario) } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
    },
  });
const get = async (name: string) => (await call(demo.url, 'GET', `${jobs}/${name}`)).body;
const events = async (name: string, uid: string) =>
  ((await call(demo.url, 'GET', `/api/v1/namespaces/demo/events?fieldSelector=involvedObject.kind=Job,involvedObject.name=${name},involvedObject.uid=${uid}`)).body.items as { reason: string; message: string; type: string }[]).map(
    (e) => e.reason,
  );
const pods = async (name: string) => (await call(demo.url, 'GET', `/api/v1/namespaces/demo/pods?labelSelector=batch.kubernetes.io/job-name=${name}`)).body.items as { metadata: { name: string } }[];
const merge = (name: string, body: unknown) => call(demo.url, 'PATCH', `${jobs}/${name}`, { body, contentType: 'application/merge-patch+json' });

describe('suspend and resume', () => {
  it('suspending a running Job deletes its pod and says Suspended, as recorded', async () => {
    await post('sus-job', { kind: 'forever', every: 5000, line: 'working' });
    const running = await eventually(async () => ((await get('sus-job')).status?.ready === 1 ? get('sus-job') : undefined), 'the pod to run');
    clock += 92_000;
    const patched = await merge('sus-job', { spec: { suspend: true } });
    expect(patched.body.status.active).toBe(1);
    const job = await eventually(async () => {
      const j = await get('sus-job');
      return j.status.conditions?.some((c: { type: string }) => c.type === 'Suspended') ? j : undefined;
    }, 'the Job controller to suspend');
    const rec = fixture('job-fixtures__sus-job-suspended.json').response.body as { status: Record<string, unknown> & { conditions: unknown[] } };
    expect(Object.keys(job.status)).toEqual(Object.keys(rec.status));
    expect(job.status.conditions).toEqual([{ type: 'Suspended', status: 'True', lastProbeTime: iso(clock), lastTransitionTime: iso(clock), reason: 'JobSuspended', message: 'Job suspended' }]);
    expect(job.status).toMatchObject({ startTime: running.status.startTime, terminating: 1, ready: 0 });
    expect(job.metadata.generation).toBe(2);
    expect(await pods('sus-job')).toEqual((fixture('pods-fixtures__sus-job-suspended.json').response.body as { items: unknown[] }).items);
    const recEvents = (fixture('events-fixtures__sus-job-suspended.json').response.body as { items: { reason: string }[] }).items.map((e) => e.reason);
    expect(await events('sus-job', job.metadata.uid)).toEqual(recEvents);
  });

  it('resuming starts a new pod, says Resumed and resets startTime', async () => {
    clock += 1000;
    await merge('sus-job', { spec: { suspend: false } });
    const job = await eventually(async () => {
      const j = await get('sus-job');
      return j.status.ready === 1 ? j : undefined;
    }, 'the resumed pod');
    const rec = fixture('job-fixtures__sus-job-resumed.json').response.body as { status: Record<string, unknown> };
    expect(Object.keys(job.status)).toEqual(Object.keys(rec.status));
    expect(job.status.conditions).toEqual([{ type: 'Suspended', status: 'False', lastProbeTime: iso(clock), lastTransitionTime: iso(clock), reason: 'JobResumed', message: 'Job resumed' }]);
    expect(job.status).toMatchObject({ startTime: iso(clock), active: 1, terminating: 0 });
    expect(job.metadata.generation).toBe(3);
    expect(await pods('sus-job')).toHaveLength(1);
    const recEvents = (fixture('events-fixtures__sus-job-resumed.json').response.body as { items: { reason: string }[] }).items.map((e) => e.reason);
    expect(await events('sus-job', job.metadata.uid)).toEqual(recEvents);
  });

  it('resumes a seeded Job that was created suspended and runs it to completion', async () => {
    const fast = await startDemoCluster({ noiseEvents: 0, podRunMs: 50, tickMs: 0 });
    try {
      await call(fast.url, 'PATCH', '/apis/batch/v1/namespaces/batch/jobs/paused', { body: { spec: { suspend: false } }, contentType: 'application/merge-patch+json' });
      const done = await eventually(async () => {
        const j = (await call(fast.url, 'GET', '/apis/batch/v1/namespaces/batch/jobs/paused')).body;
        return j.status.completionTime ? j : undefined;
      }, 'paused to complete');
      expect(done.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual(['Suspended=False', 'SuccessCriteriaMet=True', 'Complete=True']);
    } finally {
      await fast.close();
    }
  });
});

describe('failure', () => {
  it('goes FailureTarget (pod uncounted) then Failed (counted), in the recorded order of watch events', async () => {
    const rv = (await call(demo.url, 'GET', jobs)).body.metadata.resourceVersion;
    const stream = watch(demo.url, `${jobs}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name=watch-fail&timeoutSeconds=30`, {
      until: (seen) => seen.some((e) => e.object.status?.conditions?.some((c: { type: string }) => c.type === 'Failed')),
    });
    await post('watch-fail', { kind: 'exit', durationMs: 150, exitCode: 1, log: [[30, 'watch-fail: connecting to db'], [140, 'watch-fail: fatal: connection refused']] });
    const ours = (await stream).events;
    const recorded = (fixture('watch-jobs-ns-fixtures.json').response.bodyText ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchEventLine)
      .filter((e) => e.type !== 'BOOKMARK');
    const shape = (e: WatchEventLine) => ({
      type: e.type,
      status: Object.keys(e.object.status),
      conditions: (e.object.status.conditions ?? []).map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`),
      uncounted: Object.keys(e.object.status.uncountedTerminatedPods ?? {}),
    });
    expect(ours.map(shape)).toEqual(recorded.map(shape));
    const target = ours.at(-2)?.object;
    const [pod] = await pods('watch-fail');
    expect(target.status.uncountedTerminatedPods.failed).toEqual([(pod as unknown as { metadata: { uid: string } }).metadata.uid]);
    expect(ours.at(-1)?.object.status).toMatchObject({ failed: 1, uncountedTerminatedPods: {} });
    const reasons = await events('watch-fail', target.metadata.uid);
    expect(reasons).toEqual(['SuccessfulCreate', 'BackoffLimitExceeded']);
    const log = await call(demo.url, 'GET', `/api/v1/namespaces/demo/pods/${pod?.metadata.name}/log`);
    expect(log.text).toBe('watch-fail: connecting to db\nwatch-fail: fatal: connection refused\n');
  });

  it('retries while backoffLimit allows', async () => {
    await post('retry-fail', { kind: 'exit', durationMs: 40, exitCode: 2 }, { backoffLimit: 1 });
    const job = await eventually(async () => {
      const j = await get('retry-fail');
      return j.status.conditions?.some((c: { type: string }) => c.type === 'Failed') ? j : undefined;
    }, 'retry-fail to fail');
    expect(job.status.failed).toBe(2);
    expect(await pods('retry-fail')).toHaveLength(2);
  });
});

describe('ttlSecondsAfterFinished', () => {
  it('deletes the finished Job and its pods once the TTL has passed by the cluster clock', async () => {
    await post('ttl-done', { kind: 'exit', durationMs: 40, exitCode: 0 }, { ttlSecondsAfterFinished: 5 });
    const done = await eventually(async () => {
      const j = await get('ttl-done');
      return j.status.completionTime ? j : undefined;
    }, 'ttl-done to complete');
    const rec = fixture('job-fixtures__ttl-done.json').response.body as { status: Record<string, unknown> };
    expect(Object.keys(done.status)).toEqual(Object.keys(rec.status));
    demo.ttl.tick();
    expect((await call(demo.url, 'GET', `${jobs}/ttl-done`)).status).toBe(200);
    clock += 5000;
    demo.ttl.tick();
    const gone = await call(demo.url, 'GET', `${jobs}/ttl-done`);
    expect(gone.body).toEqual(fixture('error-404-job-ttl-deleted.json').response.body);
    expect(await pods('ttl-done')).toEqual((fixture('pods-fixtures__ttl-done-after-ttl.json').response.body as { items: unknown[] }).items);
  });
});
