import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCluster, type DemoCluster } from '../../src/demo/index.js';
import type { Job } from '../../src/kube/types.js';
import { connect, type Harness } from '../helpers.js';

// Text in two-, three- and four-byte UTF-8: sent five bytes at a time, most of its characters
// arrive split across two chunks.
const WORDS = 'Übermäßig viele Fehlversuche — 再試行の上限に達しました 🚫🔁 ñandú';

let demo: DemoCluster;
let h: Harness;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0 });
  const job = structuredClone(demo.store.get<Job>('jobs', 'batch', 'report-oom')) as Job;
  for (const c of job.status?.conditions ?? []) if (c.type === 'Failed') c.message = WORDS;
  demo.store.put('jobs', job);
  const log = demo.store.logs.get('batch/report-oom-4p2lq/report');
  log?.current.push({ time: Date.now(), text: WORDS });
  h = await connect({ cluster: demo });
});
afterEach(() => demo.api.clearFaults());
afterAll(async () => {
  await h.close();
  await demo.close();
});

describe('an answer that arrives a few bytes at a time', () => {
  it('keeps every multi-byte character of a Job whole', async () => {
    demo.api.addFault({ path: '/apis/batch/v1/namespaces/batch/jobs/report-oom', dribbleBytes: 5 });
    const r = await h.call('job_get', { job: 'batch/report-oom' });
    const failed = (r.structured.conditions as { type: string; message: string }[]).find((c) => c.type === 'Failed');
    expect(failed?.message).toBe(WORDS);
    expect(r.text).toContain(WORDS);
    expect(r.text).not.toContain('\uFFFD');
  });

  it('keeps every multi-byte character of a log whole', async () => {
    demo.api.addFault({ path: '/api/v1/namespaces/batch/pods/report-oom-4p2lq/log', dribbleBytes: 5 });
    const r = await h.call('job_logs', { pod: 'batch/report-oom-4p2lq' });
    expect(r.isError).toBeFalsy();
    expect(r.text).toContain(WORDS);
    expect(r.text).not.toContain('\uFFFD');
  });
});
