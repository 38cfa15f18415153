import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await connect();
});
afterAll(() => h.close());

type Row = { namespace: string; name: string; status: string; completions: string; duration: string; age: string };

describe('job_list', () => {
  it('lists across all namespaces with a NAMESPACE column', async () => {
    const r = await h.call('job_list', { limit: 500 });
    expect(r.isError).toBeFalsy();
    const jobs = r.structured.jobs as Row[];
    expect(jobs.length).toBe(144);
    expect(r.text.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+COMPLETIONS\s+STATUS\s+DURATION\s+AGE$/);
    expect(new Set(jobs.map((j) => j.namespace))).toEqual(new Set(['batch', 'demo', 'exports', 'ops']));
    expect(r.structured.scope).toBe('all');
    expect(r.structured.continue).toBeUndefined();
  });

  it('lists one namespace without a NAMESPACE column, with kubectl status and completions', async () => {
    const r = await h.call('job_list', { namespace: 'batch' });
    expect(r.text.split('\n')[0]).toMatch(/^NAME\s+COMPLETIONS\s+STATUS\s+DURATION\s+AGE$/);
    const byName = Object.fromEntries((r.structured.jobs as Row[]).map((j) => [j.name, j]));
    expect(byName['report-oom']).toMatchObject({ status: 'Failed', completions: '0/1', duration: '97s' });
    expect(byName['render-frames']).toMatchObject({ status: 'Failed', completions: '4/5' });
    expect(byName.paused).toMatchObject({ status: 'Suspended', completions: '0/1', duration: '' });
    expect(byName['etl-imagepull']).toMatchObject({ status: 'Running' });
    expect(byName['report-oom']?.age).toBe('30m');
  });

  it('pages through 120 Jobs with the API server’s own limit/continue, without gaps or repeats', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await h.call('job_list', { namespace: 'exports', limit: 50, ...(token ? { continue: token } : {}) });
      expect(r.isError).toBeFalsy();
      seen.push(...(r.structured.jobs as Row[]).map((j) => j.name));
      token = r.structured.continue as string | undefined;
      if (token) expect(r.text).toContain(`continue="${token}"`);
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const listed = h.demo.api.requests.filter((q) => q.url.startsWith('/apis/batch/v1/namespaces/exports/jobs'));
    expect(listed.every((q) => q.url.includes('limit=50'))).toBe(true);
  });

  it('reports the remaining count the API server gives', async () => {
    const r = await h.call('job_list', { namespace: 'exports', limit: 5 });
    expect(r.structured.remainingItemCount).toBe(115);
    expect(r.text).toMatch(/\(115 more; next page: continue=/);
  });

  it('filters by label selector on the server', async () => {
    const r = await h.call('job_list', { namespace: 'exports', labelSelector: 'tier=gold,customer in (c003,c006,c007)' });
    expect((r.structured.jobs as Row[]).map((j) => j.name)).toEqual(['export-customer-003', 'export-customer-006']);
    expect(h.demo.api.requests.at(-1)?.url).toContain('labelSelector=tier%3Dgold%2Ccustomer+in+%28c003%2Cc006%2Cc007%29');
  });

  it('filters by status across pages until it has enough', async () => {
    const r = await h.call('job_list', { status: 'Failed', limit: 20 });
    const jobs = r.structured.jobs as Row[];
    expect(jobs.every((j) => j.status === 'Failed')).toBe(true);
    expect(jobs.map((j) => `${j.namespace}/${j.name}`)).toEqual(
      expect.arrayContaining(['batch/report-oom', 'batch/slow-report', 'batch/render-frames', 'ops/migrate-db', 'exports/export-customer-017']),
    );
    expect(jobs).toHaveLength(14);
  });

  it('says plainly when nothing matches', async () => {
    const r = await h.call('job_list', { namespace: 'default' });
    expect(r.isError).toBeFalsy();
    expect(r.text).toBe('No Jobs found in namespace "default".');
    expect(r.structured.jobs).toEqual([]);
  });

  it('rejects a bad selector before any API call', async () => {
    const before = h.demo.api.requests.length;
    const r = await h.call('job_list', { labelSelector: 'app in (a' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Invalid labelSelector/);
    expect(h.demo.api.requests.length).toBe(before);
  });

  it('rejects a bad namespace and out-of-range limits before any API call', async () => {
    const before = h.demo.api.requests.length;
    for (const args of [{ namespace: 'Not_A_NS' }, { limit: 0 }, { limit: 100000 }, { limit: 1.5 }, { status: 'Exploded' }]) {
      const r = await h.call('job_list', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
    }
    expect(h.demo.api.requests.length).toBe(before);
  });

  it('rejects a continue token the API server did not issue', async () => {
    const r = await h.call('job_list', { namespace: 'exports', continue: 'not-a-token' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/bad-request.*continue/);
  });

  it('explains an expired continue token (410)', async () => {
    const first = await h.call('job_list', { namespace: 'exports', limit: 10 });
    h.demo.store.compact();
    const r = await h.call('job_list', { namespace: 'exports', limit: 10, continue: first.structured.continue as string });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Error \(expired\).*without "continue"/);
  });
});
