import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoKubeconfig, startDemoCluster, type DemoCluster } from '../../src/demo/index.js';
import { connect, type Harness } from '../helpers.js';

let demo: DemoCluster;
let h: Harness;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0 });
  h = await connect({ cluster: demo, config: { requestTimeoutMs: 500 } });
});
afterEach(() => demo.api.clearFaults());
afterAll(async () => {
  await h.close();
  await demo.close();
});

const JOB = '/apis/batch/v1/namespaces/batch/jobs/report-oom';
const hits = (path: string) => demo.api.requests.filter((r) => r.url === path).length;

describe('API failures become clear isError results and the server keeps serving', () => {
  it('401: credentials rejected', async () => {
    const path = join(tmpdir(), `kc-bad-${process.pid}`);
    writeFileSync(path, demoKubeconfig(demo.url).replace('token: demo-admin-token', 'token: expired-token'));
    const bad = await connect({ cluster: demo, config: { kubeconfig: path } });
    const r = await bad.call('job_get', { job: 'batch/report-oom' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Error \(unauthorized\): .*401 Unauthorized.*invalid or expired/);
    await bad.close();
  });

  it('403: RBAC denial names verb, resource and namespace', async () => {
    const viewer = await connect({ cluster: demo, context: 'demo-viewer' });
    const r = await viewer.call('job_get', { job: 'ops/migrate-db' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Error \(forbidden\): .*may not get jobs in namespace "ops"/);
    expect(r.text).toContain('system:serviceaccount:batch:viewer');
    const all = await viewer.call('job_list', {});
    expect(all.text).toMatch(/may not list jobs across all namespaces.*at the cluster scope/);
    const ok = await viewer.call('job_list', { namespace: 'batch' });
    expect(ok.isError).toBeFalsy();
    await viewer.close();
  });

  it('409 from the API is reported as a conflict', async () => {
    demo.api.addFault({ path: JOB, status: 409 });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.text).toMatch(/^Error \(conflict\)/);
  });

  it('429 is retried, and a read that then succeeds is answered', async () => {
    const before = hits(JOB);
    demo.api.addFault({ path: JOB, status: 429, times: 2 });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.isError).toBeFalsy();
    expect(hits(JOB) - before).toBe(3);
  });

  it('429 that persists is reported after a bounded number of attempts', async () => {
    const before = hits(JOB);
    demo.api.addFault({ path: JOB, status: 429 });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.text).toMatch(/^Error \(rate-limited\): .*after 3 attempts/);
    expect(hits(JOB) - before).toBe(3);
  });

  it('500 is retried, then reported with the API message', async () => {
    demo.api.addFault({ path: JOB, status: 500 });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.text).toMatch(/^Error \(server-error\): The API server failed with 500 \(after 3 attempts\).*injected fault 500/);
    demo.api.clearFaults();
    demo.api.addFault({ path: JOB, status: 503, times: 1 });
    expect((await h.call('job_get', { job: 'batch/report-oom' })).isError).toBeFalsy();
  });

  it('a request slower than the timeout is cut off and reported', async () => {
    demo.api.addFault({ path: JOB, delayMs: 3000 });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.text).toMatch(/^Error \(timeout\): No answer from the Kubernetes API of context "demo" at http:\/\/127\.0\.0\.1:\d+ within 500 ms/);
  });

  it('a cut connection is reported as unreachable', async () => {
    demo.api.addFault({ path: JOB, cut: true });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.text).toMatch(/^Error \(unreachable\): Cannot reach the Kubernetes API of context "demo" at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('a body that is not JSON is reported, not thrown', async () => {
    demo.api.addFault({ path: JOB, malformed: true });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.text).toMatch(/^Error \(bad-response\): .*not JSON/);
  });

  it('a refused connection names the server', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const path = join(tmpdir(), `kc-refused-${process.pid}`);
    writeFileSync(path, demoKubeconfig(`http://127.0.0.1:${port}`));
    const dead = await connect({ cluster: demo, config: { kubeconfig: path } });
    const r = await dead.call('job_list', {});
    expect(r.text).toMatch(new RegExp(`^Error \\(unreachable\\): Cannot reach the Kubernetes API of context "demo" at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`));
    await dead.close();
  });

  it('a kubeconfig that does not exist says how to configure access', async () => {
    const none = await connect({ cluster: demo, config: { kubeconfig: '/nonexistent/kubeconfig' } });
    const r = await none.call('job_list', {});
    expect(r.text).toMatch(/^Error \(no-cluster-config\): Could not load the kubeconfig \/nonexistent\/kubeconfig.*--demo/);
    await none.close();
  });

  it('an unknown context lists the ones that exist', async () => {
    const wrong = await connect({ cluster: demo, context: 'prod' });
    const r = await wrong.call('job_list', {});
    expect(r.text).toMatch(/no context "prod" \(it has: demo, demo-viewer\)/);
    await wrong.close();
  });

  it('still answers normally after all of the above', async () => {
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    expect(r.isError).toBeFalsy();
    expect(r.structured.status).toBe('Failed');
  });
});
