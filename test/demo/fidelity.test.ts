// The demo cluster must answer in the shapes a real Kubernetes 1.32 API server
// answers in (test/fixtures/k8s-1.32 were recorded from one).
// biome-ignore-all lint/suspicious/noExplicitAny: fixtures and responses are checked field by field
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call } from './http.js';

interface Recorded {
  request: { url: string };
  response: { status: number; headers: Record<string, string>; body?: unknown; bodyText?: string };
}
const fixture = (f: string): Recorded => JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/${f}`, import.meta.url), 'utf8'));

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0 });
});
afterAll(() => demo.close());

// The shared HTTP helper, with the content type this file checks.
async function get(path: string, token: string = DEMO_TOKENS.admin) {
  const r = await call(demo.url, 'GET', path, { token });
  return { ...r, type: r.headers.get('content-type'), body: r.body as Record<string, unknown> };
}

/** Every field path of a JSON value, with array elements folded into []. */
function paths(v: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) paths(x, `${prefix}[]`, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // Keys that are data, not schema: labels, annotations, resource names.
      const key = /^(labels|annotations|limits|requests|matchLabels|uncountedTerminatedPods)$/.test(prefix.split('.').pop() ?? '') ? '*' : k;
      const p = prefix ? `${prefix}.${key}` : key;
      out.add(p);
      if (k !== 'managedFields') paths(x, p, out);
    }
  }
  return out;
}
// What differs by workload (commands, env) or by the recording rig (a template nodeName), not by API shape.
const WORKLOAD = /^spec\.(template\.spec\.)?(containers\[\]\.(args|command|env)|hostname|nodeName$)/;
const missing = (recorded: unknown, ours: unknown) => [...paths(recorded)].filter((p) => !paths(ours).has(p) && !WORKLOAD.test(p));

describe('demo objects have the recorded shapes', () => {
  const pairs = ['batch__report-oom', 'batch__etl-imagepull', 'ops__migrate-db', 'batch__slow-report', 'batch__render-frames', 'batch__paused', 'demo__hello'];

  it.each(pairs)('Job %s', async (key) => {
    const [ns, name] = key.split('__') as [string, string];
    const rec = fixture(`job-${key}.json`).response.body as { status: { conditions?: { type: string; reason: string }[] } };
    const ours = await get(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
    expect(ours.status).toBe(200);
    expect(missing(rec, ours.body)).toEqual([]);
    const conds = (o: { status: { conditions?: { type: string; reason: string }[] } }) => (o.status.conditions ?? []).map((c) => `${c.type}/${c.reason}`);
    expect(conds(ours.body as never)).toEqual(conds(rec));
    const spec = ours.body.spec as { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
    expect(Object.keys(spec.selector as object)).toEqual(['matchLabels']);
    expect(Object.keys(spec.template.metadata.labels)).toEqual(expect.arrayContaining(['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name']));
  });

  it.each(pairs.filter((k) => !k.includes('slow') && !k.includes('paused')))('pods of %s, listed by the Job selector', async (key) => {
    const [ns, name] = key.split('__') as [string, string];
    const rec = fixture(`pods-${key}.json`).response.body as { items: unknown[] };
    const job = (await get(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`)).body as { metadata: { uid: string } };
    const ours = await get(`/api/v1/namespaces/${ns}/pods?labelSelector=batch.kubernetes.io/controller-uid=${job.metadata.uid}`);
    const items = ours.body.items as unknown[];
    expect(items.length).toBe(rec.items.length);
    expect(missing(rec.items[0], items[0])).toEqual([]);
    expect(Object.keys(ours.body)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
  });

  it.each(pairs)('events of Job %s, by the involvedObject field selector', async (key) => {
    const [ns, name] = key.split('__') as [string, string];
    const rec = fixture(`events-${key}.json`).response.body as { items: { reason: string }[] };
    const job = (await get(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`)).body as { metadata: { uid: string } };
    const ours = await get(`/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.kind=Job,involvedObject.name=${name},involvedObject.namespace=${ns},involvedObject.uid=${job.metadata.uid}`);
    const items = ours.body.items as { reason: string }[];
    expect(items.map((e) => e.reason).sort()).toEqual(rec.items.map((e) => e.reason).sort());
    expect(missing(rec.items[0], items[0]).filter((p) => !p.startsWith('metadata.managedFields'))).toEqual([]);
  });

  it('kubelet events of a pod have the recorded shape', async () => {
    const rec = fixture('events-pod-batch__etl-imagepull.json').response.body as { items: { reason: string }[] };
    const ours = await get('/api/v1/namespaces/batch/events?fieldSelector=involvedObject.kind=Pod,involvedObject.name=etl-imagepull-bncrl,involvedObject.namespace=batch');
    for (const r of rec.items) {
      const same = (ours.body.items as { reason: string }[]).find((e) => e.reason === r.reason);
      expect(same, r.reason).toBeDefined();
      expect(missing(r, same).filter((p) => !p.startsWith('metadata.managedFields'))).toEqual([]);
    }
  });
});

describe('demo errors have the recorded Status bodies', () => {
  it('404 for a missing Job', async () => {
    const rec = fixture('error-404-job.json').response;
    const ours = await get('/apis/batch/v1/namespaces/batch/jobs/does-not-exist');
    expect(ours.status).toBe(404);
    expect(ours.body).toEqual(rec.body);
  });

  it('403 for a viewer outside its namespace, and for a cluster-wide list', async () => {
    const ours = await get('/apis/batch/v1/namespaces/ops/jobs/migrate-db', DEMO_TOKENS.viewer);
    expect(ours.body).toEqual(fixture('error-403-forbidden-viewer-get-job-ops.json').response.body);
    const all = await get('/apis/batch/v1/jobs', DEMO_TOKENS.viewer);
    expect(all.body).toEqual(fixture('error-403-forbidden-viewer-list-all-jobs.json').response.body);
  });

  it('401 for a bad token', async () => {
    const ours = await get('/apis/batch/v1/jobs', 'bogus');
    expect(ours.body).toEqual(fixture('error-401-bad-token.json').response.body);
  });

  it('log errors: missing pod, bad container, no previous container, container waiting', async () => {
    const cases: [string, string][] = [
      ['/api/v1/namespaces/ops/pods/migrate-db-00000/log', 'log-pod-not-found.json'],
      ['/api/v1/namespaces/ops/pods/migrate-db-xnx8k/log?container=nope', 'log-bad-container.json'],
      ['/api/v1/namespaces/ops/pods/migrate-db-xnx8k/log?previous=true', 'log-previous-not-found.json'],
      ['/api/v1/namespaces/batch/pods/etl-imagepull-bncrl/log', 'log-waiting-imagepull.json'],
    ];
    for (const [path, f] of cases) {
      const ours = await get(path);
      const rec = fixture(f).response;
      expect(ours.status, path).toBe(rec.status);
      expect(ours.body, path).toEqual(rec.body);
    }
  });

  it('409 AlreadyExists on create of an existing Job', async () => {
    const res = await fetch(`${demo.url}/apis/batch/v1/namespaces/demo/jobs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEMO_TOKENS.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'hello' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual(fixture('error-409-already-exists.json').response.body);
  });

  it('422 for an invalid name and for missing containers', async () => {
    const post = (body: unknown) =>
      fetch(`${demo.url}/apis/batch/v1/namespaces/batch/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${DEMO_TOKENS.admin}` }, body: JSON.stringify(body) });
    const bad = await post({ metadata: { name: 'Bad_Name!' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
    expect(bad.status).toBe(422);
    const b = (await bad.json()) as { reason: string; details: { causes: { field: string }[] } };
    expect(b.reason).toBe('Invalid');
    expect(b.details.causes[0]?.field).toBe('metadata.name');
    const none = await post({ metadata: { name: 'empty' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [] } } } });
    expect(((await none.json()) as { details: { causes: { field: string }[] } }).details.causes.map((c) => c.field)).toContain('spec.template.spec.containers');
  });
});

