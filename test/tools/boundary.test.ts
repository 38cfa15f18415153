// The sanitizing boundary's bounds: bodies capped while reading, wrong shapes named, bad input refused.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await connect({ readAttempts: 1 });
});
afterEach(() => h.demo.api.clearFaults());
afterAll(() => h.close());

describe('the kube boundary', () => {
  it('refuses a 200 MiB answer while reading it: memory stays bounded, the error says what to narrow', async () => {
    h.demo.api.addFault({ path: '/apis/batch/v1/namespaces/batch/jobs', method: 'GET', hugeBodyBytes: 200 * 1024 * 1024 });
    global.gc?.();
    const before = process.memoryUsage().rss;
    const r = await h.call('job_list', { namespace: 'batch' });
    const grew = process.memoryUsage().rss - before;
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Error \(bad-response\): The API server's answer to GET \/apis\/batch\/v1\/namespaces\/batch\/jobs is larger than 8 MiB, so it was not read\. Narrow the request/);
    // The demo server streams the body from the same process; what we keep is the 8 MiB cap, not 200 MiB.
    expect(grew).toBeLessThan(120 * 1024 * 1024);
  });

  it('caps a log read at 1 MiB whatever the kubelet sends', async () => {
    h.demo.api.addFault({ path: /\/pods\/[^/]+\/log$/, method: 'GET', hugeBodyBytes: 50 * 1024 * 1024 });
    const r = await h.call('job_logs', { job: 'batch/report-oom' });
    expect(r.isError, r.text).toBeFalsy();
    expect((r.structured.truncated as { fetchCapped: boolean }).fetchCapped).toBe(true);
    expect(Buffer.byteLength(r.text)).toBeLessThan(40 * 1024);
  });

  it.each([
    ['null', 'null', /is not a JobList: it is null, not an object/],
    ['a Status where a list was due', JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Success' }), /is not a JobList \(kind "Status"\): items is missing or not an array/],
    ['a list with a broken item', JSON.stringify({ kind: 'JobList', metadata: {}, items: [{ metadata: { name: 'x' } }] }), /items\[0\]: spec\.template\.spec\.containers is missing or not an array/],
  ])('turns a wrongly shaped 200 (%s) into a clear error naming the API path', async (_, body, why) => {
    h.demo.api.addFault({ path: '/apis/batch/v1/namespaces/batch/jobs', method: 'GET', status: 200, body });
    const r = await h.call('job_list', { namespace: 'batch' });
    expect(r.text).toMatch(/^Error \(bad-response\): The API server answered GET \/apis\/batch\/v1\/namespaces\/batch\/jobs with a body that is not a JobList/);
    expect(r.text).toMatch(why);
    expect(r.text).not.toMatch(/Internal error|Cannot read properties/);
  });

  it('names the path of a wrongly shaped object too (job_get, cronjob_get)', async () => {
    h.demo.api.addFault({ path: /\/(jobs|cronjobs)\/[^/]+$/, method: 'GET', status: 200, body: '{"kind":"Job","metadata":{"name":"x"}}' });
    expect((await h.call('job_get', { job: 'batch/report-oom' })).text).toMatch(/GET \/apis\/batch\/v1\/namespaces\/batch\/jobs\/report-oom with a body that is not a Job/);
    expect((await h.call('cronjob_get', { cronjob: 'ops/nightly-migrate' })).text).toMatch(/not a CronJob .*spec\.schedule is missing/);
  });

  it('says which evidence a diagnosis could not read (403 on pods/log), instead of leaving it out silently', async () => {
    h.demo.api.addFault({ path: /\/pods\/[^/]+\/log$/, method: 'GET', status: 403 });
    const r = await h.call('job_diagnose', { job: 'batch/report-oom' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured.unavailable).toEqual([expect.stringMatching(/^log of report-oom-\w+\/report: forbidden \(403\)$/)]);
    expect(r.text).toMatch(/Could not read \(the diagnosis may be incomplete\): log of report-oom-\w+\/report: forbidden \(403\)\./);
  });

  it.each([
    ['job_logs', { job: 'batch/report-oom', container: '' }],
    ['job_get', { job: '' }],
    ['cronjob_get', { cronjob: '' }],
    ['job_list', { namespace: '' }],
    ['job_wait', { job: 'batch/report-oom', timeoutSeconds: 10_000 }],
    ['job_triage', { limit: 1e9 }],
    ['job_logs', { job: 'batch/report-oom', tailLines: 1e12 }],
    ['cronjob_trigger', { cronjob: 'ops/nightly-migrate', name: 'x'.repeat(64) }],
  ])('refuses bad input to %s with a clear error and no API call', async (tool, args) => {
    const before = h.demo.api.requests.length;
    const r = await h.call(tool, args);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Error|Invalid|invalid/);
    expect(h.demo.api.requests.length).toBe(before);
  });
});
