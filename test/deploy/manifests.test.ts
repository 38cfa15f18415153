// The deploy/ manifests: RBAC that matches what the tools really call (recorded
// by the demo cluster while every tool runs), and a hardened Deployment.
import { readdirSync, readFileSync } from 'node:fs';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { connect } from '../helpers.js';

const dir = new URL('../../deploy/kubernetes/', import.meta.url);
type Obj = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };
const docs: Obj[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => yaml.loadAll(readFileSync(new URL(f, dir), 'utf8')) as Obj[])
  .filter(Boolean);
const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name) as Obj;

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const rules = (role: string) => (find('ClusterRole', role).rules as Rule[]) ?? [];
const allows = (rs: Rule[], verb: string, group: string, resource: string) =>
  rs.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && (r.verbs.includes(verb) || r.verbs.includes('*')));

/** The RBAC attributes of a request to the Kubernetes API, as the API server derives them. */
function attributes(method: string, url: string): { verb: string; group: string; resource: string } | undefined {
  const path = url.split('?')[0] as string;
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)(?:\/namespaces\/[^/]+)?\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?$/.exec(path);
  if (!m) return undefined; // discovery, /version: allowed to every authenticated user
  const [, group = '', resource, name, sub] = m as unknown as [string, string | undefined, string, string | undefined, string | undefined];
  const watch = /[?&]watch=(1|true)/.test(url);
  const verb = method === 'GET' ? (name ? 'get' : watch ? 'watch' : 'list') : ({ POST: 'create', DELETE: 'delete', PATCH: 'patch', PUT: 'update' }[method] ?? method);
  return { verb, group, resource: sub ? `${resource}/${sub}` : resource };
}

let demo: DemoCluster;
const called = { read: new Set<string>(), rerun: new Set<string>(), lifecycle: new Set<string>() };
/** Adds the RBAC attributes of the requests made since `from` to a set: writes to `writes`, reads to called.read. */
const record = (from: number, writes: Set<string>) => {
  for (const q of demo.api.requests.slice(from)) {
    const a = attributes(q.method, q.url);
    if (a) (q.method === 'GET' ? called.read : writes).add(`${a.verb} ${a.group}/${a.resource}`);
  }
};
beforeAll(async () => {
  demo = await startDemoCluster({ noiseEvents: 0, podRunMs: 50 });
  const h = await connect({ cluster: demo, onElicit: (): ElicitResult => ({ action: 'accept', content: { confirm: true } }) });
  const job = 'ops/migrate-db';
  for (const [name, args] of [
    ['job_list', {}],
    ['job_list', { namespace: 'ops' }],
    ['job_get', { job }],
    ['job_yaml', { job }],
    ['job_pods', { job }],
    ['job_events', { job, includePods: true }],
    ['job_logs', { job }],
    ['job_logs', { pod: 'ops/migrate-db-xnx8k' }],
    ['job_diagnose', { job }],
    ['job_triage', {}],
    ['job_wait', { job: 'demo/data-sync', timeoutSeconds: 1 }],
    ['cronjob_list', {}],
    ['cronjob_get', { cronjob: 'ops/nightly-migrate' }],
  ] as const) {
    const r = await h.call(name, args);
    expect(r.isError, `${name}: ${r.text}`).toBeFalsy();
  }
  await h.client.getPrompt({ name: 'triage-failed-jobs', arguments: {} });
  await h.client.complete({ ref: { type: 'ref/prompt', name: 'triage-failed-jobs' }, argument: { name: 'namespace', value: '' } });
  await h.client.readResource({ uri: 'k8s-job://ops/migrate-db' });
  await h.client.readResource({ uri: 'k8s-cronjob://ops/nightly-migrate' });
  record(0, called.read);
  const twoCalls = async (tool: string, args: Record<string, unknown>) => {
    const first = await h.call(tool, args);
    const r = await h.call(tool, { ...args, confirmationToken: first.structured.confirmationToken });
    expect(r.isError, r.text).toBeFalsy();
  };
  let from = demo.api.requests.length;
  for (const mode of ['new', 'replace']) await twoCalls('job_rerun', { job: 'batch/report-oom', mode });
  record(from, called.rerun);
  from = demo.api.requests.length;
  await twoCalls('cronjob_trigger', { cronjob: 'ops/nightly-migrate' });
  await twoCalls('cronjob_suspend', { cronjob: 'ops/nightly-migrate', suspend: false });
  await twoCalls('job_suspend', { job: 'batch/paused', suspend: false });
  await twoCalls('job_delete', { job: 'batch/validate-data' });
  record(from, called.lifecycle);
  await h.close();
});
afterAll(() => demo.close());

