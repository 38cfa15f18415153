// Faults for the client's boundary: a huge body streamed in chunks, and JSON of the wrong shape.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { call } from './http.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, tickMs: 0 });
});
afterAll(() => demo.close());
afterEach(() => demo.api.clearFaults());

const JOBS = '/apis/batch/v1/namespaces/batch/jobs';
const headers = { Authorization: 'Bearer demo-admin-token' };

describe('hugeBodyBytes', () => {
  it('streams exactly that many bytes of a JSON list that never closes', async () => {
    const size = 20 * 1024 * 1024;
    demo.api.addFault({ path: JOBS, hugeBodyBytes: size, times: 1 });
    const res = await fetch(demo.url + JOBS, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('content-length')).toBeNull();
    let bytes = 0;
    let chunks = 0;
    let head = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      if (head.length < 100) head += Buffer.from(chunk).toString('utf8', 0, 100);
      bytes += chunk.length;
      chunks++;
    }
    expect(bytes).toBe(size);
    expect(chunks).toBeGreaterThan(1);
    expect(head.startsWith('{"kind":"JobList","apiVersion":"batch/v1"')).toBe(true);
    // The fault was used up: the next request is answered normally.
    expect((await call(demo.url, 'GET', JOBS)).body.kind).toBe('JobList');
  });

  it('stops writing when the client goes away, and the cluster still closes', async () => {
    const cluster = await startDemoCluster({ noiseEvents: 0, tickMs: 0 });
    cluster.api.addFault({ path: JOBS, hugeBodyBytes: 1024 * 1024 * 1024 });
    const abort = new AbortController();
    const res = await fetch(cluster.url + JOBS, { headers, signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    abort.abort();
    await reader.cancel().catch(() => {});
    await cluster.close();
    await expect(fetch(`${cluster.url}/version`)).rejects.toThrow();
  });
});

describe('wrongly shaped JSON', () => {
  it('answers 200 with null, or with a Status where a list belongs', async () => {
    demo.api.addFault({ path: JOBS, status: 200, body: 'null', times: 1 });
    const n = await call(demo.url, 'GET', JOBS);
    expect([n.status, n.text, n.headers.get('content-type')]).toEqual([200, 'null', 'application/json']);
    demo.api.addFault({ path: JOBS, status: 200, body: '{"kind":"Status"}', times: 1 });
    const s = await call(demo.url, 'GET', JOBS);
    expect([s.status, s.body]).toEqual([200, { kind: 'Status' }]);
  });
});