describe('demo logs and lists behave like the API server', () => {
  it('serves logs as text/plain with tailLines, timestamps and limitBytes', async () => {
    const full = await get('/api/v1/namespaces/ops/pods/migrate-db-xnx8k/log');
    expect(full.type).toBe('text/plain');
    const tail2 = await get('/api/v1/namespaces/ops/pods/migrate-db-xnx8k/log?tailLines=2&timestamps=true');
    expect(tail2.text.trimEnd().split('\n')).toHaveLength(2);
    expect(tail2.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    const cut = await get('/api/v1/namespaces/ops/pods/migrate-db-xnx8k/log?limitBytes=40');
    expect(cut.text).toBe(full.text.slice(0, 40));
  });

  it('asks for a container name on a multi-container pod', async () => {
    const r = await get('/api/v1/namespaces/ops/pods/backup-db-h8m2c/log');
    expect(r.status).toBe(400);
    expect((r.body as { message: string }).message).toBe('a container name must be specified for pod backup-db-h8m2c, choose one of: [backup log-shipper]');
  });

  it('paginates with continue tokens shaped like the API server’s', async () => {
    const page = await get('/apis/batch/v1/jobs?limit=2');
    const meta = page.body.metadata as { continue: string; remainingItemCount: number; resourceVersion: string };
    const rec = fixture('jobs-list-all-limit2.json').response.body as { metadata: Record<string, unknown> };
    expect(Object.keys(meta).sort()).toEqual(Object.keys(rec.metadata).sort());
    const token = JSON.parse(Buffer.from(meta.continue, 'base64url').toString());
    expect(Object.keys(token)).toEqual(['v', 'rv', 'start']);
    const next = await get(`/apis/batch/v1/jobs?limit=2&continue=${meta.continue}`);
    expect((next.body.metadata as { remainingItemCount: number }).remainingItemCount).toBe(meta.remainingItemCount - 2);
  });

  it('omits remainingItemCount when a selector filters the list', async () => {
    const r = await get('/apis/batch/v1/namespaces/exports/jobs?limit=2&labelSelector=app%3Dexport');
    expect((r.body.metadata as Record<string, unknown>).continue).toBeDefined();
    expect((r.body.metadata as Record<string, unknown>).remainingItemCount).toBeUndefined();
  });

  it('rejects unsupported field selectors and unparsable label selectors with 400', async () => {
    expect((await get('/api/v1/namespaces/batch/events?fieldSelector=spec.foo=bar')).body).toMatchObject({ code: 400, message: 'field label not supported: spec.foo' });
    expect((await get('/api/v1/namespaces/batch/pods?labelSelector=app%20in%20(a')).status).toBe(400);
  });

  it('serves discovery and the version', async () => {
    expect((await get('/version')).body).toEqual(fixture('version.json').response.body);
    expect((await get('/apis/batch/v1')).body).toEqual(fixture('discovery-apis-batch-v1.json').response.body);
  });
});

describe('seeded CronJobs have the recorded shapes', () => {
  // A CronJob's jobTemplate nests a Job spec: the same workload fields differ there.
  const CRON_WORKLOAD = /^spec\.jobTemplate\.spec\.template\.(spec\.(containers\[\]\.(args|command|env)|nodeName$)|metadata\.annotations)/;
  const cronMissing = (recorded: unknown, ours: unknown) => missing(recorded, ours).filter((p) => !CRON_WORKLOAD.test(p));
  const cron = async (ns: string, name: string) => (await get(`/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`)).body as Record<string, any>;

  it('ops/nightly-migrate is the recorded suspended CronJob that never ran', async () => {
    const rec = fixture('cronjob-ops__nightly-migrate.json').response.body as Record<string, any>;
    const ours = await cron('ops', 'nightly-migrate');
    expect(cronMissing(rec, ours)).toEqual([]);
    expect(ours.status).toEqual({});
    expect(ours.spec).toMatchObject({ schedule: '0 2 * * *', concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(ours.spec.timeZone).toBeUndefined();
    expect(Object.keys(ours.spec)).toEqual(Object.keys(rec.spec));
    const job = (await get('/apis/batch/v1/namespaces/ops/jobs/migrate-db')).body as Record<string, any>;
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly-migrate', uid: ours.metadata.uid, controller: true }]);
  });

  it.each([
    ['ops', 'sync-billing', 'cronjob-fixtures__every-minute.json'],
    ['ops', 'rotate-certs', 'cronjob-fixtures__every-minute.json'],
    ['batch', 'sales-rollup', 'cronjob-fixtures__quick-hello.json'],
    ['demo', 'digest-email', 'cronjob-fixtures__quick-hello.json'],
    ['demo', 'cache-warmup', 'cronjob-fixtures__quick-hello.json'],
  ])('%s/%s has the fields of %s', async (ns, name, f) => {
    const rec = fixture(f).response.body as Record<string, any>;
    const ours = await cron(ns, name);
    // Fields only some CronJobs set (timeZone, startingDeadlineSeconds) are compared where both have them.
    const optional = (p: string) => /^spec\.(timeZone|startingDeadlineSeconds|jobTemplate\.metadata\.annotations)/.test(p);
    expect(cronMissing(rec, ours).filter((p) => !optional(p))).toEqual([]);
    expect(Object.keys(ours.status)).toEqual(expect.arrayContaining(Object.keys(rec.status)));
    expect(['active', 'lastScheduleTime', 'lastSuccessfulTime']).toEqual(expect.arrayContaining(Object.keys(ours.status)));
    for (const a of ours.status.active ?? []) {
      expect(Object.keys(a)).toEqual(Object.keys(rec.status.active[0]));
      expect((await get(`/apis/batch/v1/namespaces/${ns}/jobs/${a.name}`)).status).toBe(200);
    }
  });

  it('a Job the CronJob controller made has the recorded metadata: owner, template labels and annotations, the scheduled time in the zone', async () => {
    const rec = fixture('job-fixtures__every-minute-29935908.json').response.body as Record<string, any>;
    const cj = await cron('ops', 'sync-billing');
    const job = (await get(`/apis/batch/v1/namespaces/ops/jobs/${cj.status.active[0].name}`)).body as Record<string, any>;
    expect(missing(rec, job)).toEqual([]);
    expect(job.metadata.name).toMatch(/^sync-billing-\d{8}$/);
    expect(Number(job.metadata.name.split('-').pop()) * 60_000).toBe(Date.parse(cj.status.lastScheduleTime));
    expect(job.metadata.ownerReferences).toEqual([{ ...rec.metadata.ownerReferences[0], name: 'sync-billing', uid: cj.metadata.uid }]);
    // New York is UTC-5 in winter and UTC-4 in summer.
    expect(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00-0[45]:00$/);
    expect(Date.parse(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'])).toBe(Date.parse(cj.status.lastScheduleTime));
    const noZone = (await get('/apis/batch/v1/namespaces/demo/jobs?labelSelector=app%3Ddigest-email')).body as { items: Record<string, any>[] };
    expect(noZone.items[0]?.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
  });

  it('CronJob events have the recorded shape and source', async () => {
    const rec = fixture('events-cronjob-fixtures__every-minute.json').response.body as { items: Record<string, any>[] };
    const cj = await cron('ops', 'sync-billing');
    const ours = (await get(`/api/v1/namespaces/ops/events?fieldSelector=involvedObject.kind=CronJob,involvedObject.name=sync-billing,involvedObject.uid=${cj.metadata.uid}`)).body as { items: Record<string, any>[] };
    const recBlocked = rec.items.find((e) => e.reason === 'JobAlreadyActive');
    const blocked = ours.items.find((e) => e.reason === 'JobAlreadyActive');
    expect(missing(recBlocked, blocked).filter((p) => !p.startsWith('metadata.managedFields'))).toEqual([]);
    expect(blocked).toMatchObject({ message: recBlocked?.message, type: 'Normal', source: recBlocked?.source, reportingComponent: 'cronjob-controller', count: 3 });
  });

  it('lists CronJobs cluster-wide in the recorded list shape', async () => {
    const rec = fixture('cronjobs-list-all-limit5.json').response.body as Record<string, any>;
    const ours = await get('/apis/batch/v1/cronjobs?limit=5');
    expect(Object.keys(ours.body)).toEqual(Object.keys(rec));
    expect(ours.body.kind).toBe('CronJobList');
    expect((ours.body.items as unknown[]).length).toBe(5);
    expect((ours.body.metadata as Record<string, unknown>).continue).toBeDefined();
  });
});

describe('the seeded sidecar Job', () => {
  it('keeps running because istio-proxy never exits after the main container did', async () => {
    const cj = (await get('/apis/batch/v1/namespaces/ops/cronjobs/sync-billing')).body as Record<string, any>;
    const job = (await get(`/apis/batch/v1/namespaces/ops/jobs/${cj.status.active[0].name}`)).body as Record<string, any>;
    expect(job.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['sync']);
    expect(job.status).toMatchObject({ active: 1, ready: 0 });
    expect(Date.now() - Date.parse(job.status.startTime)).toBeGreaterThan(3 * 3600_000);
    const pods = (await get(`/api/v1/namespaces/ops/pods?labelSelector=batch.kubernetes.io/controller-uid=${job.metadata.uid}`)).body as { items: Record<string, any>[] };
    const [pod] = pods.items;
    expect(pod?.status.phase).toBe('Running');
    expect(pod?.status.containerStatuses.map((c: Record<string, any>) => [c.name, Object.keys(c.state)[0], c.state.terminated?.exitCode])).toEqual([
      ['sync', 'terminated', 0],
      ['istio-proxy', 'running', undefined],
    ]);
  });
});
