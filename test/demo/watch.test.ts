// Watch streams: the events after a resourceVersion, selectors, bookmarks, the end at
// timeoutSeconds, 410 Expired for a too-old resourceVersion, and clean shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_ANNOTATION } from '../../src/demo/controller.js';
import { DEMO_TOKENS, type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call, eventually, fixture, sleep, type WatchEventLine, watch } from './http.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 60_000, tickMs: 0 });
});
afterAll(() => demo.close());

const jobs = '/apis/batch/v1/namespaces/demo/jobs';
const newJob = (name: string, labels: Record<string, string> = {}) =>
  call(demo.url, 'POST', jobs, {
    body: { metadata: { name, labels }, spec: { suspend: true, template: { metadata: { annotations: { [SCENARIO_ANNOTATION]: '{"kind":"forever"}' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } },
  });
const listRv = async (path = jobs) => (await call(demo.url, 'GET', path)).body.metadata.resourceVersion as string;
const summary = (events: WatchEventLine[]) => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`.trim());

describe('watch of Jobs', () => {
  it('streams ADDED, MODIFIED and DELETED after the list resourceVersion, and ends at timeoutSeconds', async () => {
    const rv = await listRv();
    const stream = watch(demo.url, `${jobs}?watch=1&resourceVersion=${rv}&timeoutSeconds=2`);
    await newJob('w-one');
    await call(demo.url, 'PATCH', `${jobs}/w-one`, { body: { metadata: { labels: { step: '2' } } }, contentType: 'application/merge-patch+json' });
    await call(demo.url, 'DELETE', `${jobs}/w-one`, { body: { propagationPolicy: 'Background' } });
    const r = await stream;
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.ended).toBe(true);
    const mine = r.events.filter((e) => e.object.metadata?.name === 'w-one');
    expect(mine[0]?.type).toBe('ADDED');
    expect(mine.at(-1)?.type).toBe('DELETED');
    expect(mine.slice(1, -1).every((e) => e.type === 'MODIFIED')).toBe(true);
    expect(mine.some((e) => e.object.metadata.labels?.step === '2')).toBe(true);
    const rvs = mine.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    for (const e of mine) expect(Object.keys(e.object).slice(0, 2)).toEqual(['kind', 'apiVersion']);
  });

  it('replays the changes made before the watch began, from its resourceVersion', async () => {
    const rv = await listRv();
    await newJob('w-before');
    const r = await watch(demo.url, `${jobs}?watch=1&resourceVersion=${rv}&timeoutSeconds=1&fieldSelector=metadata.name=w-before`);
    expect(summary(r.events)[0]).toBe('ADDED w-before');
  });

  it('narrows to one Job with fieldSelector=metadata.name, and follows a labelSelector in and out', async () => {
    const rv = await listRv();
    const named = watch(demo.url, `${jobs}?watch=1&resourceVersion=${rv}&timeoutSeconds=1&fieldSelector=metadata.name=w-two`);
    const labelled = watch(demo.url, `${jobs}?watch=1&resourceVersion=${rv}&timeoutSeconds=1&labelSelector=tier%3Dgold`);
    await newJob('w-two');
    await newJob('w-three', { tier: 'silver' });
    const patchLabels = (name: string, tier: string) => call(demo.url, 'PATCH', `${jobs}/${name}`, { body: { metadata: { labels: { tier } } }, contentType: 'application/merge-patch+json' });
    await patchLabels('w-three', 'gold');
    await patchLabels('w-three', 'bronze');
    const byName = await named;
    expect(new Set(byName.events.map((e) => e.object.metadata.name))).toEqual(new Set(['w-two']));
    expect(summary((await labelled).events)).toEqual(['ADDED w-three', 'DELETED w-three']);
  });

  it('starts with ADDED for every matching Job when resourceVersion is unset', async () => {
    const r = await watch(demo.url, '/apis/batch/v1/namespaces/batch/jobs?watch=true&timeoutSeconds=1&labelSelector=app%3Dreport');
    expect(summary(r.events)).toEqual(['ADDED report-oom']);
  });

  it('sends a BOOKMARK shaped like the recorded one before the timeout when asked', async () => {
    const rv = await listRv();
    const r = await watch(demo.url, `${jobs}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=3`);
    const bookmark = r.events.find((e) => e.type === 'BOOKMARK');
    const recorded = fixture('watch-jobs-ns-fixtures.json')
      .response.bodyText?.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchEventLine)
      .find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toEqual({ ...recorded?.object, metadata: { ...recorded?.object.metadata, resourceVersion: demo.store.resourceVersion } });
    expect(r.ended).toBe(true);
  });

  it('answers a too-old resourceVersion with HTTP 200 and one ERROR event, as recorded', async () => {
    const r = await watch(demo.url, `${jobs}?watch=1&resourceVersion=1&allowWatchBookmarks=true&timeoutSeconds=20`);
    const recorded = JSON.parse(fixture('watch-410-too-old-rv.json').response.bodyText ?? '') as WatchEventLine;
    expect(r.status).toBe(200);
    expect(r.events).toEqual([{ ...recorded, object: { ...recorded.object, message: `too old resource version: 1 (${demo.store.oldestWatchable})` } }]);
    expect(Object.keys(r.events[0]?.object)).toEqual(Object.keys(recorded.object));
  });

  it('expires resourceVersions from before a compaction', async () => {
    const cluster = await startDemoCluster({ noiseEvents: 0, tickMs: 0 });
    try {
      const rv = (await call(cluster.url, 'GET', jobs)).body.metadata.resourceVersion;
      cluster.store.compact();
      const r = await watch(cluster.url, `${jobs}?watch=1&resourceVersion=${rv}&timeoutSeconds=5`);
      expect(r.events.map((e) => [e.type, e.object.code, e.object.reason])).toEqual([['ERROR', 410, 'Expired']]);
      const fresh = (await call(cluster.url, 'GET', jobs)).body.metadata.resourceVersion;
      const ok = await watch(cluster.url, `${jobs}?watch=1&resourceVersion=${fresh}&timeoutSeconds=1`);
      expect(ok.events).toEqual([]);
    } finally {
      await cluster.close();
    }
  });

  it('lets go of a watch the client disconnects', async () => {
    const before = demo.api.openWatches;
    const r = await watch(demo.url, `${jobs}?watch=1&timeoutSeconds=600`, {
      onOpen: () => void newJob('w-gone'),
      until: (seen) => seen.some((e) => e.object.metadata?.name === 'w-gone'),
    });
    expect(r.ended).toBe(false);
    await eventually(() => demo.api.openWatches === before, 'the server to drop the watch');
  });

  it('ends open watches when the cluster closes, without hanging', async () => {
    const cluster = await startDemoCluster({ noiseEvents: 0, tickMs: 0 });
    const stream = watch(cluster.url, `${jobs}?watch=1&timeoutSeconds=600&allowWatchBookmarks=true`);
    await eventually(() => cluster.api.openWatches === 1, 'the watch to open');
    await cluster.close();
    const r = await stream;
    expect(r.status).toBe(200);
    expect(cluster.api.openWatches).toBe(0);
  });

  it('is a watch for RBAC: a viewer may watch in batch, not in ops or cluster-wide', async () => {
    const ok = await watch(demo.url, '/apis/batch/v1/namespaces/batch/jobs?watch=1&timeoutSeconds=1&fieldSelector=metadata.name=paused', { token: DEMO_TOKENS.viewer });
    expect(ok.status).toBe(200);
    expect(summary(ok.events)).toEqual(['ADDED paused']);
    const ops = await call(demo.url, 'GET', '/apis/batch/v1/namespaces/ops/jobs?watch=1&timeoutSeconds=1', { token: DEMO_TOKENS.viewer });
    expect(ops.status).toBe(403);
    expect(ops.body.message).toBe('jobs.batch is forbidden: User "system:serviceaccount:batch:viewer" cannot watch resource "jobs" in API group "batch" in the namespace "ops"');
    const all = await call(demo.url, 'GET', '/apis/batch/v1/jobs?watch=1&timeoutSeconds=1', { token: DEMO_TOKENS.viewer });
    expect(all.body.message).toMatch(/cannot watch resource "jobs" in API group "batch" at the cluster scope/);
  });
});

describe('watch of CronJobs', () => {
  it('streams a CronJob change cluster-wide', async () => {
    const rv = await listRv('/apis/batch/v1/cronjobs');
    const stream = watch(demo.url, `/apis/batch/v1/cronjobs?watch=1&resourceVersion=${rv}&timeoutSeconds=1`);
    await sleep(50);
    await call(demo.url, 'PATCH', '/apis/batch/v1/namespaces/demo/cronjobs/cache-warmup', { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
    const r = await stream;
    expect(r.events.map((e) => [e.type, e.object.kind, e.object.metadata.name, e.object.spec.suspend])).toEqual([['MODIFIED', 'CronJob', 'cache-warmup', true]]);
  });

  it('refuses to watch what the demo does not keep a history of', async () => {
    expect((await call(demo.url, 'GET', '/api/v1/namespaces/demo/pods?watch=1')).status).toBe(405);
  });
});