describe('RBAC', () => {
  it('recorded the calls the tools make', () => {
    expect([...called.read]).toEqual(
      expect.arrayContaining(['list batch/jobs', 'get batch/jobs', 'watch batch/jobs', 'list batch/cronjobs', 'get batch/cronjobs', 'list /pods', 'list /events', 'get /pods/log', 'get /pods', 'list /namespaces']),
    );
    expect([...called.rerun].sort()).toEqual(['create batch/jobs', 'delete batch/jobs', 'patch batch/jobs']);
    expect([...called.lifecycle].sort()).toEqual(['create batch/jobs', 'delete batch/jobs', 'patch batch/cronjobs', 'patch batch/jobs']);
  });

  it('the read role grants every read the tools make', () => {
    for (const c of called.read) {
      const [verb, gr] = c.split(' ') as [string, string];
      const [group, ...res] = gr.split('/');
      expect(allows(rules('k8s-jobs-mcp-read'), verb, group as string, res.join('/')), c).toBe(true);
    }
  });

  it('the read role grants no write and nothing on Secrets', () => {
    for (const r of rules('k8s-jobs-mcp-read')) {
      expect(r.verbs.filter((v) => !['get', 'list', 'watch'].includes(v)), JSON.stringify(r)).toEqual([]);
      expect(r.resources).not.toContain('secrets');
      expect(r.resources).not.toContain('*');
    }
  });

  /** The writes a role's rules grant, as "verb group/resource". */
  const granted = (role: string) => rules(role).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${g}/${res}`)))).sort();

  it('the rerun role grants exactly the writes job_rerun makes', () => {
    expect(granted('k8s-jobs-mcp-rerun')).toEqual([...called.rerun].sort());
  });

  it('the lifecycle role grants exactly the writes of cronjob_trigger, job_suspend, cronjob_suspend and job_delete', () => {
    expect(granted('k8s-jobs-mcp-lifecycle')).toEqual([...called.lifecycle].sort());
  });

  it('the impersonation role only impersonates users and groups', () => {
    expect(rules('k8s-jobs-mcp-impersonate')).toEqual([{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]);
  });

  it('binds every role to the service account the Deployment uses', () => {
    const sa = (find('Deployment', 'k8s-jobs-mcp').spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName;
    for (const b of docs.filter((d) => d.kind === 'ClusterRoleBinding')) {
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace: 'k8s-jobs-mcp' }]);
      expect(find('ClusterRole', (b.roleRef as { name: string }).name)).toBeDefined();
    }
  });
});

describe('Deployment and Service', () => {
  const spec = (find('Deployment', 'k8s-jobs-mcp').spec as { template: { spec: Record<string, unknown> } }).template.spec;
  const container = (spec.containers as Record<string, unknown>[])[0] as Record<string, never>;

  it('runs as non-root with a read-only root filesystem and no privileges', () => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('probes /healthz and /readyz, requests resources, and is read-only unless changed', () => {
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    expect(container.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { memory: expect.any(String) } });
    expect(container.args).toContain('--read-only');
    expect(container.args).toContain('--auth-token-file');
  });

  it('exposes the container port through the Service', () => {
    const svc = find('Service', 'k8s-jobs-mcp').spec as { ports: { targetPort: string }[]; selector: Record<string, string> };
    expect(svc.ports[0]?.targetPort).toBe((container.ports as unknown as { name: string }[])[0]?.name);
    expect(svc.selector).toEqual((find('Deployment', 'k8s-jobs-mcp').spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels);
  });

  it('builds the image in two stages and runs it as an unprivileged user over HTTP', () => {
    const df = readFileSync(new URL('../../deploy/Dockerfile', import.meta.url), 'utf8');
    expect(df.match(/^FROM /gm)).toHaveLength(2);
    expect(df).toMatch(/^USER 1000:1000$/m);
    // glibc's settings that keep freed blocks from staying resident (bench/memory.mjs).
    expect(df).toMatch(/^ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072$/m);
    expect(df).toMatch(/^ENTRYPOINT \["node", "--max-semi-space-size=2", "--max-old-space-size=128", "dist\/bin\/k8s-jobs-mcp\.js", "--transport", "http", "--host", "0\.0\.0\.0", "--port", "8080"\]$/m);
  });
});
