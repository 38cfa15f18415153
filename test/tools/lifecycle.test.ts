import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import type { CronJob, Job, Pod } from '../../src/kube/types.js';
import { TokenMinter } from '../../src/safety/token.js';
import { ACCEPT, connect, type Harness, sharedDemo, waitFor } from '../helpers.js';

const suite = sharedDemo({ noiseEvents: 0, podRunMs: 150 });
const client = suite.client;
// The cluster of this file (started in beforeAll).
let demo: DemoCluster;
beforeAll(() => {
  demo = suite.demo();
});

const { writes, job } = suite;
const cron = (ns: string, name: string) => demo.store.get<CronJob>('cronjobs', ns, name);
const podsOf = (j: Job) => demo.store.all<Pod>('pods').filter((p) => p.metadata.labels?.['batch.kubernetes.io/controller-uid'] === j.metadata.uid);


/** Creates a Job through the demo API (real HTTP), whose pod exits with `exitCode` after `ms`. */
async function createJob(ns: string, name: string, o: { exitCode?: number; ms?: number; forever?: boolean; backoffLimit?: number; completions?: number } = {}): Promise<Job> {
  const scenario = o.forever ? { kind: 'forever', every: 1000, line: 'working' } : { kind: 'exit', durationMs: o.ms ?? 300, exitCode: o.exitCode ?? 0 };
  const body = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: {
      backoffLimit: o.backoffLimit ?? 0,
      ...(o.completions ? { completions: o.completions } : {}),
      template: {
        metadata: { annotations: { 'kube-real.sim/scenario': JSON.stringify(scenario) } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] },
      },
    },
  };
  const res = await fetch(`${demo.url}/apis/batch/v1/namespaces/${ns}/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Job;
}

async function confirmed(h: Harness, tool: string, args: Record<string, unknown>): Promise<string> {
  const r = await h.call(tool, args);
  expect(r.structured.outcome, r.text).toBe('confirmed');
  return r.structured.confirmationToken as string;
}

describe('cronjob_trigger', () => {
  it('creates the Job kubectl create job --from=cronjob creates, with the template copied as stored (not redacted)', async () => {
    const h = await client();
    const first = await h.call('cronjob_trigger', { cronjob: 'ops/nightly-migrate' });
    expect(first.structured.preview).toMatch(/^Run CronJob ops\/nightly-migrate now\?/);
    expect(first.structured.preview).toMatch(/Action: Create Job ops\/nightly-migrate-manual-[a-z0-9]{5} from the CronJob's jobTemplate/);
    expect(first.structured.preview).toMatch(/Warning: The CronJob is suspended; the manual run starts anyway/);
    const before = writes();
    const r = await h.call('cronjob_trigger', { cronjob: 'ops/nightly-migrate', confirmationToken: first.structured.confirmationToken });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured.outcome).toBe('triggered');
    const name = (r.structured.newJob as { name: string }).name;
    expect(`ops/${name}`).toBe(first.structured.newJob);
    expect(demo.api.writes.slice(before).map((w) => `${w.method} ${w.url}`)).toEqual(['PATCH /apis/batch/v1/namespaces/ops/cronjobs/nightly-migrate', 'POST /apis/batch/v1/namespaces/ops/jobs']);
    const created = job('ops', name) as Job;
    const cj = cron('ops', 'nightly-migrate') as CronJob;
    expect(created.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(created.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly-migrate', uid: cj.metadata.uid, controller: true }]);
    expect(created.metadata.labels).toMatchObject(cj.spec.jobTemplate.metadata?.labels ?? {});
    // The real value, not "[REDACTED]": the write is built from the object as stored.
    const env = created.spec.template.spec.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'PGPASSWORD')?.value).toBe('hunter2-Migr4te!');
  });

  it('takes a name, and refuses an invalid one before asking anyone', async () => {
    let asked = 0;
    const h = await client({
      onElicit: () => {
        asked++;
        return ACCEPT;
      },
    });
    const bad = await h.call('cronjob_trigger', { cronjob: 'ops/nightly-migrate', name: 'Bad_Name' });
    expect(bad.text).toMatch(/^Error \(invalid-input\): "Bad_Name" is not a valid Job name/);
    expect(asked).toBe(0);
    const t = await confirmed(h, 'cronjob_trigger', { cronjob: 'ops/nightly-migrate', name: 'migrate-by-hand' });
    const r = await h.call('cronjob_trigger', { cronjob: 'ops/nightly-migrate', name: 'migrate-by-hand', confirmationToken: t });
    expect(r.structured.newJob).toMatchObject({ name: 'migrate-by-hand' });
    const other = await h.call('cronjob_trigger', { cronjob: 'ops/nightly-migrate', name: 'another-name', confirmationToken: t });
    expect(other.text).toMatch(/^Error \(not-confirmed\): This token was confirmed for name "migrate-by-hand", not "another-name"/);
  });
});

describe('job_suspend and cronjob_suspend', () => {
  it('suspends a running Job (its pods go, Suspended=True), then resumes it (new pods)', async () => {
    const h = await client();
    const j = await createJob('demo', 'suspend-me', { forever: true });
    await waitFor(() => podsOf(j).some((p) => p.status?.phase === 'Running'), 'a running pod');
    const first = await h.call('job_suspend', { job: 'demo/suspend-me', suspend: true });
    expect(first.structured.preview).toMatch(/deletes its 1 active pod\(s\)/);
    const r = await h.call('job_suspend', { job: 'demo/suspend-me', suspend: true, confirmationToken: first.structured.confirmationToken });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured.outcome).toBe('suspended');
    const w = await h.call('job_wait', { job: 'demo/suspend-me', timeoutSeconds: 10 });
    expect(w.structured).toMatchObject({ status: 'Suspended', done: true });
    await waitFor(() => podsOf(j).filter((p) => p.status?.phase === 'Running').length === 0, 'the pods to go');
    const resume = await confirmed(h, 'job_suspend', { job: 'demo/suspend-me', suspend: false });
    const rr = await h.call('job_suspend', { job: 'demo/suspend-me', suspend: false, confirmationToken: resume });
    expect(rr.structured.outcome).toBe('resumed');
    await waitFor(() => podsOf(j).some((p) => p.status?.phase === 'Running'), 'a new pod after resume');
    const suspendedCond = job('demo', 'suspend-me')?.status?.conditions?.find((c) => c.type === 'Suspended');
    expect(suspendedCond).toMatchObject({ status: 'False', reason: 'JobResumed' });
  });

  it('refuses a suspend token used for resume', async () => {
    const h = await client();
    const t = await confirmed(h, 'job_suspend', { job: 'batch/paused', suspend: true });
    const before = writes();
    const r = await h.call('job_suspend', { job: 'batch/paused', suspend: false, confirmationToken: t });
    expect(r.text).toMatch(/^Error \(not-confirmed\): The confirmation token was issued for suspend of batch\/paused, not for resume of batch\/paused/);
    expect(writes()).toBe(before);
  });

  it('pauses and resumes a CronJob, telling what happens to running Jobs and missed runs', async () => {
    const h = await client();
    const target = demo.store.all<CronJob>('cronjobs').find((c) => !c.spec.suspend) as CronJob;
    const ref = `${target.metadata.namespace}/${target.metadata.name}`;
    const first = await h.call('cronjob_suspend', { cronjob: ref, suspend: true });
    expect(first.structured.preview).toMatch(new RegExp(`^Suspend CronJob ${ref}\\?`));
    expect(first.structured.preview).toMatch(/no new Jobs start at the scheduled times/);
    const r = await h.call('cronjob_suspend', { cronjob: ref, suspend: true, confirmationToken: first.structured.confirmationToken });
    expect(r.structured).toMatchObject({ outcome: 'suspended', suspend: true });
    expect(cron(target.metadata.namespace as string, target.metadata.name)?.spec.suspend).toBe(true);
    const second = await h.call('cronjob_suspend', { cronjob: ref, suspend: false });
    expect(second.structured.preview).toMatch(/Runs missed while it was suspended/);
    const rr = await h.call('cronjob_suspend', { cronjob: ref, suspend: false, confirmationToken: second.structured.confirmationToken });
    expect(rr.structured).toMatchObject({ outcome: 'resumed', suspend: false });
  });
});

describe('job_delete', () => {
  it('deletes with Background propagation and uid/resourceVersion preconditions: the Job and its pods go', async () => {
    const h = await client();
    const j = await createJob('demo', 'delete-me', { ms: 100 });
    await waitFor(() => job('demo', 'delete-me')?.status?.succeeded, 'the Job to finish');
    const first = await h.call('job_delete', { job: 'demo/delete-me' });
    expect(first.structured.preview).toMatch(/propagationPolicy Background/);
    expect(first.structured.preview).toMatch(/their logs are deleted: there is no undo/);
    const before = writes();
    const r = await h.call('job_delete', { job: 'demo/delete-me', confirmationToken: first.structured.confirmationToken });
    expect(r.structured.outcome, r.text).toBe('deleted');
    const del = demo.api.writes.slice(before).find((w) => w.method === 'DELETE');
    expect(JSON.parse(del?.body ?? '{}')).toMatchObject({ propagationPolicy: 'Background', preconditions: { uid: j.metadata.uid } });
    await waitFor(() => !job('demo', 'delete-me') && podsOf(j).length === 0, 'the Job and its pods to go');
  });

  it('Orphan leaves the pods, and the preview says so; a CronJob-owned Job says the CronJob makes a new one', async () => {
    const h = await client();
    const j = await createJob('demo', 'orphan-me', { forever: true });
    await waitFor(() => podsOf(j).length > 0, 'a pod');
    const first = await h.call('job_delete', { job: 'demo/orphan-me', propagation: 'Orphan' });
    expect(first.structured.preview).toMatch(/pods are LEFT RUNNING/);
    await h.call('job_delete', { job: 'demo/orphan-me', propagation: 'Orphan', confirmationToken: first.structured.confirmationToken });
    await waitFor(() => !job('demo', 'orphan-me'), 'the Job to go');
    expect(podsOf(j).length).toBeGreaterThan(0);
    const owned = demo.store.all<Job>('jobs').find((x) => x.metadata.ownerReferences?.some((o) => o.kind === 'CronJob') && !cron(x.metadata.namespace as string, x.metadata.ownerReferences?.[0]?.name as string)?.spec.suspend);
    if (owned) {
      const p = await h.call('job_delete', { job: `${owned.metadata.namespace}/${owned.metadata.name}` });
      expect(p.structured.preview).toMatch(/keeps its schedule .*: the next scheduled run creates a new Job/);
    }
  });

  it('a stale token: the Job changed after confirmation, nothing is deleted', async () => {
    const h = await client();
    await createJob('demo', 'stale-me', { ms: 100 });
    const t = await confirmed(h, 'job_delete', { job: 'demo/stale-me' });
    await waitFor(() => job('demo', 'stale-me')?.status?.succeeded, 'the Job to change (finish)');
    const before = writes();
    const r = await h.call('job_delete', { job: 'demo/stale-me', confirmationToken: t });
    expect(r.text).toMatch(/^Error \(conflict\): Job demo\/stale-me changed since you confirmed/);
    expect(writes()).toBe(before);
    expect(job('demo', 'stale-me')).toBeDefined();
  });
});

describe('job_wait', () => {
  it('returns at FailureTarget (before Failed), with progress notifications and without polling', async () => {
    const h = await client();
    await createJob('demo', 'wait-fail', { exitCode: 1, ms: 400 });
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const gets = () => demo.api.requests.filter((r) => r.method === 'GET' && r.url.includes('/jobs/wait-fail')).length;
    const getsBefore = gets();
    const r = (await h.client.callTool({ name: 'job_wait', arguments: { job: 'demo/wait-fail', timeoutSeconds: 20 } }, undefined, {
      onprogress: (p) => progress.push(p),
    })) as { structuredContent: Record<string, unknown>; content: { text: string }[] };
    expect(['FailureTarget', 'Failed']).toContain(r.structuredContent.status);
    expect(r.structuredContent.done).toBe(true);
    expect(r.content[0]?.text).toMatch(/job_diagnose/);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]?.message).toMatch(/succeeded, \d+ failed, \d+ active/);
    // One GET of the Job; the rest came over the watch.
    expect(gets() - getsBefore).toBe(1);
    expect(demo.api.requests.some((q) => q.url.includes('watch=') && q.url.includes('fieldSelector=metadata.name%3Dwait-fail'))).toBe(true);
  });

  it('returns Complete with progress over total completions', async () => {
    const h = await client();
    await createJob('demo', 'wait-ok', { ms: 200, completions: 2 });
    const progress: { progress: number; total?: number }[] = [];
    const r = (await h.client.callTool({ name: 'job_wait', arguments: { job: 'demo/wait-ok', timeoutSeconds: 20 } }, undefined, { onprogress: (p) => progress.push(p) })) as {
      structuredContent: Record<string, unknown>;
    };
    expect(r.structuredContent).toMatchObject({ status: 'Complete', done: true, succeeded: 2 });
    expect(progress.at(-1)).toMatchObject({ progress: 2, total: 2 });
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
  });

  it('at the timeout gives the current state and says to call again', async () => {
    const h = await client();
    await createJob('demo', 'wait-long', { forever: true });
    const r = await h.call('job_wait', { job: 'demo/wait-long', timeoutSeconds: 1 });
    expect(r.structured).toMatchObject({ done: false, status: 'Running' });
    expect(r.text).toMatch(/Call job_wait again to keep waiting/);
  });

  it('honours cancellation: the server closes its watch and opens no other', async () => {
    const h = await client();
    await createJob('demo', 'wait-cancel', { forever: true });
    const watchesOf = () => demo.api.requests.filter((q) => q.url.includes('watch=') && q.url.includes('wait-cancel')).length;
    const ac = new AbortController();
    const call = h.client.callTool({ name: 'job_wait', arguments: { job: 'demo/wait-cancel', timeoutSeconds: 60 } }, undefined, { signal: ac.signal });
    await waitFor(() => demo.api.openWatches > 0, 'the watch to open');
    ac.abort();
    await expect(call).rejects.toThrow();
    await waitFor(() => demo.api.openWatches === 0, 'the server to close its watch');
    const opened = watchesOf();
    await new Promise((r) => setTimeout(r, 1500));
    expect(watchesOf()).toBe(opened);
  });

  it('does not return at once after a resume, while the old Suspended condition is still there', async () => {
    // Its own cluster with the Job controller stopped: the moment right after a resume, held still.
    const still = await startDemoCluster({ noiseEvents: 0 });
    still.controller.stop();
    const paused = structuredClone(still.store.get<Job>('jobs', 'batch', 'paused') as Job);
    paused.spec.suspend = false;
    still.store.put('jobs', paused);
    const h = await connect({ cluster: still });
    const r = await h.call('job_wait', { job: 'batch/paused', timeoutSeconds: 1 });
    expect(r.structured).toMatchObject({ status: 'Suspended', done: false });
    await h.close();
    await still.close();
  });

  it('re-lists and watches again after a 410 Expired', async () => {
    const h = await client();
    await createJob('demo', 'wait-expired', { ms: 800 });
    // What the API server answers a watch from a compacted resourceVersion (shared/fixtures watch-410-too-old-rv.json).
    const expired = { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (11947)', reason: 'Expired', code: 410 } };
    demo.api.addFault({ path: /^\/apis\/batch\/v1\/namespaces\/demo\/jobs$/, query: /watch=/, method: 'GET', times: 1, status: 200, body: `${JSON.stringify(expired)}\n` });
    const lists = () => demo.api.requests.filter((q) => q.method === 'GET' && !q.url.includes('watch=') && q.url.includes('fieldSelector=metadata.name%3Dwait-expired')).length;
    const before = lists();
    const r = await h.call('job_wait', { job: 'demo/wait-expired', timeoutSeconds: 20 });
    expect(r.structured).toMatchObject({ status: 'Complete', done: true });
    // A list to start the watch from, and another after the 410, before watching again.
    expect(lists() - before).toBe(2);
  });
});

// Every write tool × every path that must not write.
const WRITES: { tool: string; args: Record<string, unknown>; other: Record<string, unknown> }[] = [
  { tool: 'job_rerun', args: { job: 'batch/report-oom' }, other: { job: 'batch/render-frames' } },
  { tool: 'cronjob_trigger', args: { cronjob: 'ops/nightly-migrate' }, other: { cronjob: 'batch/sales-rollup' } },
  { tool: 'job_suspend', args: { job: 'batch/paused', suspend: false }, other: { job: 'batch/report-oom', suspend: false } },
  { tool: 'cronjob_suspend', args: { cronjob: 'ops/nightly-migrate', suspend: false }, other: { cronjob: 'batch/sales-rollup', suspend: false } },
  { tool: 'job_delete', args: { job: 'batch/validate-data' }, other: { job: 'batch/report-oom' } },
];

describe('no write on any path that was not confirmed', () => {
  const answers: [string, ElicitResult | 'throw', string][] = [
    ['declined', { action: 'decline' }, 'declined'],
    ['cancelled', { action: 'cancel' }, 'cancelled'],
    ['unchecked', { action: 'accept', content: { confirm: false } }, 'not-confirmed'],
    ['failing', 'throw', 'elicitation-failed'],
  ];
  for (const w of WRITES) {
    it.each(answers)(`${w.tool}: a human who %s gives no token and nothing is written`, async (_, answer, outcome) => {
      const h = await client({
        onElicit: () => {
          if (answer === 'throw') throw new Error('client broke');
          return answer;
        },
      });
      const before = writes();
      const r = await h.call(w.tool, w.args);
      expect(r.structured.outcome, r.text).toBe(outcome);
      expect(r.structured.confirmationToken).toBeUndefined();
      expect(r.text).toMatch(/Nothing was changed/);
      expect(writes()).toBe(before);
    });

    it(`${w.tool}: a client without elicitation gets no token; forged, foreign, cross-tool and expired tokens write nothing`, async () => {
      const noElicit = await client({ onElicit: undefined, capabilities: {} });
      const before = writes();
      expect((await noElicit.call(w.tool, w.args)).structured.outcome).toBe('no-elicitation');
      const h = await client();
      const token = await confirmed(h, w.tool, w.args);
      const forged = `${token.slice(0, -4)}AAAA`;
      expect((await h.call(w.tool, { ...w.args, confirmationToken: forged })).text).toMatch(/^Error \(not-confirmed\)/);
      expect((await h.call(w.tool, { ...w.other, confirmationToken: token })).text).toMatch(/^Error \(not-confirmed\): The confirmation token was issued for/);
      const otherTool = WRITES.find((x) => x.tool !== w.tool && JSON.stringify(Object.keys(x.args)) === JSON.stringify(Object.keys(w.args)));
      if (otherTool) expect((await h.call(otherTool.tool, { ...w.args, confirmationToken: token })).text).toMatch(/^Error \(not-confirmed\)/);
      let now = Date.now();
      const late = await client({ now: () => now });
      const t2 = await confirmed(late, w.tool, w.args);
      now += 301_000;
      expect((await late.call(w.tool, { ...w.args, confirmationToken: t2 })).text).toMatch(/^Error \(not-confirmed\): The confirmation token expired/);
      const stranger = new TokenMinter(undefined, 300_000, Date.now).mint({ action: 'x', kind: 'Job', context: 'demo', namespace: 'batch', name: 'x', uid: 'u', resourceVersion: '1', params: '' }).token;
      expect((await h.call(w.tool, { ...w.args, confirmationToken: stranger })).text).toMatch(/not issued by this server/);
      expect(writes()).toBe(before);
    });
  }

  it.each(WRITES)('$tool: a stale token (the target changed after the human confirmed) writes nothing', async (w) => {
    const h = await client();
    const token = await confirmed(h, w.tool, w.args);
    const ref = (w.args.job ?? w.args.cronjob) as string;
    const [ns, name] = ref.split('/') as [string, string];
    const resource = w.args.job ? 'jobs' : 'cronjobs';
    const obj = demo.store.get<Job>(resource, ns, name) as Job;
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), touched: String(Date.now()) };
    demo.store.put(resource, obj);
    const before = writes();
    const r = await h.call(w.tool, { ...w.args, confirmationToken: token });
    expect(r.text).toMatch(/^Error \(conflict\): (Job|CronJob) \S+ changed since you confirmed/);
    expect(writes()).toBe(before);
  });

  it.each(WRITES)('$tool: a concurrent second use of one token does nothing, and a later replay is refused', async (w) => {
    const h = await client();
    const token = await confirmed(h, w.tool, w.args);
    const before = writes();
    const [a, b] = await Promise.all([h.call(w.tool, { ...w.args, confirmationToken: token }), h.call(w.tool, { ...w.args, confirmationToken: token })]);
    const ok = [a, b].filter((r) => !r.isError);
    expect(ok, `${a.text}\n${b.text}`).toHaveLength(1);
    const loser = [a, b].find((r) => r.isError);
    expect(loser?.text).toMatch(/changed since you confirmed/);
    // Exactly one claim (PATCH) succeeded; the loser's claim met a 409 and wrote nothing more.
    const performed = demo.api.writes.slice(before).filter((x) => (x.status ?? 0) < 400);
    const after = writes();
    const replay = await h.call(w.tool, { ...w.args, confirmationToken: token });
    expect(replay.isError).toBe(true);
    expect(writes()).toBe(after);
    expect(performed.filter((x) => x.method === 'PATCH' && x.body?.includes('confirmation-id')).length).toBe(1);
  });
});

describe('job_wait against a misbehaving watch', () => {
  it('backs off when the watch keeps ending at once, and gives up with a clear error instead of a tight loop', async () => {
    const h = await client();
    await createJob('demo', 'wait-empty', { forever: true });
    demo.api.addFault({ path: /^\/apis\/batch\/v1\/namespaces\/demo\/jobs$/, query: /watch=/, method: 'GET', status: 200, body: '' });
    const watches = () => demo.api.requests.filter((q) => q.url.includes('watch=') && q.url.includes('wait-empty')).length;
    const before = watches();
    const r = await h.call('job_wait', { job: 'demo/wait-empty', timeoutSeconds: 6 });
    // Paced: at once, 1 s, 2 s, then the timeout; far from thousands.
    expect(watches() - before).toBeLessThanOrEqual(6);
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured.done).toBe(false);
    expect(r.text).toMatch(/^Still (Running|Pending)/);
    // No pause runs past the timeout asked for (1 + 2 + 4 s would end at 7 s).
    expect(r.structured.waitedMs as number).toBeLessThan(6600);
  });

  it('refuses a watch event that is not a Job, naming it', async () => {
    const h = await client();
    const j = await createJob('demo', 'wait-bad-event', { forever: true });
    demo.api.addFault({ path: /^\/apis\/batch\/v1\/namespaces\/demo\/jobs$/, query: /watch=/, method: 'GET', status: 200, body: `${JSON.stringify({ type: 'MODIFIED', object: { metadata: { uid: j.metadata.uid, name: 'wait-bad-event' } } })}\n` });
    const r = await h.call('job_wait', { job: 'demo/wait-bad-event', timeoutSeconds: 5 });
    expect(r.text).toMatch(/^Error \(bad-response\): The API server answered a watch event of GET \/apis\/batch\/v1\/namespaces\/demo\/jobs with a body that is not a Job/);
  });
});

describe('job_wait and a watch window that keeps expiring', () => {
  it('lists again after every 410 (never re-reads the stale Job), paced, and still answers', async () => {
    const h = await client();
    await createJob('demo', 'wait-410s', { forever: true });
    const expired = { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (11947)', reason: 'Expired', code: 410 } };
    demo.api.addFault({ path: /^\/apis\/batch\/v1\/namespaces\/demo\/jobs$/, query: /watch=/, method: 'GET', status: 200, body: `${JSON.stringify(expired)}\n` });
    const lists = () => demo.api.requests.filter((q) => !q.url.includes('watch=') && q.url.includes('fieldSelector=metadata.name%3Dwait-410s')).length;
    const gets = () => demo.api.requests.filter((q) => q.url.startsWith('/apis/batch/v1/namespaces/demo/jobs/wait-410s')).length;
    const [l0, g0] = [lists(), gets()];
    const r = await h.call('job_wait', { job: 'demo/wait-410s', timeoutSeconds: 5 });
    expect(r.structured).toMatchObject({ done: false, status: 'Running' });
    expect(gets() - g0).toBe(1);
    expect(lists() - l0).toBeGreaterThan(1);
    expect(lists() - l0).toBeLessThanOrEqual(6);
  });
});
