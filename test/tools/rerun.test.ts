import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import type { Job } from '../../src/kube/types.js';
import { ACCEPT, captureLog, connect, type Harness, sharedDemo, waitFor } from '../helpers.js';

const suite = sharedDemo({ noiseEvents: 0, podRunMs: 100 });
const client = suite.client;
// The cluster of this file (started in beforeAll).
let demo: DemoCluster;
beforeAll(() => {
  demo = suite.demo();
});

const { writes, job } = suite;
const jobsIn = (ns: string) => demo.store.all<Job>('jobs').filter((j) => j.metadata.namespace === ns).length;

async function confirmToken(h: Harness, jobRef: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await h.call('job_rerun', { job: jobRef, ...extra });
  expect(r.structured.outcome, r.text).toBe('confirmed');
  return r.structured.confirmationToken as string;
}


describe('job_rerun, call 1: asking the human', () => {
  it('shows the human a preview with cluster, status, owner, action and the at-least-once warning', async () => {
    let asked = '';
    const h = await client({
      onElicit: (m) => {
        asked = m;
        return ACCEPT;
      },
    });
    const before = writes();
    const r = await h.call('job_rerun', { job: 'ops/migrate-db' });
    expect(asked).toMatch(/^Rerun Kubernetes Job ops\/migrate-db\?/);
    expect(asked).toMatch(/Cluster: http:\/\/127\.0\.0\.1:\d+ \(context demo\)/);
    expect(asked).toContain('Current status: Failed (BackoffLimitExceeded)');
    expect(asked).toMatch(/Action: Create a new Job ops\/migrate-db-rerun-[a-z0-9]{5} from the spec of ops\/migrate-db/);
    expect(asked).toMatch(/at least once/);
    expect(asked).toMatch(/CronJob nightly-migrate/);
    expect(asked).not.toMatch(/hunter2|PGPASSWORD/);
    expect(r.structured).toMatchObject({ outcome: 'confirmed', backend: 'native', mode: 'new' });
    expect(r.structured.confirmationToken).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(Date.parse(r.structured.expiresAt as string) - Date.now()).toBeGreaterThan(290_000);
    expect(writes()).toBe(before);
  });

  it.each([
    ['declines', { action: 'decline' } as ElicitResult, 'declined'],
    ['cancels', { action: 'cancel' } as ElicitResult, 'cancelled'],
    ['accepts with confirm = false', { action: 'accept', content: { confirm: false } } as ElicitResult, 'not-confirmed'],
  ])('issues no token and writes nothing when the human %s', async (_, answer, outcome) => {
    const h = await client({ onElicit: () => answer });
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/report-oom' });
    expect(r.isError).toBeFalsy();
    expect(r.structured.outcome).toBe(outcome);
    expect(r.structured.confirmationToken).toBeUndefined();
    expect(r.text).toMatch(/Nothing was changed/);
    expect(writes()).toBe(before);
  });

  it('explains that a client without elicitation cannot confirm, and writes nothing', async () => {
    const h = await client({ onElicit: undefined });
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/report-oom' });
    expect(r.structured.outcome).toBe('no-elicitation');
    expect(r.structured.confirmationToken).toBeUndefined();
    expect(r.text).toMatch(/cannot ask its user.*--confirm=token \(weaker/);
    expect(writes()).toBe(before);
  });

  it('with --confirm=token returns the token with the preview without asking, and writes nothing yet', async () => {
    let asked = false;
    const h = await client({
      config: { confirm: 'token' },
      onElicit: () => {
        asked = true;
        return ACCEPT;
      },
    });
    const before = writes();
    const r = await h.call('job_rerun', { job: 'demo/hello' });
    expect(asked).toBe(false);
    expect(r.structured.outcome).toBe('confirmed');
    expect(r.structured.confirmationToken).toBeDefined();
    expect(r.text).toMatch(/without asking the human.*get approval before using it/);
    expect(writes()).toBe(before);
  });
});

describe('job_rerun, call 2: the native backend', () => {
  it('creates <name>-rerun-<id> from the old spec, keeps the old Job, and the new Job runs to completion', async () => {
    const h = await client();
    const oldUid = job('batch', 'report-oom')?.metadata.uid;
    const token = await confirmToken(h, 'batch/report-oom');
    const before = demo.api.writes.length;
    const r = await h.call('job_rerun', { job: 'batch/report-oom', confirmationToken: token });
    expect(r.isError, r.text).toBeFalsy();
    const created = r.structured.newJob as { name: string; uid: string };
    expect(created.name).toMatch(/^report-oom-rerun-[a-z0-9]{5}$/);
    expect(r.structured).toMatchObject({ outcome: 'rerun', backend: 'native', mode: 'new' });
    expect(r.text).toContain(`job_get {"job":"batch/${created.name}"}`);
    const newWrites = demo.api.writes.slice(before);
    // The claim (a PATCH with the confirmed resourceVersion as precondition), then the new Job.
    expect(newWrites.map((w) => `${w.method} ${w.url}`)).toEqual(['PATCH /apis/batch/v1/namespaces/batch/jobs/report-oom', 'POST /apis/batch/v1/namespaces/batch/jobs']);
    expect(job('batch', 'report-oom')?.metadata.uid).toBe(oldUid);
    const fresh = job('batch', created.name);
    expect(fresh?.metadata.annotations).toMatchObject({ 'k8s-jobs-mcp.io/rerun-of': 'report-oom', 'k8s-jobs-mcp.io/rerun-of-uid': oldUid });
    // The old Job carries the claim of the same token id.
    expect(job('batch', 'report-oom')?.metadata.annotations?.['k8s-jobs-mcp.io/confirmation-id']).toBe(fresh?.metadata.annotations?.['k8s-jobs-mcp.io/confirmation-id']);
    expect(fresh?.spec.template.spec.containers[0]?.image).toBe('python:3.12-slim');
    await waitFor(() => job('batch', created.name)?.status?.completionTime, 'the rerun to complete');
    const done = await h.call('job_get', { job: `batch/${created.name}` });
    expect(done.structured).toMatchObject({ status: 'Complete', completions: '1/1' });
  });

  it('refuses a replayed token: the first use claimed it on the Job, no second Job appears', async () => {
    const h = await client();
    const token = await confirmToken(h, 'demo/hello');
    expect((await h.call('job_rerun', { job: 'demo/hello', confirmationToken: token })).isError).toBeFalsy();
    const count = jobsIn('demo');
    const replay = await h.call('job_rerun', { job: 'demo/hello', confirmationToken: token });
    expect(replay.isError).toBe(true);
    expect(replay.text).toMatch(/^Error \(conflict\): Job demo\/hello changed since you confirmed \(this token was already used: a token works once\)/);
    expect(jobsIn('demo')).toBe(count);
  });

  it('refuses a replay on another server replica too (shared secret, no shared memory)', async () => {
    const secret = 'replicas-share-this-secret-value';
    const a = await client({ config: { tokenSecret: secret } });
    const b = await client({ config: { tokenSecret: secret } });
    const token = await confirmToken(a, 'demo/data-sync');
    expect((await a.call('job_rerun', { job: 'demo/data-sync', confirmationToken: token })).isError).toBeFalsy();
    const replay = await b.call('job_rerun', { job: 'demo/data-sync', confirmationToken: token });
    expect(replay.text).toMatch(/already used/);
  });

  it('replace mode deletes with preconditions and Background propagation, waits until gone, and recreates the same name', async () => {
    const slow = await startDemoCluster({ noiseEvents: 0, podRunMs: 100, deleteDelayMs: 300 });
    try {
      const h = await connect({ cluster: slow, onElicit: () => ACCEPT });
      const old = slow.store.get<Job>('jobs', 'batch', 'validate-data') as Job;
      const first = await h.call('job_rerun', { job: 'batch/validate-data', mode: 'replace' });
      expect(first.structured.preview).toMatch(/Replace: delete the Job batch\/validate-data/);
      const r = await h.call('job_rerun', { job: 'batch/validate-data', confirmationToken: first.structured.confirmationToken, mode: 'replace' });
      expect(r.isError, r.text).toBeFalsy();
      expect(r.structured).toMatchObject({ backend: 'native', mode: 'replace', newJob: { name: 'validate-data' } });
      const ws = slow.api.writes.map((w) => `${w.method} ${w.url}`);
      expect(ws).toEqual(['PATCH /apis/batch/v1/namespaces/batch/jobs/validate-data', 'DELETE /apis/batch/v1/namespaces/batch/jobs/validate-data', 'POST /apis/batch/v1/namespaces/batch/jobs']);
      const fresh = slow.store.get<Job>('jobs', 'batch', 'validate-data') as Job;
      expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
      expect(slow.store.all<{ metadata: { name: string } }>('pods').some((p) => p.metadata.name === 'validate-data-c7r5k')).toBe(false);
      // The old run's GETs while it terminated show the wait.
      expect(slow.api.requests.filter((q) => q.method === 'GET' && q.url === '/apis/batch/v1/namespaces/batch/jobs/validate-data').length).toBeGreaterThan(2);
      const before = slow.api.writes.length;
      const replay = await h.call('job_rerun', { job: 'batch/validate-data', confirmationToken: first.structured.confirmationToken, mode: 'replace' });
      expect(replay.text).toMatch(/^Error \(conflict\): Job batch\/validate-data changed since you confirmed \(it was replaced: this token was probably used already\)/);
      expect(slow.api.writes.length).toBe(before);
      await h.close();
    } finally {
      await slow.close();
    }
  });

  it('warns that a suspended Job reruns suspended', async () => {
    const h = await client({ onElicit: () => ({ action: 'decline' }) });
    const r = await h.call('job_rerun', { job: 'batch/paused' });
    expect(r.structured.preview).toMatch(/Warning: The Job is suspended \(spec\.suspend: true\); the rerun copies its spec, so it starts suspended too/);
  });

  it('a token confirmed for "new" cannot be used for "replace"', async () => {
    const h = await client();
    const token = await confirmToken(h, 'batch/paused');
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/paused', confirmationToken: token, mode: 'replace' });
    expect(r.text).toMatch(/^Error \(not-confirmed\): This token was confirmed for mode "new", not "replace"/);
    expect(writes()).toBe(before);
  });

  it('says plainly when the old Job was deleted but its replacement could not be created', async () => {
    const h = await client();
    const token = await confirmToken(h, 'batch/flaky-import', { mode: 'replace' });
    demo.api.addFault({ method: 'POST', path: '/apis/batch/v1/namespaces/batch/jobs', status: 500 });
    const r = await h.call('job_rerun', { job: 'batch/flaky-import', confirmationToken: token, mode: 'replace' });
    expect(r.text).toMatch(/The old Job batch\/flaky-import was deleted, but creating its replacement failed/);
    expect(demo.api.writes.filter((w) => w.method === 'POST' && w.url.endsWith('/batch/jobs')).length).toBeGreaterThan(0);
  });
});

describe('job_rerun, call 2: refusals that write nothing', () => {
  it('refuses a token minted for another job', async () => {
    const h = await client();
    const token = await confirmToken(h, 'batch/render-frames');
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/report-oom', confirmationToken: token });
    expect(r.text).toMatch(/^Error \(not-confirmed\): The confirmation token was issued for rerun of batch\/render-frames, not for rerun of batch\/report-oom/);
    expect(writes()).toBe(before);
  });

  it('refuses when the Job changed after the token was issued', async () => {
    const h = await client();
    const token = await confirmToken(h, 'batch/slow-report');
    const j = job('batch', 'slow-report') as Job;
    j.metadata.labels = { ...(j.metadata.labels ?? {}), touched: 'yes' };
    demo.store.put('jobs', j); // a new resourceVersion, as any update gives
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/slow-report', confirmationToken: token });
    expect(r.text).toMatch(/^Error \(conflict\): Job batch\/slow-report changed since you confirmed: confirm again/);
    expect(writes()).toBe(before);
  });

  it('starts the token lifetime when the human answers, not when the question was asked', async () => {
    let now = Date.now();
    const h = await client({
      now: () => now,
      onElicit: () => {
        now += 240_000; // the human took four minutes
        return ACCEPT;
      },
    });
    const r = await h.call('job_rerun', { job: 'batch/etl-imagepull' });
    expect(Date.parse(r.structured.expiresAt as string)).toBe(now + 300_000);
    now += 120_000;
    const done = await h.call('job_rerun', { job: 'batch/etl-imagepull', confirmationToken: r.structured.confirmationToken });
    expect(done.isError, done.text).toBeFalsy();
  });

  it('refuses an expired token (injected clock)', async () => {
    let now = Date.now();
    const h = await client({ now: () => now });
    const token = await confirmToken(h, 'batch/gpu-train');
    now += 301_000;
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/gpu-train', confirmationToken: token });
    expect(r.text).toMatch(/^Error \(not-confirmed\): The confirmation token expired at/);
    expect(writes()).toBe(before);
  });

  it.each([
    ['garbled', () => 'not-a-token'],
    ['forged by another server', async () => confirmToken(await client(), 'batch/etl-imagepull')],
    ['altered', async () => (await confirmToken(await client({ config: { tokenSecret: 'x'.repeat(32) } }), 'batch/etl-imagepull')).replace(/^./, 'A')],
  ])('refuses a %s token', async (_, make) => {
    const token = await make();
    const h = await client({ config: { tokenSecret: 'y'.repeat(32) } });
    const before = writes();
    const r = await h.call('job_rerun', { job: 'batch/etl-imagepull', confirmationToken: token });
    expect(r.text).toMatch(/^Error \(not-confirmed\): The confirmation token (is malformed|is not valid)/);
    expect(writes()).toBe(before);
  });

  it('refuses a namespace denied by policy before any API call', async () => {
    const h = await client({ config: { denyNamespaces: ['ops'] } });
    const before = demo.api.requests.length;
    const r = await h.call('job_rerun', { job: 'ops/backup-db' });
    expect(r.text).toMatch(/^Error \(policy-denied\): Namespace "ops" is denied/);
    expect(demo.api.requests.length).toBe(before);
  });
});

describe('job_rerun with the KubeSphere backend', () => {
  let ks: DemoCluster;
  beforeAll(async () => {
    ks = await startDemoCluster({ noiseEvents: 0, podRunMs: 100, kubesphere: true });
  });
  afterAll(() => ks.close());

  it('is detected, previewed, and POSTs the operations API with the confirmed resourceVersion', async () => {
    const h = await connect({ cluster: ks, onElicit: () => ACCEPT });
    const old = ks.store.get<Job>('jobs', 'ops', 'migrate-db') as Job;
    const first = await h.call('job_rerun', { job: 'ops/migrate-db' });
    expect(first.structured).toMatchObject({ backend: 'kubesphere', mode: 'replace' });
    expect(first.structured.preview).toMatch(/KubeSphere rerun/);
    const r = await h.call('job_rerun', { job: 'ops/migrate-db', confirmationToken: first.structured.confirmationToken });
    expect(r.isError, r.text).toBeFalsy();
    // The claim moves the resourceVersion on; KubeSphere is given the claimed one.
    const [claim, post] = ks.api.writes.map((w) => `${w.method} ${w.url}`);
    expect(claim).toBe('PATCH /apis/batch/v1/namespaces/ops/jobs/migrate-db');
    expect(post).toMatch(/^POST \/kapis\/operations\.kubesphere\.io\/v1alpha2\/namespaces\/ops\/jobs\/migrate-db\?action=rerun&resourceVersion=(\d+)$/);
    expect(Number(/resourceVersion=(\d+)/.exec(post as string)?.[1])).toBeGreaterThan(Number(old.metadata.resourceVersion));
    const fresh = ks.store.get<Job>('jobs', 'ops', 'migrate-db') as Job;
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
    expect(r.structured.newJob).toEqual({ name: 'migrate-db', uid: fresh.metadata.uid });
    const replay = await h.call('job_rerun', { job: 'ops/migrate-db', confirmationToken: first.structured.confirmationToken });
    expect(replay.text).toMatch(/changed since you confirmed/);
    expect(ks.api.writes).toHaveLength(2);
    await h.close();
  });

  it('turns KubeSphere’s 409 into "changed since confirmation" and its 500 for a missing Job into not-found', async () => {
    const h = await connect({ cluster: ks, onElicit: () => ACCEPT });
    const t1 = await confirmToken(h, 'batch/report-oom');
    ks.api.addFault({ path: /^\/kapis\/operations/, status: 409, body: JSON.stringify({ message: 'Operation cannot be fulfilled on job "report-oom": please apply your changes to the latest version and try again' }) });
    expect((await h.call('job_rerun', { job: 'batch/report-oom', confirmationToken: t1 })).text).toMatch(/^Error \(conflict\): Job batch\/report-oom changed since you confirmed/);
    ks.api.clearFaults();
    const t2 = await confirmToken(h, 'batch/report-oom');
    ks.api.addFault({ path: /^\/kapis\/operations/, status: 500, body: JSON.stringify({ message: 'jobs.batch "report-oom" not found' }) });
    expect((await h.call('job_rerun', { job: 'batch/report-oom', confirmationToken: t2 })).text).toMatch(/^Error \(not-found\): Job batch\/report-oom no longer exists/);
    ks.api.clearFaults();
    await h.close();
  });

  it('refuses to guess the backend when detection fails transiently, and asks again next time', async () => {
    const h = await connect({ cluster: ks, onElicit: () => ACCEPT });
    const before = ks.api.writes.length;
    ks.api.addFault({ path: '/kapis/version', status: 503, times: 3 });
    const r = await h.call('job_rerun', { job: 'batch/paused' });
    expect(r.text).toMatch(/^Error \(server-error\): Could not tell whether the cluster serves KubeSphere's rerun API .*Nothing was changed/);
    expect(ks.api.writes.length).toBe(before);
    const again = await h.call('job_rerun', { job: 'batch/paused' });
    expect(again.structured.backend).toBe('kubesphere');
    ks.api.clearFaults();
    await h.close();
  });

  it('can be turned off with --rerun-backend native', async () => {
    const h = await connect({ cluster: ks, onElicit: () => ACCEPT, config: { rerunBackend: 'native' } });
    const r = await h.call('job_rerun', { job: 'batch/paused' });
    expect(r.structured.backend).toBe('native');
    await h.close();
  });
});

describe('safety policy', () => {
  it('--read-only registers no write tool and no prompt that leads to one', async () => {
    const h = await client({ config: { readOnly: true } });
    const { tools } = await h.client.listTools();
    for (const w of ['job_rerun', 'cronjob_trigger', 'job_suspend', 'cronjob_suspend', 'job_delete']) expect(tools.map((t) => t.name)).not.toContain(w);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const r = await h.call('job_rerun', { job: 'demo/hello' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/job_rerun not found/);
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['diagnose-job', 'triage-failed-jobs']);
  });

  it('with --confirm=token, every write tool tells the agent the token was not confirmed by a human', async () => {
    const h = await client({ config: { confirm: 'token' } });
    const { tools } = await h.client.listTools();
    for (const t of tools) {
      if (t.annotations?.readOnlyHint) expect(t.description, t.name).not.toMatch(/--confirm=token/);
      else expect(t.description, t.name).toMatch(/This server runs with --confirm=token: the first call returns a token WITHOUT asking the human/);
    }
  });

  it('--deny-namespaces is enforced on every tool before any API call', async () => {
    const h = await client({ config: { denyNamespaces: ['ops'] } });
    const before = demo.api.requests.length;
    for (const [name, args] of [
      ['job_list', { namespace: 'ops' }],
      ['job_get', { job: 'ops/migrate-db' }],
      ['job_yaml', { job: 'ops/migrate-db' }],
      ['job_pods', { job: 'ops/migrate-db' }],
      ['job_events', { job: 'ops/migrate-db' }],
      ['job_logs', { job: 'ops/migrate-db' }],
      ['job_logs', { pod: 'ops/migrate-db-xnx8k' }],
      ['job_rerun', { job: 'ops/migrate-db' }],
    ] as const) {
      const r = await h.call(name, args);
      expect(r.text, name).toMatch(/^Error \(policy-denied\)/);
    }
    expect(demo.api.requests.length).toBe(before);
    const all = await h.call('job_list', { limit: 500 });
    expect((all.structured.jobs as { namespace: string }[]).some((j) => j.namespace === 'ops')).toBe(false);
  });

  it('--allow-namespaces limits a cross-namespace list to the allowed ones, paging through each', async () => {
    const h = await client({ config: { allowNamespaces: ['demo', 'ops'] } });
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = await h.call('job_list', { limit: 3, ...(token ? { continue: token } : {}) });
      seen.push(...(r.structured.jobs as { namespace: string; name: string }[]).map((j) => `${j.namespace}/${j.name}`));
      token = r.structured.continue as string | undefined;
    } while (token);
    expect(new Set(seen.map((s) => s.split('/')[0]))).toEqual(new Set(['demo', 'ops']));
    expect(seen).toEqual(expect.arrayContaining(['demo/hello', 'ops/migrate-db', 'ops/backup-db']));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await h.call('job_get', { job: 'batch/report-oom' })).text).toMatch(/outside this server's allow-list/);
  });

  it('writes an audit line for every mutating attempt, with the token id and never the token', async () => {
    const cap = captureLog();
    const h = await client({ log: cap.log });
    const first = await h.call('job_rerun', { job: 'demo/hello' });
    const token = first.structured.confirmationToken as string;
    await h.call('job_rerun', { job: 'demo/hello', confirmationToken: token });
    await h.call('job_rerun', { job: 'demo/hello', confirmationToken: token });
    await h.call('job_rerun', { job: 'demo/hello', confirmationToken: 'garbage' });
    const audits = cap.lines().filter((l) => l.audit === true);
    expect(audits.map((a) => `${a.phase}:${a.outcome}`)).toEqual(['confirm:confirmed', 'claim:claimed', 'execute:rerun', 'execute:changed-since-confirmation', 'execute:token-refused']);
    expect(audits.every((a) => a.tool === 'job_rerun' && a.target === 'demo/hello')).toBe(true);
    expect(audits[0]?.tokenId).toMatch(/^[a-z0-9]{10}$/);
    expect(audits[1]?.tokenId).toBe(audits[0]?.tokenId);
    expect(cap.raw()).not.toContain(token);
    expect(cap.raw()).not.toContain(token.split('.')[1]);
  });
});
