// Many clusters from one server: two demo clusters (demo, demo-staging) and a context whose
// server is down (demo-broken), all in one kubeconfig.
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { connect, type Harness } from '../helpers.js';

let demo: DemoCluster;
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 150, staging: true });
});
afterAll(() => demo.close());

const accept: ElicitResult = { action: 'accept', content: { confirm: true } };
const open: Harness[] = [];
async function client(config: Record<string, unknown>, o: Parameters<typeof connect>[0] = {}): Promise<Harness> {
  const h = await connect({ cluster: demo, onElicit: () => accept, config, ...o });
  open.push(h);
  return h;
}
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const requests = () => demo.api.requests.length + (demo.staging?.api.requests.length ?? 0);

describe('contexts', () => {
  it('with --contexts, every tool takes a context, and context_list shows server and namespace, never credentials', async () => {
    const h = await client({ contexts: ['demo', 'demo-staging'] });
    const { tools } = await h.client.listTools();
    for (const t of tools.filter((x) => x.name !== 'context_list')) expect(Object.keys(t.inputSchema.properties ?? {}), t.name).toContain('context');
    const r = await h.call('context_list');
    const ctxs = r.structured.contexts as { name: string; server: string; namespace: string; default: boolean }[];
    expect(ctxs.map((c) => c.name)).toEqual(['demo', 'demo-staging']);
    expect(ctxs.find((c) => c.name === 'demo')?.default).toBe(true);
    expect(ctxs.find((c) => c.name === 'demo-staging')?.server).toBe(demo.staging?.url);
    expect(JSON.stringify(r)).not.toMatch(/demo-admin-token|token/i);
  });

  it('selects a context per call: each cluster answers with its own Jobs', async () => {
    const h = await client({ contexts: ['demo', 'demo-staging'] });
    const prod = await h.call('job_list', { namespace: 'batch' });
    expect((prod.structured.jobs as unknown[]).length).toBeGreaterThan(3);
    const staging = await h.call('job_list', { context: 'demo-staging' });
    const names = (staging.structured.jobs as { namespace: string; name: string }[]).map((j) => `${j.namespace}/${j.name}`);
    expect(names).toContain('web/build-assets');
    expect(names.some((n) => n.startsWith('batch/'))).toBe(false);
    const triage = await h.call('job_triage', { context: 'demo-staging' });
    expect(triage.text).toMatch(/web\/send-newsletter/);
  });

  it('refuses a context outside the list, with no API call to any cluster', async () => {
    const h = await client({ contexts: ['demo', 'demo-staging'] });
    const before = requests();
    const r = await h.call('job_list', { context: 'demo-broken' });
    expect(r.text).toMatch(/^Error \(policy-denied\): Context "demo-broken" is not allowed on this server \(allowed: demo, demo-staging\)\. Nothing was sent/);
    expect(requests()).toBe(before);
  });

  it('without --contexts, a context argument naming another cluster is refused, never ignored', async () => {
    const h = await client({});
    const { tools } = await h.client.listTools();
    expect(tools.some((t) => t.name === 'context_list')).toBe(false);
    expect(Object.keys(tools.find((t) => t.name === 'job_list')?.inputSchema.properties ?? {})).not.toContain('context');
    const before = requests();
    const r = await h.call('job_list', { context: 'demo-staging' });
    expect(r.text).toMatch(/^Error \(policy-denied\): Context "demo-staging" is not allowed: this server uses only context "demo"/);
    expect(requests()).toBe(before);
    expect((await h.call('job_list', { context: 'demo', namespace: 'batch' })).isError).toBeFalsy();
  });

  it('binds a confirmation token to its context: a token from one cluster never acts on another', async () => {
    const h = await client({ contexts: ['demo', 'demo-staging'] });
    const first = await h.call('job_suspend', { context: 'demo-staging', job: 'web/build-assets', suspend: true });
    expect(first.structured.preview).toMatch(/\(context demo-staging\)/);
    expect(first.structured.preview).toContain(demo.staging?.url as string);
    const token = first.structured.confirmationToken as string;
    const allWrites = () => demo.api.writes.length + (demo.staging?.api.writes.length ?? 0);
    const before = allWrites();
    const wrong = await h.call('job_suspend', { job: 'web/build-assets', suspend: true, confirmationToken: token });
    expect(wrong.text).toMatch(/^Error \(not-confirmed\): The confirmation token was issued for context "demo-staging", not for "demo"/);
    expect(allWrites()).toBe(before);
    const right = await h.call('job_suspend', { context: 'demo-staging', job: 'web/build-assets', suspend: true, confirmationToken: token });
    expect(right.structured.outcome, right.text).toBe('suspended');
  });

  it('applies the namespace policy per context', async () => {
    const h = await client({ contexts: ['demo', 'demo-staging'], allowNamespaces: ['batch'], contextPolicy: JSON.stringify({ 'demo-staging': { deny: ['web'] } }) });
    const before = requests();
    expect((await h.call('job_list', { namespace: 'web', context: 'demo-staging' })).text).toMatch(/^Error \(policy-denied\): Namespace "web" is denied/);
    expect((await h.call('job_list', { namespace: 'ops' })).text).toMatch(/^Error \(policy-denied\): Namespace "ops" is outside this server's allow-list \(batch\)/);
    expect(requests()).toBe(before);
    expect((await h.call('job_list', { namespace: 'batch' })).isError).toBeFalsy();
  });

  it('one broken context never breaks the others, and its error names it', async () => {
    const h = await client({ contexts: ['demo', 'demo-staging', 'demo-broken'], requestTimeoutMs: 2000 }, { readAttempts: 1 });
    const broken = await h.call('job_list', { context: 'demo-broken' });
    expect(broken.isError).toBe(true);
    expect(broken.text).toMatch(/^Error \(unreachable\): Cannot reach the Kubernetes API of context "demo-broken" at http:\/\/127\.0\.0\.1:\d+/);
    expect((await h.call('job_list', { context: 'demo-staging' })).isError).toBeFalsy();
    expect((await h.call('job_list', { namespace: 'batch' })).isError).toBeFalsy();
  });

  it('--contexts * allows every context of the kubeconfig', async () => {
    const h = await client({ contexts: ['*'] });
    const r = await h.call('context_list');
    expect((r.structured.contexts as { name: string }[]).map((c) => c.name).sort()).toEqual(['demo', 'demo-broken', 'demo-staging', 'demo-viewer']);
  });
});

describe('one context', () => {
  it('--contexts naming one context (no --context) uses that one, not the current-context', async () => {
    const h = await connect({ cluster: demo, context: undefined as never, config: { context: undefined, contexts: ['demo-staging'] } });
    open.push(h);
    const r = await h.call('job_list', { context: 'demo-staging' });
    expect(r.isError, r.text).toBeFalsy();
    expect((r.structured.jobs as { namespace: string }[]).every((j) => j.namespace === 'web')).toBe(true);
    expect((await h.call('job_list', {})).structured.jobs).toEqual(r.structured.jobs);
  });

  it('applies a per-context policy to the current-context when --context is unset', async () => {
    const h = await connect({ cluster: demo, context: undefined as never, config: { context: undefined, contextPolicy: JSON.stringify({ demo: { allow: ['batch'] } }) } });
    open.push(h);
    const before = requests();
    expect((await h.call('job_list', { namespace: 'ops' })).text).toMatch(/^Error \(policy-denied\): Namespace "ops" is outside this server's allow-list \(batch\)/);
    expect(requests()).toBe(before);
  });
});
