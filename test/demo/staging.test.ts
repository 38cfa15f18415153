// The --demo setup: a second cluster (staging) and a context that points at nothing.
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_DEMO_OPTIONS, DEMO_TOKENS, type DemoCluster, startCliDemo, startDemoCluster } from '../../src/demo/index.js';
import { call } from './http.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startCliDemo({ noiseEvents: 0, tickMs: 0 });
});
afterAll(() => demo.close());

describe('the demo with staging', () => {
  it('is what --demo starts', () => {
    expect(CLI_DEMO_OPTIONS.staging).toBe(true);
    expect(demo.staging?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.staging?.url).not.toBe(demo.url);
  });

  it('writes a kubeconfig with contexts demo, demo-viewer, demo-staging and demo-broken', () => {
    const kc = new KubeConfig();
    kc.loadFromString(readFileSync(demo.kubeconfigPath, 'utf8'));
    expect(kc.getContexts().map((c) => c.name)).toEqual(['demo', 'demo-viewer', 'demo-staging', 'demo-broken']);
    expect(kc.getCurrentContext()).toBe('demo');
    const server = (ctx: string) => kc.getCluster(kc.getContextObject(ctx)?.cluster ?? '')?.server;
    expect(server('demo')).toBe(demo.url);
    expect(server('demo-staging')).toBe(demo.staging?.url);
    expect(server('demo-broken')).toBe(demo.brokenUrl);
    expect(kc.getContextObject('demo-staging')?.namespace).toBe('web');
  });

  it('serves its own, smaller seeds to its own admin only', async () => {
    const base = demo.staging?.url as string;
    const jobs = await call(base, 'GET', '/apis/batch/v1/namespaces/web/jobs', { token: DEMO_TOKENS.stagingAdmin });
    const names = (jobs.body.items as { metadata: { name: string } }[]).map((j) => j.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['build-assets', 'send-newsletter']));
    expect(names.find((n) => /^sitemap-\d{8}$/.test(n))).toBeDefined();
    const failed = (jobs.body.items as { metadata: { name: string }; status: { conditions?: { type: string }[] } }[]).filter((j) => j.status.conditions?.some((c) => c.type === 'Failed'));
    expect(failed.map((j) => j.metadata.name)).toEqual(['send-newsletter']);
    const cron = await call(base, 'GET', '/apis/batch/v1/cronjobs', { token: DEMO_TOKENS.stagingAdmin });
    expect((cron.body.items as { metadata: { namespace: string; name: string } }[]).map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual(['web/sitemap']);
    expect((await call(base, 'GET', '/apis/batch/v1/jobs', { token: DEMO_TOKENS.admin })).status).toBe(401);
    expect((await call(demo.url, 'GET', '/apis/batch/v1/namespaces/web/jobs')).body.items).toEqual([]);
    expect(demo.staging?.store).not.toBe(demo.store);
  });

  it('demo-broken refuses connections', async () => {
    await expect(fetch(`${demo.brokenUrl}/version`)).rejects.toThrow();
  });

  it('closes both clusters', async () => {
    const other = await startCliDemo({ noiseEvents: 0, tickMs: 0 });
    const urls = [other.url, other.staging?.url as string];
    await other.close();
    for (const u of urls) await expect(fetch(`${u}/version`)).rejects.toThrow();
  });

  it('without staging keeps the two contexts of one cluster', async () => {
    const one = await startDemoCluster({ noiseEvents: 0, tickMs: 0 });
    try {
      const kc = new KubeConfig();
      kc.loadFromString(readFileSync(one.kubeconfigPath, 'utf8'));
      expect(kc.getContexts().map((c) => c.name)).toEqual(['demo', 'demo-viewer']);
      expect(one.staging).toBeUndefined();
    } finally {
      await one.close();
    }
  });
});
