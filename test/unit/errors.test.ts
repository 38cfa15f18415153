import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpError, networkError, type RequestDescription } from '../../src/kube/errors.js';

const recorded = (f: string) => {
  const r = JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/${f}`, import.meta.url), 'utf8')).response;
  return { status: r.status as number, body: JSON.stringify(r.body) };
};
const d = (o: Partial<RequestDescription> = {}): RequestDescription => ({ verb: 'get', resource: 'jobs', namespace: 'ops', name: 'migrate-db', server: 'https://k8s.example:6443', ...o });

describe('API errors become actionable messages', () => {
  it('401 says the credentials are invalid or expired and how to fix it', () => {
    const { status, body } = recorded('error-401-bad-token.json');
    const e = httpError(status, body, d());
    expect(e.kind).toBe('unauthorized');
    expect(e.message).toMatch(/invalid or expired/);
    expect(e.message).toContain('https://k8s.example:6443');
  });

  it('403 names the verb, resource and namespace that were denied', () => {
    const { status, body } = recorded('error-403-forbidden-viewer-get-job-ops.json');
    const e = httpError(status, body, d());
    expect(e.kind).toBe('forbidden');
    expect(e.message).toMatch(/may not get jobs in namespace "ops"/);
    expect(e.message).toContain('system:serviceaccount:batch:viewer');
  });

  it('403 on a cluster-wide list says so', () => {
    const { status, body } = recorded('error-403-forbidden-viewer-list-all-jobs.json');
    const e = httpError(status, body, d({ verb: 'list', namespace: undefined, name: undefined }));
    expect(e.message).toMatch(/may not list jobs across all namespaces/);
  });

  it('404 on a Job suggests job_list in that namespace', () => {
    const { status, body } = recorded('error-404-job.json');
    const e = httpError(status, body, d({ namespace: 'batch', name: 'does-not-exist' }));
    expect(e.kind).toBe('not-found');
    expect(e.message).toContain('job_list {"namespace":"batch"}');
  });

  it('409 tells AlreadyExists from Conflict', () => {
    expect(httpError(409, recorded('error-409-already-exists.json').body, d()).kind).toBe('already-exists');
    expect(httpError(409, recorded('error-409-conflict-stale-rv.json').body, d()).kind).toBe('conflict');
  });

  it('422 lists the invalid fields', () => {
    const e = httpError(422, recorded('error-422-invalid-name.json').body, d({ verb: 'create' }));
    expect(e.kind).toBe('invalid');
    expect(e.message).toContain('metadata.name');
  });

  it('400 from the kubelet passes its message on', () => {
    const e = httpError(400, recorded('log-previous-not-found.json').body, d({ resource: 'pods/log' }));
    expect(e.message).toContain('previous terminated container "migrate"');
  });

  it('5xx and 429 say how many attempts were made', () => {
    expect(httpError(503, '{}', d(), 3).message).toMatch(/503 \(after 3 attempts\)/);
    expect(httpError(429, '{}', d(), 3).kind).toBe('rate-limited');
  });

  it('a body that is not a Status still yields a message', () => {
    expect(httpError(500, '<html>oops</html>', d()).message).toContain('<html>oops</html>');
  });

  it('timeouts and refused connections name the server', () => {
    const t = networkError(Object.assign(new Error('t'), { name: 'TimeoutError' }), d(), 1500);
    expect(t.kind).toBe('timeout');
    expect(t.message).toMatch(/within 1500 ms/);
    const r = networkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), d(), 1500);
    expect(r.kind).toBe('unreachable');
    expect(r.message).toMatch(/https:\/\/k8s.example:6443 \(ECONNREFUSED\)/);
  });
});
